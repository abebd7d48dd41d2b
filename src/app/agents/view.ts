// Runs as a reader should see them: the record with this machine's facts.
import type { AgentRun, RunHead } from '../../core/agents/run.ts';
import { readRun } from '../../store/runs.ts';
import type { Snapshot } from '../../store/snapshot.ts';
import type { Store } from '../../store/store.ts';
import { type AgentRecord, type RunBrief, runBriefToWire, runToWire } from '../../wire/agent.ts';
import { heartbeatAt, liveness } from './runtime.ts';

export function wireRun(store: Store, run: AgentRun, nowMs: number): AgentRecord {
  return runToWire(run, {
    liveness: liveness(store.repo, run, nowMs),
    heartbeat_at: run.status === 'running' ? heartbeatAt(store.repo, run.id) : null,
  });
}

/**
 * Wire records for runs read from one snapshot. A run found dead is read
 * again first: its supervisor may have recorded its end and exited between
 * the read and the look at its process.
 */
export async function wireRuns(store: Store, runs: AgentRun[], nowMs: number): Promise<AgentRecord[]> {
  let fresh: Snapshot | null = null;
  const out: AgentRecord[] = [];
  for (const r of runs) {
    let rec = wireRun(store, r, nowMs);
    if (rec.dead) {
      fresh ??= await store.snapshot();
      const again = await readRun(fresh, r.id);
      if (again) rec = wireRun(store, again, nowMs);
    }
    out.push(rec);
  }
  return out;
}

/** A run in brief, as a bead's record lists it: what it is, how it stands, why it failed or waits. */
export function runBrief(store: Store, run: RunHead, nowMs: number): RunBrief {
  return runBriefToWire(run, liveness(store.repo, run, nowMs));
}
