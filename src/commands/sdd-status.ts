import { isoNow } from '../cli/context.ts';
import { printWrittenPlans } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkChoice } from '../core/beads/model.ts';
import { UsageError } from '../core/errors.ts';
import { readPlan, STATUS_MOVES } from '../core/sdd/ops.ts';
import { PLAN_STATUSES } from '../core/sdd/paths.ts';
import { commitSdd, findPlan, sddReader } from '../store/sdd.ts';
import { planToWire } from '../wire/plan.ts';

const moves = (Object.keys(STATUS_MOVES) as Array<keyof typeof STATUS_MOVES>)
  .map((from) => `${from} -> ${STATUS_MOVES[from].join(', ')}`)
  .join('; ');

export const spec = defineCommand({
  name: 'sdd-status',
  prints: ['plan'],
  summary: "set a plan's status (approved, in_progress, done, abandoned, draft)",
  args: [
    {
      name: 'plan',
      complete: 'plans',
      description: 'the plan: its slug, or a path like sdd/epics/<slug>.md',
      required: true,
    },
    { name: 'status', description: 'the new status: approved, in_progress, done, abandoned or draft', required: true },
  ],
  options: [],
  description: `Moves a plan to another status, in one commit of the state ref recording the operation (sdd.status) with who and when.

The moves a person may make: ${moves}. A draft becomes approved only through 'sase sdd approve', which creates its beads. Abandoning an approved tale or epic closes its bead and every phase still open as canceled, with the reason "plan '<slug>' abandoned", in the same commit, so none of them stays in 'sase bead ready' (a legend's epics are plans of their own: abandon them one by one). An abandoned plan goes back to draft to be worked on again; it forgets its canceled beads, and approving it makes new ones. Setting the status a plan has already is a no-op (nothing is committed).

Most moves happen by themselves: claiming or starting a bead of an approved plan (an epic's phase) moves it to in_progress, closing its bead or its last open phase moves it to done, and reopening one of them moves a done plan back to in_progress. This command is for the rest: giving a plan up, finishing it by hand, or pausing it (in_progress -> approved).`,
  output:
    'The plan as one NDJSON record of kind "plan" (see sase-sdd-show(1), without the resolved links), with its new status; on a terminal, one line: updated <slug>: <title> (<status>), or unchanged when it had that status already.',
  exit: [
    [
      1,
      "refused: the move is not allowed from the plan's status (the allowed ones are named), or the stored plan no longer parses",
    ],
    [4, 'no such plan'],
    [129, 'an unknown status, or the slug names plans in two tiers'],
  ],
  examples: [
    { cmd: 'sase sdd status ready-cache abandoned', text: 'give a plan up' },
    { cmd: 'sase sdd status ready-cache done', text: 'finish it by hand' },
    { cmd: 'sase sdd status ready-cache draft', text: 'take an abandoned plan up again' },
  ],
  seeAlso: ['sase-sdd-approve', 'sase-sdd-show', 'sase-sdd-history'],
  async run(ctx, args) {
    const [ref, wanted] = args;
    if (!ref) throw new UsageError('no plan given');
    if (!wanted) throw new UsageError(`no status given (one of ${PLAN_STATUSES.join(', ')})`);
    if (args.length > 2) throw new UsageError(`one plan at a time; '${args[2]}' is extra`);
    const status = checkChoice('status', wanted, PLAN_STATUSES);
    const store = await ctx.store();
    const ident = await store.ident();
    const at = isoNow(ctx);
    const found = await findPlan(await store.snapshot(), ref);
    if (found.dir === 'prompts') throw new UsageError(`'${found.path}' is a prompt, not a plan`);
    const path = found.path;
    const { commit } = await commitSdd(store, async (reader) => {
      // the same status again commits nothing; a plan removed meanwhile is reported by the operation
      if ((await readPlan(reader, path))?.status === status) return { op: null, result: null };
      return { op: { op: 'sdd.status', path, status, at, actor: ident.email }, result: null };
    });
    const snap = await store.snapshot();
    const plan = (await readPlan(sddReader(store, snap), path))!;
    printWrittenPlans(
      ctx,
      [planToWire(path, plan, { updated_at: commit ? at : null })],
      commit ? 'updated' : 'unchanged',
    );
    return 0;
  },
});
