import { beadAction } from '../cli/bead-action.ts';
import { defineCommand } from '../cli/spec.ts';
import { isExternalRef } from '../core/beads/model.ts';
import { resolveIds } from '../store/beads.ts';

export const spec = defineCommand({
  name: 'bead-dep-add',
  prints: ['bead'],
  summary: 'make a bead depend on another (its blocker)',
  args: [
    { name: 'id', complete: 'beads', description: 'the bead that waits', required: true },
    {
      name: 'blocker',
      complete: 'beads',
      description: 'the bead it waits for, or an external reference external:<project>:<capability>',
      required: true,
    },
  ],
  options: [],
  description: `Records that <id> depends on <blocker>: <id> is not ready until <blocker> is closed. A dependency that would close a loop is refused, and the loop is named. Adding a dependency that exists already changes nothing.

The blocker may also be an external reference, external:<project>:<capability> (a capability another project provides, as the Go bd tool writes it): sase cannot see it close, so <id> waits until it is marked satisfied with sase bead dep satisfy.`,
  output: 'The dependent bead as one NDJSON record of kind "bead".',
  exit: [
    [1, 'refused: the dependency would make a cycle (it is named) or a bead would depend on itself'],
    [4, 'either id does not exist'],
  ],
  examples: [
    { cmd: 'sase bead dep add 7m2q.2 7m2q.1', text: 'phase 2 waits for phase 1' },
    { cmd: 'sase bead dep add 7m2q.3 external:gastown:gt-5kjn', text: 'phase 3 waits for another project' },
  ],
  seeAlso: ['sase-bead-dep-rm', 'sase-bead-dep-list', 'sase-bead-dep-tree', 'sase-bead-dep-satisfy'],
  async run(ctx, args, opts) {
    const [id, blocker] = args as [string, string];
    await beadAction(ctx, [id], { ...opts, stdin: false }, async ({ ids, at, actor, reader }) => {
      const [b] = isExternalRef(blocker) ? [blocker] : await resolveIds(reader.snap, [blocker]);
      return { op: 'bead.dep-add', id: ids[0]!, blocker: b!, at, actor };
    });
    return 0;
  },
});
