import { tickRepo } from '../app/axe/tick.ts';
import { axeConfigOf, tickLines } from '../cli/axe-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { tickToWire } from '../wire/axe-state.ts';

export const spec = defineCommand({
  name: 'axe-lumberjack-run',
  prints: ['axe-tick'],
  summary: 'run one lumberjack now, due or not',
  args: [{ name: 'name', description: 'the lumberjack', required: true }],
  options: [{ flags: '--dry-run', description: 'its chops say what they would do and change nothing', type: 'bool' }],
  description: `Runs the named lumberjack's chops now, in order, as a tick would when it is due (its next due time moves on from now). It takes the tick lock like any tick: while another tick runs it says so and exits 0; in maintenance it does nothing.`,
  output: 'One NDJSON record {v, kind: "axe_tick", ...} (see sase-axe-tick(1)). On a terminal, a line per chop.',
  exit: [
    [1, 'a chop failed or found a problem'],
    [129, 'no lumberjack of that name'],
    [128, "the Axe's configuration has problems (each is a line on stderr)"],
  ],
  examples: [{ cmd: 'sase axe lumberjack run hooks', text: 'run the hooks loop now' }],
  seeAlso: ['sase-axe-tick', 'sase-axe-lumberjack-status'],
  async run(ctx, args, opts) {
    const store = await ctx.store();
    await axeConfigOf(ctx, store);
    const r = await tickRepo(store, {
      only: args[0]!,
      force: true,
      dryRun: opts.dryRun ?? false,
      env: ctx.env,
      random: ctx.random,
    });
    if (ctx.format !== 'text') writeRecord(ctx, tickToWire(r));
    else ctx.stdout.write(`${tickLines(ctx.colors, r, false).join('\n')}\n`);
    return r.chops.some((c) => c.result.status === 'failed' || c.result.status === 'check_error') ? 1 : 0;
  },
});
