// The index the bead cache keeps (ARCHITECTURE.md 2b): an excerpt of each
// bead, the reverse relations (children, dependants), each bead's blocked flag
// re-evaluated downstream of what changed, and short ids. Pure: the cache
// reads and writes it.

import { pushTo } from '../collections.ts';
import { type GraphNode, openBlockers } from './graph.ts';
import { shortIds } from './ids.ts';
import { type Bead, splitId } from './model.ts';

/** What the cache keeps of each bead. */
export interface Excerpt extends GraphNode {
  title: string;
  tier: string | null;
  assignee: string | null;
  labels: string[];
  updated_at: string;
  /** the blob the excerpt was taken from */
  oid: string;
  blocked: boolean;
}

export interface BeadTable {
  tip: string | null;
  beads: Map<string, Excerpt>;
  children: Map<string, string[]>;
  dependants: Map<string, string[]>;
}

export function excerptOf(b: Bead, oid: string): Excerpt {
  return {
    id: b.id,
    title: b.title,
    issue_type: b.issue_type,
    tier: b.tier,
    status: b.status,
    priority: b.priority,
    parent_id: b.parent_id,
    assignee: b.assignee,
    deps: b.dependencies.map((d) => d.depends_on_id),
    labels: b.labels,
    created_at: b.created_at,
    updated_at: b.updated_at,
    satisfied: (b.satisfied ?? []).map((s) => s.ref),
    oid,
    blocked: false,
  };
}

export function buildRelations(table: BeadTable): void {
  table.children.clear();
  table.dependants.clear();
  for (const e of table.beads.values()) {
    if (e.parent_id) pushTo(table.children, e.parent_id, e.id);
    for (const d of e.deps) pushTo(table.dependants, d, e.id);
  }
}

/** What reevaluate reads: the whole table, or one that loads its parts as they are asked for. */
export interface TableView {
  beads: { get(id: string): Excerpt | undefined };
  children: { get(id: string): readonly string[] | undefined };
  dependants: { get(id: string): readonly string[] | undefined };
}

/**
 * Re-evaluates `blocked` for the beads a change can reach from the given
 * ones; returns the ids whose flag changed. A bead is blocked by the statuses
 * of its own and its ancestors' blockers, so a changed bead reaches its
 * dependants (its status) and itself, and each of those its descendants (an
 * ancestor's blockers): no further, as no status changed there.
 */
export function reevaluate(table: TableView, start: Iterable<string>): string[] {
  const lookup = (id: string) => table.beads.get(id);
  const seen = new Set<string>();
  const flipped: string[] = [];
  const stack: string[] = [];
  for (const id of start) stack.push(id, ...(table.dependants.get(id) ?? []));
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const e = table.beads.get(id);
    if (e) {
      const blocked = openBlockers(e, lookup).length > 0;
      if (blocked !== e.blocked) flipped.push(id);
      e.blocked = blocked;
    }
    for (const n of table.children.get(id) ?? []) stack.push(n);
  }
  return flipped;
}

/** Short ids for the given ids, from the table's own id list. */
export function tableShortIds(table: BeadTable, ids: string[]): Map<string, string> {
  const byShard = new Map<string, string[]>();
  for (const id of table.beads.keys()) {
    if (id.includes('.')) continue;
    const h = splitId(id).hash;
    const s = h.slice(0, 2);
    pushTo(byShard, s, h);
  }
  const out = new Map<string, string>();
  const wanted = new Map<string, string[]>();
  for (const id of ids) {
    const s = splitId(id).hash.slice(0, 2);
    pushTo(wanted, s, id);
  }
  for (const [s, list] of wanted) for (const [k, v] of shortIds(list, byShard.get(s) ?? [])) out.set(k, v);
  return out;
}
