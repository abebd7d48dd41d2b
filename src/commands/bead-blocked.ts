import { pickBeads } from '../cli/bead-pick.ts';
import { BEAD_SEARCHED, BEAD_SHAPE, printBeads } from '../cli/bead-view.ts';
import { sayIfEmpty } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { openBlockers } from '../core/beads/graph.ts';
import { ISSUE_TYPES } from '../core/beads/model.ts';
import { checkListOps } from '../core/list-ops.ts';
import { freshTable } from '../store/bead-cache.ts';
import { readBeads, resolveIds, shortIdMap } from '../store/beads.ts';
import { blockedBeadToWire } from '../wire/bead.ts';

export const spec = defineCommand({
  name: 'bead-blocked',
  prints: ['bead-blocked'],
  summary: 'list open beads that wait on unclosed blockers, with what blocks each',
  args: [],
  options: [
    { flags: '--type <type>', description: 'only beads of this type', choices: ISSUE_TYPES },
    { flags: '--parent <id>', description: 'only children of this bead', complete: 'beads' },
    ...listOptions('beads', BEAD_SHAPE, BEAD_SEARCHED),
  ],
  description: `Lists the open beads that are not ready: each has at least one blocker that holds it (its own, or one of an ancestor's): a dependency on a bead that is not closed, or a blocker sase cannot see that is not marked satisfied (sase bead dep satisfy): an external reference (external:<project>:<capability>), or a dependency or parent naming a bead that does not exist (sase bead import records those in the bead's missing list). Same order as sase bead ready (priority, then creation time, then id), unless --sort says otherwise.`,
  output:
    'One NDJSON record of kind "bead" a blocked bead (see sase-bead-show(1)), with blocked true and blocked_by, the ids of the blockers that hold it (an ancestor\'s included): unclosed beads, missing beads and parents, external references. On a terminal, a table with a BLOCKED BY column.',
  exit: [[4, 'the --parent bead does not exist']],
  examples: [
    { cmd: 'sase bead blocked', text: 'what is waiting, and on what' },
    { cmd: 'sase bead blocked --parent 7m2q --format id', text: 'blocked phases of an epic' },
  ],
  seeAlso: ['sase-bead-ready', 'sase-bead-dep-tree'],
  async run(ctx, _args, opts) {
    checkListOps(BEAD_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const store = await ctx.store();
    const snap = await store.snapshot();
    const table = await freshTable(store, snap.tip, (d, t) => ctx.progress(`reading beads: ${d}/${t}`));
    const [parent] = opts.parent ? await resolveIds(snap, [opts.parent]) : [null];
    const lookup = (id: string) => table.beads.get(id);
    const rows = [...table.beads.values()].filter(
      (e) =>
        e.status === 'open' &&
        e.blocked &&
        (!opts.type || e.issue_type === opts.type) &&
        (!parent || e.parent_id === parent),
    );
    const beads = await readBeads(snap, await pickBeads(snap, rows, opts));
    const shorts = await shortIdMap(
      snap,
      beads.map((b) => b.id),
    );
    const records = beads.map((b) =>
      blockedBeadToWire(b, shorts.get(b.id) ?? b.id, openBlockers(table.beads.get(b.id)!, lookup)),
    );
    printBeads(ctx, records, { blockers: true });
    await sayIfEmpty(ctx, records.length, () => 'no blocked beads');
    return 0;
  },
});
