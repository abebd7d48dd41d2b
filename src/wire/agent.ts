// The JSON form of an agent run (version 1): the stored record, with what
// this machine can tell of it now: whether its process lives, its latest
// heartbeat, and the status a reader should believe. A run recorded as
// running whose process is gone is shown failed (dead) until it is reaped.
import type { AgentRun } from '../core/agents/run.ts';
import { type Liveness } from '../core/agents/run.ts';

export interface RunFacts {
  liveness: Liveness;
  heartbeat_at: string | null;
}

export function runToWire(
  run: AgentRun,
  facts: RunFacts = { liveness: 'unknown', heartbeat_at: null },
): Record<string, unknown> {
  const dead = facts.liveness === 'dead';
  return {
    v: 1,
    kind: 'agent',
    id: run.id,
    name: run.name,
    provider: run.provider,
    model: run.model,
    status: dead ? 'failed' : run.status,
    recorded_status: run.status,
    dead,
    alive: facts.liveness === 'alive' ? true : dead ? false : null,
    prompt_path: run.prompt_path,
    ws_ref: run.ws_ref,
    workspace: run.workspace,
    bead: run.bead,
    close_bead: run.close_bead,
    changespec: run.changespec,
    mentor: run.mentor,
    waits: run.waits,
    wait_reason: run.wait_reason,
    pid: run.pid,
    host: run.host,
    heartbeat_at: facts.heartbeat_at ?? run.heartbeat_at,
    created_at: run.created_at,
    seq: run.seq,
    started_at: run.started_at,
    ended_at: run.ended_at,
    seconds: run.seconds,
    exit_code: run.exit_code,
    signal: run.signal,
    error: dead ? `dead: its process is gone without a recorded exit (not reaped yet: 'sase agent reap')` : run.error,
    timeout: run.timeout,
    commits: run.commits,
    retry_of: run.retry_of,
    resume_of: run.resume_of,
    session: run.session,
    usage: run.usage,
    log_bytes: run.log_bytes,
  };
}
