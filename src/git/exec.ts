// The git layer: the only code in sase that runs git. Everything above it
// asks for objects, trees and refs; nothing above it spawns a process for git.

export interface GitEnv {
  cwd: string;
  env: Record<string, string | undefined>;
}

/** A git command exited non-zero; carries what a caller needs to explain it. */
export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed (exit ${exitCode}): ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

/** What a failed git command said last (its hints left out), or the error's message. */
export function failureLine(err: unknown): string {
  if (!(err instanceof GitError)) return (err as Error).message;
  return (
    err.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('hint:'))
      .pop() ?? err.message
  );
}

/** git missing from PATH: fatal for every command. */
export class GitMissingError extends Error {}

// Pinned so that output is machine-readable and no git ever waits on a person.
export function gitProcessEnv(env: GitEnv['env']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  out.LC_ALL = 'C';
  out.GIT_TERMINAL_PROMPT = '0';
  out.GIT_PAGER = 'cat';
  out.GIT_OPTIONAL_LOCKS = '0';
  return out;
}

export interface RunOptions {
  input?: string;
  /** exit codes that are answers rather than failures */
  okCodes?: number[];
  env?: Record<string, string>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function git(ctx: GitEnv, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  // loaded on first use: a command that runs no git does not pay for it
  const { x } = await import('tinyexec');
  const proc = x('git', args, {
    nodePath: false,
    stdin: opts.input,
    nodeOptions: { cwd: ctx.cwd, env: { ...gitProcessEnv(ctx.env), ...opts.env } },
  });
  let result: Awaited<typeof proc>;
  try {
    result = await proc;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new GitMissingError('git not found on PATH');
    // an argument over what the OS passes (128 KiB on Linux): git never started, and says so as a failure
    if ((err as NodeJS.ErrnoException).code === 'E2BIG') throw new GitError(args, 128, 'argument list too long');
    throw err;
  }
  const exitCode = result.exitCode ?? 128;
  if (exitCode === 127 && result.stderr === '' && proc.process?.spawnfile === 'git' && result.stdout === '') {
    // tinyexec reports a spawn failure as exit 127 with no output
    throw new GitMissingError('git not found on PATH');
  }
  if (exitCode !== 0 && !(opts.okCodes ?? []).includes(exitCode)) {
    throw new GitError(args, exitCode, result.stderr);
  }
  return { stdout: result.stdout, stderr: result.stderr, exitCode };
}

/**
 * Starts git now and gives it its stdin later, so the process's start-up
 * overlaps the caller's work. Through node's spawn: the lighter way for a
 * command's one git process (tinyexec loads node's stream and readline too).
 * The answer never throws for an exit code; the caller reads it.
 */
export function gitStarted(ctx: GitEnv, args: string[]): { finish(input: string | Buffer): Promise<RunResult> } {
  const { spawn } = process.getBuiltinModule('node:child_process');
  const proc = spawn('git', args, { cwd: ctx.cwd, env: gitProcessEnv(ctx.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdin.on('error', () => {}); // an early exit is reported by its code
  const result = new Promise<RunResult>((resolve, reject) => {
    proc.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new GitMissingError('git not found on PATH')
          : err.code === 'E2BIG'
            ? new GitError(args, 128, 'argument list too long')
            : err,
      ),
    );
    proc.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? 128 }));
  });
  result.catch(() => {}); // a failure surfaces where finish() is awaited
  let finished: Promise<RunResult> | null = null;
  return {
    finish(input) {
      if (!finished) {
        proc.stdin.end(input);
        finished = result;
      }
      return finished;
    },
  };
}

/** Runs git with `input` on stdin (see gitStarted). */
export function gitSpawn(ctx: GitEnv, args: string[], input: string | Buffer): Promise<RunResult> {
  return gitStarted(ctx, args).finish(input);
}
