import { removeHook } from '../app/changes/hooks.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { printWritten } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { changeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-hook-rm',
  prints: ['change'],
  summary: 'remove a hook from a change',
  args: [
    { name: 'name', complete: 'changes', description: 'the change', required: true },
    {
      name: 'hook',
      description: 'the hook: its exact text (words joined by spaces), or its number in HOOKS from 1',
      required: true,
      variadic: true,
    },
  ],
  options: [],
  description: `Removes a hook from the change's HOOKS, with the record of its runs. Its stored logs leave the change (they stay in the state ref's history, see sase-log(1)); the hooks after it move up one number, and their logs with them.

The hook is named by its exact text first; a number that is no hook's text names the hook at that position (as sase-cs-show lists them).`,
  output:
    'The change as one NDJSON record of kind "changespec" (see sase-cs-show(1)). On a terminal, one line: removed <name> hook <n>: <command>.',
  exit: [[4, 'no such change, or the change has no such hook']],
  examples: [
    { cmd: 'sase cs hook-rm ready_cache_store npm test', text: 'by its text' },
    { cmd: 'sase cs hook-rm ready_cache_store 2', text: 'the second hook' },
  ],
  seeAlso: ['sase-cs-hook-add', 'sase-cs-hook-run', 'sase-cs-show'],
  async run(ctx, args) {
    const name = await changeArg(ctx, args[0]!);
    const which = args.slice(1).join(' ');
    if (which.trim() === '') throw new UsageError('missing <hook>');
    const store = await ctx.store();
    const { change, index, command } = await removeHook(store, isoNow(ctx), name, which);
    printWritten(
      ctx,
      [change],
      (ch) => ({ verb: 'removed', id: `${ch.name} hook ${index}`, title: command }),
      changeToWire,
    );
    return 0;
  },
});
