// Running one of sase's own executables to its end, from another (a write's
// [sync] auto and a remote claim run sase-sync): a process of its own keeps
// the caller's bundle free of the other's code.

import { join } from 'node:path';
import { ownBinDir } from './agent-process.ts';
import { childProcess } from './child-process.ts';

/** Runs bin/<command> with `args`; its stderr kept, and its stdout when asked (else dropped). */
export function runOwnCommand(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
  opts: { stdout?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = childProcess().spawn(join(ownBinDir(), command), args, {
      cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', opts.stdout ? 'pipe' : 'ignore', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: e.message }));
    child.on('close', (code) =>
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}
