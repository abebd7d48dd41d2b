import { revertChange } from '../app/changes/review.ts';
import { statusColor } from '../cli/colors.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { clean, printWritten } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { revertedChangeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-revert',
  prints: ['change-reverted'],
  summary: 'revert a submitted change on the target branch',
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [],
  description: `Reverts a Submitted change: in a temporary worktree at the target branch's tip, 'git revert --no-edit <old>..<new>' of the commits it landed (from its SUBMIT entry in TIMESTAMPS, else its COMMITS) makes one revert commit each, newest first; the target branch is fast-forwarded to them (compare-and-swap; with 'git merge --ff-only' in the work tree that has it checked out, which must have no local changes), and the status becomes Reverted (operation 'cs.revert', REVERT in TIMESTAMPS).

A revert that conflicts changes nothing and says so. A change submitted on GitHub is refused: revert it there, then record it with 'sase cs set <name> --status Reverted'.`,
  output:
    'The reverted change as one NDJSON record of kind "changespec" (see sase-cs-show(1)), with "reverted": what was done. On a terminal, one line: reverted <name>: <the first line of its description> (<status>: what was done).',
  exit: [
    [
      1,
      'refused: not Submitted, submitted on GitHub, its commits not on the target branch, a conflict, or the target checked out with local changes',
    ],
    [3, 'the target branch moved meanwhile: nothing changed, try again'],
    [4, 'no such change or target branch'],
  ],
  examples: [{ cmd: 'sase cs revert ready_cache_store', text: 'take a submitted change back out of main' }],
  seeAlso: ['sase-cs-submit', 'git-revert'],
  async run(ctx, args) {
    const name = await changeArg(ctx, args[0]!);
    if (args.length > 1) throw new UsageError(`one change at a time; '${args[1]}' is extra`);
    const r = await revertChange(await ctx.store(), name, isoNow(ctx));
    printWritten(
      ctx,
      [r.change],
      (ch, c) => ({
        verb: 'reverted',
        id: ch.name,
        title: ch.description,
        note: ` (${statusColor(c, 'change', ch.status)}: ${clean(r.did.join('; '))})`,
      }),
      (ch) => revertedChangeToWire(ch, r.did),
    );
    return 0;
  },
});
