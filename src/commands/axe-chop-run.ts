import { runChop } from '../app/axe/runner.ts';
import { axeConfigOf, chopLine } from '../cli/axe-view.ts';
import { checkTargets } from '../cli/chop-command.ts';
import { isoNow } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { chopConfig } from '../core/axe/config.ts';
import { UsageError } from '../core/errors.ts';
import { chopRunToWire } from '../wire/axe-state.ts';

export const spec = defineCommand({
  name: 'axe-chop-run',
  prints: ['chop-run'],
  summary: 'run one chop now, as a tick would',
  args: [
    { name: 'name', description: 'the chop', required: true },
    { name: 'target', description: 'ids of the records it should look at only', variadic: true },
  ],
  options: [{ flags: '--dry-run', description: 'the chop says what it would do and changes nothing', type: 'bool' }],
  description: `Runs the named chop once, now, exactly as a tick runs it (sase-axe-tick(1)): the same context file (its lumberjack is 'manual'), timeout, result checks and launches, and the run is kept in its history. Any chop can be named, configured or not: a built-in, .sase/axe/chops/<name>, or sase-chop-<name> on PATH. It does not take the tick lock; what it writes goes through the same compare-and-swap as everything else.`,
  output:
    'One NDJSON record {v, kind: "chop_run", chop, lumberjack, run_id, at, seconds, how, status, summary, counters, launched, dir} (see sase-axe-tick(1)). On a terminal, a line.',
  exit: [
    [1, 'the chop failed, found a problem, or was not found'],
    [129, 'a chop name that cannot be one, or a target that is no record id'],
    [128, "the Axe's configuration has problems (each is a line on stderr)"],
  ],
  examples: [
    { cmd: 'sase axe chop run waits --dry-run', text: 'what would start now' },
    { cmd: 'sase axe chop run my-check', text: 'run your own chop from .sase/axe/chops/' },
  ],
  seeAlso: ['sase-axe-chop-list', 'sase-axe-tick'],
  async run(ctx, args, opts) {
    const name = args[0]!;
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name))
      throw new UsageError(`'${name}' is not a chop name (lower-case letters, digits, '-' and '_')`);
    checkTargets(args.slice(1));
    const store = await ctx.store();
    const config = await axeConfigOf(ctx, store);
    const o = await runChop(store, chopConfig(config, name), {
      lumberjack: 'manual',
      dryRun: opts.dryRun ?? false,
      targets: args.slice(1),
      env: { cwd: store.repo.topLevel ?? ctx.cwd, env: ctx.env, at: isoNow(ctx), random: ctx.random },
      random: ctx.random,
      history: config.history,
      startedMs: ctx.clock.wallMs(),
    });
    if (ctx.format !== 'text') writeRecord(ctx, chopRunToWire(o));
    else ctx.stdout.write(`${chopLine(ctx.colors, o)}\n`);
    return o.result.status === 'ok' || o.result.status === 'no_op' ? 0 : 1;
  },
});
