import { abortRebase, type RebaseReport, rebaseStack } from '../app/changes/stack.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { NotFoundError } from '../core/errors.ts';
import { rebasedChangeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-rebase',
  prints: ['change-rebased'],
  summary: "rebase a change (and the changes stacked on it) onto its base branch's current tip",
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [
    {
      flags: '--stack',
      description: 'then rebase every open change stacked on it, parents before children',
      type: 'bool',
    },
    {
      flags: '--abort',
      description:
        'drop a rebase of the change left stopped on a conflict (its worktree removed); nothing else changes',
      type: 'bool',
    },
  ],
  description: `Rebases the change's own commits onto the current tip of its base branch: its parent change's branch sase/cs/<parent>, or the target branch. Its own commits are those since its branch left the base branch, found with the base branch's reflog (as git merge-base --fork-point does), so a parent that was itself rebased or amended does not bring its old commits along. Commits already on the new base are dropped.

The rebase runs in a temporary worktree under $GIT_COMMON_DIR/sase/worktrees/ with the repository's hooks off; the user's work tree, index, HEAD and other branches are never touched. When it succeeds, the branch sase/cs/<name> moves (compare-and-swap: a branch that moved meanwhile is a conflict and nothing changes), COMMITS are re-recorded with the new commits (same order, same beads), DELTAS recomputed, notes written on the new commits, and REBASE <old> -> <new> is logged in TIMESTAMPS. A change already on its base's tip is left alone.

With --stack, every open change stacked on it follows, parents before children, each onto its parent's new tip (Submitted, Reverted and Archived ones are skipped).

A conflict stops the rebase: the worktree is left mid-rebase for the user, and that change's branch and record stay as they were (with --stack, the changes rebased before it stay rebased; the ones after it are not started). Resolve the conflicts in that worktree and run git rebase --continue there, then run sase cs rebase NAME again: it records the finished rebase and removes the worktree (with --stack, it goes on with the rest). --abort drops the stopped rebase instead.`,
  output:
    'One NDJSON record of kind "changespec" per change handled (see sase-cs-show(1)), with a rebase field: {status: "rebased"|"up_to_date"|"skipped", from, to, base_branch, onto}, from and to being the branch tip before and after. A stopped rebase prints no record: stderr names its worktree, the commit it stopped at and the conflicting paths. With --abort, nothing. On a terminal, one line per change.',
  exit: [
    [
      1,
      'a rebase stopped on a conflict (its worktree is left), a stopped rebase of the change is waiting, or the change is Submitted, Reverted or Archived',
    ],
    [3, "the change's branch moved while it was being rebased (nothing changed; run again)"],
    [4, 'no such change, branch or base branch; with --abort, no stopped rebase'],
  ],
  examples: [
    { cmd: 'sase cs rebase ready_cache_query', text: "onto its parent's current branch" },
    {
      cmd: 'sase cs rebase ready_cache_store --stack',
      text: 'the bottom change onto main, then everything stacked on it',
    },
    { cmd: 'sase cs rebase ready_cache_query --abort', text: 'give up a rebase that stopped on a conflict' },
  ],
  seeAlso: ['sase-cs-commit', 'sase-cs-list', 'sase-cs-submit', 'git-rebase'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    const store = await ctx.store();
    const c = ctx.colors;
    if (opts.abort) {
      const dir = await abortRebase(store, name);
      if (!dir) throw new NotFoundError(`no stopped rebase of change '${name}'`);
      ctx.stderr.write(`dropped the stopped rebase of '${name}' in '${dir}'\n`);
      return 0;
    }
    const reports = await rebaseStack(store, isoNow(ctx), name, opts.stack ?? false);
    let code = 0;
    for (const r of reports) {
      if (r.status === 'stopped') {
        code = 1;
        writeStopped(ctx.stderr, r, ctx.errColors);
        continue;
      }
      if (ctx.format !== 'text') {
        writeRecord(ctx, rebasedChangeToWire(r.change, r));
        continue;
      }
      const what =
        r.status === 'rebased'
          ? `rebased onto ${r.baseBranch} (${r.onto.slice(0, 12)}): ${r.from.slice(0, 12)} -> ${c.yellow(r.to.slice(0, 12))}, ${r.change.commits.length} commit${r.change.commits.length === 1 ? '' : 's'} recorded`
          : r.status === 'up_to_date'
            ? c.dim(`up to date with ${r.baseBranch}`)
            : c.dim(`skipped (${r.change.status})`);
      ctx.stdout.write(`${c.bold(r.name)} ${what}\n`);
    }
    return code;
  },
});

function writeStopped(
  err: NodeJS.WritableStream,
  r: RebaseReport,
  c: { red(s: string): string; yellow(s: string): string },
): void {
  const s = r.stopped!;
  const at = s.stoppedAt ? ` at ${s.stoppedAt.sha.slice(0, 12)} '${s.stoppedAt.subject}'` : '';
  const lines = [
    `${c.red('error:')} rebasing '${r.name}' onto '${r.baseBranch}' stopped${at}${s.conflicts.length ? `: conflict in ${s.conflicts.map((p) => `'${p}'`).join(', ')}` : ''}`,
    `hint: the change's branch and record are unchanged; the rebase waits in '${s.dir}'`,
    `hint: resolve the conflicts there, 'git add' them and run 'git rebase --continue',`,
    `hint: then 'sase cs rebase ${r.name}' again to record it, or 'sase cs rebase ${r.name} --abort' to drop it`,
  ];
  err.write(lines.join('\n') + '\n');
}
