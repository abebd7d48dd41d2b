import { readAxeState } from '../app/axe/history.ts';
import { lumberjackViews } from '../app/axe/status.ts';
import { AXE_SHAPE, axeConfigOf, lumberjackLine } from '../cli/axe-view.ts';
import { sayIfEmpty, writeRecord } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { applyListOps, checkListOps } from '../core/list-ops.ts';
import { lumberjackToWire } from '../wire/axe-state.ts';

export const LUMBERJACK_OUTPUT =
  'One NDJSON record per lumberjack: {v, kind: "lumberjack", name, interval, chops, enabled, last_run_at, last_status (the worst of its chops: failed, check_error, ok or no_op), last_summary, next_due_at}. On a terminal, a few lines each.';

export const spec = defineCommand({
  name: 'axe-lumberjack-list',
  prints: ['lumberjack'],
  summary: "the Axe's lumberjacks: interval, chops, last run and next due time",
  args: [],
  options: [...listOptions('lumberjacks', AXE_SHAPE, 'name or last summary')],
  description: `Lists the lumberjacks (the Axe's scheduled loops) as the configuration and the defaults make them (see sase-axe-tick(1)), in the order a tick runs them, each with its interval, its chops, its last run on this machine and when it is next due.`,
  output: LUMBERJACK_OUTPUT,
  exit: [[128, "the Axe's configuration has problems (each is a line on stderr)"]],
  examples: [{ cmd: 'sase axe lumberjack list', text: 'what runs, how often' }],
  seeAlso: ['sase-axe-lumberjack-status', 'sase-axe-lumberjack-run', 'sase-axe-tick'],
  async run(ctx, _args, opts) {
    checkListOps(AXE_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const store = await ctx.store();
    const all = lumberjackViews(await axeConfigOf(ctx, store), readAxeState(store.repo));
    const views = applyListOps(all, AXE_SHAPE, opts);
    if (ctx.format !== 'text') for (const v of views) writeRecord(ctx, lumberjackToWire(v));
    else if (views.length) ctx.stdout.write(`${views.map((v) => lumberjackLine(ctx, v)).join('\n')}\n`);
    await sayIfEmpty(ctx, views.length, () => 'no lumberjacks');
  },
});
