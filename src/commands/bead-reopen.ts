import { beadAction } from '../cli/bead-action.ts';
import { NO_IDS_EXIT, NO_IDS_INPUT } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  name: 'bead-reopen',
  prints: ['bead'],
  summary: 'reopen closed beads',
  args: [{ name: 'id', complete: 'beads', description: 'closed beads to reopen', variadic: true }],
  options: [],
  stdin: true,
  description: `Reopens closed beads, all or nothing, in one commit: status becomes open, the assignee is cleared, and the close (time, reason, resolution) moves into close_history with when and by whom it was reopened. A bead whose parent is closed can only be reopened together with that parent.`,
  input: `Ids as arguments, or on stdin (bare ids or NDJSON records with "id"). ${NO_IDS_INPUT}`,
  output: 'The reopened beads as NDJSON records of kind "bead".',
  exit: [NO_IDS_EXIT, [1, 'refused: a bead is not closed, or its parent is closed'], [4, 'no bead matches an id']],
  examples: [{ cmd: 'sase bead reopen k3f9', text: 'reopen a bead closed by mistake' }],
  seeAlso: ['sase-bead-close'],
  async run(ctx, args, opts) {
    await beadAction(ctx, args, opts, ({ ids, at, actor }) => ({ op: 'bead.reopen', ids, at, actor }));
    return 0;
  },
});
