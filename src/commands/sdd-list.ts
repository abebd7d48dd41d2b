import type { Ctx } from '../cli/context.ts';
import { sayIfEmpty } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { PLAN_DIRS, tierDirs, tierOptions } from '../cli/sdd-tiers.ts';
import { printPlans } from '../cli/sdd-view.ts';
import { defineCommand, type OptionsOf } from '../cli/spec.ts';
import { applyListOps, checkListOps, type ListShape } from '../core/list-ops.ts';
import { PLAN_STATUSES, sddOrder, type TierDir, tierOfDir } from '../core/sdd/paths.ts';
import { parsePlan, parsePrompt } from '../core/sdd/plan.ts';
import { listSddFiles } from '../store/sdd.ts';
import { lastChanges } from '../store/sdd-history.ts';
import {
  invalidPlanToWire,
  invalidPromptToWire,
  type PlanWireExtra,
  planToWire,
  promptToWire,
  type SddFileRecord,
} from '../wire/plan.ts';

/** Plans keep their store order (tier, slug) unless --sort is given; --grep searches the title and the text. */
const SDD_SHAPE: ListShape<SddFileRecord> = {
  fields: ['path', 'slug', 'tier', 'title', 'status', 'created_at', 'updated_at'],
  text: (r) => [r.slug, 'title' in r ? r.title : null, r.body],
};

/** The filters of sdd list and sdd search. */
export const SDD_FILTERS = [
  ...tierOptions('the three plan tiers'),
  {
    flags: '--status <list>',
    description: `comma-separated plan statuses: ${PLAN_STATUSES.join(', ')}, or invalid (a stored plan that no longer parses)`,
    type: 'list',
    choices: [...PLAN_STATUSES, 'invalid'],
  },
] as const;

export const [LIMIT, SORT, GREP, NO_PAGER] = listOptions('plans', SDD_SHAPE, 'slug, title or text');

type SddListOptions = OptionsOf<typeof SDD_FILTERS> & {
  readonly limit?: number | undefined;
  readonly sort?: string | undefined;
  readonly grep?: string | undefined;
};

/** Prints the stored plans and prompts that pass the filters, --grep, --sort and --limit (sdd list and sdd search). */
export async function listSdd(ctx: Ctx, opts: SddListOptions, fallback: readonly TierDir[]): Promise<void> {
  checkListOps(SDD_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
  const dirs = tierDirs(opts, fallback);
  const statuses: readonly string[] | undefined = opts.status;
  const store = await ctx.store();
  const snap = await store.snapshot();
  const files = (await listSddFiles(snap, dirs)).sort(sddOrder);
  // each file's record, once it is known when the file last changed; and its status, to filter by
  const listed: Array<{ path: string; record: (updated: PlanWireExtra) => SddFileRecord }> = [];
  for (const f of files) {
    const tier = tierOfDir(f.dir);
    let status: string | undefined;
    let record: (updated: PlanWireExtra) => SddFileRecord;
    if (tier) {
      const { plan, diagnostics } = parsePlan(f.text, f.path);
      status = plan ? plan.status : 'invalid';
      record = (u) => (plan ? planToWire(f.path, plan, u) : invalidPlanToWire(f.path, tier, f.slug, diagnostics, u));
    } else {
      const { prompt, diagnostics } = parsePrompt(f.text, f.path);
      status = prompt ? undefined : 'invalid';
      record = (u) =>
        prompt ? promptToWire(f.path, f.slug, prompt, u) : invalidPromptToWire(f.path, f.slug, diagnostics, u);
    }
    if (statuses && !statuses.includes(String(status))) continue;
    listed.push({ path: f.path, record });
  }
  // reading the log for the times costs; --format id prints no time and, unless sorted by it, needs none
  const needTimes = ctx.format !== 'id' || Boolean(opts.sort?.includes('updated_at'));
  const changed = listed.length && needTimes ? await lastChanges(store, dirs) : null;
  const records = listed.map((l) => l.record({ updated_at: changed?.get(l.path)?.at ?? null }));
  const shown = applyListOps(records, SDD_SHAPE, opts);
  printPlans(ctx, shown);
  await sayIfEmpty(ctx, shown.length, () => (files.length ? 'no plans match' : 'no plans; start one: sase sdd new'));
}

export const spec = defineCommand({
  name: 'sdd-list',
  prints: ['plan', 'prompt', 'plan-invalid', 'prompt-invalid'],
  summary: 'list the stored plans (tales, epics, legends) and prompts',
  args: [],
  options: [...SDD_FILTERS, LIMIT, SORT, GREP, NO_PAGER],
  description: `Lists the plans of the state ref by tier (tales, epics, legends, then prompts) and slug: tier, slug, title, status, bead, and when each was last changed.

The time is that of the last operation that changed the file (sase sdd put, approve, status, or a bead operation that moved the plan's status), read from the operation log.

A stored plan that no longer parses is listed with the status "invalid" and its diagnostics (see sase-sdd-validate(1)). Prompts have no status: --status leaves them out.`,
  output:
    'One NDJSON record a file, as sase-sdd-new(1) prints: kind "plan" {v, kind, id (its path), path, slug, tier, title, goal, status, bead, prompt, model, size, phases, epics, created_at, updated_at, body}; kind "prompt" {v, kind, id, path, slug, plan, created_at, updated_at, body}. A file that does not parse has status "invalid", null fields, and diagnostics: [{v, kind: "diagnostic", code, severity, path, line, message}]. With --format id, one path a line. On a terminal, a table.',
  exit: [],
  examples: [
    { cmd: 'sase sdd list', text: 'every tale, epic and legend' },
    { cmd: 'sase sdd list --tier epics --status approved,in_progress', text: 'the epics being carried out' },
    { cmd: 'sase sdd list --tier all --format id', text: 'the path of every plan and prompt' },
    { cmd: 'sase sdd list --status invalid', text: 'stored plans that no longer parse' },
  ],
  seeAlso: ['sase-sdd-show', 'sase-sdd-history', 'sase-sdd-validate', 'sase-sdd-export'],
  async run(ctx, _args, opts) {
    await listSdd(ctx, opts, PLAN_DIRS);
    return 0;
  },
});
