import { writeChangeDiff } from '../app/changes/stack.ts';
import { changeArg } from '../cli/cs-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { mustReadChange } from '../store/changes.ts';

export const spec = defineCommand({
  name: 'cs-diff',
  summary: "show a change's own diff",
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [{ flags: '--stat', description: 'the diffstat instead of the patch', type: 'bool' }],
  formatted: false,
  description: `Shows the diff of the change's own commits: its branch sase/cs/<name> against the point where it left its base branch (the parent change's branch, or the target branch), as git diff shows it. Commits that landed on the base branch since do not appear; the parent's own changes do not either.

On a terminal the diff goes through git's pager (GIT_PAGER, core.pager, PAGER, as for git diff), coloured as git colours it (color.ui). Elsewhere it is written to standard output without external diff drivers or a pager, and plain unless colour is asked for. --color=always or FORCE_COLOR colours it even through a pipe (as git diff --color=always does); --color=never or NO_COLOR turns colour off everywhere.`,
  output: 'The patch (or with --stat the diffstat) as git diff prints it; nothing when the change has no diff.',
  exit: [[4, 'no such change, or its branch or base branch is gone']],
  examples: [
    { cmd: 'sase cs diff ready_cache_store', text: 'the patch, paged on a terminal' },
    { cmd: 'sase cs diff ready_cache_store --stat', text: 'files and line counts' },
    { cmd: 'sase cs diff ready_cache_store | git apply --check', text: 'a patch for other tools' },
  ],
  seeAlso: ['sase-cs-deltas', 'sase-cs-commit', 'git-diff'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    const store = await ctx.store();
    const c = await mustReadChange(await store.snapshot(), name);
    await writeChangeDiff(store, c, {
      stat: opts.stat ?? false,
      terminal: ctx.stdoutIsTTY,
      color: ctx.color,
      out: ctx.stdout,
    });
    return 0;
  },
});
