import { beadAction } from '../cli/bead-action.ts';
import { NO_IDS_EXIT, NO_IDS_INPUT, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { removedToWire } from '../wire/bead.ts';

export const spec = defineCommand({
  name: 'bead-rm',
  summary: 'remove beads',
  args: [{ name: 'id', complete: 'beads', description: 'beads to remove', variadic: true }],
  options: [
    {
      flags: '--force',
      description: 'also remove their children, and drop dependencies on them from other beads',
      type: 'bool',
    },
  ],
  stdin: true,
  description: `Removes beads from the state ref, all or nothing, in one commit. A bead with children, or one that other beads depend on, is refused unless --force is given: then its descendants are removed too and the dependency edges pointing at it are dropped from the beads that had them.

The bead stays in the history of refs/sase/state (sase log shows the removal); closing is usually what you want.`,
  input: `Ids as arguments, or on stdin (bare ids or NDJSON records with "id"). ${NO_IDS_INPUT}`,
  output:
    'One NDJSON record of kind "bead" for each bead that lost a dependency (with --force), then one record {v, kind: "removed", id} for each bead removed.',
  exit: [
    NO_IDS_EXIT,
    [1, 'refused: a bead has children or dependants and --force was not given'],
    [4, 'no bead matches an id'],
  ],
  examples: [
    { cmd: 'sase bead rm k3f9', text: 'remove a bead created by mistake' },
    { cmd: 'sase bead rm 7m2q --force', text: 'remove an epic with its phases' },
  ],
  seeAlso: ['sase-bead-close', 'sase-log'],
  async run(ctx, args, opts) {
    const { removed } = await beadAction(ctx, args, opts, ({ ids, at, actor }) => ({
      op: 'bead.rm',
      ids,
      force: opts.force ?? false,
      at,
      actor,
    }));
    for (const id of removed) {
      if (ctx.format === 'text') ctx.stdout.write(`removed ${id}\n`);
      else writeRecord(ctx, removedToWire(id));
    }
    return 0;
  },
});
