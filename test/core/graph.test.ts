import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  compareReady,
  cyclesIn,
  findCycle,
  type GraphNode,
  hasOpenChildren,
  isReady,
  loopClosingEdges,
  openBlockers,
} from '../../src/core/beads/graph.ts';

const t = suite('core/graph');

function node(id: string, fields: Partial<GraphNode> = {}): GraphNode {
  return {
    id,
    status: 'open',
    parent_id: null,
    deps: [],
    priority: 2,
    created_at: '2026-01-01T00:00:00Z',
    issue_type: 'task',
    ...fields,
  };
}

function graph(...nodes: GraphNode[]) {
  const map = new Map(nodes.map((n) => [n.id, n]));
  return (id: string) => map.get(id);
}

t('openBlockers: unclosed and missing dependencies block; closed ones do not', () => {
  const lookup = graph(
    node('ts-a', { deps: ['ts-open', 'ts-closed', 'ts-gone', 'ts-claimed', 'ts-prog'] }),
    node('ts-open'),
    node('ts-closed', { status: 'closed' }),
    node('ts-claimed', { status: 'claimed' }),
    node('ts-prog', { status: 'in_progress' }),
  );
  assert.equal(openBlockers(lookup('ts-a')!, lookup), ['ts-open', 'ts-gone', 'ts-claimed', 'ts-prog']);
  assert.equal(openBlockers(lookup('ts-open')!, lookup), []);
});

t("openBlockers: an ancestor's own dependencies count, each blocker once", () => {
  const lookup = graph(
    node('ts-leg', { deps: ['ts-x'], issue_type: 'plan' }),
    node('ts-epic', { parent_id: 'ts-leg', deps: ['ts-y', 'ts-x'], issue_type: 'plan' }),
    node('ts-epic.1', { parent_id: 'ts-epic', issue_type: 'phase' }),
    node('ts-epic.2', { parent_id: 'ts-epic', deps: ['ts-epic.1', 'ts-y'], issue_type: 'phase' }),
    node('ts-x'),
    node('ts-y'),
  );
  assert.equal(openBlockers(lookup('ts-epic.1')!, lookup), ['ts-y', 'ts-x']);
  assert.equal(openBlockers(lookup('ts-epic.2')!, lookup), ['ts-epic.1', 'ts-y', 'ts-x']);
  assert.not.ok(isReady(lookup('ts-epic.1')!, lookup));
});

t('openBlockers: a missing parent blocks and ends the walk; a parent loop terminates', () => {
  const lookup = graph(node('ts-a', { parent_id: 'ts-gone', deps: ['ts-b'] }), node('ts-b', { status: 'closed' }));
  assert.equal(openBlockers(lookup('ts-a')!, lookup), ['ts-gone']);
  const loop = graph(node('ts-p', { parent_id: 'ts-q', deps: ['ts-z'] }), node('ts-q', { parent_id: 'ts-p' }));
  assert.equal(openBlockers(loop('ts-q')!, loop), ['ts-z']);
});

t('openBlockers: an external reference and a missing bead block until marked satisfied', () => {
  const ext = 'external:gastown:gt-5kjn';
  const lookup = graph(
    node('ts-a', { deps: [ext, 'ts-gone', 'ts-b'] }),
    node('ts-b', { status: 'closed' }),
    node('ts-s', { deps: [ext, 'ts-gone'], satisfied: [ext, 'ts-gone'] }),
    node('ts-half', { deps: [ext, 'ts-gone'], satisfied: ['ts-gone'] }),
    node('ts-orphan', { parent_id: 'ts-lost', satisfied: ['ts-lost'] }),
  );
  assert.equal(openBlockers(lookup('ts-a')!, lookup), [ext, 'ts-gone']);
  assert.equal(openBlockers(lookup('ts-s')!, lookup), []);
  assert.equal(openBlockers(lookup('ts-half')!, lookup), [ext]);
  assert.equal(openBlockers(lookup('ts-orphan')!, lookup), [], 'a missing parent marked satisfied');
  assert.ok(isReady(lookup('ts-s')!, lookup));
  assert.not.ok(isReady(lookup('ts-a')!, lookup));
});

t('openBlockers: a satisfied mark does not speak for a stored bead (its status decides)', () => {
  const lookup = graph(node('ts-a', { deps: ['ts-b'], satisfied: ['ts-b'] }), node('ts-b'));
  assert.equal(openBlockers(lookup('ts-a')!, lookup), ['ts-b']);
});

t('openBlockers: an ancestor with an unsatisfied external dependency blocks its children', () => {
  const lookup = graph(
    node('ts-e', { deps: ['external:p:cap'], issue_type: 'plan' }),
    node('ts-e.1', { parent_id: 'ts-e', issue_type: 'phase' }),
  );
  assert.equal(openBlockers(lookup('ts-e.1')!, lookup), ['external:p:cap']);
});

t('isReady: open with every blocker closed', () => {
  const lookup = graph(
    node('ts-a', { deps: ['ts-b'] }),
    node('ts-b', { status: 'closed' }),
    node('ts-c', { status: 'claimed' }),
    node('ts-d', { status: 'closed' }),
    node('ts-e', { deps: ['ts-c'] }),
  );
  assert.ok(isReady(lookup('ts-a')!, lookup));
  assert.not.ok(isReady(lookup('ts-c')!, lookup));
  assert.not.ok(isReady(lookup('ts-d')!, lookup));
  assert.not.ok(isReady(lookup('ts-e')!, lookup));
});

t('isReady: an epic waits for its phases, and is ready once they are all closed', () => {
  const nodes = [
    node('ts-ep', { issue_type: 'plan' }),
    node('ts-ep.1', { parent_id: 'ts-ep', status: 'closed' }),
    node('ts-ep.2', { parent_id: 'ts-ep' }),
  ];
  const lookup = graph(...nodes);
  const childrenOf = (id: string) => nodes.filter((n) => n.parent_id === id).map((n) => n.id);
  assert.not.ok(isReady(lookup('ts-ep')!, lookup, childrenOf));
  assert.ok(isReady(lookup('ts-ep.2')!, lookup, childrenOf));
  nodes[2]!.status = 'closed';
  assert.ok(isReady(lookup('ts-ep')!, lookup, childrenOf));
  assert.ok(
    hasOpenChildren('ts-ep', (id) => (id === 'ts-ep.1' ? lookup(id) : undefined), childrenOf),
    'a missing child counts as not closed',
  );
});

t('compareReady: priority, then created_at, then id', () => {
  const nodes = [
    node('ts-e', { priority: 2, created_at: '2026-01-02T00:00:00Z' }),
    node('ts-d', { priority: 2, created_at: '2026-01-01T00:00:00Z' }),
    node('ts-c', { priority: 2, created_at: '2026-01-01T00:00:00Z' }),
    node('ts-b', { priority: 0, created_at: '2026-12-31T00:00:00Z' }),
    node('ts-a', { priority: 4, created_at: '2025-01-01T00:00:00Z' }),
    node('ts-f', { priority: 1, created_at: '2026-06-01T00:00:00Z' }),
  ];
  assert.equal(
    nodes.sort(compareReady).map((n) => n.id),
    ['ts-b', 'ts-f', 'ts-c', 'ts-d', 'ts-e', 'ts-a'],
  );
  assert.is(compareReady(node('ts-a'), node('ts-a')), 0);
  assert.ok(compareReady(node('ts-a', { priority: 1 }), node('ts-a', { priority: 3 })) < 0);
});

t('findCycle: the loop adding from -> to would close, starting and ending at from', async () => {
  const deps: Record<string, string[]> = { b: ['c'], c: ['a', 'x'], x: [], a: [] };
  assert.equal(await findCycle('a', 'b', (id) => deps[id] ?? []), ['a', 'b', 'c', 'a']);
  // asynchronous lookups work the same
  assert.equal(await findCycle('a', 'b', async (id) => deps[id] ?? []), ['a', 'b', 'c', 'a']);
  // the direct back edge
  assert.equal(await findCycle('a', 'b', (id) => ({ b: ['a'] })[id] ?? []), ['a', 'b', 'a']);
  // itself
  assert.equal(await findCycle('a', 'a', () => []), ['a', 'a']);
});

t('findCycle: null when no loop; diamonds and existing unrelated loops are fine', async () => {
  const diamond: Record<string, string[]> = { b: ['c', 'd'], c: ['e'], d: ['e'], e: [] };
  assert.is(await findCycle('a', 'b', (id) => diamond[id] ?? []), null);
  const other: Record<string, string[]> = { b: ['p'], p: ['q'], q: ['p'] };
  assert.is(await findCycle('a', 'b', (id) => other[id] ?? []), null);
  // deep chain back to a
  const chain = (id: string) => {
    const n = Number(id.slice(1));
    return n < 5000 ? [`n${n + 1}`] : ['a'];
  };
  const cycle = await findCycle('a', 'n0', chain);
  assert.is(cycle!.length, 5003);
  assert.is(cycle![0], 'a');
  assert.is(cycle![1], 'n0');
  assert.is(cycle![cycle!.length - 1], 'a');
});

function norm(cycles: string[][]): string[][] {
  return cycles.map((c) => [...c].sort()).sort((x, y) => x[0]!.localeCompare(y[0]!));
}

t('loopClosingEdges: edges added in order; the one closing a loop is named with the loop', async () => {
  const none = () => [];
  assert.equal(
    await loopClosingEdges(
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ],
      none,
    ),
    [],
  );
  const edges = [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
    { from: 'c', to: 'a' },
    { from: 'c', to: 'd' },
    { from: 'd', to: 'a' },
    { from: 'x', to: 'x' },
  ];
  assert.equal(await loopClosingEdges(edges, none), [
    { edge: { from: 'c', to: 'a' }, cycle: ['c', 'a', 'b', 'c'] },
    { edge: { from: 'd', to: 'a' }, cycle: ['d', 'a', 'b', 'c', 'd'] },
    { edge: { from: 'x', to: 'x' }, cycle: ['x', 'x'] },
  ]);
});

t('loopClosingEdges: edges already there (stored) count, and are never the ones left out', async () => {
  const fixed = new Map([['s', ['a']]]);
  const out = await loopClosingEdges([{ from: 'a', to: 's' }], (id) => fixed.get(id) ?? []);
  assert.equal(out, [{ edge: { from: 'a', to: 's' }, cycle: ['a', 's', 'a'] }]);
});

t('cyclesIn: every cycle of a graph with two cycles, tails and a self-loop', () => {
  const deps: Record<string, string[]> = {
    a: ['b'],
    b: ['a', 'c'],
    c: ['d'],
    d: ['e'],
    e: ['c', 'f'],
    f: [],
    g: ['a'],
    h: [],
  };
  const cycles = cyclesIn(Object.keys(deps), (id) => deps[id] ?? []);
  assert.equal(norm(cycles), [
    ['a', 'b'],
    ['c', 'd', 'e'],
  ]);
  // a simple loop is listed along its edges (fsck prints it as a path)
  const three = cycles.find((c) => c.length === 3)!;
  for (let i = 0; i < 3; i++) assert.ok(deps[three[i]!]!.includes(three[(i + 1) % 3]!), three.join(' -> '));
  const self = cyclesIn(['s', 't'], (id) => (id === 's' ? ['s', 't'] : []));
  assert.equal(self, [['s']]);
  assert.equal(
    cyclesIn(['x', 'y'], (id) => (id === 'x' ? ['y'] : [])),
    [],
  );
  // ids that only appear as dependencies are visited too
  assert.equal(norm(cyclesIn(['p'], (id) => ({ p: ['q'], q: ['r'], r: ['q'] })[id] ?? [])), [['q', 'r']]);
});

t('cyclesIn: a 10,000-long chain without stack overflow, with and without a loop', () => {
  const N = 10_000;
  const ids = Array.from({ length: N }, (_, i) => `n${i}`);
  const open = (id: string) => {
    const i = Number(id.slice(1));
    return i + 1 < N ? [`n${i + 1}`] : [];
  };
  assert.equal(cyclesIn(ids, open), []);
  const closed = (id: string) => {
    const i = Number(id.slice(1));
    return [`n${(i + 1) % N}`];
  };
  const cycles = cyclesIn(ids, closed);
  assert.is(cycles.length, 1);
  assert.is(cycles[0]!.length, N);
  assert.equal(new Set(cycles[0]).size, N);
  // walking from the far end first works too
  assert.is(cyclesIn([...ids].reverse(), closed)[0]!.length, N);
});

t.run();
