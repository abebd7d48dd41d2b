// What bead commands ask of the store, in one place: resolve ids, read beads
// with their relations, commit operations, and render wire records.
import type { BeadOp } from '../core/beads/ops.ts';
import type { Bead } from '../core/beads/model.ts';
import { openBlockers } from '../core/beads/graph.ts';
import { beadToWire, beadRef } from '../wire/bead.ts';
import { commitBeadOp, readBeads, resolveIds, shardIds, shortIdMap, type BeadCommit, type SnapshotBeadReader } from './beads.ts';
import { freshTable, relationIndex, type BeadTable, type Progress } from './bead-cache.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';

export { resolveIds, readBeads, shardIds, shortIdMap, freshTable, type BeadTable };

export function commitBeads(store: Store, makeOp: (reader: SnapshotBeadReader) => Promise<BeadOp>, progress?: Progress): Promise<BeadCommit> {
  return commitBeadOp(store, async (snap) => relationIndex(await freshTable(store, snap.tip, progress)), makeOp);
}

/** Wire records for beads, with short ids and each one's blocked flag. */
export async function wireBeads(snap: Snapshot, beads: Bead[], table?: BeadTable): Promise<Record<string, unknown>[]> {
  const shorts = await shortIdMap(
    snap,
    beads.map((b) => b.id),
  );
  return beads.map((b) => {
    const extra = table ? { blocked: table.beads.get(b.id)?.blocked ?? false } : {};
    return beadToWire(b, shorts.get(b.id) ?? b.id, extra);
  });
}

/** A bead with its parent, children, blockers and dependants resolved (for show). */
export async function beadWithRelations(store: Store, snap: Snapshot, bead: Bead, progress?: Progress): Promise<Record<string, unknown>> {
  const table = await freshTable(store, snap.tip, progress);
  const rel = relationIndex(table);
  const childIds = rel.childrenOf(bead.id);
  const depIds = bead.dependencies.map((d) => d.depends_on_id);
  const dependantIds = rel.dependantsOf(bead.id);
  const related = await readBeads(snap, [...new Set([...(bead.parent_id ? [bead.parent_id] : []), ...childIds, ...depIds, ...dependantIds])]);
  const byId = new Map(related.map((b) => [b.id, b]));
  const shorts = await shortIdMap(snap, [bead.id, ...byId.keys()]);
  const ref = (id: string) => {
    const b = byId.get(id);
    return b ? beadRef(b, shorts.get(id) ?? id) : { id, short_id: id, title: null, status: 'missing', issue_type: null, priority: null };
  };
  const lookup = (id: string) => table.beads.get(id);
  const excerpt = table.beads.get(bead.id);
  const blockers = excerpt ? openBlockers(excerpt, lookup) : [];
  return {
    ...beadToWire(bead, shorts.get(bead.id) ?? bead.id, { blocked: blockers.length > 0 }),
    open_blockers: blockers,
    parent: bead.parent_id ? ref(bead.parent_id) : null,
    children: childIds.sort(naturalIdOrder).map(ref),
    blockers: depIds.map(ref),
    dependants: dependantIds.sort(naturalIdOrder).map(ref),
  };
}

/** Orders x.2 before x.10. */
export function naturalIdOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
