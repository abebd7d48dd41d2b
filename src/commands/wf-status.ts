import { wfLiveness } from '../app/workflows/executor.ts';
import { defineCommand } from '../cli/spec.ts';
import { printWfRunCard } from '../cli/wf-view.ts';
import { UsageError } from '../core/errors.ts';
import { resolveWfRun } from '../store/workflow-runs.ts';
import { wfRunToWire } from '../wire/workflow.ts';

export const spec = defineCommand({
  name: 'wf-status',
  prints: ['workflow-run'],
  summary: "show a workflow run: its status, each step's state, attempts, outputs and agent runs, and what to do next",
  args: [
    {
      name: 'run',
      complete: 'workflow-runs',
      description: "a workflow run id, a unique prefix of one, or a workflow's name (its newest run)",
      required: true,
    },
  ],
  options: [],
  description: `Prints one workflow run as recorded in the state ref: its status (running, waiting_approval, done, failed), inputs and times, and every step (sub-steps of parallel steps and for_each instances too) with its state (pending, running, done, failed, skipped, waiting_approval), its attempts (each with its times, exit code, error, agent run and stored log), its outputs and its approval. A failed script step's error is how it ended and the line of its command's output that says why; on a terminal, the last meaningful lines of its stderr (each once, without npm's 'A complete log of this run can be found in' and the like) follow the steps. A run recorded as running whose process (sase-wf-run in the foreground, or sase-wf-exec) is gone on this host is shown as failed and dead. 'next' names the command that carries a stopped run on: sase-wf-approve(1) for a run waiting for an approval, sase-wf-resume(1) for one that failed or was interrupted.`,
  output:
    'One NDJSON record of kind "workflow_run" (see sase-wf-run(1)). On a terminal, a card with a table of the steps.',
  exit: [[4, 'no such workflow run']],
  examples: [
    { cmd: 'sase wf status w-9k2m4x7q', text: 'one run' },
    {
      cmd: "sase wf status nightly --json | jq '.steps[] | {id, state}'",
      text: 'the steps of the newest run of nightly',
    },
  ],
  seeAlso: ['sase-wf-run', 'sase-wf-list', 'sase-wf-approve', 'sase-wf-resume'],
  async run(ctx, args) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no run given');
    const store = await ctx.store();
    const run = await resolveWfRun(await store.snapshot(), args[0]!);
    printWfRunCard(ctx, wfRunToWire(run, wfLiveness(run, ctx.clock.now().getTime())));
    return 0;
  },
});
