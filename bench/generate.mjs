// Deterministic bead stores for the benchmark: the same size and seed always
// give the same records. Shaped like real work: epics with phases (<epic>.<n>)
// in blocks chains, tasks that depend on earlier tasks or phases, and half of
// all beads closed, blockers before their dependants, so a realistic share is
// ready and the rest blocked.

/** mulberry32: small, fast and good enough to shape test data. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const WORDS =
  'cache query index shard ready graph store commit tree blob merge sync claim release phase epic plan task review hook agent workspace notes design import export replay ledger queue worker retry backoff'.split(
    ' ',
  );

function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `size` bead records (sase's own NDJSON shape), in creation order: every
 * bead depends only on beads created before it. With `opts.shard`, every id
 * is in that one shard.
 */
export function generateBeads(size, seed = 42, opts = {}) {
  const rnd = prng(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const taken = new Set();
  const mint = () => {
    let id;
    do {
      // opts.shard: every id in one shard (ids whose hashes share their first two characters)
      id = `bench-${opts.shard ?? ''}`;
      for (let i = opts.shard?.length ?? 0; i < 8; i++) id += BASE36[Math.floor(rnd() * 36)];
    } while (taken.has(id));
    taken.add(id);
    return id;
  };
  const start = Date.parse('2025-01-01T00:00:00Z');
  const beads = [];
  const byId = new Map();
  const add = (fields) => {
    const at = iso(start + beads.length * 60_000);
    const b = {
      v: 1,
      kind: 'bead',
      title: '',
      issue_type: 'task',
      tier: null,
      parent_id: null,
      status: 'open',
      priority: [0, 1, 2, 2, 2, 2, 3, 3, 4][Math.floor(rnd() * 9)],
      assignee: null,
      owner: 'bench@example.com',
      description: `${words(12)}.\n\n${words(20)}.`,
      notes: '',
      design: null,
      size: pick(['xsmall', 'small', 'medium', 'large', null]),
      model: null,
      labels: rnd() < 0.3 ? [pick(['backend', 'cli', 'docs', 'perf'])] : [],
      links: [],
      dependencies: [],
      created_at: at,
      created_by: 'bench@example.com',
      updated_at: at,
      closed_at: null,
      close_reason: null,
      resolution: null,
      close_history: [],
      ...fields,
    };
    beads.push(b);
    byId.set(b.id, b);
    return b;
  };
  const dep = (id, at) => ({ depends_on_id: id, created_at: at, created_by: 'bench@example.com' });
  const tasks = [];
  const phases = [];
  while (beads.length < size) {
    if (rnd() < 0.15 && size - beads.length > 8) {
      // an epic with 3-7 phases, each blocked by the one before (sometimes two before)
      const epic = add({ id: mint(), title: `Epic: ${words(4)}`, issue_type: 'plan', tier: 'epic' });
      const n = 3 + Math.floor(rnd() * 5);
      for (let i = 1; i <= n; i++) {
        const deps = [];
        if (i > 1) deps.push(`${epic.id}.${i - 1}`);
        if (i > 2 && rnd() < 0.3) deps.push(`${epic.id}.${i - 2}`);
        const at = iso(start + beads.length * 60_000);
        phases.push(
          add({
            id: `${epic.id}.${i}`,
            title: `Phase ${i}: ${words(3)}`,
            issue_type: 'phase',
            parent_id: epic.id,
            dependencies: deps.map((d) => dep(d, at)),
          }),
        );
      }
    } else {
      // a task, often continuing a chain of earlier tasks, sometimes waiting on a phase
      const deps = new Set();
      if (tasks.length && rnd() < 0.6)
        deps.add(tasks[tasks.length - 1 - Math.floor(rnd() * Math.min(tasks.length, 50))].id);
      if (tasks.length > 10 && rnd() < 0.2) deps.add(pick(tasks).id);
      if (phases.length && rnd() < 0.15) deps.add(pick(phases).id);
      const at = iso(start + beads.length * 60_000);
      tasks.push(add({ id: mint(), title: `Task: ${words(5)}`, dependencies: [...deps].map((d) => dep(d, at)) }));
    }
  }
  closeHalf(beads, byId, rnd, start);
  return beads;
}

/**
 * Closes about half the beads, oldest first and only when every blocker is
 * closed already; an epic closes when all its phases have.
 */
function closeHalf(beads, byId, rnd, start) {
  const target = Math.floor(beads.length * 0.46); // the epics that close with their phases make up the rest
  let closed = 0;
  const close = (b, i) => {
    const at = new Date(start + (beads.length + i) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    Object.assign(b, { status: 'closed', closed_at: at, updated_at: at, resolution: 'done', close_reason: 'done' });
    closed++;
  };
  beads.forEach((b, i) => {
    if (closed >= target || b.issue_type === 'plan') return;
    if (rnd() < 0.92 && b.dependencies.every((d) => byId.get(d.depends_on_id)?.status === 'closed')) close(b, i);
  });
  beads.forEach((b, i) => {
    if (b.issue_type !== 'plan') return;
    const kids = [];
    for (let n = 1; byId.has(`${b.id}.${n}`); n++) kids.push(byId.get(`${b.id}.${n}`));
    if (kids.every((k) => k.status === 'closed')) close(b, i);
  });
  // a few beads in flight, as in a live project
  beads.forEach((b) => {
    if (b.status === 'open' && b.issue_type !== 'plan' && rnd() < 0.03)
      Object.assign(b, { status: 'in_progress', assignee: 'agent-1' });
  });
}
