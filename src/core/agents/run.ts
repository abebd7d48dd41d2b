// Agent runs: one record a run, agents/<2 chars>/<run-id>.json in the state
// ref, with the expanded prompt (<run-id>.prompt.md) and, once it ended, its
// log (<run-id>.log) beside it. This module owns the record: ids, names,
// paths, statuses and their transitions, parsing and the canonical text. Pure.
import { canonicalJson } from '../canonical.ts';
import { checkIdentity, FatalError, UsageError } from '../errors.ts';
import type { FileChange } from '../sdd/ops.ts';

export const AGENTS_DIR = 'agents';
export const RUN_STATUSES = ['queued', 'waiting', 'running', 'done', 'failed', 'killed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses a run never leaves. */
export const FINISHED: readonly RunStatus[] = ['done', 'failed', 'killed'];

/** A prompt larger than this is refused before anything is written. */
export const MAX_PROMPT_BYTES = 1 << 20;
/** The stored log keeps at most this much: its head and tail around a cut line. */
export const MAX_LOG_BYTES = 1 << 20;

const ID_RE = /^r-[0-9a-z]{8}$/;
const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export interface RunWorkspace {
  /** null for a `#cd:` folder */
  n: number | null;
  path: string;
  branch: string | null;
  /** the commit the run started from: its commits are those above it */
  base: string | null;
}

export type Wait = { agent: string } | { bead: string };

export interface RunUsage {
  input_tokens: number | null;
  output_tokens: number | null;
  cost: number | null;
}

/** What a mentor run reviews, and where its answer goes. */
export interface MentorTarget {
  change: string;
  profile: string;
  /** the number of the change's commit it reviews (in COMMITS) */
  commit: number;
  sha: string;
}

/**
 * A run that starts from other runs' work (a phase of an epic from its
 * blockers', a land run from every phase's): their branches merged onto
 * `base` when it is dispatched; with `cs`, recorded as that change first.
 */
export interface RunStack {
  base: string;
  from: string[];
  cs: string | null;
}

export interface AgentRun {
  v: 1;
  kind: 'agent';
  id: string;
  name: string | null;
  provider: string;
  model: string | null;
  prompt_path: string;
  /** the workspace reference asked for (#cd:.., #git:.., #cs:.., #<n>), or null for a new workspace at HEAD */
  ws_ref: string | null;
  workspace: RunWorkspace | null;
  bead: string | null;
  /** close the bead when the run succeeds */
  close_bead: boolean;
  changespec: string | null;
  mentor: MentorTarget | null;
  stack: RunStack | null;
  waits: Wait[];
  status: RunStatus;
  wait_reason: string | null;
  /** the supervising process, leader of the run's process group */
  pid: number | null;
  host: string | null;
  heartbeat_at: string | null;
  created_at: string;
  /** its place among the repository's runs (1 for the first): orders runs made within one second */
  seq: number | null;
  started_at: string | null;
  ended_at: string | null;
  /** how long the agent ran, in whole seconds (from started_at, else created_at, to ended_at) */
  seconds: number | null;
  exit_code: number | null;
  /** the signal that ended the agent, when one did */
  signal: string | null;
  /** why a run failed or was killed, in a line: the agent's own last error where it printed one */
  error: string | null;
  /** what sase did at the run's end, in a line: committed the work left uncommitted, released a bead no commit worked */
  note: string | null;
  /** the agent said its task needs no change, and why (its output's final line {"sase":"noop","reason":...}) */
  noop: string | null;
  /** seconds allowed before the agent is stopped, or null */
  timeout: number | null;
  commits: string[];
  retry_of: string | null;
  /** the run whose session this one continues */
  resume_of: string | null;
  session: string | null;
  usage: RunUsage | null;
  /** a stored log was cut to MAX_LOG_BYTES; how many bytes the agent printed */
  log_bytes: number | null;
}

/** `prompt` when it is at most MAX_PROMPT_BYTES; a usage error saying its size otherwise. */
export function checkPromptSize(prompt: string, what = 'the prompt'): string {
  const size = Buffer.byteLength(prompt);
  if (size > MAX_PROMPT_BYTES)
    throw new UsageError(`${what} is ${size} bytes; at most ${MAX_PROMPT_BYTES} are accepted`);
  return prompt;
}

export function isRunId(text: string): boolean {
  return ID_RE.test(text);
}

/** A fresh id from random bytes: `<prefix>-` and 8 characters of a lower-case base32 (runs are r-, workflow runs w-). */
export function randomRunId(prefix: string, bytes: Uint8Array): string {
  let out = `${prefix}-`;
  for (let i = 0; i < 8; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

/** A fresh agent run id: `r-` and 8 characters. */
export function runIdFrom(bytes: Uint8Array): string {
  return randomRunId('r', bytes);
}

export function checkRunName(name: string): string {
  if (!NAME_RE.test(name))
    throw new UsageError(
      `run name '${name}' is not lower-case letters, digits, '.', '_' and '-' (at most 100, starting with a letter or digit)`,
    );
  return name;
}

function shard(id: string): string {
  if (!isRunId(id)) throw new UsageError(`'${id}' is not a run id`);
  return id.slice(2, 4);
}

export function runPath(id: string): string {
  return `${AGENTS_DIR}/${shard(id)}/${id}.json`;
}

export function runPromptPath(id: string): string {
  return `${AGENTS_DIR}/${shard(id)}/${id}.prompt.md`;
}

export function runLogPath(id: string): string {
  return `${AGENTS_DIR}/${shard(id)}/${id}.log`;
}

/** The run id of a record path, or null for the files beside it. */
export function runIdFromPath(path: string): string | null {
  const m = /^agents\/[0-9a-z]{2}\/(r-[0-9a-z]{8})\.json$/.exec(path);
  return m ? m[1]! : null;
}

export function isFinished(status: RunStatus): boolean {
  return FINISHED.includes(status);
}

/** Moves a run to a new status; the transitions a run may make, and no other. */
export function transition(run: AgentRun, to: RunStatus): AgentRun {
  const allowed: Record<RunStatus, RunStatus[]> = {
    waiting: ['queued', 'failed', 'killed'],
    queued: ['running', 'failed', 'killed'],
    running: ['done', 'failed', 'killed'],
    done: [],
    failed: [],
    killed: [],
  };
  if (!allowed[run.status].includes(to)) throw new FatalError(`run '${run.id}' cannot go from ${run.status} to ${to}`);
  return { ...run, status: to };
}

export function newRun(
  fields: Partial<AgentRun> & Pick<AgentRun, 'id' | 'provider' | 'created_at' | 'status'>,
): AgentRun {
  return {
    v: 1,
    kind: 'agent',
    name: null,
    model: null,
    prompt_path: runPromptPath(fields.id),
    ws_ref: null,
    workspace: null,
    bead: null,
    close_bead: true,
    changespec: null,
    mentor: null,
    stack: null,
    waits: [],
    wait_reason: null,
    pid: null,
    host: null,
    heartbeat_at: null,
    seq: null,
    started_at: null,
    ended_at: null,
    seconds: null,
    exit_code: null,
    signal: null,
    error: null,
    note: null,
    noop: null,
    timeout: null,
    commits: [],
    retry_of: null,
    resume_of: null,
    session: null,
    usage: null,
    log_bytes: null,
    ...fields,
  };
}

export function serializeRun(run: AgentRun): string {
  return canonicalJson(run);
}

/** A stored run; fields a newer sase added are kept, missing ones take their defaults. */
export function parseRun(text: string, where: string): AgentRun {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FatalError(`${where}: not JSON`);
  }
  return runFromJson(value, where);
}

/** parseRun's checks on a record already parsed from JSON. */
export function runFromJson(value: unknown, where: string): AgentRun {
  const r = value as Partial<AgentRun>;
  if (!r || typeof r !== 'object' || r.kind !== 'agent' || typeof r.id !== 'string' || !isRunId(r.id))
    throw new FatalError(`${where}: not an agent run record`);
  if (!RUN_STATUSES.includes(r.status as RunStatus))
    throw new FatalError(`${where}: status ${JSON.stringify(r.status)} is unknown`);
  if (typeof r.provider !== 'string' || typeof r.created_at !== 'string')
    throw new FatalError(`${where}: provider and created_at are required`);
  return newRun(r as AgentRun);
}

/** The name of the k-th of n runs that one prompt fans out into (`name.1`, ...); the name itself when there is one run. */
export function fanoutName(name: string | null, k: number, n: number): string | null {
  if (name === null || n === 1) return name;
  return checkRunName(`${name}.${k}`);
}

/** A `--wait` value: an agent (run id or name), or `bead:<id>`. */
export function parseWait(text: string): Wait {
  const t = text.trim();
  if (t.startsWith('bead:')) {
    const id = t.slice(5);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) throw new UsageError(`'${text}' is not bead:<id>`);
    return { bead: id };
  }
  if (!isRunId(t) && !NAME_RE.test(t))
    throw new UsageError(`'${text}' names no agent (a run id, a run name, or bead:<id>)`);
  return { agent: t };
}

export function waitLabel(w: Wait): string {
  return 'agent' in w ? w.agent : `bead:${w.bead}`;
}

/** Whole seconds from one ISO time to another, or null when either is missing. */
export function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms / 1000)) : null;
}

/** A run as read from `path` (agents/<2>/<id>.json): refused, naming the path, when it holds another run. */
export function checkStoredRun(path: string, run: AgentRun): AgentRun {
  checkIdentity(path, run.id, /([^/]+)\.json$/.exec(path)?.[1] ?? null);
  return run;
}

/** What orders runs (compareRuns). */
export type RunOrder = Pick<AgentRun, 'id' | 'seq' | 'created_at' | 'retry_of' | 'resume_of'>;

/**
 * A run as a bead's record lists it: what it is and how it stands, with what
 * orders it among runs and tells whether its process lives. The cache's index
 * of runs by bead keeps this much of each run, so `bead show` reads no record.
 */
export type RunHead = RunOrder &
  Pick<AgentRun, 'name' | 'bead' | 'status' | 'error' | 'wait_reason' | 'started_at' | 'ended_at' | 'pid' | 'host'>;

export function runHead(run: AgentRun): RunHead {
  return {
    id: run.id,
    name: run.name,
    bead: run.bead,
    status: run.status,
    error: run.error,
    wait_reason: run.wait_reason,
    started_at: run.started_at,
    ended_at: run.ended_at,
    seq: run.seq,
    created_at: run.created_at,
    retry_of: run.retry_of,
    resume_of: run.resume_of,
    pid: run.pid,
    host: run.host,
  };
}

/**
 * The order runs were made in: by their place among the runs (seq), else by
 * creation time; within one second a retry or resume after what it
 * continues; then by id.
 */
export function compareRuns(a: RunOrder, b: RunOrder): number {
  if (a.seq !== null && b.seq !== null && a.seq !== b.seq) return a.seq - b.seq;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  if (a.retry_of === b.id || a.resume_of === b.id) return 1;
  if (b.retry_of === a.id || b.resume_of === a.id) return -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function promptFile(id: string, text: string): FileChange {
  return { path: runPromptPath(id), text };
}

export type Liveness = 'alive' | 'dead' | 'unknown';
