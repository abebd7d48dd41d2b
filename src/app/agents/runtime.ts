// What a run keeps on this machine while it lives, under
// $GIT_COMMON_DIR/sase/agents/: the live log (<id>.log), the heartbeat (the
// mtime of <id>.beat, touched by the supervisor), the agent's process group
// (<id>.pid) and a kill request (<id>.kill). Never shared; the record in the
// ref is the truth, these only say what is happening here and now.
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AgentRun, Liveness } from '../../core/agents/run.ts';
import type { Repo } from '../../git/repo.ts';
import { localDir } from '../../git/repo.ts';
import { groupExists, supervisorAlive } from '../../proc/agent-process.ts';

export function runtimeDir(repo: Repo): string {
  return localDir(repo, 'agents');
}

export function liveLogPath(repo: Repo, id: string): string {
  return join(runtimeDir(repo), `${id}.log`);
}

/** Where a supervisor that cannot start writes why. */
export function supervisorErrorPath(repo: Repo, id: string): string {
  return join(runtimeDir(repo), `${id}.err`);
}

export function thisHost(): string {
  return hostname();
}

export function touchHeartbeat(repo: Repo, id: string): void {
  const p = join(runtimeDir(repo), `${id}.beat`);
  // the file is empty: writing it again is what moves its mtime to now
  writeFileSync(p, '');
}

export function heartbeatAt(repo: Repo, id: string): string | null {
  try {
    return statSync(join(runtimeDir(repo), `${id}.beat`))
      .mtime.toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  } catch {
    return null;
  }
}

export function writeAgentPid(repo: Repo, id: string, pid: number): void {
  writeFileSync(join(runtimeDir(repo), `${id}.pid`), `${pid}\n`);
}

export function agentPid(repo: Repo, id: string): number | null {
  try {
    const n = Number(readFileSync(join(runtimeDir(repo), `${id}.pid`), 'utf8').trim());
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

export function requestKill(repo: Repo, id: string): void {
  writeFileSync(join(runtimeDir(repo), `${id}.kill`), `${process.pid}\n`);
}

export function killRequested(repo: Repo, id: string): boolean {
  return existsSync(join(runtimeDir(repo), `${id}.kill`));
}

/** Removes what a finished run kept here, its live log included (the ref has it now). */
export function dropRuntime(repo: Repo, id: string, keepLog = false): void {
  for (const ext of ['beat', 'pid', 'kill', 'err', ...(keepLog ? [] : ['log'])])
    rmSync(join(runtimeDir(repo), `${id}.${ext}`), { force: true });
}

/** Bytes of a file from `offset` on (at most `max`); empty when there is none. */
export function readFrom(path: string, offset: number, max = 1 << 20): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, offset);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** What of a run tells whether it lives. */
type LivenessFacts = Pick<AgentRun, 'id' | 'status' | 'host' | 'pid' | 'created_at'>;

/**
 * Whether a running (or queued) run's processes are there: on this host, its
 * supervisor (recognised by its command line) or its agent's process group;
 * on another host it cannot be told. A queued run without a supervisor yet is
 * alive for a grace period after it was made.
 */
export function liveness(repo: Repo, run: LivenessFacts, nowMs: number): Liveness {
  if (run.status !== 'running' && run.status !== 'queued') return 'unknown';
  if (run.host && run.host !== thisHost()) return 'unknown';
  if (run.pid !== null && supervisorAlive(run.pid, run.id)) return 'alive';
  // a run another clone on this machine started keeps its files in that clone, not here: its end reaches us by sync
  if (!hasRuntimeFiles(repo, run.id)) return 'unknown';
  const agent = agentPid(repo, run.id);
  if (agent !== null && groupExists(agent)) return 'alive';
  if (run.status === 'queued' && run.pid === null && nowMs - queuedSince(repo, run) < QUEUED_GRACE_MS) return 'alive';
  return 'dead';
}

/**
 * When a queued run's supervisor was started here: its error log is made
 * then. A run made waiting long ago (an epic's last phase, its land run) is
 * queued only when dispatched, so its creation says nothing of that.
 */
function queuedSince(repo: Repo, run: LivenessFacts): number {
  const made = Date.parse(run.created_at);
  try {
    return Math.max(made, statSync(supervisorErrorPath(repo, run.id)).mtimeMs);
  } catch {
    return made;
  }
}

/** Whether this clone keeps any file of the run (its dispatch made the supervisor's error log at once). */
function hasRuntimeFiles(repo: Repo, id: string): boolean {
  const dir = runtimeDir(repo);
  return ['err', 'pid', 'beat', 'log'].some((ext) => existsSync(join(dir, `${id}.${ext}`)));
}

/** How long a queued run may wait for its supervisor to start before it counts as dead. */
export const QUEUED_GRACE_MS = 60_000;

/** Ids of runs with files here none of which changed in the last `ageMs`. */
export function quietRuntimeIds(repo: Repo, ageMs: number, wallMs: number): string[] {
  const dir = runtimeDir(repo);
  const newest = new Map<string, number>();
  for (const f of readdirSync(dir)) {
    const m = /^(r-[0-9a-z]{8})\.[a-z]+$/.exec(f);
    if (!m) continue;
    try {
      const t = statSync(join(dir, f)).mtimeMs;
      newest.set(m[1]!, Math.max(newest.get(m[1]!) ?? 0, t));
    } catch {
      // removed meanwhile
    }
  }
  const cutoff = wallMs - ageMs;
  return [...newest].filter(([, t]) => t < cutoff).map(([id]) => id);
}
