import { sayIfEmpty } from '../cli/io.ts';
import { PLAN_DIRS, tierDirs, tierOptions } from '../cli/sdd-tiers.ts';
import { printPlans } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { PLAN_STATUSES, sddOrder, tierOfDir } from '../core/sdd/paths.ts';
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

export const spec = defineCommand({
  name: 'sdd-list',
  summary: 'list the stored plans (tales, epics, legends) and prompts',
  args: [],
  options: [
    ...tierOptions('the three plan tiers'),
    {
      flags: '--status <list>',
      description: `comma-separated plan statuses: ${PLAN_STATUSES.join(', ')}, or invalid (a stored plan that no longer parses)`,
      type: 'list',
      choices: [...PLAN_STATUSES, 'invalid'],
    },
  ],
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
    const dirs = tierDirs(opts, PLAN_DIRS);
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
    const changed = listed.length && ctx.format !== 'id' ? await lastChanges(store, dirs) : null;
    printPlans(
      ctx,
      listed.map((l) => l.record({ updated_at: changed?.get(l.path)?.at ?? null })),
    );
    await sayIfEmpty(ctx, listed.length, () => (files.length ? 'no plans match' : 'no plans; start one: sase sdd new'));
    return 0;
  },
});
