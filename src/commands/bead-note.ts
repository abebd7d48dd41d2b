import { beadAction } from '../cli/bead-action.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkText } from '../core/beads/model.ts';
import { UsageError } from '../core/errors.ts';

export const spec = defineCommand({
  name: 'bead-note',
  prints: ['bead'],
  summary: 'append a note to a bead',
  args: [
    { name: 'id', complete: 'beads', description: 'the bead', required: true },
    { name: 'text', description: 'the note (one argument; quote it)', required: true },
  ],
  options: [],
  formatted: true,
  description: `Appends a line "[<time>] <author>: <text>" to the bead's notes, in one commit. Notes are the bead's running log: what was tried, what was found, where work stopped, so the next agent or person can resume.`,
  output: 'The bead as one NDJSON record of kind "bead".',
  exit: [[4, 'no bead matches the id']],
  examples: [
    { cmd: "sase bead note k3f9 'cache invalidation done; query side next'", text: 'leave a note for whoever resumes' },
  ],
  seeAlso: ['sase-bead-update', 'sase-bead-show'],
  async run(ctx, args, opts) {
    const [id, text] = args;
    if (text === undefined || text.trim() === '') throw new UsageError('missing <text>');
    checkText('note', text, 100_000);
    await beadAction(ctx, [id!], { ...opts, stdin: false }, ({ ids, at, actor }) => ({
      op: 'bead.note',
      id: ids[0]!,
      text,
      at,
      actor,
    }));
    return 0;
  },
});
