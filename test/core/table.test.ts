import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type GraphNode, isBlocked, type NodeLookup, openBlockers } from '../../src/core/beads/graph.ts';
import {
  type BeadTable,
  buildRelations,
  type Excerpt,
  evaluateAll,
  reevaluate,
  type TableView,
} from '../../src/core/beads/table.ts';
import { prng } from '../helpers/kill.ts';

const t = suite('core/table');

// The algorithm before evaluateAll and isBlocked, kept as the oracle: every
// open blocker listed, the ancestors walked until an id comes again.
function oldHolds(node: GraphNode, ref: string, lookup: NodeLookup): boolean {
  const b = lookup(ref);
  return b ? b.status !== 'closed' : !node.satisfied?.includes(ref);
}

function oldOpenBlockers(node: GraphNode, lookup: NodeLookup): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let cur: GraphNode | undefined = node;
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    for (const dep of cur.deps) if (oldHolds(cur, dep, lookup)) out.push(dep);
    const parent: string | null = cur.parent_id;
    if (parent && !lookup(parent) && !cur.satisfied?.includes(parent)) out.push(parent);
    cur = parent ? lookup(parent) : undefined;
  }
  return [...new Set(out)];
}

function oldReevaluate(table: TableView, start: Iterable<string>): string[] {
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
      const blocked = oldOpenBlockers(e, lookup).length > 0;
      if (blocked !== e.blocked) flipped.push(id);
      e.blocked = blocked;
    }
    for (const n of table.children.get(id) ?? []) stack.push(n);
  }
  return flipped;
}

const STATUSES = ['open', 'claimed', 'in_progress', 'closed'];

/**
 * A random table of bad and good data alike: parents that are stored, not
 * stored or the bead itself, parent loops and long chains, dependencies on
 * stored beads, beads that are not stored and external references, satisfied
 * lists naming some of them, closed beads, and random starting flags.
 */
function randomTable(seed: number): BeadTable {
  const rnd = prng(seed);
  const n = 1 + Math.floor(rnd() * 40);
  const ids = Array.from({ length: n }, (_, i) => `ts-${i.toString(36).padStart(4, '0')}`);
  const ghosts = ['ts-gone', 'ts-lost', 'ts-none.1'];
  const refs = () => {
    const r = rnd();
    if (r < 0.7) return ids[Math.floor(rnd() * n)]!;
    if (r < 0.9) return ghosts[Math.floor(rnd() * ghosts.length)]!;
    return 'external:other:thing';
  };
  const style = rnd(); // some tables are chains, some dense, some sparse
  const table: BeadTable = { tip: null, beads: new Map(), children: new Map(), dependants: new Map() };
  ids.forEach((id, i) => {
    let parent: string | null = null;
    const p = rnd();
    if (style < 0.2 && i > 0 && p < 0.9)
      parent = ids[i - 1]!; // a long chain
    else if (p < 0.4) parent = refs();
    else if (p < 0.45) parent = id; // its own parent
    const deps: string[] = [];
    const nd = rnd() < 0.5 ? 0 : Math.floor(rnd() * 4);
    for (let k = 0; k < nd; k++) deps.push(refs());
    const satisfied: string[] = [];
    if (rnd() < 0.3) for (let k = 0; k < 2; k++) satisfied.push(rnd() < 0.5 ? refs() : (parent ?? refs()));
    const e: Excerpt = {
      id,
      title: id,
      issue_type: 'task',
      tier: null,
      status: STATUSES[Math.floor(rnd() * (rnd() < 0.5 ? 4 : 3.2))] ?? 'closed',
      priority: 2,
      parent_id: parent,
      assignee: null,
      deps,
      labels: [],
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      satisfied,
      oid: 'x',
      blocked: rnd() < 0.3,
    };
    table.beads.set(id, e);
  });
  // a loop closed at the end of a chain now and then
  if (style < 0.2 && n > 2 && rnd() < 0.5) table.beads.get(ids[0]!)!.parent_id = ids[n - 1 - Math.floor(rnd() * 2)]!;
  buildRelations(table);
  return table;
}

function copy(table: BeadTable): BeadTable {
  const beads = new Map([...table.beads].map(([id, e]) => [id, { ...e }]));
  return { tip: null, beads, children: table.children, dependants: table.dependants };
}

const flags = (table: BeadTable) => [...table.beads].map(([id, e]) => `${id}:${e.blocked}`);

t('evaluateAll sets the flags reevaluate over every bead set, and reports the same flips', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const base = randomTable(seed);
    const a = copy(base);
    const b = copy(base);
    const before = flags(base);
    const oldFlipped = oldReevaluate(a, a.beads.keys());
    const newFlipped = evaluateAll(b);
    assert.equal(flags(b), flags(a), `seed ${seed}`);
    assert.equal([...newFlipped].sort(), [...oldFlipped].sort(), `seed ${seed}`);
    assert.is(new Set(newFlipped).size, newFlipped.length, `seed ${seed}: a flip reported twice`);
    assert.ok(before.length === flags(b).length);
  }
});

t('reevaluate gives the flags and the flips, in order, of the walk it replaced', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const base = randomTable(seed);
    const rnd = prng(seed * 7 + 1);
    const ids = [...base.beads.keys(), 'ts-gone'];
    const start = ids.filter(() => rnd() < 0.3);
    const a = copy(base);
    const b = copy(base);
    assert.equal(reevaluate(b, start), oldReevaluate(a, start), `seed ${seed}`);
    assert.equal(flags(b), flags(a), `seed ${seed}`);
    const c = copy(base);
    const d = copy(base);
    assert.equal(reevaluate(d, d.beads.keys()), oldReevaluate(c, c.beads.keys()), `seed ${seed}`);
  }
});

t('isBlocked is whether openBlockers lists any, also for a node that is not the one stored', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const table = randomTable(seed);
    const lookup = (id: string) => table.beads.get(id);
    for (const e of table.beads.values()) {
      assert.is(isBlocked(e, lookup), oldOpenBlockers(e, lookup).length > 0, `seed ${seed} ${e.id}`);
      assert.equal(openBlockers(e, lookup), oldOpenBlockers(e, lookup), `seed ${seed} ${e.id}`);
      // another node of the same id (a bead being changed, say): the walk ends back at its id
      const other = { ...e, deps: [], satisfied: [] };
      assert.is(isBlocked(other, lookup), oldOpenBlockers(other, lookup).length > 0, `seed ${seed} ${e.id}'`);
    }
  }
});

t('a parent chain longer than the unchecked walk, with a loop at its end, is judged and ends', () => {
  const n = 500;
  for (const closeAt of [0, 1, 250, 498, 499]) {
    for (const blockerAt of [-1, 0, 100, 499]) {
      const table: BeadTable = { tip: null, beads: new Map(), children: new Map(), dependants: new Map() };
      for (let i = 0; i < n; i++) {
        const id = `ts-c${i}`;
        table.beads.set(id, {
          id,
          title: id,
          issue_type: 'task',
          tier: null,
          status: 'open',
          priority: 2,
          parent_id: i === n - 1 ? `ts-c${closeAt}` : `ts-c${i + 1}`,
          assignee: null,
          deps: i === blockerAt ? ['ts-gone'] : [],
          labels: [],
          created_at: '2026-01-01T00:00:00Z',
          updated_at: '2026-01-01T00:00:00Z',
          satisfied: [],
          oid: 'x',
          blocked: false,
        });
      }
      buildRelations(table);
      const a = copy(table);
      const b = copy(table);
      const c = copy(table);
      oldReevaluate(a, a.beads.keys());
      evaluateAll(b);
      reevaluate(c, c.beads.keys());
      assert.equal(flags(b), flags(a), `loop at ${closeAt}, blocker at ${blockerAt}`);
      assert.equal(flags(c), flags(a), `loop at ${closeAt}, blocker at ${blockerAt}`);
    }
  }
});

t('evaluateAll on a bead stored under another id follows the walk by ids', () => {
  const table = randomTable(5);
  const [id, e] = [...table.beads][0]!;
  table.beads.set(id, { ...e, id: 'ts-other', deps: ['ts-gone'] });
  const a = copy(table);
  const b = copy(table);
  assert.equal(evaluateAll(b), oldReevaluate(a, a.beads.keys()));
  assert.equal(flags(b), flags(a));
});

t.run();
