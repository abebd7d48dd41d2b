import { reapRuns } from '../app/agents/control.ts';
import { wireRun } from '../app/agents/view.ts';
import { printRunLine } from '../cli/agent-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';

export const spec = defineCommand({
  name: 'agent-reap',
  prints: ['agent'],
  summary: 'record runs whose process is gone as failed (dead); release their beads',
  args: [],
  options: [{ flags: '--dry-run', description: 'say which runs are dead; record nothing', type: 'bool' }],
  description: `Finds the runs of this host recorded as running (or queued for over a minute with no supervisor) whose processes are all gone: the supervisor (a pid that now belongs to another program counts as gone) and the agent's process group. A machine reboot, an out-of-memory kill or a kill -9 leaves such runs. Each is recorded failed, with the error "dead: ...", its commits and log are recorded as for any end, its bead is released with a note, and its workspace is kept for sase-agent-retry(1).

A run whose supervisor or agent still lives is never touched; runs of other hosts are left alone (run reap there). Readers never show a dead run as running even before a reap: sase-agent-list(1) and sase-agent-show(1) show it failed (dead). Safe to run from cron; sase axe runs it.`,
  output: 'One record a reaped run (see sase-agent-run(1)); on a terminal, a line each.',
  exit: [],
  examples: [
    { cmd: 'sase agent reap', text: 'record the dead runs' },
    { cmd: 'sase agent reap --dry-run --format id', text: 'which runs are dead' },
  ],
  seeAlso: ['sase-agent-list', 'sase-agent-retry', 'sase-agent-kill'],
  async run(ctx, args, opts) {
    if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
    const store = await ctx.store();
    const reaped = await reapRuns(store, opts.dryRun);
    for (const r of reaped) {
      for (const w of r.warnings) ctx.stderr.write(`warning: ${w}\n`);
      printRunLine(ctx, { ...wireRun(store, r.run, ctx.clock.now().getTime()) }, opts.dryRun ? 'dead' : 'reaped');
    }
    return 0;
  },
});
