// The process that carries a workflow run on in the background: `sase-wf-exec
// <run-id>`, started detached in a session of its own so that it outlives the
// terminal that asked for it (as an agent run's supervisor is).
import { startDetached } from './agent-process.ts';

/** Starts `sase-wf-exec <id>` detached; its stderr goes to `errorLog`. */
export function startWorkflowExec(opts: {
  runId: string;
  cwd: string;
  env: Record<string, string | undefined>;
  errorLog: string;
}): number | null {
  return startDetached({
    command: 'sase-wf-exec',
    args: [opts.runId],
    cwd: opts.cwd,
    env: opts.env,
    errorLog: opts.errorLog,
  });
}
