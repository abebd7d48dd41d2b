// `sase bead work` in the foreground: what a target names (a bead, or an
// epic plan handed in and approved), the schedule's records as the runs
// stand, and the dispatch loop that carries an epic to its land run. What to
// show is the caller's: each pass hands over the records, and the end says
// why it stopped.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatched } from '../../core/agents/dispatch.ts';
import { type AgentRun, isFinished } from '../../core/agents/run.ts';
import type { Bead } from '../../core/beads/model.ts';
import { type PhaseState, previewSchedule, withRuns } from '../../core/beads/work.ts';
import { nowIso } from '../../core/clock.ts';
import { NotFoundError, RefusedError, UsageError } from '../../core/errors.ts';
import { type Diagnostic, hasErrors } from '../../core/sdd/diagnostics.ts';
import { type Plan, parsePlan } from '../../core/sdd/plan.ts';
import { preparePlan } from '../../core/sdd/store-plan.ts';
import { validateStore } from '../../core/sdd/validate.ts';
import { readBeads, resolveIds } from '../../store/beads.ts';
import { listRuns } from '../../store/runs.ts';
import { findPlan, putPlan, sddReader } from '../../store/sdd.ts';
import { approvePlan } from '../../store/sdd-approve.ts';
import type { Store } from '../../store/store.ts';
import { landToWire, phaseToWire, previewToWire, type WorkRecord } from '../../wire/work.ts';
import { reapRuns } from '../agents/control.ts';
import { dispatchRuns } from '../agents/dispatch.ts';
import type { LaunchEnv } from '../agents/launch.ts';
import { beadPrefix } from '../config/config.ts';
import { type EpicPlan, workConfig } from './work.ts';

/** A plan that does not validate, with its findings: nothing was worked. */
export class PlanRefusedError extends RefusedError {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(message);
  }
}

/**
 * The bead a target names: a bead id; else an epic plan (its slug or store
 * path, or a plan file outside the store, which is handed in first), approved
 * when it is not yet. A dry run changes nothing: a plan not yet approved (or
 * a plan file) comes back as `preview`, validated, for the schedule it would
 * get. `approved` names the plan when this call approved it.
 */
export async function resolveWorkTarget(
  store: Store,
  target: string,
  opts: { cwd: string; dryRun: boolean },
): Promise<{ bead: Bead | null; approved: string | null; preview?: { path: string; plan: Plan } }> {
  const snap = await store.snapshot();
  let path: string | null = null;
  const file = resolve(opts.cwd, target);
  if (target.endsWith('.md') && existsSync(file) && !target.startsWith('sdd/')) {
    const text = readFileSync(file, 'utf8');
    if (opts.dryRun) {
      // checked as sase sdd put would check it, and stored nowhere
      const prepared = await preparePlan(sddReader(store, snap), text, target, nowIso(store.clock));
      if (hasErrors(prepared.diagnostics) || !prepared.plan)
        throw new PlanRefusedError(`plan file '${target}' does not validate; nothing worked`, prepared.diagnostics);
      return dryTarget(store, prepared.path, prepared.plan);
    }
    const put = await putPlan(store, text, target, { strict: false, at: nowIso(store.clock) });
    if (hasErrors(put.prepared.diagnostics))
      throw new PlanRefusedError(`plan file '${target}' does not validate; nothing worked`, put.prepared.diagnostics);
    path = put.prepared.path;
  } else {
    try {
      const [id] = await resolveIds(snap, [target]);
      return { bead: (await readBeads(snap, [id!]))[0] ?? null, approved: null };
    } catch (err) {
      if (!(err instanceof NotFoundError) && !(err instanceof UsageError)) throw err;
      try {
        path = (await findPlan(snap, target)).path;
      } catch {
        throw new NotFoundError(`no bead or plan '${target}'`);
      }
    }
  }
  if (opts.dryRun) {
    const text = (await snap.readText(path))!;
    const plan = parsePlan(text, path).plan;
    if (!plan)
      throw new PlanRefusedError(`plan '${path}' does not validate; nothing worked`, parsePlan(text, path).diagnostics);
    if (!plan.bead) {
      const diagnostics = await validateStore(sddReader(store, snap), [{ path, text }], new Set([path]));
      if (hasErrors(diagnostics))
        throw new PlanRefusedError(`plan '${path}' does not validate; nothing worked`, diagnostics);
    }
    return dryTarget(store, path, plan);
  }
  const r = await approvePlan(store, path, {
    at: nowIso(store.clock),
    random: store.random,
    prefix: await beadPrefix(store),
  });
  if (hasErrors(r.diagnostics))
    throw new PlanRefusedError(`plan '${path}' does not validate; nothing worked`, r.diagnostics);
  if (r.plan?.tier !== 'epic') throw new RefusedError(`plan '${path}' is a ${r.plan?.tier ?? '?'}, not an epic`);
  return { bead: r.beads[0] ?? null, approved: r.commit ? path : null };
}

/** A dry run's target: the plan's bead when it was approved before, else the plan itself to preview. */
async function dryTarget(
  store: Store,
  path: string,
  plan: Plan,
): Promise<{ bead: Bead | null; approved: null; preview?: { path: string; plan: Plan } }> {
  if (plan.tier !== 'epic') throw new RefusedError(`plan '${path}' is a ${plan.tier}, not an epic`);
  const stored = plan.bead ? (await readBeads(await store.snapshot(), [plan.bead]))[0] : null;
  if (stored) return { bead: stored, approved: null };
  return { bead: null, approved: null, preview: { path, plan } };
}

/** The records of a preview: the schedule a plan not yet approved would get, by its phases' ids in the plan. */
export async function previewRecords(store: Store, path: string, plan: Plan): Promise<WorkRecord[]> {
  const { models } = await workConfig(store);
  const schedule = previewSchedule(plan, nowIso(store.clock), (size) => (size ? (models[size] ?? null) : null));
  return previewToWire(path, withRuns(schedule, []).phases, schedule.land.model);
}

/** The schedule's records (a phase each, then the land run) with the beads and runs as they are now. */
export async function workRecords(store: Store, ep: EpicPlan, runs: AgentRun[]): Promise<WorkRecord[]> {
  const beads = await readBeads(
    await store.snapshot(),
    ep.schedule.phases.map((p) => p.id),
  );
  const now = new Map(beads.map((b) => [b.id, b.status]));
  const { phases: was, land } = withRuns(ep.schedule, runs);
  const phases = was.map((p) => ({ ...p, status: now.get(p.id) ?? p.status }));
  const waves = Math.max(0, ...phases.map((p) => p.wave));
  return [
    ...phases.map((p) => phaseToWire(ep.epic.id, p)),
    landToWire(ep.epic.id, ep.schedule.land.run, ep.schedule.land.model, land, waves + 1),
  ];
}

/** How a drive ended: the land run (null when none started), and when it did not end done, why. */
export interface DriveEnd {
  land: AgentRun | null;
  /** phases whose run failed or was killed: their dependants wait */
  failed: PhaseState[];
  /** the epic's runs dispatch held back (a budget, an error, the runner limit) */
  held: Dispatched[];
}

export interface DriveOptions {
  /** at most this many runs at once (the repository's runner limit otherwise) */
  jobs?: number;
  env: () => LaunchEnv;
  /** every pass, the records as they stand */
  onPass?(records: WorkRecord[]): void;
}

const POLL_MS = 300;
/** A dead run would hold the epic forever; looking for one every few seconds is enough. */
const REAP_EVERY_MS = 5_000;

/**
 * Dispatches until the epic's land run ends, or until nothing can move: no
 * run of the epic going and none started (a failed phase, a budget).
 */
export async function driveEpic(store: Store, ep: EpicPlan, opts: DriveOptions): Promise<DriveEnd> {
  const names = new Set([...ep.schedule.phases.map((p) => p.run), ep.schedule.land.run]);
  const ours = (d: Dispatched) => names.has(d.run.name ?? '');
  let lastReap = Number.NEGATIVE_INFINITY;
  for (;;) {
    if (store.clock.ms() - lastReap >= REAP_EVERY_MS) {
      await reapRuns(store);
      lastReap = store.clock.ms();
    }
    // a run that ends during the pass, after the dispatcher read it as going, still counts as moving: the next pass starts what it releases
    const before = await listRuns(await store.snapshot());
    const pass = await dispatchRuns(store, opts.env(), { max: opts.jobs });
    const runs = await listRuns(await store.snapshot());
    opts.onPass?.(await workRecords(store, ep, runs));
    const { land, phases } = withRuns(ep.schedule, runs);
    if (land && isFinished(land.status)) return { land, failed: [], held: [] };
    const mine = [...before, ...runs].filter((r) => r.name !== null && names.has(r.name));
    const moving =
      mine.some((r) => r.status === 'running' || r.status === 'queued') ||
      pass.some((d) => d.action === 'started' && ours(d));
    if (!moving) {
      const failed = phases.filter((p) => p.run_status === 'failed' || p.run_status === 'killed');
      const waitingOnOthers = pass.some((d) => ours(d) && d.action === 'limit');
      // other work holds the runners: ours start when it ends
      if (!(waitingOnOthers && !failed.length)) {
        const held = pass.filter(
          (d) => ours(d) && (d.action === 'budget' || d.action === 'error' || d.action === 'limit'),
        );
        return { land, failed, held };
      }
    }
    await sleep(POLL_MS);
  }
}
