// The index the bead cache keeps (ARCHITECTURE.md 2b): an excerpt of each
// bead, the reverse relations (children, dependants), each bead's blocked flag
// re-evaluated downstream of what changed, and short ids. Pure: the cache
// reads and writes it.

import { pushTo } from '../collections.ts';
import { type GraphNode, isBlocked, ownBlockerHolds } from './graph.ts';
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
  for (const id of start) {
    stack.push(id);
    const ds = table.dependants.get(id);
    if (ds) for (let i = 0; i < ds.length; i++) stack.push(ds[i]!);
  }
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const e = table.beads.get(id);
    if (e) {
      const blocked = isBlocked(e, lookup);
      if (blocked !== e.blocked) flipped.push(id);
      e.blocked = blocked;
    }
    const cs = table.children.get(id);
    if (cs) for (let i = 0; i < cs.length; i++) stack.push(cs[i]!);
  }
  return flipped;
}

const ON_PATH = 1;
const OPEN = 2;
const BLOCKED = 3;

/**
 * What `reevaluate(table, table.beads.keys())` does (every bead's `blocked`
 * set), in one pass: a bead is blocked when its own blockers hold it or its
 * parent is blocked, so each parent's flag is worked out once and kept (a
 * bead that is nobody's parent keeps nothing), and each member of a parent
 * loop (bad data) is blocked when any member's own blockers hold. Returns
 * the ids whose flag changed, in an order of its own.
 */
export function evaluateAll(table: BeadTable): string[] {
  const beads = table.beads;
  // a bead stored under another id than its own: the walk by ids is the one to follow
  for (const [id, e] of beads) if (e.id !== id) return reevaluate(table, beads.keys());
  return evaluateEach(table, beads.values());
}

/**
 * What evaluateAll does, for the beads `all` of a table seen through `table`
 * (each under its own id: a table built by id, shard by shard).
 */
export function evaluateEach(table: TableView, all: Iterable<Excerpt>): string[] {
  const beads = table.beads;
  const lookup = (id: string) => beads.get(id);
  // the flags of the parents met (ON_PATH while the walk that met them is under way)
  const known = new Map<string, number>();
  const path: Excerpt[] = [];
  const flipped: string[] = [];
  for (const e of all) {
    // up the parents to one whose flag is known, the top, or a loop
    let blocked = false;
    let loop = -1;
    path.push(e);
    let cur = e.parent_id ? beads.get(e.parent_id) : undefined;
    while (cur) {
      if (cur === e) {
        loop = 0;
        break;
      }
      const k = known.get(cur.id);
      if (k !== undefined) {
        if (k === ON_PATH) loop = path.indexOf(cur);
        else blocked = k === BLOCKED;
        break;
      }
      known.set(cur.id, ON_PATH);
      path.push(cur);
      cur = cur.parent_id ? beads.get(cur.parent_id) : undefined;
    }
    let i = path.length;
    if (loop >= 0) {
      // every member of a loop walks all of it
      for (let j = loop; j < path.length && !blocked; j++) blocked = ownBlockerHolds(path[j]!, lookup);
      while (i > loop) setFlag(path[--i]!, blocked, i > 0 ? known : null, flipped);
    }
    while (i > 0) {
      const n = path[--i]!;
      blocked = blocked || ownBlockerHolds(n, lookup);
      setFlag(n, blocked, i > 0 ? known : null, flipped);
    }
    path.length = 0;
  }
  return flipped;
}

function setFlag(e: Excerpt, blocked: boolean, known: Map<string, number> | null, flipped: string[]): void {
  known?.set(e.id, blocked ? BLOCKED : OPEN);
  if (blocked !== e.blocked) flipped.push(e.id);
  e.blocked = blocked;
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
