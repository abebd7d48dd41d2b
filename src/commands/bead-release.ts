import { beadAction } from '../cli/bead-action.ts';
import { NO_IDS_EXIT, NO_IDS_INPUT } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkLine, LIMITS } from '../core/beads/model.ts';

export const spec = defineCommand({
  name: 'bead-release',
  prints: ['bead'],
  summary: 'release claimed beads back to open',
  args: [{ name: 'id', complete: 'beads', description: 'claimed or in-progress beads to release', variadic: true }],
  options: [
    { flags: '--as <name>', description: 'who releases them (default: your git author email); must be the holder' },
    { flags: '--force', description: 'release even when someone else holds the claim', type: 'bool' },
  ],
  stdin: true,
  description: `Undoes a claim: claimed or in-progress beads go back to open with no assignee, all or nothing, in one commit. Only the holder (the assignee) may release unless --force is given.`,
  input: `Ids as arguments, or on stdin (bare ids or NDJSON records with "id"). ${NO_IDS_INPUT}`,
  output: 'The released beads as NDJSON records of kind "bead".',
  exit: [
    NO_IDS_EXIT,
    [1, 'refused: a bead is not claimed, or is held by someone else and --force was not given'],
    [4, 'no bead matches an id'],
  ],
  examples: [
    { cmd: 'sase bead release k3f9 --as worker-1', text: 'give a bead back' },
    {
      cmd: 'sase bead list --assignee worker-1 | sase bead release --force',
      text: 'release everything a dead worker held',
    },
  ],
  seeAlso: ['sase-bead-claim'],
  async run(ctx, args, opts) {
    const as = opts.as === undefined ? null : checkLine('--as', opts.as, LIMITS.name);
    await beadAction(ctx, args, opts, ({ ids, at, actor }) => ({
      op: 'bead.release',
      ids,
      force: opts.force ?? false,
      at,
      actor: as ?? actor,
    }));
    return 0;
  },
});
