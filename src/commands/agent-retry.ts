import { retryRequest } from '../app/agents/again.ts';
import { launchAndReport } from '../cli/agent-run-shared.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { resolveRun } from '../store/runs.ts';

export const spec = defineCommand({
  name: 'agent-retry',
  prints: ['agent'],
  summary: 'run a failed or killed run again, in its workspace, with its work kept',
  args: [
    {
      name: 'run',
      complete: 'runs',
      description: 'a run id, a unique prefix of one, or a name (the newest run of that name)',
      required: true,
    },
  ],
  options: [
    { flags: '--provider <name>', description: 'another provider for this attempt' },
    { flags: '--model <model>', description: 'another model for this attempt' },
    {
      flags: '--detach',
      description: 'print the new record and return; the run goes on in the background',
      type: 'bool',
    },
  ],
  description: `Starts a new run (retry_of: the failed one) in the same workspace, where the failed attempt's files and commits still are. Its prompt is the stored prompt, followed by how the attempt ended and the last 4 KiB of what it printed, so the agent can carry on rather than start over. It keeps the run's name (so waits on that name follow the newest attempt), bead (claimed again), change and provider unless --provider or --model say otherwise.

A run recorded as running whose process is gone is reaped first (see sase-agent-reap(1)); a run still going, or one that is done, is refused. A run whose workspace was cleaned away cannot be retried there: start afresh with sase run.`,
  output: "The new run's record as it ended (with --detach, as it started); see sase-agent-run(1).",
  exit: [
    [1, 'the new attempt failed; or refused: the run is still going, or is done'],
    [4, 'no such run, or its workspace is gone'],
  ],
  examples: [
    { cmd: 'sase agent retry r-9k2m4x7q', text: 'try again where it stopped' },
    {
      cmd: 'sase agent retry build --model opus --detach',
      text: 'the newest run named build, with another model, in the background',
    },
  ],
  seeAlso: ['sase-agent-run', 'sase-agent-resume', 'sase-agent-reap'],
  async run(ctx, args, opts) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no run given');
    const store = await ctx.store();
    const failed = await resolveRun(await store.snapshot(), args[0]!);
    const req = await retryRequest(store, failed);
    if (opts.provider !== undefined) req.provider = opts.provider;
    if (opts.model !== undefined) req.model = opts.model;
    return launchAndReport(ctx, store, req, opts);
  },
});
