import { followRuns } from '../app/agents/control.ts';
import { liveLogPath, readFrom } from '../app/agents/runtime.ts';
import { TranscriptPrinter } from '../cli/agent-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { isFinished, runLogPath } from '../core/agents/run.ts';
import { UsageError } from '../core/errors.ts';
import { resolveRun } from '../store/runs.ts';

export const spec = defineCommand({
  name: 'agent-log',
  summary: "print a run's log: the agent's output, live or as stored",
  args: [
    {
      name: 'run',
      description: 'a run id, a unique prefix of one, or a name (the newest run of that name)',
      required: true,
    },
  ],
  options: [
    { flags: '-f, --follow', description: 'keep printing as the agent writes, until the run ends', type: 'bool' },
    {
      flags: '--raw',
      description: "on a terminal, print the agent's output as it is, not as readable lines",
      type: 'bool',
    },
  ],
  formatted: false,
  description: `Prints what the agent wrote to stdout and stderr. On a pipe (or with --raw), as it wrote it (for claude, codex and the example agent: one JSON event a line); on a terminal, those event lines are shown as readable lines (what the agent said, the tools and commands it ran, how it ended), as sase-agent-run(1) shows them, with or without --follow. For a run that has ended, the log stored in the state ref (agents/<2>/<id>.log; its head and tail around a cut line when the agent printed more than 1 MiB). For a run still going on this machine, the live log under $GIT_COMMON_DIR/sase/agents/; with --follow, it goes on printing until the run ends, as tail -f does.`,
  output: "The log's bytes, unchanged (on a terminal without --raw: readable lines).",
  exit: [[4, 'no such run, or no log yet (a waiting run, or one running on another host)']],
  examples: [
    { cmd: 'sase agent log r-9k2m4x7q', text: 'what the agent printed' },
    { cmd: 'sase agent log -f build', text: 'follow the newest run named build' },
    { cmd: 'sase agent log r-9k2m4x7q | jq -r \'select(.type=="say") .text\'', text: 'one kind of event' },
  ],
  seeAlso: ['sase-agent-show', 'sase-agent-run'],
  async run(ctx, args, opts) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no run given');
    const store = await ctx.store();
    const snap = await store.snapshot();
    const run = await resolveRun(snap, args[0]!);
    // on a terminal the events are made readable, on a pipe the bytes go through unchanged
    const out = ctx.stdoutIsTTY && !opts.raw ? new TranscriptPrinter(ctx) : null;
    const write = (chunk: Buffer) => (out ? out.write(chunk) : void ctx.stdout.write(chunk));
    if (isFinished(run.status)) {
      const text = await snap.readFile(runLogPath(run.id));
      if (text) write(text);
    } else if (!opts.follow) {
      let off = 0;
      for (;;) {
        const chunk = readFrom(liveLogPath(store.repo, run.id), off);
        if (!chunk.length) break;
        write(chunk);
        off += chunk.length;
      }
    } else await followRuns(store, [run.id], { write: (_r, chunk) => write(chunk) });
    out?.end();
    return 0;
  },
});
