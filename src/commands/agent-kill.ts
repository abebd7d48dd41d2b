import { killRun } from '../app/agents/control.ts';
import { wireRun } from '../app/agents/view.ts';
import { printRunLine } from '../cli/agent-view.ts';
import { inputIds, NO_IDS_EXIT, NO_IDS_INPUT } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { resolveRun } from '../store/runs.ts';

export const spec = defineCommand({
  name: 'agent-kill',
  prints: ['agent'],
  summary: "kill runs: the agent's whole process group; status killed",
  args: [{ name: 'run', complete: 'runs', description: 'run ids, unique prefixes or names', variadic: true }],
  options: [],
  stdin: true,
  description: `Stops each run and records it killed. A running run's supervisor gets SIGTERM and stops the agent's whole process group (SIGTERM, then SIGKILL 5 seconds later), so nothing the agent started lives on; if the supervisor has not recorded the end within 8 seconds, the group and the supervisor are killed with SIGKILL and the end is recorded here. A queued or waiting run is recorded killed at once.

The run's commits are recorded and its log stored as for any end; its bead is released with a note, and its workspace keeps the work (sase-agent-retry(1) can go on from it). A run on another host is refused, as is one already finished.`,
  input: `Run ids or names as arguments, or on stdin (bare ids, or NDJSON records with id) with --stdin or -. ${NO_IDS_INPUT}`,
  output:
    "The killed runs' records (see sase-agent-run(1)); on a terminal, one line each: killed <name> (<id>)[ in <workspace>]: <status> (<why>).",
  exit: [NO_IDS_EXIT, [1, 'refused: the run has finished already, or runs on another host'], [4, 'no such run']],
  examples: [
    { cmd: 'sase agent kill r-9k2m4x7q', text: 'stop one run' },
    { cmd: 'sase agent list --status running --format id | sase agent kill --stdin', text: 'stop everything running' },
  ],
  seeAlso: ['sase-agent-run', 'sase-agent-retry', 'sase-agent-reap'],
  async run(ctx, args, opts) {
    const refs = await inputIds(ctx, args, opts, 'run id');
    const store = await ctx.store();
    const runs = [];
    for (const ref of refs) runs.push(await resolveRun(await store.snapshot(), ref));
    for (const run of runs) {
      const end = await killRun(store, run);
      for (const w of end.warnings) ctx.stderr.write(`warning: ${w}\n`);
      printRunLine(ctx, wireRun(store, end.run, ctx.clock.now().getTime()), 'killed');
    }
    return 0;
  },
});
