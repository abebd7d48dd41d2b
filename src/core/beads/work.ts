// Working an epic: which of its phases run, in which waves, each one's run
// name and what it waits for. A phase joins the first wave after all its
// blockers inside the epic; blockers outside must be closed. Phases of one
// wave whose scopes (path globs) overlap run one after the other. The land
// run, `<epic>.land`, waits for every phase. Pure.

import type { AgentRun, RunStatus, Wait } from '../agents/run.ts';
import { newestMatching } from '../agents/waits.ts';
import { isValidChangeName } from '../changes/spec.ts';
import { FatalError, RefusedError, withHint } from '../errors.ts';
import { globsOverlap } from '../glob.ts';
import type { Plan } from '../sdd/plan.ts';
import { type Bead, isExternalRef, newBead, SIZES } from './model.ts';

export interface WorkPhase {
  bead: Bead;
  /** path globs from the plan's phase `scope` */
  scope: string[];
}

export interface ScheduledPhase {
  id: string;
  title: string;
  /** the run that works it: the phase bead's id */
  run: string;
  /** 1-based; 0 for a closed phase (nothing to run) */
  wave: number;
  status: string;
  size: string | null;
  model: string | null;
  /** its blockers inside the epic */
  blockers: string[];
  /** a phase of its wave whose scope overlaps its own, which runs first */
  after: string | null;
  /** what its run waits for: the blockers' and `after`'s runs and beads that are not closed */
  waits: Wait[];
}

export interface EpicSchedule {
  epic: string;
  phases: ScheduledPhase[];
  land: { run: string; model: string | null; waits: Wait[] };
  /** a blocker named by a phase that does not exist (taken as done) */
  warnings: string[];
}

export function landRunName(epic: string): string {
  return `${epic}.land`;
}

function byIdOrder(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const na = Number(pa[i]);
    const nb = Number(pb[i]);
    const d = Number.isNaN(na) || Number.isNaN(nb) ? (pa[i]! < pb[i]! ? -1 : pa[i]! > pb[i]! ? 1 : 0) : na - nb;
    if (d) return d;
  }
  return 0;
}

/**
 * Schedules an epic's phases. `outside(id)` gives the status of a bead that
 * is not a phase of this epic (null when there is none); `modelFor(size)`
 * the model config routes a size to.
 */
export function scheduleEpic(
  epic: Bead,
  phases: WorkPhase[],
  outside: (id: string) => string | null,
  modelFor: (size: string | null) => string | null,
): EpicSchedule {
  const byId = new Map(phases.map((p) => [p.bead.id, p]));
  const warnings: string[] = [];
  const open = phases.filter((p) => p.bead.status !== 'closed').sort((a, b) => byIdOrder(a.bead.id, b.bead.id));
  const inEpic = (id: string) => byId.has(id);
  for (const p of open) {
    for (const d of p.bead.dependencies) {
      if (inEpic(d.depends_on_id)) continue;
      const s = outside(d.depends_on_id);
      // a blocker sase cannot see holds the phase until marked satisfied, as it does in bead ready
      if (s === null && !p.bead.satisfied?.some((x) => x.ref === d.depends_on_id))
        throw withHint(
          new RefusedError(
            `epic '${epic.id}' cannot be worked: phase '${p.bead.id}' is blocked by '${d.depends_on_id}' outside the epic, which ${isExternalRef(d.depends_on_id) ? 'is an external reference' : 'does not exist'} and is not marked satisfied`,
          ),
          `once it is done: sase bead dep satisfy ${p.bead.id} ${d.depends_on_id}`,
        );
      if (s !== null && s !== 'closed')
        throw new RefusedError(
          `epic '${epic.id}' cannot be worked: phase '${p.bead.id}' is blocked by '${d.depends_on_id}' outside the epic, which is ${s}`,
        );
    }
  }
  // Kahn's waves over the phases not closed
  const wave = new Map<string, number>();
  let remaining = [...open];
  for (let w = 1; remaining.length; w++) {
    const ready = remaining.filter((p) =>
      p.bead.dependencies.every(
        (d) =>
          !inEpic(d.depends_on_id) ||
          byId.get(d.depends_on_id)!.bead.status === 'closed' ||
          (wave.get(d.depends_on_id) ?? w) < w,
      ),
    );
    if (!ready.length)
      throw new RefusedError(`epic '${epic.id}' cannot be worked: its phases form a cycle: ${cycleOf(remaining)}`);
    for (const p of ready) wave.set(p.bead.id, w);
    remaining = remaining.filter((p) => !wave.has(p.bead.id));
  }
  const out: ScheduledPhase[] = [];
  for (const p of [...phases].sort((a, b) => byIdOrder(a.bead.id, b.bead.id))) {
    const b = p.bead;
    const w = wave.get(b.id) ?? 0;
    const blockers = b.dependencies.map((d) => d.depends_on_id).filter(inEpic);
    // an earlier phase of the same wave touching the same paths goes first
    const after = w
      ? (out
          .filter((q) => q.wave === w && q.after !== b.id)
          .reverse()
          .find((q) => p.scope.some((g) => byId.get(q.id)!.scope.some((h) => globsOverlap(g, h))))?.id ?? null)
      : null;
    const waitOn = [...blockers, ...(after ? [after] : [])].filter((id) => byId.get(id)!.bead.status !== 'closed');
    out.push({
      id: b.id,
      title: b.title,
      run: b.id,
      wave: w,
      status: b.status,
      size: b.size,
      model: b.model ?? modelFor(b.size),
      blockers,
      after,
      waits: waitOn.flatMap((id): Wait[] => [{ agent: id }, { bead: id }]),
    });
  }
  const landWaits = out.filter((p) => p.wave > 0).flatMap((p): Wait[] => [{ agent: p.run }, { bead: p.id }]);
  return {
    epic: epic.id,
    phases: out,
    land: { run: landRunName(epic.id), model: epic.model, waits: landWaits },
    warnings,
  };
}

/**
 * The schedule an epic plan not yet approved would get once approved: its
 * phases named by their ids in the plan (there are no beads yet), the land
 * run as 'land'. Nothing waits on runs that do not exist.
 */
export function previewSchedule(
  plan: Plan,
  at: string,
  modelFor: (size: string | null) => string | null,
): EpicSchedule {
  // the beads approval would make, numbered as it numbers them, so that the waves and scope order are the same
  const key = (i: number) => `${plan.slug}.${i + 1}`;
  const ids = new Map(plan.phases.map((p, i) => [p.id, key(i)]));
  const epic = newBead({ id: plan.slug, title: plan.title, created_at: at, issue_type: 'plan', model: plan.model });
  const phases: WorkPhase[] = plan.phases.map((p, i) => ({
    bead: newBead({
      id: key(i),
      title: p.title,
      created_at: at,
      issue_type: 'phase',
      size: p.size,
      model: p.model ?? plan.model,
      dependencies: p.depends_on.map((d) => ({ depends_on_id: ids.get(d) ?? d, created_at: at, created_by: null })),
    }),
    scope: p.scope,
  }));
  const s = scheduleEpic(epic, phases, () => 'closed', modelFor);
  const back = new Map([...ids].map(([planId, id]) => [id, planId]));
  const named = (id: string) => back.get(id) ?? id;
  return {
    ...s,
    phases: s.phases.map((p) => ({
      ...p,
      id: named(p.id),
      run: named(p.run),
      blockers: p.blockers.map(named),
      after: p.after === null ? null : named(p.after),
      waits: [],
    })),
    land: { ...s.land, run: 'land', waits: [] },
  };
}

function cycleOf(phases: WorkPhase[]): string {
  const ids = new Set(phases.map((p) => p.bead.id));
  const next = (id: string) =>
    phases
      .find((p) => p.bead.id === id)!
      .bead.dependencies.map((d) => d.depends_on_id)
      .find((d) => ids.has(d))!;
  let at = phases[0]!.bead.id;
  const seen: string[] = [];
  while (!seen.includes(at)) {
    seen.push(at);
    at = next(at);
  }
  return [...seen.slice(seen.indexOf(at)), at].join(' -> ');
}

export interface BeadWorkConfig {
  /** how many runs at once; null: the runner limit */
  jobs: number | null;
  /** size -> model */
  models: Record<string, string>;
}

/** `[bead_work]`: `jobs` (a whole number from 1) and `[bead_work.models]` (a model per phase size). */
export function checkBeadWorkConfig(section: unknown, source: string): BeadWorkConfig {
  const s = (section ?? {}) as Record<string, unknown>;
  const jobs = s.jobs;
  if (jobs !== undefined && !(typeof jobs === 'number' && Number.isInteger(jobs) && jobs >= 1))
    throw new FatalError(`${source}: 'bead_work.jobs' must be a whole number from 1 (got ${JSON.stringify(jobs)})`);
  const models: Record<string, string> = {};
  if (s.models !== undefined) {
    if (!s.models || typeof s.models !== 'object' || Array.isArray(s.models))
      throw new FatalError(`${source}: 'bead_work.models' must be a table`);
    for (const [k, v] of Object.entries(s.models as Record<string, unknown>)) {
      if (!(SIZES as readonly string[]).includes(k))
        throw new FatalError(`${source}: unknown key 'bead_work.models.${k}' (sizes: ${SIZES.join(', ')})`);
      if (typeof v !== 'string' || !v.trim())
        throw new FatalError(`${source}: 'bead_work.models.${k}' must be a model name`);
      models[k] = v;
    }
  }
  return { jobs: (jobs as number | undefined) ?? null, models };
}

/** The change a land run's work is recorded as. */
export function landChangeName(epic: string): string {
  const name = `land_${epic.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`.slice(0, 100);
  return isValidChangeName(name) ? name : 'land_epic';
}

/** The schedule with each phase's newest run, and the land run. */
export function withRuns(schedule: EpicSchedule, runs: AgentRun[]): { phases: PhaseState[]; land: AgentRun | null } {
  const state = (p: ScheduledPhase): PhaseState => {
    const r = newestMatching(runs, p.run);
    return {
      ...p,
      run_id: r?.id ?? null,
      run_status: r?.status ?? null,
      started_at: r?.started_at ?? null,
      ended_at: r?.ended_at ?? null,
      error: r?.error ?? null,
    };
  };
  return { phases: schedule.phases.map(state), land: newestMatching(runs, schedule.land.run) };
}

export type PhaseState = ScheduledPhase & {
  run_id: string | null;
  run_status: RunStatus | null;
  started_at: string | null;
  ended_at: string | null;
  error: string | null;
};
