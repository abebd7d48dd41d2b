import { readAxeState } from '../app/axe/history.ts';
import { chopViews } from '../app/axe/status.ts';
import { axeConfigOf, chopViewLine } from '../cli/axe-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { chopToWire } from '../wire/axe-state.ts';
import { CHOP_OUTPUT } from './axe-chop-list.ts';

export const spec = defineCommand({
  name: 'axe-chop-doctor',
  prints: ['chop'],
  summary: 'check every chop: found, executable, and how it last ended',
  args: [],
  options: [],
  description: `Checks each chop that an enabled lumberjack runs: that it is found (the configured command, .sase/axe/chops/<name> as an executable file, a built-in, or sase-chop-<name> on PATH) and how its last run ended. Each problem is a line on stderr ('chop 'x' not found: ...', 'chop 'y' failed at ...'); it runs no chop.`,
  output: CHOP_OUTPUT,
  exit: [
    [1, 'a chop is missing or not executable, or its last run failed or found a problem'],
    [128, "the Axe's configuration has problems (each is a line on stderr)"],
  ],
  examples: [{ cmd: 'sase axe chop doctor', text: 'is every chop there and well?' }],
  seeAlso: ['sase-axe-chop-list', 'sase-axe-status'],
  async run(ctx) {
    const store = await ctx.store();
    const config = await axeConfigOf(ctx, store);
    const running = new Set(config.lumberjacks.filter((l) => l.enabled).flatMap((l) => l.chops));
    const views = chopViews(store, config, readAxeState(store.repo));
    let bad = 0;
    for (const v of views) {
      const used = v.enabled && running.has(v.name);
      if (used && v.problem) {
        bad++;
        ctx.stderr.write(`error: ${v.problem}\n`);
      } else if (used && (v.last_status === 'failed' || v.last_status === 'check_error')) {
        bad++;
        ctx.stderr.write(`error: chop '${v.name}' ${v.last_status} at ${v.last_run_at}: ${v.last_summary}\n`);
      }
    }
    if (ctx.format !== 'text') for (const v of views) writeRecord(ctx, chopToWire(v));
    else ctx.stdout.write(`${views.map((v) => chopViewLine(ctx, v)).join('\n')}\n`);
    return bad ? 1 : 0;
  },
});
