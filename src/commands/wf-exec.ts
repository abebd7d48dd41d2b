import { defineCommand } from '../cli/spec.ts';
import { executeHere } from '../cli/wf-run-shared.ts';
import { UsageError } from '../core/errors.ts';
import { isWfRunId } from '../core/workflows/run.ts';

export const spec = defineCommand({
  name: 'wf-exec',
  prints: ['workflow-run'],
  summary: 'carry one workflow run on to its end or its next approval (plumbing: wf-run --detach starts it)',
  args: [
    {
      name: 'run-id',
      complete: 'workflow-runs',
      description: 'the id of a workflow run recorded as running',
      required: true,
    },
  ],
  options: [],
  description: `Carries a workflow run on in this process, as sase-wf-run(1) does in the foreground. sase-wf-run(1) and sase-wf-resume(1) with --detach, and sase-wf-approve(1) with --resume --detach, start it detached, in a session of its own, so the run survives the terminal that asked for it; you rarely run it yourself.

It records itself (pid and host) as carrying the run on, then runs its steps. A run that is not running, or that another live process carries on, is refused, so no run is carried on twice. On SIGTERM, SIGINT or SIGHUP it stops the running steps and leaves the run failed (interrupted), to be resumed.`,
  output: 'The run record as it stopped (see sase-wf-run(1)); on a terminal, a line.',
  exit: [
    [1, 'the run failed; or refused: it is not running, or another process carries it on'],
    [4, 'no such run'],
    [130, 'interrupted'],
  ],
  examples: [{ cmd: 'sase wf exec w-9k2m4x7q', text: 'carry a run on in this terminal' }],
  seeAlso: ['sase-wf-run', 'sase-wf-resume', 'sase-wf-status'],
  async run(ctx, args) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no run given');
    if (!isWfRunId(args[0]!)) throw new UsageError(`'${args[0]}' is not a workflow run id`);
    const store = await ctx.store();
    return executeHere(ctx, store, args[0]!, false);
  },
});
