// Running one of sase's own executables to its end, from another (a write's
// [sync] auto runs sase-sync): a process of its own keeps the caller's bundle
// free of the other's code.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ownBinDir } from './agent-process.ts';

/** Runs bin/<command> with `args`; its stdout is dropped, its stderr kept. */
export function runOwnCommand(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(ownBinDir(), command), args, {
      cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (err) => resolve({ code: 127, stderr: err.message }));
    child.on('close', (code) => resolve({ code: code ?? 128, stderr: Buffer.concat(chunks).toString('utf8') }));
  });
}
