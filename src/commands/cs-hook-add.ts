import { addHook } from '../app/changes/hooks.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { printWritten } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkHookCommand, isBlocking } from '../core/changes/hooks.ts';
import { changeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-hook-add',
  prints: ['change'],
  summary: "add a hook (a shell command run against the change's commits) to a change",
  args: [
    { name: 'name', complete: 'changes', description: 'the change', required: true },
    {
      name: 'command',
      description:
        "the command: its words joined by spaces, or one quoted string; a leading '!' means its failure does not block",
      required: true,
      variadic: true,
    },
  ],
  options: [],
  description: `Appends a command to the change's HOOKS. sase-cs-hook-run(1) runs each hook with sh -c in a temporary worktree at one of the change's commits and records PASSED or FAILED for that commit.

The command is the user's own text, stored as given (one line, no control characters) and run verbatim: quotes, pipes, semicolons and variables mean what they mean to sh. Put '--' before command words that start with '-' (sase cs hook-add NAME -- make -j4). A hook whose text starts with '!' is advisory: its failure is recorded but does not block sase-cs-submit or mentors, nor make sase-cs-hook-run exit 1.

A command the change has already is refused.`,
  output:
    'The change as one NDJSON record of kind "changespec" (see sase-cs-show(1)); its hooks field lists {command, blocking, runs}. On a terminal, one line: added <name> hook <n>: <command> ((advisory) for a hook whose failure does not block).',
  exit: [
    [1, 'the change has that hook already'],
    [4, 'no such change'],
    [129, 'the command is empty, more than one line or has control characters'],
  ],
  examples: [
    { cmd: 'sase cs hook-add ready_cache_store npm test', text: 'a blocking hook' },
    {
      cmd: "sase cs hook-add ready_cache_store '!npm run lint -- --max-warnings 0'",
      text: 'an advisory hook, quoted as one string',
    },
  ],
  seeAlso: ['sase-cs-hook-run', 'sase-cs-hook-rm', 'sase-cs-show'],
  async run(ctx, args) {
    const name = await changeArg(ctx, args[0]!);
    const command = checkHookCommand(args.slice(1).join(' '));
    const store = await ctx.store();
    const { change, index } = await addHook(store, isoNow(ctx), name, command);
    printWritten(
      ctx,
      [change],
      (ch, c) => ({
        verb: 'added',
        id: `${ch.name} hook ${index}`,
        title: command,
        note: isBlocking(command) ? '' : c.dim(' (advisory)'),
      }),
      changeToWire,
    );
    return 0;
  },
});
