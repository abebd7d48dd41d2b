import { decideApproval, prepareResume } from '../app/workflows/executor.ts';
import { defineCommand } from '../cli/spec.ts';
import { carryOn, reportRun, wfEnv } from '../cli/wf-run-shared.ts';
import { UsageError } from '../core/errors.ts';
import { resolveWfRun } from '../store/workflow-runs.ts';

export const spec = defineCommand({
  name: 'wf-approve',
  prints: ['workflow-run'],
  summary: 'approve (or reject) the approval step a workflow run waits on',
  args: [
    {
      name: 'run',
      complete: 'workflow-runs',
      description: "a workflow run id, a unique prefix of one, or a workflow's name (its newest run)",
      required: true,
    },
    { name: 'step', description: 'the approval step it waits on', required: true },
  ],
  options: [
    { flags: '--reject', description: 'refuse it: the step and the run fail with the note', type: 'bool' },
    { flags: '--note <text>', description: 'why (kept with the decision; a rejection says it)' },
    {
      flags: '--resume',
      description: 'once approved, carry the run on at once (in the foreground, as sase-wf-resume)',
      type: 'bool',
    },
    { flags: '--detach', description: 'with --resume: carry it on in the background', type: 'bool' },
  ],
  description: `Records a decision on the approval step a run waits on (its status waiting_approval), with who made it (git's user.email), when, and the note. Approved, the step is done (its outputs: approved = true, note, and the question it asked) and the run can go on: with --resume at once, else with sase-wf-resume(1). Rejected, the step and the run fail, the note as the reason; a later sase-wf-resume(1) asks for the approval again.

A step that is not an approval step, or not waiting for an approval, is refused.`,
  output: 'The run record (see sase-wf-run(1)): as decided, or with --resume as it stopped. On a terminal, a line.',
  exit: [
    [1, 'refused: the step is not waiting for an approval; or with --resume, the run failed'],
    [4, 'no such run, or no such step in it'],
  ],
  examples: [
    { cmd: 'sase wf approve w-9k2m4x7q ship --resume', text: 'approve and carry on' },
    { cmd: "sase wf approve w-9k2m4x7q ship --reject --note 'the tests are too thin'", text: 'refuse it' },
  ],
  seeAlso: ['sase-wf-run', 'sase-wf-resume', 'sase-wf-status'],
  async run(ctx, args, opts) {
    if (args.length !== 2)
      throw new UsageError(args.length > 2 ? `unexpected argument '${args[2]}'` : 'give the run and the step');
    if (opts.reject && opts.resume) throw new UsageError('--reject and --resume go not together: a rejected run fails');
    if (opts.detach && !opts.resume) throw new UsageError('--detach goes with --resume');
    const store = await ctx.store();
    const run = await resolveWfRun(await store.snapshot(), args[0]!);
    const env = wfEnv(ctx);
    const by = (await store.ident()).email;
    const decided = await decideApproval(
      store,
      run.id,
      args[1]!,
      { reject: opts.reject ?? false, note: opts.note ?? null, by },
      env,
    );
    if (!opts.resume) {
      if (ctx.format === 'text')
        ctx.stdout.write(
          `step '${args[1]}' of ${decided.workflow} (${decided.id}): ${opts.reject ? 'rejected' : 'approved'}\n`,
        );
      else reportRun(ctx, decided);
      if (!opts.reject) ctx.stderr.write(`hint: 'sase wf resume ${decided.id}' carries it on\n`);
      return 0;
    }
    const ready = await prepareResume(store, decided.id, env, opts.detach ?? false);
    return carryOn(ctx, store, ready, opts);
  },
});
