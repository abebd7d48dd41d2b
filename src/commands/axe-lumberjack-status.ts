import { readAxeState } from '../app/axe/history.ts';
import { chopViews, lumberjackViews } from '../app/axe/status.ts';
import { axeConfigOf, chopViewLine, lumberjackLine } from '../cli/axe-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { chopToWire, lumberjackToWire } from '../wire/axe-state.ts';

export const spec = defineCommand({
  name: 'axe-lumberjack-status',
  prints: ['lumberjack', 'chop'],
  summary: "a lumberjack's last run, result and next due time, with its chops' last results",
  args: [{ name: 'name', description: 'the lumberjack (default: every one)', variadic: true }],
  options: [],
  description: `Tells how the named lumberjacks did on this machine: each one's last run, its result (the worst of its chops'), when it is next due, and the last result of each of its chops. Without a name, every lumberjack.`,
  output:
    'Per lumberjack, one NDJSON record {v, kind: "lumberjack", ...} (see sase-axe-lumberjack-list(1)) followed by a record {v, kind: "chop", ...} (see sase-axe-chop-list(1)) per chop it runs. On a terminal, lines.',
  exit: [
    [1, 'a lumberjack named (or any) last ended failed or with a check error'],
    [129, 'no lumberjack of that name'],
    [128, "the Axe's configuration has problems (each is a line on stderr)"],
  ],
  examples: [{ cmd: 'sase axe lumberjack status waits', text: 'how the waits loop did' }],
  seeAlso: ['sase-axe-lumberjack-list', 'sase-axe-status'],
  async run(ctx, args) {
    const store = await ctx.store();
    const config = await axeConfigOf(ctx, store);
    const state = readAxeState(store.repo);
    const all = lumberjackViews(config, state);
    for (const n of args)
      if (!all.some((l) => l.name === n))
        throw new UsageError(`no lumberjack '${n}' (there are: ${all.map((l) => l.name).join(', ')})`);
    const picked = args.length ? all.filter((l) => args.includes(l.name)) : all;
    const chops = chopViews(store, config, state);
    const lines: string[] = [];
    for (const l of picked) {
      const mine = l.chops.map((name) => chops.find((c) => c.name === name)!);
      if (ctx.format !== 'text') {
        writeRecord(ctx, lumberjackToWire(l));
        for (const c of mine) writeRecord(ctx, chopToWire(c));
      } else lines.push(lumberjackLine(ctx, l), ...mine.map((c) => `  ${chopViewLine(ctx, c)}`));
    }
    if (lines.length) ctx.stdout.write(`${lines.join('\n')}\n`);
    return picked.some((l) => l.last_status === 'failed' || l.last_status === 'check_error') ? 1 : 0;
  },
});
