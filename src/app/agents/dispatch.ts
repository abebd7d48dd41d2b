// Dispatching waiting runs (sase-agent-dispatch, and Axe's tick): each
// waiting run's waits are judged on the current state (an agent wait by the
// newest run of that name or id, a bead wait by the bead's status), and every
// ready run is started, oldest first, while the runner limit allows. A run
// that cannot start yet has its reason brought up to date in its record, all
// of them in one operation; a dry run judges and writes nothing.

import { hasBudget, overBudget, parseBudget } from '../../core/agents/budget.ts';
import type { Dispatched } from '../../core/agents/dispatch.ts';
import { checkMax, DEFAULT_MAX_RUNNERS, limitReason, READY_REASON } from '../../core/agents/dispatch.ts';
import type { AgentRun } from '../../core/agents/run.ts';
import type { WaitVerdict } from '../../core/agents/waits.ts';
import { judge } from '../../core/agents/waits.ts';
import { isValidId } from '../../core/beads/model.ts';
import { CONFIG_PATH } from '../../core/config.ts';
import { ConflictError, FatalError, UsageError } from '../../core/errors.ts';
import { readBeads } from '../../store/beads.ts';
import { commitRuns, listRuns, readRun } from '../../store/runs.ts';
import type { Snapshot } from '../../store/snapshot.ts';
import type { Store } from '../../store/store.ts';
import { loadConfig } from '../config/config.ts';
import { type LaunchEnv, startWaiting } from './launch.ts';
import { liveness } from './runtime.ts';

export interface DispatchOptions {
  /** how many runs may be running or queued at once; default [axe] max_agent_runners, else 3 */
  max?: number;
  dryRun?: boolean;
}

/** The runner limit: the option, else [axe] max_agent_runners, else 3. */
async function runnerLimit(store: Store, max: number | undefined): Promise<number> {
  if (max !== undefined) return checkMax(max, '--max', UsageError);
  const axe = (await loadConfig(store.repo)).axe as Record<string, unknown> | undefined;
  const v = axe?.max_agent_runners;
  return v === undefined ? DEFAULT_MAX_RUNNERS : checkMax(v, "config: 'axe.max_agent_runners'", FatalError);
}

/** The statuses of the beads some runs wait on, read at once; null for a bead that is not there. */
async function beadStatuses(snap: Snapshot, runs: AgentRun[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const r of runs) for (const w of r.waits) if ('bead' in w && isValidId(w.bead)) ids.add(w.bead);
  const beads = await readBeads(snap, [...ids]);
  return new Map(beads.map((b) => [b.id, b.status]));
}

/** Whether a waiting run may start now, and if not why, judged on a snapshot; writes nothing. */
export async function waitVerdict(snap: Snapshot, run: AgentRun, runs?: AgentRun[]): Promise<WaitVerdict> {
  const all = runs ?? (await listRuns(snap));
  return judge(run, all, await beadStatuses(snap, [run]));
}

/** Why a waiting run does not start now (its waits, then the budget), or the ready reason; judged on a snapshot, nothing written. */
export async function waitingReason(store: Store, snap: Snapshot, run: AgentRun): Promise<string> {
  const runs = await listRuns(snap);
  const v = await waitVerdict(snap, run, runs);
  if (!v.ready) return v.reason!;
  const budget = parseBudget((await loadConfig(store.repo)).budget, CONFIG_PATH);
  return (hasBudget(budget) ? overBudget(budget, run, runs, store.clock.now().getTime()) : null) ?? READY_REASON;
}

/** Starts every waiting run that is ready, up to the runner limit; returns what happened to each waiting run, oldest first. */
export async function dispatchRuns(store: Store, env: LaunchEnv, opts: DispatchOptions = {}): Promise<Dispatched[]> {
  const max = await runnerLimit(store, opts.max);
  const budget = parseBudget((await loadConfig(store.repo)).budget, CONFIG_PATH);
  const snap = await store.snapshot();
  const runs = await listRuns(snap);
  const waiting = runs.filter((r) => r.status === 'waiting');
  if (!waiting.length) return [];
  const beads = await beadStatuses(snap, waiting);
  const nowMs = Date.parse(env.at);
  // a run whose process is gone (not reaped yet) holds no runner
  let active = runs.filter(
    (r) => (r.status === 'running' || r.status === 'queued') && liveness(store.repo, r, nowMs) !== 'dead',
  ).length;

  const out: Dispatched[] = [];
  const started = new Map<string, AgentRun>();
  for (const run of waiting) {
    const v = judge(run, runs, beads);
    if (!v.ready) {
      out.push({ action: v.stuck ? 'blocked' : 'waiting', reason: v.reason, run });
      continue;
    }
    const over = hasBudget(budget) ? overBudget(budget, run, runs, nowMs) : null;
    if (over) {
      out.push({ action: 'budget', reason: over, run });
      continue;
    }
    if (active >= max) {
      out.push({ action: 'limit', reason: limitReason(active, max), run });
      continue;
    }
    if (opts.dryRun) {
      active++;
      const next: AgentRun = { ...run, status: 'queued', wait_reason: null };
      started.set(run.id, next);
      out.push({ action: 'started', reason: null, run: next });
      continue;
    }
    try {
      const { started: next, now } = await startWaiting(store, run, env);
      if (next) {
        active++;
        started.set(run.id, next);
        out.push({ action: 'started', reason: null, run: next });
      } else {
        out.push({
          action: 'skipped',
          reason: now ? `no longer waiting (${now.status})` : 'no longer there',
          run: now ?? run,
        });
      }
    } catch (err) {
      const reason = `cannot start: ${(err as Error).message.split('\n')[0]}`;
      // a claim the remote gave to another machine: that machine starts it
      out.push({ action: 'error', reason, run, ...(err instanceof ConflictError ? { lost: true } : {}) });
    }
  }

  // what a run waits for is told as it is after this pass: a dependency started by it is queued now
  if (started.size) {
    const after = runs.map((r) => started.get(r.id) ?? r);
    for (const d of out)
      if (d.action === 'waiting' || d.action === 'blocked') d.reason = judge(d.run, after, beads).reason;
  }
  const stale = out.filter((d) => d.action !== 'started' && d.action !== 'skipped' && d.reason !== d.run.wait_reason);
  if (stale.length && !opts.dryRun) {
    const updated = await recordReasons(
      store,
      env.at,
      stale.map((d) => ({ id: d.run.id, reason: d.reason! })),
    );
    for (const d of out) d.run = updated.get(d.run.id) ?? d.run;
  }
  for (const d of stale) if (opts.dryRun) d.run = { ...d.run, wait_reason: d.reason };
  return out;
}

/** Brings the reasons of runs still waiting up to date, in one operation; returns the records written. */
async function recordReasons(
  store: Store,
  at: string,
  reasons: Array<{ id: string; reason: string }>,
): Promise<Map<string, AgentRun>> {
  const { result } = await commitRuns(store, at, async ({ snap }) => {
    const next: AgentRun[] = [];
    for (const { id, reason } of reasons) {
      const now = await readRun(snap, id);
      if (now && now.status === 'waiting' && now.wait_reason !== reason) next.push({ ...now, wait_reason: reason });
    }
    return {
      op: next.length ? { op: 'agent.wait', ids: next.map((r) => r.id) } : null,
      runs: next,
      result: new Map(next.map((r) => [r.id, r])),
    };
  });
  return result;
}
