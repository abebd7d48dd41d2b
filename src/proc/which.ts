// Finding a program on PATH and asking its version: `<exe> --version` run
// with an argument array (no shell), stdin closed, a 5 s limit, its own
// process group killed when the limit passes.
// Not the `which` package: it takes an empty PATH entry and a relative name
// ('./x') as this process's folder (not the command's, and a program planted
// in the repository would be run), and decides 'executable' from mode bits in
// JavaScript where access(2) asks the kernel (ACLs, noexec mounts); what it
// adds, Windows' PATHEXT, sase has no use for (process groups, /proc, sh).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { childProcess } from './child-process.ts';

export const VERSION_TIMEOUT_MS = 5_000;
const MAX_OUTPUT = 64 << 10;

/** The full path of `name` found on `PATH` (or `name` itself when it holds a '/'), or null. */
export function which(name: string, env: Record<string, string | undefined>): string | null {
  const runnable = (p: string) => {
    try {
      if (!statSync(p).isFile()) return false;
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (name.includes('/')) return isAbsolute(name) && runnable(name) ? name : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (runnable(p)) return p;
  }
  return null;
}

export interface VersionResult {
  /** the first non-empty line it printed, or null when it printed nothing or failed */
  version: string | null;
  exitCode: number | null;
  timedOut: boolean;
  /** why no version was read, when none was */
  error: string | null;
}

/** What a program printed when run briefly: its stdout and stderr, and how it ended. */
export interface BriefRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  /** it could not be started */
  error: string | null;
}

/** Runs `<path> <args>` without a shell, stdin closed, NO_COLOR set, for at most `timeoutMs`; the first 64 KiB of each stream kept. */
export function runBriefly(
  path: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = VERSION_TIMEOUT_MS,
): Promise<BriefRun> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  clean.NO_COLOR = '1';
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = childProcess().spawn(path, args, { env: clean, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8');
    });
    const done = (r: BriefRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    child.on('error', (e) => done({ stdout, stderr, exitCode: null, timedOut: false, error: e.message }));
    child.on('close', (code) => {
      kill(); // whatever it left in its group
      done({ stdout, stderr, exitCode: code, timedOut, error: null });
    });
  });
}

const firstLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean) ?? null;

/** Why a brief run gave nothing to read, or null when it did (exit 0 and some output). */
export function briefRunProblem(r: BriefRun, shown: string, timeoutMs = VERSION_TIMEOUT_MS): string | null {
  if (r.error) return r.error;
  if (r.timedOut) return `'${shown}' did not answer in ${timeoutMs / 1000} s`;
  if (r.exitCode !== 0)
    return `'${shown}' exited ${r.exitCode ?? 'on a signal'}${firstLine(r.stderr) ? `: ${firstLine(r.stderr)}` : ''}`;
  if (!firstLine(r.stdout) && !firstLine(r.stderr)) return `'${shown}' printed nothing`;
  return null;
}

/** Runs `<path> --version` and reads the first line it prints (stdout, else stderr). */
export async function programVersion(
  path: string,
  env: Record<string, string | undefined>,
  opts: { timeoutMs?: number } = {},
): Promise<VersionResult> {
  const r = await runBriefly(path, ['--version'], env, opts.timeoutMs);
  const error = briefRunProblem(r, `${path} --version`, opts.timeoutMs);
  const version = error ? null : (firstLine(r.stdout) ?? firstLine(r.stderr));
  return { version, exitCode: r.exitCode, timedOut: r.timedOut, error };
}
