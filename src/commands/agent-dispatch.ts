import { dispatchRuns } from '../app/agents/dispatch.ts';
import { wireRun } from '../app/agents/view.ts';
import { printRunLine } from '../cli/agent-view.ts';
import { isoNow } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { type CommandSpec, defineCommand } from '../cli/spec.ts';
import type { Dispatched } from '../core/agents/dispatch.ts';
import { UsageError } from '../core/errors.ts';
import { dispatchToWire } from '../wire/agent.ts';

export const spec = defineCommand({
  name: 'agent-dispatch',
  prints: ['dispatch'],
  summary: 'start the waiting runs whose waits are met, up to the runner limit',
  args: [],
  options: [
    {
      flags: '--max <n>',
      description:
        'at most <n> runs running or queued at once, those already going included (default: [axe] max_agent_runners in config, else 3)',
      type: 'int',
    },
    {
      flags: '--dry-run',
      description: 'say what would start and why the others wait; start and record nothing',
      type: 'bool',
    },
  ],
  description: `Looks at every run stored as waiting (made by sase-agent-run(1) with --wait or a %wait: directive), oldest first, and starts those whose waits are all met: every agent it names is done (a name means the newest run of that name, so a retry that succeeds counts) and every bead it names is closed.

Starting a run takes its workspace (a new numbered one at HEAD, or the one its workspace reference names), records it queued with that workspace and puts its bead in progress, in one operation, and starts its supervisor (sase-agent-exec(1)) in the background, as sase-agent-run --detach does. The operation is built on the record as it is at that moment, so when two dispatchers (two terminals, or an Axe tick and a person) race, a run starts once; the other sees it skipped.

At most --max runs may be running or queued at once, counting those already going (a run whose process is gone does not count; see sase-agent-reap(1)); a ready run beyond the limit stays waiting and says so. A run started by this pass is queued, not done, so a run waiting on it starts at a later pass.

A run that cannot start keeps waiting, and the reason in its record (wait_reason, shown by sase-agent-show(1) and sase-agent-list(1)) is brought up to date: what it waits for, or "blocked: agent 'build' failed (r-...)" when a dependency failed or was killed. A blocked run starts once a newer run of that name is done (sase-agent-retry(1)), or never; kill it with sase-agent-kill(1). The reasons of all the runs are written in one operation, and only when they changed.

Safe to run from cron or a loop: a pass with nothing to do writes nothing. sase axe runs it on each tick.`,
  output:
    'One NDJSON record a waiting run considered, oldest first: {v: 1, kind: "dispatch", id, name, action, reason, dry_run, run}. action is started (now queued, its supervisor starting), waiting (a dependency is not finished yet), blocked (a dependency failed or was killed), limit (ready, but the runner limit is reached), budget (ready, but a [budget] in config is reached: per_run, per_epic or per_day, a number in the currency the provider reports or <n> tokens; reason says which and how much was spent), skipped (no longer waiting when it came to start it: another dispatcher started it, or it was killed) or error (its workspace or bead could not be taken; it stays waiting). reason says why it did not start (null when it did). run is the run record after the pass (see sase-agent-run(1)); with --dry-run, as it would be. With --format id, the ids of the runs started, one a line. On a terminal, a line a run. Nothing when no run waits.',
  exit: [
    [1, 'a ready run could not be started (action error)'],
    [128, "config: 'axe.max_agent_runners' is not a whole number of at least 1"],
    [129, '--max is not a whole number of at least 1; an unexpected argument'],
  ],
  examples: [
    { cmd: 'sase agent dispatch', text: 'start what can start' },
    { cmd: 'sase agent dispatch --dry-run', text: 'what would start, and why the others wait' },
    {
      cmd: 'sase agent dispatch --max 1 --format id | xargs -r -n1 sase agent log --follow',
      text: 'start one run and follow it',
    },
    {
      cmd: "sase run --wait bead:sase-k3f9 --name deploy --detach 'Deploy it' && sase bead close sase-k3f9 && sase agent dispatch",
      text: 'a run that starts once a bead is closed',
    },
  ],
  seeAlso: ['sase-agent-run', 'sase-agent-show', 'sase-agent-list', 'sase-agent-kill', 'sase-agent-retry'],
  async run(ctx, args, opts) {
    if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
    const store = await ctx.store();
    const dryRun = opts.dryRun ?? false;
    const env = { cwd: ctx.cwd, env: ctx.env, at: isoNow(ctx), random: ctx.random };
    const done = await dispatchRuns(store, env, { max: opts.max, dryRun });
    const nowMs = ctx.clock.now().getTime();
    for (const d of done) {
      if (d.action === 'error') ctx.stderr.write(`${ctx.errColors.red('error:')} run '${d.run.id}': ${d.reason}\n`);
      if (ctx.format === 'id') {
        if (d.action === 'started') ctx.stdout.write(`${d.run.id}\n`);
      } else if (ctx.format === 'json') writeRecord(ctx, dispatchToWire(d, wireRun(store, d.run, nowMs), dryRun));
      else printLine(ctx, store, d, dryRun, nowMs);
    }
    return done.some((d) => d.action === 'error') ? 1 : 0;
  },
});

const VERBS: Record<Dispatched['action'], [string, string]> = {
  started: ['started', 'would start'],
  waiting: ['waiting', 'waiting'],
  blocked: ['blocked', 'blocked'],
  limit: ['held back', 'held back'],
  budget: ['held back (budget)', 'held back (budget)'],
  skipped: ['skipped', 'skipped'],
  error: ['not started', 'not started'],
};

function printLine(
  ctx: Parameters<CommandSpec['run']>[0],
  store: Parameters<typeof wireRun>[0],
  d: Dispatched,
  dryRun: boolean,
  nowMs: number,
): void {
  const verb = VERBS[d.action][dryRun ? 1 : 0];
  if (d.action === 'started') {
    printRunLine(ctx, wireRun(store, d.run, nowMs), verb);
    return;
  }
  const c = ctx.colors;
  const label = d.run.name ? `${d.run.name} (${d.run.id})` : d.run.id;
  const color =
    d.action === 'blocked' || d.action === 'error'
      ? c.red
      : d.action === 'limit' || d.action === 'budget'
        ? c.yellow
        : c.cyan;
  ctx.stdout.write(`${color(verb)} ${c.bold(clean(label))}: ${clean(d.reason ?? '')}\n`);
}
