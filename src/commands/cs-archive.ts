import { isoNow } from '../cli/context.ts';
import { changeArg, inputNames, printWrittenChanges } from '../cli/cs-view.ts';
import { NO_IDS_EXIT, NO_IDS_INPUT } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import type { ChangeSpec } from '../core/changes/spec.ts';
import { moveStatus, TERMINAL } from '../core/changes/status.ts';
import { RefusedError } from '../core/errors.ts';
import { commitChange, mustReadChange } from '../store/changes.ts';

export const spec = defineCommand({
  name: 'cs-archive',
  prints: ['change'],
  summary: 'archive changes: set aside for good, their record kept',
  args: [
    {
      name: 'name',
      complete: 'changes',
      description: 'the changes to archive (or names on stdin)',
      required: true,
      variadic: true,
    },
  ],
  options: [],
  stdin: true,
  description: `Moves each named change to status Archived, from any status that is not final, and logs the move in its TIMESTAMPS; all of them in one commit of the state ref. The record, its branch sase/cs/<name> and its commits are kept (as Gerrit keeps an abandoned change); archiving is final.

A change that is Submitted, Reverted or Archived already cannot be archived: when any named change is one of those, nothing is archived and every such change is named. Changes stacked on an archived change keep it as their parent; give them another with 'sase cs set <name> --parent'.

Names come from the arguments or, when there is none and stdin is not a terminal (or with --stdin or '-'), from stdin: bare names or NDJSON records with "name".`,
  input: `Bare change names, one a line, or NDJSON records with a "name" (or "id") field, such as sase-cs-list(1) prints. ${NO_IDS_INPUT}`,
  output:
    'Each archived change, one NDJSON record of kind "changespec" as sase-cs-show(1) prints it (without stack). On a terminal, one line per change: archived <name>: <the first line of its description> (Archived).',
  exit: [
    NO_IDS_EXIT,
    [1, 'refused: a named change is Submitted, Reverted or Archived already (they are named); nothing archived'],
    [4, 'no change by one of the names; nothing archived'],
  ],
  examples: [
    { cmd: 'sase cs archive old_experiment', text: 'set one change aside' },
    { cmd: "sase cs list --query 'text:spike' --status WIP | sase cs archive", text: 'every WIP spike' },
  ],
  seeAlso: ['sase-cs-set', 'sase-cs-list', 'sase-cs-show'],
  async run(ctx, args, opts) {
    const names = [...new Set(await Promise.all((await inputNames(ctx, args, opts)).map((n) => changeArg(ctx, n))))];
    if (!names.length) return 0;
    const store = await ctx.store();
    const at = isoNow(ctx);
    const { result } = await commitChange(store, at, async (snap) => {
      const changes: ChangeSpec[] = [];
      for (const n of names) changes.push(await mustReadChange(snap, n));
      const final = changes.filter((c) => TERMINAL.includes(c.status));
      if (final.length) {
        throw new RefusedError(
          `cannot archive ${final.map((c) => `'${c.name}' (${c.status})`).join(', ')}: ${final.length > 1 ? 'they are' : 'it is'} final; nothing archived`,
        );
      }
      const archived = changes.map((c) => moveStatus(c, 'Archived', at));
      return { op: { op: 'cs.archive', names }, changes: archived, result: archived };
    });
    printWrittenChanges(ctx, result, 'archived');
    return 0;
  },
});
