import { wireRuns } from '../app/agents/view.ts';
import { printRuns } from '../cli/agent-view.ts';
import { sayIfEmpty } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { isFinished, RUN_STATUSES } from '../core/agents/run.ts';
import { checkLength, UsageError } from '../core/errors.ts';
import { applyListOps, checkListOps, type ListShape } from '../core/list-ops.ts';
import { shortRecordIds } from '../core/records.ts';
import { listRuns } from '../store/runs.ts';
import type { AgentRecord } from '../wire/agent.ts';

const RECENT_MS = 24 * 3600_000;

/** Runs newest first (the store's order of creation, reversed) unless --sort is given; --grep searches a run's name, links and error. */
export const RUN_SHAPE: ListShape<AgentRecord> = {
  fields: [
    'id',
    'name',
    'status',
    'provider',
    'model',
    'bead',
    'created_at',
    'started_at',
    'ended_at',
    'seconds',
    'exit_code',
  ],
  text: (r) => [r.name, r.id, r.bead, r.changespec, r.error, r.wait_reason],
};

export const spec = defineCommand({
  name: 'agent-list',
  prints: ['agent'],
  summary: 'list agent runs: those not finished and those that ended in the last day',
  args: [],
  options: [
    { flags: '--all', description: 'every run ever recorded', type: 'bool' },
    {
      flags: '--status <list>',
      description: `only runs with these statuses (${RUN_STATUSES.join(', ')}); comma-separated`,
      type: 'list',
      choices: [...RUN_STATUSES],
    },
    { flags: '--bead <id>', description: 'only runs of this bead', complete: 'beads' },
    ...listOptions('runs', RUN_SHAPE, 'name, id, bead, change, error or wait reason'),
  ],
  description: `Lists runs, newest first (--sort changes the order): by default every run not finished (queued, waiting, running) and those that ended in the last 24 hours; --all lists every run. Statuses are as a reader should believe them: a run recorded as running whose process is gone is listed as failed (dead) until sase-agent-reap(1) records it, so --status running never lists a dead run.`,
  output:
    'NDJSON records of kind "agent", one a run (see sase-agent-run(1)). With --format id, run ids. On a terminal, a table whose ids are in their short form (r- and the shortest prefix unique among every run, at least 4 characters), which every command taking a run accepts.',
  exit: [],
  examples: [
    { cmd: 'sase agent list', text: 'what is running, waiting, or ended today' },
    { cmd: 'sase agent list --all --status failed --format id', text: 'the ids of every failed run' },
  ],
  seeAlso: ['sase-agent-show', 'sase-agent-run', 'sase-agent-reap'],
  async run(ctx, args, opts) {
    if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
    checkListOps(RUN_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const store = await ctx.store();
    const nowMs = ctx.clock.now().getTime();
    const statuses: readonly string[] | undefined = opts.status;
    const bead = opts.bead === undefined ? null : checkLength('--bead', opts.bead, 100); // a bead id is at most 100
    const all = await listRuns(await store.snapshot());
    const runs = all
      .filter(
        (r) =>
          opts.all ||
          statuses ||
          !isFinished(r.status) ||
          (r.ended_at !== null && nowMs - Date.parse(r.ended_at) < RECENT_MS),
      )
      .filter((r) => bead === null || r.bead === bead || r.bead?.startsWith(bead));
    const recs = applyListOps(
      (await wireRuns(store, runs, nowMs)).filter((r) => !statuses || statuses.includes(String(r.status))).reverse(),
      RUN_SHAPE,
      opts,
    );
    if (ctx.format === 'id') for (const r of recs) ctx.stdout.write(`${r.id}\n`);
    else
      printRuns(
        ctx,
        recs,
        shortRecordIds(
          recs.map((r) => r.id),
          all.map((r) => r.id),
        ),
      );
    await sayIfEmpty(ctx, recs.length, () =>
      opts.all || statuses ? 'no runs' : 'no recent runs; every run: sase agent list --all',
    );
    return 0;
  },
});
