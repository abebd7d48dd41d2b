// Which beads a list prints, from the cache's excerpts: --grep reads the
// stored beads (an excerpt has the title only), --sort and --limit do not.

import type { Excerpt } from '../core/beads/table.ts';
import { applyListOps, type ListOps, matchesText } from '../core/list-ops.ts';
import { readBeads } from '../store/beads.ts';
import type { Snapshot } from '../store/snapshot.ts';
import { BEAD_SHAPE } from './bead-view.ts';

/** The ids of the beads to print: those --grep finds, in --sort's order (or priority, age, id), at most --limit. */
export async function pickBeads(snap: Snapshot, rows: readonly Excerpt[], ops: ListOps): Promise<string[]> {
  let found = rows;
  const grep = ops.grep;
  if (grep) {
    const hits = new Set(
      (
        await readBeads(
          snap,
          rows.map((e) => e.id),
        )
      )
        .filter((b) => matchesText(grep, BEAD_SHAPE.text(b)))
        .map((b) => b.id),
    );
    found = rows.filter((e) => hits.has(e.id));
  }
  return applyListOps(found, BEAD_SHAPE, { sort: ops.sort, limit: ops.limit }).map((e) => e.id);
}
