import { beadAction } from '../cli/bead-action.ts';
import { defineCommand } from '../cli/spec.ts';
import { resolveIds } from '../store/beads.ts';

export const spec = defineCommand({
  name: 'bead-dep-add',
  summary: 'make a bead depend on another (its blocker)',
  args: [
    { name: 'id', description: 'the bead that waits', required: true },
    { name: 'blocker', description: 'the bead it waits for', required: true },
  ],
  options: [],
  description: `Records that <id> depends on <blocker>: <id> is not ready until <blocker> is closed. A dependency that would close a loop is refused, and the loop is named. Adding a dependency that exists already changes nothing.`,
  output: 'The dependent bead as one NDJSON record of kind "bead".',
  exit: [
    [1, 'refused: the dependency would make a cycle (it is named) or a bead would depend on itself'],
    [4, 'either id does not exist'],
  ],
  examples: [{ cmd: 'sase bead dep add 7m2q.2 7m2q.1', text: 'phase 2 waits for phase 1' }],
  seeAlso: ['sase-bead-dep-rm', 'sase-bead-dep-list', 'sase-bead-dep-tree'],
  async run(ctx, args, opts) {
    const [id, blocker] = args as [string, string];
    await beadAction(ctx, [id], { ...opts, stdin: false }, async ({ ids, at, actor, reader }) => {
      const [b] = await resolveIds(reader.snap, [blocker]);
      return { op: 'bead.dep-add', id: ids[0]!, blocker: b!, at, actor };
    });
    return 0;
  },
});
