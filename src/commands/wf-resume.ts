import { prepareResume } from '../app/workflows/executor.ts';
import { defineCommand } from '../cli/spec.ts';
import { carryOn, wfEnv } from '../cli/wf-run-shared.ts';
import { UsageError } from '../core/errors.ts';
import { resolveWfRun } from '../store/workflow-runs.ts';

export const spec = defineCommand({
  name: 'wf-resume',
  prints: ['workflow-run'],
  summary: 'carry a stopped workflow run on from where it stopped, never running a finished step again',
  args: [
    {
      name: 'run',
      complete: 'workflow-runs',
      description: "a workflow run id, a unique prefix of one, or a workflow's name (its newest run)",
      required: true,
    },
  ],
  options: [
    { flags: '--detach', description: 'carry it on in the background (sase-wf-exec) and return', type: 'bool' },
    {
      flags: '--reload',
      description: 'follow the spec file as it is now (its steps the same), not as it was when the run started',
      type: 'bool',
    },
  ],
  description: `Carries on a run that failed, was interrupted (Ctrl-C, a crash: recorded as running with its process gone), or had its approval given. Steps that are done or skipped stay as they are; the step that failed (or was left running) runs again from the start, as a new attempt after those recorded, with its retries anew, and the run goes on from there. A for_each step's finished instances and a parallel step's finished sub-steps are kept. An agent step whose agent run went on while nothing carried the workflow on is taken up again: followed while it runs, its result taken when it is done. A rejected approval step asks for an approval again.

The run follows the spec recorded when it started, whatever the file says now; with --reload it follows the file as it is now (a script fixed after it failed, say), checked as sase-wf-run(1) checks it, as long as its steps are the same (ids, kinds, the parallel steps they are in) and the run's inputs still fit it. Refused for a run that is done, one that another live process carries on, and one still waiting for an approval.`,
  output:
    'The run record as it stopped (with --detach, as resumed); see sase-wf-run(1). On a terminal, a line a step as it changes and one for the run.',
  exit: [
    [0, 'the run is done, or waits for an approval, or goes on in the background'],
    [
      1,
      'the run failed again; or refused: it is done, running elsewhere, or waits for an approval; with --reload, the spec has other steps',
    ],
    [4, 'no such run (with --reload: no such workflow any more)'],
    [128, 'with --reload: the spec is malformed'],
    [130, 'interrupted'],
  ],
  examples: [
    { cmd: 'sase wf resume w-9k2m4x7q', text: 'carry a failed run on' },
    { cmd: 'sase wf resume nightly --detach', text: 'the newest run of nightly, in the background' },
    { cmd: 'sase wf resume w-9k2m4x7q --reload', text: 'after fixing the script that failed' },
  ],
  seeAlso: ['sase-wf-run', 'sase-wf-status', 'sase-wf-approve'],
  async run(ctx, args, opts) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no run given');
    const store = await ctx.store();
    const run = await resolveWfRun(await store.snapshot(), args[0]!);
    const ready = await prepareResume(store, run.id, wfEnv(ctx), opts.detach ?? false, opts.reload ?? false);
    return carryOn(ctx, store, ready, opts);
  },
});
