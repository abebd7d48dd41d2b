import { readAxeState } from '../app/axe/history.ts';
import { chopViews } from '../app/axe/status.ts';
import { AXE_SHAPE, axeConfigOf, chopViewLine } from '../cli/axe-view.ts';
import { sayIfEmpty, writeRecord } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { applyListOps, checkListOps } from '../core/list-ops.ts';
import { chopToWire } from '../wire/axe-state.ts';

export const CHOP_OUTPUT =
  'One NDJSON record per chop: {v, kind: "chop", name, where (what runs it: a built-in, a path or the configured command; null when not found), problem (why it cannot run, or null), timeout, run_every, enabled, lumberjacks (those that run it), last_run_at, last_status, last_summary, last_run_id}. On a terminal, a few lines each.';

export const spec = defineCommand({
  name: 'axe-chop-list',
  prints: ['chop'],
  summary: "the Axe's chops: where each is found, its timeout, its last result",
  args: [],
  options: [...listOptions('chops', AXE_SHAPE, 'name or last summary')],
  description: `Lists every chop a lumberjack names or the configuration has a section for, in the order first named: where it is found (the configured command, .sase/axe/chops/<name>, a built-in, or sase-chop-<name> on PATH), its timeout and run_every, the lumberjacks that run it, and its last run on this machine.`,
  output: CHOP_OUTPUT,
  exit: [[128, "the Axe's configuration has problems (each is a line on stderr)"]],
  examples: [{ cmd: 'sase axe chop list', text: 'what the Axe runs' }],
  seeAlso: ['sase-axe-chop-run', 'sase-axe-chop-doctor', 'sase-axe-tick'],
  async run(ctx, _args, opts) {
    checkListOps(AXE_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const store = await ctx.store();
    const all = chopViews(store, await axeConfigOf(ctx, store), readAxeState(store.repo));
    const views = applyListOps(all, AXE_SHAPE, opts);
    if (ctx.format !== 'text') for (const v of views) writeRecord(ctx, chopToWire(v));
    else if (views.length) ctx.stdout.write(`${views.map((v) => chopViewLine(ctx, v)).join('\n')}\n`);
    await sayIfEmpty(ctx, views.length, () => 'no chops');
  },
});
