// Acting on runs from outside: following their output, killing them, reaping
// the dead. A kill asks the supervisor (SIGTERM; it stops the agent's group
// and records the end), and does both itself when the supervisor does not
// answer. A reap finishes, as failed (dead), every run on this host recorded
// as running whose processes are all gone; a live run is never touched.
import { setTimeout as sleep } from 'node:timers/promises';
import { type AgentRun, isFinished, runLogPath } from '../../core/agents/run.ts';
import { nowIso } from '../../core/clock.ts';
import { RefusedError } from '../../core/errors.ts';
import { signalGroup, signalProcess, supervisorAlive } from '../../proc/agent-process.ts';
import { listRuns, readRun } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { type Finished, finishRun } from './finish.ts';
import {
  agentPid,
  dropRuntime,
  liveLogPath,
  liveness,
  quietRuntimeIds,
  readFrom,
  requestKill,
  thisHost,
} from './runtime.ts';

const KILL_WAIT_MS = 8_000;
const POLL_MS = 100;
/** How long a follower waits for a supervisor to exit once its run is recorded ended. */
const SETTLE_MS = 10_000;

/** Kills a run that has not finished; refused for a finished one or one running on another host. */
export async function killRun(store: Store, run: AgentRun): Promise<Finished> {
  const { clock } = store;
  if (isFinished(run.status)) throw new RefusedError(`run '${run.id}' is ${run.status} already`);
  const killed = { status: 'killed' as const, exit_code: null, signal: null, error: 'killed' };
  if (run.status === 'waiting' || (run.status === 'queued' && run.pid === null && !agentPid(store.repo, run.id))) {
    requestKill(store.repo, run.id); // a supervisor starting meanwhile stops at once
    return finishRun(store, run.id, killed, nowIso(clock));
  }
  if (run.host && run.host !== thisHost()) throw new RefusedError(`run '${run.id}' runs on '${run.host}', not here`);
  requestKill(store.repo, run.id);
  if (run.pid !== null) signalProcess(run.pid, 'SIGTERM');
  const deadline = clock.ms() + KILL_WAIT_MS;
  while (clock.ms() < deadline) {
    await sleep(POLL_MS);
    const now = await readRun(await store.snapshot(), run.id);
    if (now && isFinished(now.status)) return { run: now, recorded: false, warnings: [] };
    if (now && liveness(store.repo, now, clock.now().getTime()) === 'dead') break;
  }
  // the supervisor did not answer: stop everything and record it here
  const agent = agentPid(store.repo, run.id);
  if (agent !== null) signalGroup(agent, 'SIGKILL');
  if (run.pid !== null) signalProcess(run.pid, 'SIGKILL');
  return finishRun(store, run.id, killed, nowIso(clock));
}

/** Finishes every dead run of this host as failed; returns them. */
export async function reapRuns(store: Store, dryRun = false): Promise<Finished[]> {
  const { clock } = store;
  const runs = (await listRuns(await store.snapshot())).filter((r) => r.status === 'running' || r.status === 'queued');
  const out: Finished[] = [];
  for (const r of runs) {
    if (liveness(store.repo, r, clock.now().getTime()) !== 'dead') continue;
    const error = `dead: its process${r.pid !== null ? ` (pid ${r.pid})` : ''} is gone without a recorded exit`;
    if (dryRun) {
      out.push({ run: { ...r, status: 'failed', error }, recorded: false, warnings: [] });
      continue;
    }
    out.push(await finishRun(store, r.id, { status: 'failed', exit_code: null, signal: null, error }, nowIso(clock)));
  }
  // live logs of runs that ended a while ago are in the ref now: drop this machine's copies
  if (!dryRun) {
    const snap = await store.snapshot();
    for (const id of quietRuntimeIds(store.repo, RUNTIME_KEEP_MS, store.clock.wallMs())) {
      const r = await readRun(snap, id);
      if (!r || isFinished(r.status)) dropRuntime(store.repo, id);
    }
  }
  return out;
}

/** How long a finished run's live files stay, for a follower still reading them. */
const RUNTIME_KEEP_MS = 10 * 60_000;

export interface FollowOptions {
  /** a piece of a run's output */
  write(run: AgentRun, chunk: Buffer): void;
  /** stop following (the caller was interrupted) */
  stopped?: () => boolean;
}

/**
 * Streams the live logs of runs until each has finished (or is found dead),
 * then returns their records as they ended. A run with no live log here (it
 * ran elsewhere) gets its stored log once it has ended.
 */
export async function followRuns(store: Store, ids: string[], opts: FollowOptions): Promise<AgentRun[]> {
  const offsets = new Map(ids.map((id) => [id, 0]));
  const ended = new Map<string, AgentRun>();
  const settling = new Map<string, number>();
  const drain = (run: AgentRun) => {
    for (;;) {
      const off = offsets.get(run.id)!;
      const chunk = readFrom(liveLogPath(store.repo, run.id), off);
      if (!chunk.length) return;
      offsets.set(run.id, off + chunk.length);
      opts.write(run, chunk);
    }
  };
  while (ended.size < ids.length && !opts.stopped?.()) {
    const snap = await store.snapshot();
    for (const id of ids) {
      if (ended.has(id)) continue;
      const run = await readRun(snap, id);
      if (!run) continue;
      drain(run);
      if (isFinished(run.status)) {
        // the supervisor still has a mentor's answer and the workspace to record: wait for it (a little)
        if (run.pid !== null && run.host === thisHost() && supervisorAlive(run.pid, run.id)) {
          const since = settling.get(id) ?? store.clock.ms();
          settling.set(id, since);
          if (store.clock.ms() - since < SETTLE_MS) continue;
        }
        if (offsets.get(id) === 0 && run.log_bytes) {
          const text = await snap.readText(runLogPath(run.id));
          if (text) opts.write(run, Buffer.from(text));
        }
        ended.set(id, run);
      } else if (run.status === 'waiting') {
        ended.set(id, run);
      } else if (liveness(store.repo, run, store.clock.now().getTime()) === 'dead') {
        // it may have ended between the read and the look at its process: only a record still running is dead
        const again = await readRun(await store.snapshot(), id);
        if (again && !isFinished(again.status))
          ended.set(id, { ...again, status: 'failed', error: 'dead: its process is gone without a recorded exit' });
      }
    }
    if (ended.size < ids.length) await sleep(POLL_MS);
  }
  return ids.map((id) => ended.get(id)).filter((r): r is AgentRun => !!r);
}
