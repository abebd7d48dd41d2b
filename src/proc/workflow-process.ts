// The process that carries a workflow run on in the background: `sase-wf-exec
// <run-id>`, started detached in a session of its own so that it outlives the
// terminal that asked for it (as an agent run's supervisor is).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ownBinDir } from './agent-process.ts';

/** Starts `sase-wf-exec <id>` detached; its stderr goes to `errorLog`. */
export function startWorkflowExec(opts: { runId: string; cwd: string; env: Record<string, string | undefined>; errorLog: string }): number | null {
  const fd = openSync(opts.errorLog, 'a');
  try {
    const child = spawn(join(ownBinDir(), 'sase-wf-exec'), [opts.runId], { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, stdio: ['ignore', 'ignore', fd], detached: true });
    child.on('error', () => {});
    child.unref();
    return child.pid ?? null;
  } finally {
    closeSync(fd);
  }
}
