import { readAxeState } from '../app/axe/history.ts';
import { installedScheduler } from '../app/axe/install.ts';
import { axeStatus } from '../app/axe/status.ts';
import { axeConfigOf, chopViewLine, lumberjackLine, statusColor } from '../cli/axe-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { cardTime } from '../cli/time.ts';
import { axeStatusToWire } from '../wire/axe-state.ts';

export const spec = defineCommand({
  name: 'axe-status',
  prints: ['axe-status'],
  summary: "the Axe's health: the scheduler, the last tick, each lumberjack's last run and next due time",
  args: [],
  options: [],
  description: `Tells whether the Axe runs for this repository and how it does: whether the repository is registered and a schedule entry runs the ticks (sase-axe-install(1)), maintenance, the tick lock, the last tick, each lumberjack's last run, result and next due time, and each chop's place and last result. It reads what this machine remembers (under $GIT_COMMON_DIR/sase/axe/); it runs nothing.

Healthy is: installed, no chop failing or missing, no stale lock, and a tick within the last three minutes (the schedule starts one every minute). Anything else is degraded, each problem a line.`,
  output:
    'One NDJSON record {v, kind: "axe_status", repository, health (healthy, degraded or not_installed), problems, registered, registry, scheduler (cron, systemd, launchd or null), maintenance, lock {pid, host, since, alive}, last_tick {started_at, ended_at, pid, host, ran}, lumberjacks: [{v, kind: "lumberjack", ...}] (see sase-axe-lumberjack-list(1)), chops: [{v, kind: "chop", ...}] (see sase-axe-chop-list(1))}. On a terminal, the same as lines.',
  exit: [
    [0, 'healthy'],
    [1, 'degraded: a chop failing or missing, a stale lock, or no tick for three minutes'],
    [2, 'not installed: the repository is not registered, or no schedule entry runs the Axe'],
    [128, "the Axe's configuration has problems (each is a line on stderr)"],
  ],
  examples: [
    { cmd: 'sase axe status', text: 'is the Axe working here?' },
    { cmd: 'sase axe status --json | jq .problems', text: 'what is wrong, for a script' },
  ],
  seeAlso: ['sase-axe-tick', 'sase-axe-install', 'sase-axe-chop-doctor'],
  async run(ctx) {
    const store = await ctx.store();
    const config = await axeConfigOf(ctx, store);
    const s = axeStatus(store, config, ctx.clock.wallMs(), await installedScheduler(ctx.env));
    if (ctx.format !== 'text') writeRecord(ctx, axeStatusToWire(s));
    else {
      const c = ctx.colors;
      const last = readAxeState(store.repo).last_tick;
      const lines = [
        `${c.bold('axe')}: ${statusColor(c, s.health)(s.health.replace('_', ' '))} (${s.repository})`,
        `scheduler: ${s.scheduler ?? 'none'}; ${s.registered ? 'registered' : 'not registered'}`,
        `last tick: ${last ? `${cardTime(ctx, last.started_at)}${last.ran.length ? ` ran ${last.ran.join(', ')}` : ''}` : 'never'}`,
        ...(s.maintenance
          ? [c.yellow(`in maintenance since ${cardTime(ctx, s.maintenance.since)}: ${s.maintenance.reason}`)]
          : []),
        ...s.problems.map((p) => c.red(`problem: ${p}`)),
        '',
        ...s.lumberjacks.map((l) => lumberjackLine(ctx, l)),
        '',
        ...s.chops.map((v) => chopViewLine(ctx, v)),
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
    }
    return s.health === 'healthy' ? 0 : s.health === 'degraded' ? 1 : 2;
  },
});
