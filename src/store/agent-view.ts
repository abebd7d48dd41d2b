// Runs as a reader should see them: the record with this machine's facts.
import type { AgentRun } from '../core/agents/run.ts';
import { runToWire } from '../wire/agent.ts';
import { heartbeatAt, liveness } from './agent-runtime.ts';
import type { Store } from './store.ts';

export function wireRun(store: Store, run: AgentRun, nowMs: number): Record<string, unknown> {
  return runToWire(run, { liveness: liveness(store.repo, run, nowMs), heartbeat_at: run.status === 'running' ? heartbeatAt(store.repo, run.id) : null });
}
