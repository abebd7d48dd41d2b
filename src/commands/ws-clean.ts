import { cleanWorkspaces } from '../app/workspaces/workspaces.ts';
import { writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { parseAge, parseWorkspaceNumber } from '../core/workspaces/refs.ts';
import { cleanToWire } from '../wire/workspace.ts';

export const spec = defineCommand({
  name: 'ws-clean',
  prints: ['ws-clean'],
  summary: 'remove numbered workspaces, keeping any with work that would be lost',
  args: [{ name: 'n', description: 'the workspaces to remove, by number', variadic: true }],
  options: [
    { flags: '--finished', description: 'the workspaces whose run has finished', type: 'bool' },
    {
      flags: '--older-than <age>',
      description: 'the workspaces created longer ago than <age>: a number and s, m, h, d or w (3d, 12h)',
    },
    { flags: '--dry-run', description: 'say what would be removed; change nothing', type: 'bool' },
    {
      flags: '--force',
      description: 'remove them even with uncommitted changes, commits on no other branch, or a run holding them',
      type: 'bool',
    },
  ],
  description: `Removes workspaces (their worktree, their folder, their sase/ws/<n> branch) and their registry entries: the numbered ones given, else those that --finished and --older-than select (both must hold when both are given), else every workspace no run holds.

A workspace is kept, unless --force, when it has uncommitted changes (untracked files included), commits that no other branch, tag or remote-tracking branch holds, or a run holding it (state busy); each kept one is named on stderr with the reason. A forced removal still keeps a branch whose commits are found nowhere else, so they can be recovered.

Registry entries whose folder is gone are always forgotten (reason "folder gone"). So are workspaces whose creation was interrupted (still marked as being made by a process that is gone: a killed sase-ws-new or run), whatever is selected (reason "creation interrupted"): the worktree, whole or half-made, is removed with the workspace's own branch when that has no commits of its own; one that holds work is kept instead, as a free workspace, and then cleaned or kept as any other. Each such repair is said on stderr. Workspace #0, the main checkout, is never cleaned.`,
  output:
    'One NDJSON record a workspace looked at: kind "ws-clean" {v, kind, id (the number), n, path, action ("removed" or "kept"), reason, dry_run}. With --dry-run, "removed" means it would be. On a terminal, a line each.',
  exit: [
    [1, 'a workspace named on the command line was kept, or #0 was named'],
    [4, 'a named workspace does not exist (nothing is removed)'],
    [129, 'a bad number or age, or numbers given with --finished or --older-than'],
  ],
  examples: [
    { cmd: 'sase ws clean --finished', text: 'remove the workspaces of finished runs' },
    { cmd: 'sase ws clean --older-than 3d --dry-run', text: 'what a clean of old workspaces would remove' },
    { cmd: 'sase ws clean 2 --force', text: 'remove #2 whatever it holds' },
  ],
  seeAlso: ['sase-ws-list', 'sase-ws-new'],
  async run(ctx, args, opts) {
    const numbers = args.map(parseWorkspaceNumber);
    const olderThan = opts.olderThan;
    const age = olderThan === undefined ? undefined : parseAge(olderThan);
    if (numbers.length && (opts.finished || olderThan !== undefined))
      throw new UsageError('give workspace numbers or --finished/--older-than, not both');
    const dryRun = opts.dryRun ?? false;
    const store = await ctx.store();
    const results = await cleanWorkspaces(store, {
      numbers,
      finished: opts.finished ?? false,
      before: age === undefined ? undefined : ctx.clock.now().getTime() - age,
      olderThan,
      dryRun,
      force: opts.force ?? false,
      said: (line) => ctx.stderr.write(`${clean(line)}\n`),
    });
    let code = 0;
    for (const r of results) {
      if (r.action === 'kept') {
        ctx.stderr.write(
          `${ctx.errColors.yellow('warning:')} kept workspace #${r.n} ('${clean(r.path)}'): ${r.reason} (use --force to remove it)\n`,
        );
        if (r.named) code = 1;
      }
      if (ctx.format === 'text') {
        const verb = r.action === 'kept' ? 'kept' : dryRun ? 'would remove' : 'removed';
        ctx.stdout.write(`${verb} #${r.n} ${clean(r.path)} (${clean(r.reason)})\n`);
      } else writeRecord(ctx, cleanToWire(r, dryRun));
    }
    return code;
  },
});
