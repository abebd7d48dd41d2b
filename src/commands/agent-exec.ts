import { superviseRun } from '../app/agents/supervise.ts';
import { wireRun } from '../app/agents/view.ts';
import { printRunLine } from '../cli/agent-view.ts';
import { isoNow } from '../cli/context.ts';
import { defineCommand } from '../cli/spec.ts';
import { isRunId } from '../core/agents/run.ts';
import { UsageError } from '../core/errors.ts';

export const spec = defineCommand({
  name: 'agent-exec',
  prints: ['agent'],
  summary: 'supervise one queued run to its end (plumbing: agent-run and agent-dispatch start it)',
  args: [{ name: 'run-id', complete: 'runs', description: 'the id of a queued run', required: true }],
  options: [],
  description: `The supervisor of one run, in the foreground. sase-agent-run(1), sase-agent-retry(1) and sase-agent-dispatch(1) start it detached, in a session of its own, so a run survives the terminal that asked for it; you rarely run it yourself.

It marks the queued run running (recording its own pid, the host and a heartbeat), runs the provider's program in the run's workspace in a new process group, with the prompt on stdin (or as an argument, by the provider's config) and its output appended to the live log $GIT_COMMON_DIR/sase/agents/<id>.log, and touches a heartbeat file every 10 seconds. When the agent exits it records the run's end (see sase-agent-run(1)). On SIGTERM, SIGINT or SIGHUP, or when the run's --timeout passes, it stops the agent's whole process group (SIGTERM, then SIGKILL 5 seconds later) and records the run killed (or failed: timed out).

A run that is not queued is refused, so a run is never started twice.`,
  output: 'The run record as it ended (see sase-agent-run(1)); on a terminal, a line.',
  exit: [
    [1, 'the run failed or was killed; or refused: it is not queued'],
    [4, 'no such run'],
  ],
  examples: [{ cmd: 'sase agent exec r-9k2m4x7q', text: 'supervise a queued run in this terminal' }],
  seeAlso: ['sase-agent-run', 'sase-agent-kill', 'sase-agent-reap'],
  async run(ctx, args) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no run given');
    if (!isRunId(args[0]!)) throw new UsageError(`'${args[0]}' is not a run id`);
    const store = await ctx.store();
    const end = await superviseRun(store, args[0]!, { env: ctx.env, now: () => isoNow(ctx) });
    for (const w of end.warnings) ctx.stderr.write(`warning: ${w}\n`);
    printRunLine(ctx, wireRun(store, end.run, ctx.clock.now().getTime()), 'run');
    return end.run.status === 'done' ? 0 : 1;
  },
});
