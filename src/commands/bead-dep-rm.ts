import { beadAction } from '../cli/bead-action.ts';
import { defineCommand } from '../cli/spec.ts';
import { resolveIds } from '../store/beads.ts';

export const spec = defineCommand({
  name: 'bead-dep-rm',
  prints: ['bead'],
  summary: 'remove a dependency between two beads',
  args: [
    { name: 'id', complete: 'beads', description: 'the bead that waits', required: true },
    {
      name: 'blocker',
      complete: 'beads',
      description: 'the bead (or external reference) it no longer waits for',
      required: true,
    },
  ],
  options: [],
  description: `Removes the dependency of <id> on <blocker>, in one commit. A blocker that is no bead of this repository (an external reference, external:<project>:<capability>, or a bead recorded missing) is written in full, as the bead's dependencies name it; its entries in the bead's missing and satisfied lists go with it.`,
  output: 'The bead as one NDJSON record of kind "bead".',
  exit: [[4, 'either id does not exist, or <id> does not depend on <blocker>']],
  examples: [{ cmd: 'sase bead dep rm 7m2q.2 7m2q.1', text: 'phase 2 no longer waits for phase 1' }],
  seeAlso: ['sase-bead-dep-add', 'sase-bead-dep-list'],
  async run(ctx, args, opts) {
    const [id, blocker] = args as [string, string];
    await beadAction(ctx, [id], { ...opts, stdin: false }, async ({ ids, at, actor, reader }) => {
      // a blocker that is no bead here (an external reference, a missing bead) is named as the bead names it
      const named = (await reader.get(ids[0]!))?.dependencies.some((d) => d.depends_on_id === blocker);
      const [b] = named ? [blocker] : await resolveIds(reader.snap, [blocker]);
      return { op: 'bead.dep-rm', id: ids[0]!, blocker: b!, at, actor };
    });
    return 0;
  },
});
