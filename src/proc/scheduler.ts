// The user's schedulers, as programs: `crontab` (read and write the table),
// `systemctl --user` and `launchctl`. Run with argument arrays (no shell),
// stdin given or closed, a time limit; what they answer is the caller's to
// judge. Also where this installation and its node are.
import { join } from 'node:path';
import { FatalError, withHint } from '../core/errors.ts';
import { ownBinDir } from './agent-process.ts';
import { childProcess } from './child-process.ts';

type Env = Record<string, string | undefined>;

export interface ProgramResult {
  /** the exit code; 127 when the program could not be started */
  code: number;
  stdout: string;
  stderr: string;
  /** why it could not be started (ENOENT: not on PATH), or null */
  error: string | null;
}

const TIMEOUT_MS = 15_000;
const MAX_OUTPUT = 16 << 20;

/** Runs `program args...` to its end (killed after the time limit), with `input` on stdin. */
export function runProgram(
  program: string,
  args: string[],
  env: Env,
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<ProgramResult> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  return new Promise((resolve) => {
    const child = childProcess().spawn(program, args, {
      env: clean,
      cwd: '/',
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const take = (into: Buffer[]) => (d: Buffer) => {
      size += d.length;
      if (size <= MAX_OUTPUT) into.push(d);
    };
    child.stdout?.on('data', take(out));
    child.stderr?.on('data', take(err));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? TIMEOUT_MS);
    let error: string | null = null;
    child.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code === 'ENOENT' ? `'${program}' not found on PATH` : e.message;
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // it may exit without reading
      child.stdin.end(opts.input);
    }
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: error ? 127 : (code ?? (signal ? 128 : 1)),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        error,
      });
    });
  });
}

function firstLine(r: ProgramResult): string {
  return (
    r.error ??
    (r.stderr || r.stdout)
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ??
    `exited ${r.code}`
  );
}

// ---- crontab

/** The user's crontab (empty when they have none); fatal when crontab is missing or fails. */
export async function readCrontab(env: Env): Promise<string> {
  const r = await runProgram('crontab', ['-l'], env);
  if (r.code === 0) return r.stdout;
  // Vixie and cronie say "no crontab for <user>"; busybox "crontab: can't open ..."
  if (!r.error && r.code === 1 && /no crontab|can't open/i.test(r.stderr)) return '';
  throw withHint(
    new FatalError(`cannot read the crontab: ${firstLine(r)}`),
    "install cron, or choose '--systemd' or '--launchd'",
  );
}

/** Replaces the user's crontab with `text` (`crontab -`). */
export async function writeCrontab(env: Env, text: string): Promise<void> {
  const r = await runProgram('crontab', ['-'], env, { input: text });
  if (r.code !== 0) throw new FatalError(`cannot write the crontab: ${firstLine(r)}`);
}

// ---- systemd and launchd

/** `systemctl --user args...`; its answer, to judge. */
export function systemctlUser(env: Env, args: string[]): Promise<ProgramResult> {
  return runProgram('systemctl', ['--user', ...args], env);
}

/** Whether the user's systemd answers (`systemctl --user show-environment` succeeds). */
export async function systemdUserWorks(env: Env): Promise<boolean> {
  const r = await runProgram('systemctl', ['--user', 'show-environment'], env, { timeoutMs: 5_000 });
  return r.code === 0;
}

/** `launchctl args...`; its answer, to judge. */
export function launchctl(env: Env, args: string[]): Promise<ProgramResult> {
  return runProgram('launchctl', args, env);
}

/** What went wrong, in one line, for a warning. */
export function programFailure(r: ProgramResult): string {
  return firstLine(r);
}

// ---- this installation

/** The absolute path of node running this. */
export function nodePath(): string {
  return process.execPath;
}

/** The absolute path of this installation's bin/sase. */
export function saseBinPath(): string {
  return join(ownBinDir(), 'sase');
}

/** The machine's platform ('linux', 'darwin', ...). */
export function platform(): NodeJS.Platform {
  return process.platform;
}

/** The user's numeric id, for launchctl's domain (gui/<uid>). */
export function userId(): number {
  return process.getuid?.() ?? 0;
}
