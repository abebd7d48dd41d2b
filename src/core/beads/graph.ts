// The dependency graph of beads: which are blocked, which are ready and in
// what order, cycles, and the ASCII drawing of a bead's blockers.
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
  };
}

export type NodeLookup = (id: string) => GraphNode | undefined;

/**
 * Open blockers of a bead: its own dependencies that are not closed (a missing
 * one counts: sase never fails open), then those of its ancestors.
 */
export function openBlockers(node: GraphNode, lookup: NodeLookup): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let cur: GraphNode | undefined = node;
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    for (const dep of cur.deps) {
      const d = lookup(dep);
      if (d?.status !== 'closed') out.push(dep);
    }
    cur = cur.parent_id ? lookup(cur.parent_id) : undefined;
  }
  return [...new Set(out)];
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
  return (
    node.status === 'open' && openBlockers(node, lookup).length === 0 && !hasOpenChildren(node.id, lookup, childrenOf)
  );
}

/** ready order: priority, then age, then id */
export function compareReady(a: GraphNode, b: GraphNode): number {
  return (
    a.priority - b.priority ||
    (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
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
