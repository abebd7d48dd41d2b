import { waitingReason } from '../app/agents/dispatch.ts';
import { failureReason } from '../app/agents/finalize.ts';
import { wireRuns } from '../app/agents/view.ts';
import { printRunCard } from '../cli/agent-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { runLogPath } from '../core/agents/run.ts';
import { UsageError } from '../core/errors.ts';
import { readPrompt, resolveRun } from '../store/runs.ts';
import { agentShowToWire } from '../wire/agent.ts';

export const spec = defineCommand({
  name: 'agent-show',
  prints: ['agent-show'],
  summary: 'show a run: status, workspace, bead, process, commits, why it waits or failed',
  args: [
    {
      name: 'run',
      complete: 'runs',
      description: 'a run id, a unique prefix of one, or a name (the newest run of that name)',
      required: true,
    },
  ],
  options: [
    {
      flags: '--prompt',
      description: 'also print the stored prompt (on a terminal; in JSON, as the field prompt)',
      type: 'bool',
    },
  ],
  description: `Prints one run as recorded in the state ref, with what this machine can tell of it now. A run recorded as running whose process is gone (its supervisor and its agent's process group) is shown as failed and dead until sase-agent-reap(1) records it; a run on another host is shown as recorded (alive null). A waiting run says what it waits for, judged now on the current state as sase-agent-dispatch(1) would (wait_reason; nothing is written): the agents not done and the beads not closed, a dependency that failed or was killed (blocked: agent 'build' failed (r-...)), or that it is ready and starts at the next dispatch.`,
  output:
    'One NDJSON record of kind "agent" (see sase-agent-run(1)); with --prompt, plus prompt. On a terminal, a card.',
  exit: [[4, 'no such run']],
  examples: [
    { cmd: 'sase agent show r-9k2m4x7q', text: 'one run' },
    { cmd: 'sase agent show build --json | jq -r .status', text: 'the status of the newest run named build' },
  ],
  seeAlso: ['sase-agent-list', 'sase-agent-log', 'sase-agent-run'],
  async run(ctx, args, opts) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no run given');
    const store = await ctx.store();
    const snap = await store.snapshot();
    const recorded = await resolveRun(snap, args[0]!);
    // a run recorded with only its exit code (before reasons were kept) says why from its stored log
    const run =
      recorded.status === 'failed' && recorded.log_bytes
        ? { ...recorded, error: failureReason(recorded.error, (await snap.readText(runLogPath(recorded.id))) ?? '') }
        : recorded;
    const [rec] = await wireRuns(store, [run], ctx.clock.now().getTime());
    // why a run waits is judged now, on the current state (nothing is written)
    const waitReason = run.status === 'waiting' ? await waitingReason(store, snap, run) : undefined;
    const prompt = opts.prompt ? await readPrompt(snap, run) : null;
    const shown = agentShowToWire(rec, { wait_reason: waitReason, prompt: ctx.format !== 'text' ? prompt : null });
    printRunCard(ctx, shown, { prompt });
    return 0;
  },
});
