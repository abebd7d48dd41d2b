// The dependency graph of beads: which are blocked, which are ready and in
// what order, cycles, and the ASCII drawing of a bead's blockers.
import { compareValues } from '../list-ops.ts';
import type { Bead } from './model.ts';

/** The few fields of a bead that the graph needs. */
export interface GraphNode {
  id: string;
  status: string;
  parent_id: string | null;
  deps: string[];
  priority: number;
  created_at: string;
  issue_type: string;
  /** blockers sase cannot see (external references, beads not stored) marked satisfied */
  satisfied?: string[];
}

/** A bead as the graph sees it. */
export function graphNode(b: Bead): GraphNode {
  return {
    id: b.id,
    status: b.status,
    parent_id: b.parent_id,
    deps: b.dependencies.map((d) => d.depends_on_id),
    priority: b.priority,
    created_at: b.created_at,
    issue_type: b.issue_type,
    satisfied: (b.satisfied ?? []).map((s) => s.ref),
  };
}

export type NodeLookup = (id: string) => GraphNode | undefined;

/**
 * The one rule of what holds a bead: a blocker that is a stored bead holds it
 * until that bead is closed; one sase cannot see (an external reference, a
 * bead that is not stored) until it is marked satisfied. sase never fails open.
 */
export function holds(node: GraphNode, ref: string, lookup: NodeLookup): boolean {
  const b = lookup(ref);
  return b ? b.status !== 'closed' : !node.satisfied?.includes(ref);
}

/**
 * Open blockers of a bead: its own dependencies that hold it, then those of
 * its ancestors. A parent that is not stored holds it too (its blockers
 * cannot be known), unless satisfied, and ends the walk.
 */
export function openBlockers(node: GraphNode, lookup: NodeLookup): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let cur: GraphNode | undefined = node;
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    for (const dep of cur.deps) if (holds(cur, dep, lookup)) out.push(dep);
    const parent: string | null = cur.parent_id;
    if (parent && !lookup(parent) && !cur.satisfied?.includes(parent)) out.push(parent);
    cur = parent ? lookup(parent) : undefined;
  }
  return [...new Set(out)];
}

/**
 * Whether a bead's own blockers hold it: one of its dependencies, or its
 * parent when that is not stored and not satisfied (openBlockers' one step).
 */
export function ownBlockerHolds(node: GraphNode, lookup: NodeLookup): boolean {
  const deps = node.deps;
  for (let i = 0; i < deps.length; i++) if (holds(node, deps[i]!, lookup)) return true;
  const parent = node.parent_id;
  return !!parent && !lookup(parent) && !node.satisfied?.includes(parent);
}

/** How many ancestors isBlocked walks before it keeps the ones seen (to end a parent loop of bad data). */
const UNCHECKED_STEPS = 64;

/**
 * `openBlockers(node, lookup).length > 0` without building the list. The
 * answer is an or over the ancestors, so meeting one again changes nothing:
 * the ids seen are kept only on a long walk, to end a parent loop.
 */
export function isBlocked(node: GraphNode, lookup: NodeLookup): boolean {
  let seen: Set<string> | null = null;
  let steps = 0;
  let cur: GraphNode | undefined = node;
  while (cur) {
    if (++steps > UNCHECKED_STEPS) {
      seen ??= new Set();
      if (seen.has(cur.id)) return false;
      seen.add(cur.id);
    }
    if (ownBlockerHolds(cur, lookup)) return true;
    const parent: string | null = cur.parent_id;
    cur = parent ? lookup(parent) : undefined;
    // back at the start (openBlockers stops there, even when lookup gives another node of its id)
    if (cur && cur.id === node.id) return false;
  }
  return false;
}

/** Whether a bead has a child that is not closed: an epic's work is its phases, so it waits for them. */
export function hasOpenChildren(
  id: string,
  lookup: NodeLookup,
  childrenOf: (id: string) => readonly string[],
): boolean {
  return childrenOf(id).some((c) => lookup(c)?.status !== 'closed');
}

/** Ready: open, every blocker closed (its ancestors' too), and no child that is not closed. */
export function isReady(
  node: GraphNode,
  lookup: NodeLookup,
  childrenOf: (id: string) => readonly string[] = () => [],
): boolean {
  return node.status === 'open' && !isBlocked(node, lookup) && !hasOpenChildren(node.id, lookup, childrenOf);
}

/**
 * The order of `bead ready` and of `bead list` unless --sort says otherwise:
 * priority, then age, then id in natural order (x.2 before x.10).
 */
export function compareReady(
  a: Pick<GraphNode, 'priority' | 'created_at' | 'id'>,
  b: Pick<GraphNode, 'priority' | 'created_at' | 'id'>,
): number {
  return (
    a.priority - b.priority ||
    (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0) ||
    compareValues(a.id, b.id)
  );
}

/**
 * If adding "from depends on to" would close a loop, the loop as a list
 * starting and ending at `from`; else null. `depsOf` may be asynchronous.
 */
export async function findCycle(
  from: string,
  to: string,
  depsOf: (id: string) => Promise<string[]> | string[],
): Promise<string[] | null> {
  if (from === to) return [from, from];
  // depth-first from `to` along dependencies; reaching `from` closes the loop
  const cameFrom = new Map<string, string | null>([[to, null]]);
  const stack = [to];
  while (stack.length) {
    const cur = stack.pop()!;
    for (const next of await depsOf(cur)) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, cur);
      if (next === from) {
        const path: string[] = [];
        for (let n: string | null = from; n !== null; n = cameFrom.get(n) ?? null) path.push(n);
        return [from, ...path.reverse()];
      }
      stack.push(next);
    }
  }
  return null;
}

export interface Edge {
  from: string;
  to: string;
}

/**
 * Of `edges`, added one by one in order on top of the edges `fixed` gives
 * (stored ones, never left out), those that would close a loop, each with the
 * loop (from `from` back to it); adding all the others makes no loop.
 */
export async function loopClosingEdges(
  edges: readonly Edge[],
  fixed: (id: string) => readonly string[],
): Promise<Array<{ edge: Edge; cycle: string[] }>> {
  const push = (m: Map<string, string[]>, e: Edge) => {
    const l = m.get(e.from);
    if (l) l.push(e.to);
    else m.set(e.from, [e.to]);
  };
  const added = new Map<string, string[]>();
  for (const e of edges) push(added, e);
  const all = (id: string) => {
    const f = fixed(id);
    const a = added.get(id);
    return f.length ? [...f, ...(a ?? [])] : (a ?? []);
  };
  const comps = cyclesIn(added.keys(), all);
  if (!comps.length) return []; // the common case: one linear pass
  // only an edge inside one strongly connected component can close a loop
  const compOf = new Map<string, number>();
  comps.forEach((c, i) => {
    for (const id of c) compOf.set(id, i);
  });
  const inLoop = (e: Edge) => compOf.has(e.from) && compOf.get(e.from) === compOf.get(e.to);
  const accepted = new Map<string, string[]>();
  for (const e of edges) if (!inLoop(e)) push(accepted, e);
  const out: Array<{ edge: Edge; cycle: string[] }> = [];
  for (const e of edges) {
    if (!inLoop(e)) continue;
    const cycle = await findCycle(e.from, e.to, (id) => [...fixed(id), ...(accepted.get(id) ?? [])]);
    if (cycle) out.push({ edge: e, cycle });
    else push(accepted, e);
  }
  return out;
}

/** Every cycle's members in a whole graph (Tarjan's strongly connected components). */
export function cyclesIn(ids: Iterable<string>, depsOf: (id: string) => string[]): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const root of ids) {
    if (idx.has(root)) continue;
    // iterative DFS to survive long dependency chains
    const work: Array<{ id: string; i: number; deps: string[] }> = [];
    const visit = (id: string) => {
      idx.set(id, index);
      low.set(id, index);
      index++;
      stack.push(id);
      onStack.add(id);
      work.push({ id, i: 0, deps: depsOf(id) });
    };
    visit(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.deps.length) {
        const next = top.deps[top.i++]!;
        if (!idx.has(next)) visit(next);
        else if (onStack.has(next)) low.set(top.id, Math.min(low.get(top.id)!, idx.get(next)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!;
        low.set(parent.id, Math.min(low.get(parent.id)!, low.get(top.id)!));
      }
      if (low.get(top.id) === idx.get(top.id)) {
        const comp: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          comp.push(m);
        } while (m !== top.id);
        if (comp.length > 1 || depsOf(top.id).includes(top.id)) out.push(comp.reverse());
      }
    }
  }
  return out;
}
