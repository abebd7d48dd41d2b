// The processes of an agent run. The supervisor (`sase-agent-exec <id>`) is
// started detached, in a session of its own, so it outlives the terminal that
// asked for it. It runs the provider's program from an argument array (never a
// shell), in a process group of its own so that a kill or a time limit reaches
// everything the agent started; output goes straight to the live log file.
// Liveness is asked of the kernel: a pid alone could be reused, so the
// supervisor is also recognised by its command line naming the run.
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcess } from './child-process.ts';
import { which } from './which.ts';

/**
 * Our own bin/ folder: beside dist/, where the bundles live (__filename is the
 * bundle); or, loaded from source as an ES module (tsx), beside src/.
 */
export function ownBinDir(): string {
  if (typeof __filename === 'string') return join(dirname(realpathSync(__filename)), '..', 'bin');
  return join(dirname(realpathSync(fileURLToPath(import.meta.url))), '..', '..', 'bin');
}

/** sase's version, from the package.json beside our bin/ folder. */
export function ownVersion(): string {
  return (JSON.parse(readFileSync(join(ownBinDir(), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The program a provider command names: found on PATH, or one of sase's own (`sase-example-agent`) beside this one. */
export function findProgram(name: string, env: Record<string, string | undefined>): string | null {
  const found = which(name, env);
  if (found) return found;
  if (/^sase-[a-z0-9-]+$/.test(name)) return which(join(ownBinDir(), name), env);
  return null;
}

export interface AgentExit {
  exitCode: number | null;
  signal: string | null;
  /** the program could not be started */
  error: string | null;
}

export interface AgentProcess {
  pid: number | null;
  exited: Promise<AgentExit>;
}

/**
 * Starts the agent: `argv` in `cwd`, the prompt on stdin (or stdin closed),
 * stdout and stderr appended to the file `logPath`, in a new process group.
 */
export function startAgent(opts: {
  program: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  stdin: string | null;
  logPath: string;
}): AgentProcess {
  const fd = openSync(opts.logPath, 'a');
  let child: ChildProcess;
  try {
    child = childProcess().spawn(opts.program, opts.argv.slice(1), {
      argv0: opts.argv[0],
      cwd: opts.cwd,
      env: opts.env,
      stdio: [opts.stdin === null ? 'ignore' : 'pipe', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<AgentExit>((resolve) => {
    let settled = false;
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      resolve({ exitCode: null, signal: null, error: err.message });
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      resolve({ exitCode: code, signal, error: null });
    });
  });
  if (opts.stdin !== null && child.stdin) {
    child.stdin.on('error', () => {}); // an agent that never reads its prompt
    child.stdin.end(opts.stdin);
  }
  return { pid: child.pid ?? null, exited };
}

/**
 * Starts one of sase's own commands (`sase-agent-exec <id>`, `sase-wf-exec
 * <id>`) in a session of its own, detached from this process and its
 * terminal, so that it outlives them; its stderr goes to `errorLog`.
 */
export function startDetached(opts: {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  errorLog: string;
}): number | null {
  const fd = openSync(opts.errorLog, 'a');
  try {
    const child = childProcess().spawn(join(ownBinDir(), opts.command), opts.args, {
      cwd: opts.cwd,
      env: opts.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'ignore', fd],
      detached: true,
    });
    child.on('error', () => {});
    child.unref();
    return child.pid ?? null;
  } finally {
    closeSync(fd);
  }
}

/** Sends a signal to a process group; false when there is none. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to one process; false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** A process's state letter and process group from /proc (Linux), or null where there is no procfs or no such process. */
function procStat(pid: number): { state: string; pgrp: number; start: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // field 22, the start time in clock ticks since boot: with the pid, it names one process for good
    return { state: rest[0]!, pgrp: Number(rest[2]), start: rest[19]! };
  } catch {
    return null;
  }
}

const hasProcfs = (() => {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
})();

/** Whether a process exists and is not a zombie (one we may not signal counts). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // an exited process nobody has waited for yet is gone for our purposes
  const st = hasProcfs ? procStat(pid) : null;
  return st ? st.state !== 'Z' && st.state !== 'X' : !hasProcfs;
}

/** Whether any process of a group lives (zombies do not count where /proc tells them apart). */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!hasProcfs) return true;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') return true;
  }
  return false;
}

/** A process's command line, or null when it is gone or cannot be read. */
export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    // no procfs (macOS): ask ps
  }
  const r = childProcess().spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout.trim() || null : null;
}

/** Whether `pid` is alive and still the supervisor of run `runId` (not a reused pid). */
export function supervisorAlive(pid: number, runId: string): boolean {
  if (!processExists(pid)) return false;
  const cmd = commandLine(pid);
  // a process we cannot read is taken at its word: better shown running than killed
  return cmd === null || cmd.includes(runId);
}

/**
 * When a process started, as an opaque token (the kernel's start time on
 * Linux, ps's lstart elsewhere), or null when it is gone: a pid and this
 * together tell a lock's owner from a process that reused its pid.
 */
export function processStartToken(pid: number): string | null {
  if (hasProcfs) {
    const st = procStat(pid);
    return st && st.state !== 'Z' && st.state !== 'X' ? st.start : null;
  }
  const r = childProcess().spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout.trim() || null : null;
}

/** A process's parent, or null when it is gone or cannot be told. */
export function parentPid(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const n = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  } catch {
    // no procfs (macOS): ask ps
  }
  const r = childProcess().spawnSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000 });
  const n = Number(r.stdout?.trim());
  return r.status === 0 && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * The process that ran this command: its parent, or, when that is sase's own
 * dispatcher (`sase axe ...` runs `sase-axe-...` as a child), the
 * dispatcher's parent: the shell or script a person means.
 */
export function invokerPid(): number {
  const parent = process.ppid;
  const cmd = commandLine(parent) ?? '';
  if (/(^|\/)sase(\.cjs)?(\s|$)/.test(cmd.split(' ').slice(0, 2).join(' ')) || /\/bin\/sase(\s|$)/.test(cmd))
    return parentPid(parent) ?? parent;
  return parent;
}

/**
 * Ends this process `ms` from now unless it has ended by then (an unref'd
 * timer): for a long-running command asked to stop whose work hangs.
 */
export function exitAfter(ms: number): void {
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), ms).unref();
}
