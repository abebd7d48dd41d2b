// What bead commands ask of the store, in one place: resolve ids, read beads
// with their relations, commit operations, and render wire records.

import { type GraphNode, graphNode, openBlockers } from '../core/beads/graph.ts';
import { naturalIdOrder } from '../core/beads/ids.ts';
import type { Bead } from '../core/beads/model.ts';
import type { BeadOp } from '../core/beads/ops.ts';
import type { BeadTable } from '../core/beads/table.ts';
import { type BeadRecord, type BeadRelations, beadRef, beadToWire, missingBeadRef } from '../wire/bead.ts';
import { type Progress, relationsAt } from './bead-cache.ts';
import { type BeadCommit, commitBeadOp, readBeads, type SnapshotBeadReader, shortIdMap } from './beads.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';

export function commitBeads(
  store: Store,
  makeOp: (reader: SnapshotBeadReader) => Promise<BeadOp>,
  progress?: Progress,
): Promise<BeadCommit> {
  return commitBeadOp(store, async (snap) => relationsAt(store, snap.tip, progress), makeOp);
}

/** Wire records for beads, with short ids and each one's blocked flag (from the table when given). */
export async function wireBeads(snap: Snapshot, beads: Bead[], table?: BeadTable): Promise<BeadRecord[]> {
  const shorts = await shortIdMap(
    snap,
    beads.map((b) => b.id),
  );
  return Promise.all(
    beads.map(async (b) => {
      const blocked = table ? (table.beads.get(b.id)?.blocked ?? false) : (await openBlockersOf(snap, b)).length > 0;
      return beadToWire(b, shorts.get(b.id) ?? b.id, { blocked });
    }),
  );
}

/** A bead's short id, unclosed blockers, parent, children, blockers and dependants, resolved (for show). */
export async function beadRelations(
  store: Store,
  snap: Snapshot,
  bead: Bead,
  progress?: Progress,
): Promise<BeadRelations> {
  const rel = relationsAt(store, snap.tip, progress);
  const childIds = await rel.childrenOf(bead.id);
  const depIds = bead.dependencies.map((d) => d.depends_on_id);
  const dependantIds = await rel.dependantsOf(bead.id);
  const related = await readBeads(snap, [
    ...new Set([...(bead.parent_id ? [bead.parent_id] : []), ...childIds, ...depIds, ...dependantIds]),
  ]);
  const byId = new Map(related.map((b) => [b.id, b]));
  const shorts = await shortIdMap(snap, [bead.id, ...byId.keys()]);
  const ref = (id: string) => {
    const b = byId.get(id);
    return b ? beadRef(b, shorts.get(id) ?? id) : missingBeadRef(id);
  };
  return {
    short_id: shorts.get(bead.id) ?? bead.id,
    open_blockers: await openBlockersOf(snap, bead),
    parent: bead.parent_id ? ref(bead.parent_id) : null,
    children: childIds.sort(naturalIdOrder).map(ref),
    blockers: depIds.map(ref),
    dependants: dependantIds.sort(naturalIdOrder).map(ref),
  };
}

/** Unclosed blockers of a bead, its ancestors' included, read from the snapshot. */
export async function openBlockersOf(snap: Snapshot, bead: Bead): Promise<string[]> {
  const nodes = new Map<string, GraphNode>([[bead.id, graphNode(bead)]]);
  let cur: Bead | undefined = bead;
  const chain: Bead[] = [];
  while (cur && !chain.includes(cur)) {
    chain.push(cur);
    const next: Bead | undefined = cur.parent_id ? (await readBeads(snap, [cur.parent_id]))[0] : undefined;
    if (next) nodes.set(next.id, graphNode(next));
    cur = next;
  }
  const deps = [...new Set(chain.flatMap((b) => b.dependencies.map((d) => d.depends_on_id)))];
  for (const d of await readBeads(snap, deps)) nodes.set(d.id, graphNode(d));
  return openBlockers(nodes.get(bead.id)!, (id) => nodes.get(id));
}
