import { submitChange } from '../app/changes/review.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { warn, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { submittedChangeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-submit',
  prints: ['change-submitted'],
  summary: 'land a mailed change on the target branch and restack its children',
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [
    {
      flags: '--force',
      description: 'submit even with blocking hooks not passed or comments unresolved (says what it overrode)',
      type: 'bool',
    },
  ],
  description: `Submits a change whose status is Mailed. It must stack on nothing that is not submitted yet, every blocking hook (one whose command does not start with '!') must have PASSED on the latest recorded commit, that commit must be the branch's tip, and no comment may be open; --force overrides the hooks and comments (it says what it overrode on stderr and logs it in TIMESTAMPS as FORCE).

local provider: the change's commits are rebased onto the target branch ([review] target, main by default) in a temporary worktree when they do not sit on its tip already, and the target branch is fast-forwarded to them with compare-and-swap (never a non-fast-forward). A conflict stops the submit and changes nothing. When the target branch is checked out in a work tree, that work tree must have no local changes to tracked files, and it is moved with 'git merge --ff-only' there, so the files follow. The change's branch moves to the landed commits; COMMITS follow them.

Then the change is Submitted (SUBMIT <old>..<new> to <target> in TIMESTAMPS, which sase-cs-revert(1) reads), and its children move onto the new base: their PARENT is cleared (they now stack on the target branch) and their branches, and those of their own descendants, are rebased (REBASE in their TIMESTAMPS). A child that does not rebase cleanly, or is checked out with local changes, keeps its branch: a warning names it, 'sase cs rebase' finishes the job, and the submit still succeeds.

github provider: 'gh pr merge <n> --rebase --match-head-commit <tip>' (so a pull request that moved since it was mailed is not merged), then Submitted; children's PARENT is cleared and a warning says to rebase them after fetching.

All branches move in one go, and are moved back if the record cannot be written: a failed submit changes nothing.`,
  output:
    'The submitted change as one NDJSON record of kind "changespec" (see sase-cs-show(1)), with "submitted": what was done, "overridden": what --force overrode, and "restacked": [{name, rebased, onto, reason}] for its descendants. On a terminal, a line naming the change and the target.',
  exit: [
    [
      1,
      'refused: not Mailed, a parent not submitted, hooks not passed or comments open (without --force), a conflict with the target branch, the target checked out with local changes, or gh failed',
    ],
    [3, 'a branch moved meanwhile: nothing changed, try again'],
    [4, 'no such change, branch or target branch'],
  ],
  examples: [
    { cmd: 'sase cs submit ready_cache_store', text: 'land a mailed change' },
    { cmd: 'sase cs submit ready_cache_store --force', text: 'land it although a hook failed (said on stderr)' },
  ],
  seeAlso: ['sase-cs-mail', 'sase-cs-hook-run', 'sase-cs-resolve', 'sase-cs-rebase', 'sase-cs-revert'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    if (args.length > 1) throw new UsageError(`one change at a time; '${args[1]}' is extra`);
    const r = await submitChange(await ctx.store(), name, isoNow(ctx), { force: opts.force ?? false });
    for (const o of r.overridden) warn(ctx, `--force overrode: ${o}`);
    for (const s of r.restacks) {
      if (s.reason && !s.reason.startsWith('it is '))
        warn(
          ctx,
          `change '${s.name}' was not rebased onto '${s.onto}': ${s.reason}${s.reason.includes('sase cs rebase') ? '' : ` (run 'sase cs rebase ${s.name}')`}`,
        );
    }
    if (ctx.format === 'text') {
      ctx.stdout.write(`${ctx.colors.bold(name)} ${ctx.colors.green(r.change.status)} ${r.did.join('; ')}\n`);
      for (const s of r.restacks.filter((x) => x.to !== null)) ctx.stdout.write(`  ${s.name} rebased onto ${s.onto}\n`);
    } else writeRecord(ctx, submittedChangeToWire(r.change, r));
    return 0;
  },
});
