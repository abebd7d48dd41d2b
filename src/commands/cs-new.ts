import { branchTip, resolveRevision, targetBranch } from '../app/changes/code.ts';
import { newChange } from '../app/changes/new.ts';
import { isoNow } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkText } from '../core/beads/model.ts';
import { type ChangeStatus, changeBranch, checkChangeName } from '../core/changes/spec.ts';
import { NotFoundError, RefusedError, UsageError } from '../core/errors.ts';
import { resolveIds } from '../store/beads.ts';
import { readChange } from '../store/changes.ts';
import { changeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-new',
  summary: 'create a change record (ChangeSpec) and its branch',
  args: [{ name: 'name', description: "the change's name: lower-case letters, digits and '_'", required: true }],
  options: [
    {
      flags: '--description <text>',
      description: 'what the change does: a first line, then any number of lines (required)',
    },
    { flags: '--parent <name>', description: 'the change this one stacks on' },
    { flags: '--status <status>', description: 'WIP (default), Draft or Ready', choices: ['WIP', 'Draft', 'Ready'] },
    {
      flags: '--bead <id>',
      description: 'the bead this change carries out; commits recorded later name it',
      complete: 'beads',
    },
    { flags: '--from <ref>', description: 'start the branch at this revision instead of the base branch' },
  ],
  description: `Stores a new ChangeSpec, changes/<name>.cs, in the state ref, and creates its branch sase/cs/<name>, where the change's commits go.

The branch starts at the parent change's branch when --parent is given (a stack), else at the target branch ([review] target in .sase/config.toml, main by default), or at --from. The record starts with status WIP (or --status) and its creation logged in TIMESTAMPS.

With --bead, the bead gets a link to the change ({kind: "changespec", target: <name>}) in the same commit, and commits recorded with sase-cs-commit name that bead.`,
  output:
    'The new change as one NDJSON record of kind "changespec": {v, kind, id, name, description, parent, cl, status, branch, commits, deltas, hooks, comments, unresolved, mentors, timestamps} (see sase-cs-show(1)). On a terminal, a line naming it and its branch.',
  exit: [
    [1, 'refused: a change of that name or its branch exists'],
    [4, 'the parent change, the bead, the --from revision or the target branch does not exist'],
    [129, 'the name breaks the naming rule, or a value is missing or bad'],
  ],
  examples: [
    {
      cmd: "sase cs new ready_cache_store --description 'Cache bead snapshots by tree id'",
      text: 'a change on the target branch',
    },
    {
      cmd: "sase cs new ready_cache_query --parent ready_cache_store --description 'ready reads the cache'",
      text: 'a change stacked on it',
    },
  ],
  seeAlso: ['sase-cs-show', 'sase-cs-commit', 'sase-cs-list', 'sase-cs-set'],
  async run(ctx, args, opts) {
    const name = checkChangeName(args[0]!);
    if (args.length > 1) throw new UsageError(`one change at a time; '${args[1]}' is extra`);
    if (opts.description === undefined || opts.description.trim() === '')
      throw new UsageError("missing '--description'");
    const description = checkText('description', opts.description).replace(/\r\n/g, '\n').trim();
    const parent = opts.parent === undefined ? null : checkChangeName(opts.parent);
    const status: ChangeStatus = opts.status ?? 'WIP';
    const store = await ctx.store();
    const at = isoNow(ctx);
    const snap = await store.snapshot();
    if (await readChange(snap, name)) throw new RefusedError(`change '${name}' exists`);
    let start: string;
    let from: string;
    if (opts.from !== undefined) {
      from = opts.from;
      const sha = await resolveRevision(store, from);
      if (!sha) throw new NotFoundError(`no commit '${from}'`);
      start = sha;
    } else {
      from = parent ? changeBranch(parent) : await targetBranch(store);
      if (parent && !(await readChange(snap, parent))) throw new NotFoundError(`no change '${parent}' (the parent)`);
      const sha = await branchTip(store, from);
      if (!sha)
        throw new NotFoundError(
          `no branch '${from}' to start from${parent ? '' : ' (set [review] target in .sase/config.toml, or give --from)'}`,
        );
      start = sha;
    }
    const [bead] = opts.bead === undefined ? [null] : await resolveIds(snap, [opts.bead]);
    const change = await newChange(store, { name, description, parent, status, start, from, bead: bead ?? null, at });
    if (ctx.format === 'text')
      ctx.stdout.write(
        `${ctx.colors.bold(name)} ${ctx.colors.cyan(change.status)} on branch ${changeBranch(name)}${parent ? ` (stacked on ${parent})` : ''}\n`,
      );
    else writeRecord(ctx, changeToWire(change));
    return 0;
  },
});
