import { recordCommits } from '../app/changes/stack.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg, printWrittenChanges } from '../cli/cs-view.ts';
import { writeRecord } from '../cli/io.ts';
import { printWritten } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { resolveIds } from '../store/beads.ts';
import { changeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-commit',
  prints: ['change'],
  summary: "record commits of a change's branch in its COMMITS",
  args: [
    { name: 'name', complete: 'changes', description: 'the change', required: true },
    {
      name: 'commit',
      description:
        'commits to record (any revision naming a commit of the branch); default: every commit of the branch not yet recorded',
      variadic: true,
    },
  ],
  options: [
    {
      flags: '--bead <id>',
      description: "the bead these commits carry out (default: the change's bead, the latest BEAD in TIMESTAMPS)",
      complete: 'beads',
    },
    {
      flags: '--rerecord',
      description: "replace COMMITS with the branch's commits as they are now (after its history was rewritten)",
      type: 'bool',
    },
  ],
  description: `Records commits of the change's branch sase/cs/<name> in its COMMITS, each as (n) <subject> with its full SHA and the bead it carries out, recomputes DELTAS (per file + added, ~ modified, - removed, with +added ~changed -removed line counts; a rename is a removal and an addition), and writes a line {"v":1,"changespec":<name>,"bead":<id>} on each recorded commit in refs/notes/sase.

The change's own commits are those of its branch since it left its base branch (the parent change's branch, or the target branch). Without arguments every one not yet recorded is, oldest first; explicit commits must be among them. COMMITS stay in the branch's order. A commit recorded already is not recorded again: when nothing is new, nothing is written.

When a recorded commit is no longer on the branch (its history was rewritten, by a rebase or an amend), the command refuses; --rerecord then replaces COMMITS with the branch's current commits (or the commits given), keeping each one's bead by its subject. sase-cs-rebase(1) re-records by itself.`,
  output:
    'The change as one NDJSON record of kind "changespec" (see sase-cs-show(1)): commits lists {n, subject, sha, bead}, deltas {op, path, added, changed, removed}. On a terminal, one line per commit recorded: recorded <sha>: <subject> (<name> commit <n>[, <bead>]); or, when there was nothing new, unchanged <name>: <the first line of its description> (<status>; nothing new to record, N commits recorded).',
  exit: [
    [
      1,
      "a commit given is not one of the change's own, or a recorded commit is no longer on the branch (see --rerecord)",
    ],
    [4, 'no such change, commit, bead or branch'],
  ],
  examples: [
    { cmd: 'sase cs commit ready_cache_store', text: "record the branch's new commits" },
    { cmd: 'sase cs commit ready_cache_store HEAD~1 --bead sase-7m2q.1', text: 'record one commit, naming its bead' },
    { cmd: 'sase cs commit ready_cache_store --rerecord', text: 'after rewriting the branch by hand' },
  ],
  seeAlso: ['sase-cs-deltas', 'sase-cs-diff', 'sase-cs-rebase', 'sase-cs-show'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    const store = await ctx.store();
    const [bead] = opts.bead === undefined ? [null] : await resolveIds(await store.snapshot(), [opts.bead]);
    const r = await recordCommits(store, isoNow(ctx), name, {
      revs: args.slice(1),
      bead: bead ?? null,
      rerecord: opts.rerecord ?? false,
    });
    const n = r.change.commits.length;
    if (ctx.format !== 'text') {
      writeRecord(ctx, changeToWire(r.change));
      return 0;
    }
    // on a terminal a line a commit recorded, or the change unchanged
    if (!r.recorded.length)
      printWrittenChanges(
        ctx,
        [r.change],
        'unchanged',
        () => `; nothing new to record, ${n} commit${n === 1 ? '' : 's'} recorded`,
      );
    else
      printWritten(ctx, r.recorded, (k, c) => ({
        verb: 'recorded',
        id: k.sha.slice(0, 12),
        title: k.subject,
        note: c.dim(` (${name} commit ${k.n}${k.bead ? `, ${k.bead}` : ''})`),
      }));
    return 0;
  },
});
