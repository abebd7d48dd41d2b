import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Bead, newBead } from '../../src/core/beads/model.ts';
import {
  applyBeadOp,
  type BeadChange,
  type BeadOp,
  type BeadReader,
  nextChildId,
  opSubjects,
  opSummary,
} from '../../src/core/beads/ops.ts';
import { ConflictError, NotFoundError, RefusedError, type SaseError, UsageError } from '../../src/core/errors.ts';

const t = suite('core/ops');

const T0 = '2026-01-01T00:00:00Z';
const AT = '2026-02-02T00:00:00Z';
const ME = 'me@example.com';

/** A small in-memory state; applyBeadOp must never change what it reads. */
class Memory implements BeadReader {
  beads = new Map<string, Bead>();
  constructor(beads: Bead[]) {
    for (const b of beads) this.beads.set(b.id, b);
  }
  async get(id: string) {
    return this.beads.get(id) ?? null;
  }
  async childrenOf(id: string) {
    return [...this.beads.values()].filter((b) => b.parent_id === id).map((b) => b.id);
  }
  async dependantsOf(id: string) {
    return [...this.beads.values()].filter((b) => b.dependencies.some((d) => d.depends_on_id === id)).map((b) => b.id);
  }
  apply(changes: BeadChange[]) {
    for (const c of changes) {
      if (c.bead) this.beads.set(c.id, c.bead);
      else this.beads.delete(c.id);
    }
  }
}

function bead(id: string, fields: Partial<Bead> = {}): Bead {
  return newBead({ id, title: `title of ${id}`, created_at: T0, ...fields });
}

function dep(id: string) {
  return { depends_on_id: id, created_at: T0, created_by: ME };
}

/** The standard state: an epic with two phases (.2 waits for .1), tasks, a closed task. */
function world(): Memory {
  return new Memory([
    bead('ts-epic0000', { issue_type: 'plan', tier: 'epic' }),
    bead('ts-epic0000.1', { issue_type: 'phase', parent_id: 'ts-epic0000' }),
    bead('ts-epic0000.2', { issue_type: 'phase', parent_id: 'ts-epic0000', dependencies: [dep('ts-epic0000.1')] }),
    bead('ts-task0000'),
    bead('ts-task1111', { dependencies: [dep('ts-task0000')] }),
    bead('ts-done0000', { status: 'closed', closed_at: T0, close_reason: 'shipped', resolution: 'done' }),
    bead('ts-held0000', { status: 'claimed', assignee: 'w1' }),
    bead('ts-prog0000', { status: 'in_progress', assignee: 'w2' }),
    bead('ts-free0000', { status: 'claimed', assignee: null }),
  ]);
}

async function apply(mem: Memory, op: BeadOp): Promise<BeadChange[]> {
  const before = JSON.stringify([...mem.beads]);
  const out = await applyBeadOp(mem, op);
  assert.is(JSON.stringify([...mem.beads]), before, 'the reader state was changed');
  return out;
}

async function refused(
  mem: Memory,
  op: BeadOp,
  cls: new (...a: any[]) => SaseError,
  code: number,
  message: string | RegExp,
): Promise<SaseError> {
  const before = JSON.stringify([...mem.beads]);
  let err: unknown = null;
  try {
    await applyBeadOp(mem, op);
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${cls.name}`);
  assert.instance(err, cls);
  const e = err as SaseError;
  assert.is(e.exitCode, code);
  if (typeof message === 'string') assert.is(e.message, message);
  else assert.match(e.message, message);
  assert.is(JSON.stringify([...mem.beads]), before);
  return e;
}

// ---- create

t('create: a new bead is written as given', async () => {
  const mem = world();
  const b = bead('ts-new00000', { dependencies: [dep('ts-task0000')] });
  assert.equal(await apply(mem, { op: 'bead.create', bead: b }), [{ id: 'ts-new00000', bead: b }]);
  const phase = bead('ts-epic0000.3', { issue_type: 'phase', parent_id: 'ts-epic0000' });
  assert.equal(await apply(mem, { op: 'bead.create', bead: phase }), [{ id: phase.id, bead: phase }]);
  const child = bead('ts-task0000.1', { parent_id: 'ts-task0000' });
  assert.equal(await apply(mem, { op: 'bead.create', bead: child }), [{ id: child.id, bead: child }]);
});

t('create: refusals', async () => {
  const mem = world();
  const create = (fields: Partial<Bead>, id = 'ts-new00000'): BeadOp => ({ op: 'bead.create', bead: bead(id, fields) });
  await refused(mem, create({}, 'TS-BAD'), UsageError, 129, "'TS-BAD' is not a valid bead id");
  await refused(mem, create({}, 'ts-task0000'), ConflictError, 3, "bead 'ts-task0000' already exists");
  await refused(mem, create({ issue_type: 'plan' }), UsageError, 129, 'a plan needs a tier (plan, epic or legend)');
  await refused(mem, create({ tier: 'epic' }), UsageError, 129, "only a plan has a tier; 'task' does not");
  await refused(mem, create({ parent_id: 'ts-gone0000' }), NotFoundError, 4, "no bead 'ts-gone0000'");
  await refused(
    mem,
    create({ issue_type: 'phase', parent_id: 'ts-task0000' }),
    RefusedError,
    1,
    "a phase's parent must be an epic; 'ts-task0000' is a task",
  );
  await refused(mem, create({ parent_id: 'ts-done0000' }), RefusedError, 1, "parent 'ts-done0000' is closed");
  await refused(mem, create({ issue_type: 'phase' }), UsageError, 129, 'a phase needs a parent epic (--parent)');
  await refused(
    mem,
    create({ dependencies: [dep('ts-new00000')] }),
    RefusedError,
    1,
    "'ts-new00000' cannot depend on itself",
  );
  await refused(mem, create({ dependencies: [dep('ts-gone0000')] }), NotFoundError, 4, "no bead 'ts-gone0000'");
  mem.beads.set('ts-plan0000', bead('ts-plan0000', { issue_type: 'plan', tier: 'legend' }));
  await refused(
    mem,
    create({ issue_type: 'phase', parent_id: 'ts-plan0000' }),
    RefusedError,
    1,
    "a phase's parent must be an epic; 'ts-plan0000' is a plan (legend)",
  );
});

t('nextChildId: after the highest number taken', () => {
  assert.is(nextChildId('ts-a', []), 'ts-a.1');
  assert.is(nextChildId('ts-a', ['ts-a', 'ts-a.1', 'ts-a.2', 'ts-a.10', 'ts-ab.40', 'ts-a.3.7']), 'ts-a.11');
});

// ---- update

t('update: sets fields and updated_at; labels added, removed, sorted, unique', async () => {
  const mem = new Memory([bead('ts-a', { labels: ['old', 'zz'] }), bead('ts-b')]);
  const out = await apply(mem, {
    op: 'bead.update',
    ids: ['ts-a', 'ts-b'],
    set: { title: 'New', priority: 0, size: 'large' },
    add_labels: ['new', 'zz', 'aa'],
    remove_labels: ['old'],
    at: AT,
    actor: ME,
  });
  assert.equal(
    out.map((c) => c.id),
    ['ts-a', 'ts-b'],
  );
  assert.equal(out[0]!.bead, {
    ...mem.beads.get('ts-a')!,
    title: 'New',
    priority: 0,
    size: 'large',
    labels: ['aa', 'new', 'zz'],
    updated_at: AT,
  });
  assert.equal(out[1]!.bead!.labels, ['aa', 'new', 'zz']);
});

t('update: status moves; open clears the assignee unless one is set', async () => {
  const mem = world();
  const [prog] = await apply(mem, {
    op: 'bead.update',
    ids: ['ts-held0000'],
    set: { status: 'in_progress' },
    at: AT,
    actor: ME,
  });
  assert.is(prog!.bead!.status, 'in_progress');
  assert.is(prog!.bead!.assignee, 'w1');
  const [open] = await apply(mem, {
    op: 'bead.update',
    ids: ['ts-held0000'],
    set: { status: 'open' },
    at: AT,
    actor: ME,
  });
  assert.is(open!.bead!.status, 'open');
  assert.is(open!.bead!.assignee, null);
  const [kept] = await apply(mem, {
    op: 'bead.update',
    ids: ['ts-held0000'],
    set: { status: 'open', assignee: 'w9' },
    at: AT,
    actor: ME,
  });
  assert.is(kept!.bead!.assignee, 'w9');
  // a closed bead's other fields may change
  const [t2] = await apply(mem, {
    op: 'bead.update',
    ids: ['ts-done0000'],
    set: { title: 'renamed' },
    at: AT,
    actor: ME,
  });
  assert.is(t2!.bead!.status, 'closed');
  assert.is(t2!.bead!.title, 'renamed');
});

t('update: refusals', async () => {
  const mem = world();
  const up = (ids: string[], set: Partial<Bead>): BeadOp => ({ op: 'bead.update', ids, set, at: AT, actor: ME });
  await refused(
    mem,
    up(['ts-task0000'], { id: 'ts-x' } as Partial<Bead>),
    UsageError,
    129,
    "field 'id' cannot be updated",
  );
  await refused(
    mem,
    up(['ts-task0000'], { dependencies: [] }),
    UsageError,
    129,
    "field 'dependencies' cannot be updated",
  );
  const e = await refused(
    mem,
    up(['ts-task0000'], { status: 'closed' }),
    UsageError,
    129,
    "use 'sase bead close' to close a bead",
  );
  assert.is(e.hint, 'sase bead close ts-task0000');
  const r = await refused(
    mem,
    up(['ts-done0000'], { status: 'open' }),
    RefusedError,
    1,
    "bead 'ts-done0000' is closed",
  );
  assert.is(r.hint, "reopen it first with 'sase bead reopen ts-done0000'");
  await refused(mem, up(['ts-gone0000'], { title: 'x' }), NotFoundError, 4, "no bead 'ts-gone0000'");
  await refused(mem, up(['ts-task0000'], { issue_type: 'plan' }), UsageError, 129, 'a plan needs a tier');
  await refused(mem, up(['ts-task0000'], { tier: 'epic' }), UsageError, 129, 'only a plan has a tier');
  // all or nothing: the second id fails, nothing is returned
  await refused(mem, up(['ts-task0000', 'ts-gone0000'], { title: 'x' }), NotFoundError, 4, "no bead 'ts-gone0000'");
});

// ---- close

t('close: sets status, time, reason and resolution', async () => {
  const mem = world();
  const out = await apply(mem, {
    op: 'bead.close',
    ids: ['ts-task0000'],
    reason: 'shipped',
    resolution: 'done',
    force: false,
    at: AT,
    actor: ME,
  });
  assert.equal(out, [
    {
      id: 'ts-task0000',
      bead: {
        ...mem.beads.get('ts-task0000')!,
        status: 'closed',
        closed_at: AT,
        close_reason: 'shipped',
        resolution: 'done',
        updated_at: AT,
      },
    },
  ]);
  const none = await apply(mem, {
    op: 'bead.close',
    ids: ['ts-held0000'],
    reason: null,
    resolution: 'canceled',
    force: false,
    at: AT,
    actor: ME,
  });
  assert.is(none[0]!.bead!.close_reason, null);
  assert.is(none[0]!.bead!.resolution, 'canceled');
});

t('close: an already closed bead is a no-op', async () => {
  const mem = world();
  assert.equal(
    await apply(mem, {
      op: 'bead.close',
      ids: ['ts-done0000'],
      reason: 'again',
      resolution: 'done',
      force: false,
      at: AT,
      actor: ME,
    }),
    [],
  );
});

t('close: an epic with open phases is refused naming them; with the phases it closes', async () => {
  const mem = world();
  const e = await refused(
    mem,
    { op: 'bead.close', ids: ['ts-epic0000'], reason: null, resolution: 'done', force: false, at: AT, actor: ME },
    RefusedError,
    1,
    "bead 'ts-epic0000' has open children: ts-epic0000.1, ts-epic0000.2",
  );
  assert.is(e.hint, 'close them first, or use --force --reason R to close them too');
  const together = await apply(mem, {
    op: 'bead.close',
    ids: ['ts-epic0000', 'ts-epic0000.1', 'ts-epic0000.2'],
    reason: null,
    resolution: 'done',
    force: false,
    at: AT,
    actor: ME,
  });
  assert.equal(together.map((c) => c.id).sort(), ['ts-epic0000', 'ts-epic0000.1', 'ts-epic0000.2']);
  // a closed child does not count
  mem.apply(
    await apply(mem, {
      op: 'bead.close',
      ids: ['ts-epic0000.1', 'ts-epic0000.2'],
      reason: null,
      resolution: 'done',
      force: false,
      at: AT,
      actor: ME,
    }),
  );
  assert.equal(
    (
      await apply(mem, {
        op: 'bead.close',
        ids: ['ts-epic0000'],
        reason: null,
        resolution: 'done',
        force: false,
        at: AT,
        actor: ME,
      })
    ).map((c) => c.id),
    ['ts-epic0000'],
  );
});

t('close --force: needs a reason, then closes every open descendant', async () => {
  const mem = world();
  mem.beads.set('ts-epic0000.1.1', bead('ts-epic0000.1.1', { parent_id: 'ts-epic0000.1' }));
  mem.beads.set(
    'ts-epic0000.1.2',
    bead('ts-epic0000.1.2', { parent_id: 'ts-epic0000.1', status: 'closed', closed_at: T0, resolution: 'done' }),
  );
  await refused(
    mem,
    { op: 'bead.close', ids: ['ts-epic0000'], reason: null, resolution: 'done', force: true, at: AT, actor: ME },
    UsageError,
    129,
    '--force needs a --reason',
  );
  const out = await apply(mem, {
    op: 'bead.close',
    ids: ['ts-epic0000'],
    reason: 'dropped',
    resolution: 'canceled',
    force: true,
    at: AT,
    actor: ME,
  });
  assert.equal(out.map((c) => c.id).sort(), ['ts-epic0000', 'ts-epic0000.1', 'ts-epic0000.1.1', 'ts-epic0000.2']);
  for (const c of out) {
    assert.is(c.bead!.status, 'closed');
    assert.is(c.bead!.close_reason, 'dropped');
    assert.is(c.bead!.resolution, 'canceled');
    assert.is(c.bead!.closed_at, AT);
  }
});

t('close: a missing id is not found and nothing closes', async () => {
  await refused(
    world(),
    {
      op: 'bead.close',
      ids: ['ts-task0000', 'ts-gone0000'],
      reason: null,
      resolution: 'done',
      force: false,
      at: AT,
      actor: ME,
    },
    NotFoundError,
    4,
    "no bead 'ts-gone0000'",
  );
});

// ---- reopen

t('reopen: the close moves into close_history', async () => {
  const mem = world();
  const [c] = await apply(mem, { op: 'bead.reopen', ids: ['ts-done0000'], at: AT, actor: ME });
  const before = mem.beads.get('ts-done0000')!;
  assert.equal(c!.bead, {
    ...before,
    status: 'open',
    assignee: null,
    closed_at: null,
    close_reason: null,
    resolution: null,
    updated_at: AT,
    close_history: [{ closed_at: T0, close_reason: 'shipped', resolution: 'done', reopened_at: AT, reopened_by: ME }],
  });
  // a second round appends
  mem.apply([c!]);
  mem.apply(
    await apply(mem, {
      op: 'bead.close',
      ids: ['ts-done0000'],
      reason: 'again',
      resolution: 'superseded',
      force: false,
      at: AT,
      actor: ME,
    }),
  );
  const [d] = await apply(mem, {
    op: 'bead.reopen',
    ids: ['ts-done0000'],
    at: '2026-03-03T00:00:00Z',
    actor: 'you@example.com',
  });
  assert.equal(
    d!.bead!.close_history.map((h) => [h.close_reason, h.resolution, h.reopened_by]),
    [
      ['shipped', 'done', ME],
      ['again', 'superseded', 'you@example.com'],
    ],
  );
});

t('reopen: refusals; a child of a closed parent only together with it', async () => {
  const mem = world();
  await refused(
    mem,
    { op: 'bead.reopen', ids: ['ts-task0000'], at: AT, actor: ME },
    RefusedError,
    1,
    "bead 'ts-task0000' is not closed (it is open)",
  );
  await refused(
    mem,
    { op: 'bead.reopen', ids: ['ts-gone0000'], at: AT, actor: ME },
    NotFoundError,
    4,
    "no bead 'ts-gone0000'",
  );
  mem.apply(
    await apply(mem, {
      op: 'bead.close',
      ids: ['ts-epic0000'],
      reason: 'x',
      resolution: 'done',
      force: true,
      at: AT,
      actor: ME,
    }),
  );
  const e = await refused(
    mem,
    { op: 'bead.reopen', ids: ['ts-epic0000.1'], at: AT, actor: ME },
    RefusedError,
    1,
    "parent 'ts-epic0000' of 'ts-epic0000.1' is closed",
  );
  assert.is(e.hint, 'reopen it too: sase bead reopen ts-epic0000 ts-epic0000.1');
  const both = await apply(mem, { op: 'bead.reopen', ids: ['ts-epic0000', 'ts-epic0000.1'], at: AT, actor: ME });
  assert.equal(
    both.map((c) => [c.id, c.bead!.status]),
    [
      ['ts-epic0000', 'open'],
      ['ts-epic0000.1', 'open'],
    ],
  );
});

// ---- rm

t('rm: removes a lone bead', async () => {
  assert.equal(await apply(world(), { op: 'bead.rm', ids: ['ts-held0000'], force: false, at: AT, actor: ME }), [
    { id: 'ts-held0000', bead: null },
  ]);
});

t('rm: children and dependants refuse; --force removes descendants and drops edges', async () => {
  const mem = world();
  const rm = (ids: string[], force: boolean): BeadOp => ({ op: 'bead.rm', ids, force, at: AT, actor: ME });
  const c = await refused(
    mem,
    rm(['ts-epic0000'], false),
    RefusedError,
    1,
    "bead 'ts-epic0000' has children: ts-epic0000.1, ts-epic0000.2",
  );
  assert.is(c.hint, 'remove them too, or use --force');
  const d = await refused(mem, rm(['ts-task0000'], false), RefusedError, 1, "bead 'ts-task0000' blocks 'ts-task1111'");
  assert.is(d.hint, 'remove the dependency first, or use --force to drop it');
  await refused(mem, rm(['ts-gone0000'], false), NotFoundError, 4, "no bead 'ts-gone0000'");
  // named together: fine without force
  const pair = await apply(mem, rm(['ts-task0000', 'ts-task1111'], false));
  assert.equal(pair, [
    { id: 'ts-task0000', bead: null },
    { id: 'ts-task1111', bead: null },
  ]);
  const forced = await apply(mem, rm(['ts-epic0000'], true));
  assert.equal(
    forced.map((x) => [x.id, x.bead]),
    [
      ['ts-epic0000', null],
      ['ts-epic0000.1', null],
      ['ts-epic0000.2', null],
    ],
  );
  const dropped = await apply(mem, rm(['ts-task0000'], true));
  assert.equal(dropped, [
    { id: 'ts-task0000', bead: null },
    { id: 'ts-task1111', bead: { ...mem.beads.get('ts-task1111')!, dependencies: [], updated_at: AT } },
  ]);
});

// ---- note

t('note: appends one stamped line', async () => {
  const mem = world();
  const [a] = await apply(mem, { op: 'bead.note', id: 'ts-task0000', text: 'tried X', at: AT, actor: ME });
  assert.is(a!.bead!.notes, `[${AT}] ${ME}: tried X`);
  assert.is(a!.bead!.updated_at, AT);
  mem.apply([a!]);
  const [b] = await apply(mem, {
    op: 'bead.note',
    id: 'ts-task0000',
    text: 'then Y',
    at: '2026-03-03T00:00:00Z',
    actor: 'w1',
  });
  assert.is(b!.bead!.notes, `[${AT}] ${ME}: tried X\n[2026-03-03T00:00:00Z] w1: then Y`);
  // trailing newlines of hand-written notes are not doubled
  mem.beads.set('ts-task0000', { ...mem.beads.get('ts-task0000')!, notes: 'hand\n\n' });
  const [c] = await apply(mem, { op: 'bead.note', id: 'ts-task0000', text: 'z', at: AT, actor: ME });
  assert.is(c!.bead!.notes, `hand\n[${AT}] ${ME}: z`);
  await refused(
    mem,
    { op: 'bead.note', id: 'ts-gone0000', text: 'z', at: AT, actor: ME },
    NotFoundError,
    4,
    "no bead 'ts-gone0000'",
  );
});

// ---- dependencies

t('dep-add: appends the edge; an existing edge is a no-op', async () => {
  const mem = world();
  const [c] = await apply(mem, { op: 'bead.dep-add', id: 'ts-task0000', blocker: 'ts-done0000', at: AT, actor: ME });
  assert.equal(c!.bead!.dependencies, [{ depends_on_id: 'ts-done0000', created_at: AT, created_by: ME }]);
  assert.is(c!.bead!.updated_at, AT);
  assert.equal(
    await apply(mem, { op: 'bead.dep-add', id: 'ts-task1111', blocker: 'ts-task0000', at: AT, actor: ME }),
    [],
  );
});

t('dep-add: a cycle is refused naming it; self and missing ids too', async () => {
  const mem = world();
  mem.beads.set('ts-c', bead('ts-c', { dependencies: [dep('ts-task1111')] }));
  const add = (id: string, blocker: string): BeadOp => ({ op: 'bead.dep-add', id, blocker, at: AT, actor: ME });
  await refused(
    mem,
    add('ts-task0000', 'ts-c'),
    RefusedError,
    1,
    "adding 'ts-task0000' -> 'ts-c' would make a cycle: ts-task0000 -> ts-c -> ts-task1111 -> ts-task0000",
  );
  await refused(
    mem,
    add('ts-task0000', 'ts-task1111'),
    RefusedError,
    1,
    "adding 'ts-task0000' -> 'ts-task1111' would make a cycle: ts-task0000 -> ts-task1111 -> ts-task0000",
  );
  await refused(
    mem,
    add('ts-task0000', 'ts-task0000'),
    RefusedError,
    1,
    "adding 'ts-task0000' -> 'ts-task0000' would make a cycle: ts-task0000 -> ts-task0000",
  );
  await refused(mem, add('ts-gone0000', 'ts-task0000'), NotFoundError, 4, "no bead 'ts-gone0000'");
  await refused(mem, add('ts-task0000', 'ts-gone0000'), NotFoundError, 4, "no bead 'ts-gone0000'");
});

t('dep-rm: drops the edge, or says there is none', async () => {
  const mem = world();
  const [c] = await apply(mem, { op: 'bead.dep-rm', id: 'ts-task1111', blocker: 'ts-task0000', at: AT, actor: ME });
  assert.equal(c!.bead!.dependencies, []);
  assert.is(c!.bead!.updated_at, AT);
  await refused(
    mem,
    { op: 'bead.dep-rm', id: 'ts-task0000', blocker: 'ts-task1111', at: AT, actor: ME },
    NotFoundError,
    4,
    "'ts-task0000' does not depend on 'ts-task1111'",
  );
  await refused(
    mem,
    { op: 'bead.dep-rm', id: 'ts-gone0000', blocker: 'ts-task1111', at: AT, actor: ME },
    NotFoundError,
    4,
    "no bead 'ts-gone0000'",
  );
});

t('dep-add: an external reference is a dependency too, with no bead to find and no loop to check', async () => {
  const mem = world();
  const ext = 'external:gastown:gt-5kjn';
  const [c] = await apply(mem, { op: 'bead.dep-add', id: 'ts-task0000', blocker: ext, at: AT, actor: ME });
  assert.equal(c!.bead!.dependencies, [{ depends_on_id: ext, created_at: AT, created_by: ME }]);
  await refused(
    mem,
    { op: 'bead.dep-add', id: 'ts-task0000', blocker: 'external:bad ref', at: AT, actor: ME },
    NotFoundError,
    4,
    "no bead 'external:bad ref'",
  );
});

/** A bead that depends on an external reference and on a bead the store lacks, under a parent it lacks. */
function outsideWorld(): Memory {
  const mem = world();
  mem.beads.set(
    'ts-out0000',
    bead('ts-out0000', {
      parent_id: 'ts-lost0000',
      dependencies: [dep('external:gastown:gt-5kjn'), dep('ts-gone0000'), dep('ts-task0000')],
      missing: ['ts-gone0000', 'ts-lost0000'],
    }),
  );
  return mem;
}

t('dep-satisfy: marks blockers sase cannot see as satisfied; --undo takes the mark back', async () => {
  const mem = outsideWorld();
  const sat = (refs: string[], undo = false, id = 'ts-out0000'): BeadOp => ({
    op: 'bead.dep-satisfy',
    id,
    refs,
    undo,
    at: AT,
    actor: ME,
  });
  const [c] = await apply(mem, sat(['ts-lost0000', 'external:gastown:gt-5kjn', 'ts-gone0000']));
  assert.equal(c!.bead!.satisfied, [
    { ref: 'external:gastown:gt-5kjn', satisfied_at: AT, satisfied_by: ME },
    { ref: 'ts-gone0000', satisfied_at: AT, satisfied_by: ME },
    { ref: 'ts-lost0000', satisfied_at: AT, satisfied_by: ME },
  ]);
  assert.equal(c!.bead!.missing, ['ts-gone0000', 'ts-lost0000'], 'what was missing stays recorded');
  assert.is(c!.bead!.updated_at, AT);
  mem.apply([c!]);
  assert.equal(await apply(mem, sat(['ts-gone0000'])), [], 'already satisfied: a no-op');
  const [u] = await apply(mem, sat(['external:gastown:gt-5kjn', 'ts-gone0000', 'ts-lost0000'], true));
  assert.not.ok('satisfied' in u!.bead!, 'an empty list is not stored');
  await refused(
    mem,
    sat(['ts-task0000']),
    RefusedError,
    1,
    "'ts-task0000' is a bead of this repository: it stops blocking 'ts-out0000' when it is closed",
  );
  await refused(
    mem,
    sat(['ts-nope0000']),
    NotFoundError,
    4,
    "'ts-out0000' neither depends on 'ts-nope0000' nor has it as its parent",
  );
  await refused(mem, sat(['ts-gone0000'], false, 'ts-gone0000'), NotFoundError, 4, "no bead 'ts-gone0000'");
});

t('dep-rm: a dependency on an external reference or a missing bead, with its marks', async () => {
  const mem = outsideWorld();
  const b = mem.beads.get('ts-out0000')!;
  mem.beads.set('ts-out0000', { ...b, satisfied: [{ ref: 'ts-gone0000', satisfied_at: T0, satisfied_by: ME }] });
  const [c] = await apply(mem, { op: 'bead.dep-rm', id: 'ts-out0000', blocker: 'ts-gone0000', at: AT, actor: ME });
  assert.equal(
    c!.bead!.dependencies.map((d) => d.depends_on_id),
    ['external:gastown:gt-5kjn', 'ts-task0000'],
  );
  assert.equal(c!.bead!.missing, ['ts-lost0000']);
  assert.not.ok('satisfied' in c!.bead!);
  mem.apply([c!]);
  const [d] = await apply(mem, {
    op: 'bead.dep-rm',
    id: 'ts-out0000',
    blocker: 'external:gastown:gt-5kjn',
    at: AT,
    actor: ME,
  });
  assert.equal(
    d!.bead!.dependencies.map((x) => x.depends_on_id),
    ['ts-task0000'],
  );
});

t('rm --force: a dependant loses the edge and any mark it kept on the removed bead', async () => {
  const mem = world();
  const t1 = mem.beads.get('ts-task1111')!;
  // marked satisfied while it was missing, imported since
  mem.beads.set('ts-task1111', {
    ...t1,
    missing: ['ts-task0000'],
    satisfied: [{ ref: 'ts-task0000', satisfied_at: T0, satisfied_by: ME }],
  });
  const out = await apply(mem, { op: 'bead.rm', ids: ['ts-task0000'], force: true, at: AT, actor: ME });
  const edited = out.find((c) => c.id === 'ts-task1111')!.bead!;
  assert.equal(edited.dependencies, []);
  assert.not.ok('missing' in edited || 'satisfied' in edited);
});

// ---- claim / release

t('claim: open beads become claimed by the claimant', async () => {
  const mem = world();
  const out = await apply(mem, { op: 'bead.claim', ids: ['ts-task0000', 'ts-task1111'], as: 'w7', at: AT, actor: ME });
  assert.equal(out, [
    {
      id: 'ts-task0000',
      bead: { ...mem.beads.get('ts-task0000')!, status: 'claimed', assignee: 'w7', updated_at: AT },
    },
    {
      id: 'ts-task1111',
      bead: { ...mem.beads.get('ts-task1111')!, status: 'claimed', assignee: 'w7', updated_at: AT },
    },
  ]);
});

t('claim: a bead that is not open is a conflict naming its holder; all or nothing', async () => {
  const mem = world();
  const claim = (ids: string[]): BeadOp => ({ op: 'bead.claim', ids, as: 'w7', at: AT, actor: ME });
  await refused(
    mem,
    claim(['ts-task0000', 'ts-held0000']),
    ConflictError,
    3,
    "bead 'ts-held0000' is not open (it is claimed by 'w1')",
  );
  await refused(
    mem,
    claim(['ts-prog0000']),
    ConflictError,
    3,
    "bead 'ts-prog0000' is not open (it is in_progress by 'w2')",
  );
  await refused(mem, claim(['ts-done0000']), ConflictError, 3, "bead 'ts-done0000' is not open (it is closed)");
  await refused(mem, claim(['ts-gone0000']), NotFoundError, 4, "no bead 'ts-gone0000'");
});

t('release: only by the holder unless forced', async () => {
  const mem = world();
  const rel = (ids: string[], actor: string, force = false): BeadOp => ({
    op: 'bead.release',
    ids,
    force,
    at: AT,
    actor,
  });
  const [mine] = await apply(mem, rel(['ts-held0000'], 'w1'));
  assert.equal(mine!.bead, { ...mem.beads.get('ts-held0000')!, status: 'open', assignee: null, updated_at: AT });
  const e = await refused(
    mem,
    rel(['ts-held0000'], 'w2'),
    RefusedError,
    1,
    "bead 'ts-held0000' is held by 'w1', not 'w2'",
  );
  assert.is(e.hint, 'use --force to release it anyway');
  const [forced] = await apply(mem, rel(['ts-prog0000'], 'w1', true));
  assert.is(forced!.bead!.status, 'open');
  assert.is(forced!.bead!.assignee, null);
  // a claim without an assignee may be released by anyone
  assert.is((await apply(mem, rel(['ts-free0000'], 'anyone')))[0]!.bead!.status, 'open');
  await refused(mem, rel(['ts-task0000'], 'w1'), RefusedError, 1, "bead 'ts-task0000' is not claimed (it is open)");
  await refused(
    mem,
    rel(['ts-done0000'], 'w1', true),
    RefusedError,
    1,
    "bead 'ts-done0000' is not claimed (it is closed)",
  );
  await refused(mem, rel(['ts-gone0000'], 'w1'), NotFoundError, 4, "no bead 'ts-gone0000'");
});

t('import: replayed from the tree, so the operation itself changes nothing', async () => {
  assert.equal(await apply(world(), { op: 'bead.import', ids: ['ts-task0000'], at: AT, actor: ME }), []);
});

t('opSubjects and opSummary', () => {
  const b = bead('ts-new00000', { title: 'x'.repeat(70) });
  assert.equal(opSubjects({ op: 'bead.create', bead: b }), ['ts-new00000']);
  assert.is(opSummary({ op: 'bead.create', bead: b }), `create ts-new00000 "${'x'.repeat(60)}"`);
  assert.equal(opSubjects({ op: 'bead.dep-add', id: 'ts-a', blocker: 'ts-b', at: AT, actor: ME }), ['ts-a', 'ts-b']);
  assert.is(opSummary({ op: 'bead.dep-add', id: 'ts-a', blocker: 'ts-b', at: AT, actor: ME }), 'dep add ts-a -> ts-b');
  assert.is(opSummary({ op: 'bead.dep-rm', id: 'ts-a', blocker: 'ts-b', at: AT, actor: ME }), 'dep rm ts-a -> ts-b');
  assert.is(opSummary({ op: 'bead.note', id: 'ts-a', text: 'n', at: AT, actor: ME }), 'note ts-a');
  assert.is(
    opSummary({
      op: 'bead.close',
      ids: ['ts-a', 'ts-b'],
      reason: null,
      resolution: 'done',
      force: false,
      at: AT,
      actor: ME,
    }),
    'close ts-a ts-b',
  );
  assert.is(
    opSummary({ op: 'bead.claim', ids: ['ts-a', 'ts-b', 'ts-c', 'ts-d', 'ts-e'], as: 'w', at: AT, actor: ME }),
    'claim ts-a ts-b ts-c (+2)',
  );
  assert.is(opSummary({ op: 'bead.import', ids: ['ts-a', 'ts-b'], at: AT, actor: ME }), 'import 2 beads');
});

t.run();
