// Finding a program on PATH and asking its version: `<exe> --version` run
// with an argument array (no shell), stdin closed, a 5 s limit, its own
// process group killed when the limit passes.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

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

/** Runs `<path> --version` and reads the first line it prints (stdout, else stderr). */
export function programVersion(
  path: string,
  env: Record<string, string | undefined>,
  opts: { timeoutMs?: number; args?: string[] } = {},
): Promise<VersionResult> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  clean.NO_COLOR = '1';
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(path, opts.args ?? ['--version'], {
      env: clean,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
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
    }, opts.timeoutMs ?? VERSION_TIMEOUT_MS);
    const take = (into: 'out' | 'err') => (d: Buffer) => {
      if (into === 'out' && out.length < MAX_OUTPUT) out += d.toString('utf8');
      if (into === 'err' && err.length < MAX_OUTPUT) err += d.toString('utf8');
    };
    child.stdout.on('data', take('out'));
    child.stderr.on('data', take('err'));
    const done = (r: VersionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    child.on('error', (e) => done({ version: null, exitCode: null, timedOut: false, error: e.message }));
    child.on('close', (code) => {
      kill(); // whatever it left in its group
      const first = (s: string) =>
        s
          .split('\n')
          .map((l) => l.trim())
          .find(Boolean) ?? null;
      const version = code === 0 ? (first(out) ?? first(err)) : null;
      const error = timedOut
        ? `'${path} --version' did not answer in ${(opts.timeoutMs ?? VERSION_TIMEOUT_MS) / 1000} s`
        : code !== 0
          ? `'${path} --version' exited ${code ?? 'on a signal'}${first(err) ? `: ${first(err)}` : ''}`
          : version
            ? null
            : `'${path} --version' printed nothing`;
      done({ version, exitCode: code, timedOut, error });
    });
  });
}
