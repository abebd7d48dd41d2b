// The JSON form of an agent run (version 1): the stored record, with what
// this machine can tell of it now: whether its process lives, its latest
// heartbeat, and the status a reader should believe. A run recorded as
// running whose process is gone is shown failed (dead) until it is reaped.
// Also a run in brief (as a bead lists it) and what dispatch did with one.

import type { DispatchAction, Dispatched } from '../core/agents/dispatch.ts';
import type {
  AgentRun,
  Liveness,
  MentorTarget,
  RunHead,
  RunStatus,
  RunUsage,
  RunWorkspace,
  Wait,
} from '../core/agents/run.ts';

export interface RunFacts {
  liveness: Liveness;
  heartbeat_at: string | null;
}

export interface AgentRecord {
  v: 1;
  kind: 'agent';
  id: string;
  name: string | null;
  provider: string;
  model: string | null;
  /** as a reader should believe it: failed when the run is dead */
  status: RunStatus;
  recorded_status: RunStatus;
  dead: boolean;
  /** null when this machine cannot tell (another host, not running) */
  alive: boolean | null;
  prompt_path: string;
  ws_ref: string | null;
  workspace: RunWorkspace | null;
  bead: string | null;
  close_bead: boolean;
  changespec: string | null;
  mentor: MentorTarget | null;
  waits: Wait[];
  wait_reason: string | null;
  pid: number | null;
  host: string | null;
  heartbeat_at: string | null;
  created_at: string;
  seq: number | null;
  started_at: string | null;
  ended_at: string | null;
  seconds: number | null;
  exit_code: number | null;
  signal: string | null;
  error: string | null;
  note: string | null;
  noop: string | null;
  timeout: number | null;
  commits: string[];
  retry_of: string | null;
  resume_of: string | null;
  session: string | null;
  usage: RunUsage | null;
  log_bytes: number | null;
}

/** Why a run recorded as running is shown failed. */
const DEAD_ERROR = `dead: its process is gone without a recorded exit (not reaped yet: 'sase agent reap')`;

export function runToWire(run: AgentRun, facts: RunFacts = { liveness: 'unknown', heartbeat_at: null }): AgentRecord {
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
    error: dead ? DEAD_ERROR : run.error,
    note: run.note,
    noop: run.noop,
    timeout: run.timeout,
    commits: run.commits,
    retry_of: run.retry_of,
    resume_of: run.resume_of,
    session: run.session,
    usage: run.usage,
    log_bytes: run.log_bytes,
  };
}

/** `sase agent show`'s record: why a waiting run waits as judged now, and its prompt when asked for. */
export interface AgentShowRecord extends AgentRecord {
  prompt?: string;
}

export function agentShowToWire(
  rec: AgentRecord,
  facts: { wait_reason?: string | null; prompt: string | null },
): AgentShowRecord {
  const shown: AgentShowRecord = {
    ...rec,
    wait_reason: facts.wait_reason === undefined ? rec.wait_reason : facts.wait_reason,
  };
  if (facts.prompt !== null) shown.prompt = facts.prompt;
  return shown;
}

/** A run in brief, as a bead's record lists it: what it is, how it stands, why it failed or waits. */
export interface RunBrief {
  id: string;
  name: string | null;
  bead: string | null;
  status: RunStatus;
  error: string | null;
  wait_reason: string | null;
  started_at: string | null;
  ended_at: string | null;
}

/** A run in brief, as a reader should believe it (see runToWire): from its head alone, as the index of runs by bead keeps it. */
export function runBriefToWire(run: RunHead, liveness: Liveness): RunBrief {
  const dead = liveness === 'dead';
  const status = dead ? 'failed' : run.status;
  return {
    id: run.id,
    name: run.name,
    bead: run.bead,
    status,
    error: dead ? DEAD_ERROR : run.error,
    wait_reason: status === 'waiting' ? run.wait_reason : null,
    started_at: run.started_at,
    ended_at: run.ended_at,
  };
}

/** What `sase agent dispatch` did with a waiting run (version 1). */
export interface DispatchRecord {
  v: 1;
  kind: 'dispatch';
  id: string;
  name: string | null;
  action: DispatchAction;
  /** why it did not start (null when it did) */
  reason: string | null;
  dry_run: boolean;
  /** the run after the pass (as it would be, in a dry run) */
  run: AgentRecord;
}

export function dispatchToWire(d: Dispatched, run: AgentRecord, dryRun: boolean): DispatchRecord {
  return {
    v: 1,
    kind: 'dispatch',
    id: d.run.id,
    name: d.run.name,
    action: d.action,
    reason: d.reason,
    dry_run: dryRun,
    run,
  };
}
