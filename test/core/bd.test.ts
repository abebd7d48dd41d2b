import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bdToBead, beadsToBd, DESIGN_HEADING, withPhase } from '../../src/core/beads/bd.ts';
import { prepareImport } from '../../src/core/beads/import.ts';
import { isSkip, type Mapped, normalizeTime } from '../../src/core/beads/incoming.ts';
import { type Bead, newBead } from '../../src/core/beads/model.ts';

const t = suite('bd mapping');
const AT = '2026-01-01T00:00:00Z';

function mapped(rec: Record<string, unknown>): Exclude<Mapped, { reason: string }> {
  const m = bdToBead(rec, AT);
  if (isSkip(m)) throw new Error(`skipped: ${m.reason}`);
  return m;
}

t('timestamps become UTC to the second', () => {
  assert.is(normalizeTime('2025-11-22T02:07:35Z'), '2025-11-22T02:07:35Z');
  assert.is(normalizeTime('2025-10-30T14:11:15.924424355+00:00'), '2025-10-30T14:11:15Z');
  assert.is(normalizeTime('2025-10-12T14:48:45.123456-07:00'), '2025-10-12T21:48:45Z');
  assert.is(normalizeTime('2025-10-12 14:48:45'), '2025-10-12T14:48:45Z');
  assert.is(normalizeTime('yesterday'), null);
  assert.is(normalizeTime(42), null);
});

t('an epic becomes a plan of tier epic; other types a task with bd:type', () => {
  const epic = mapped({ id: 'bd-e1', title: 'E', issue_type: 'epic', status: 'open', created_at: AT });
  assert.is(epic.bead.issue_type, 'plan');
  assert.is(epic.bead.tier, 'epic');
  assert.equal(epic.bead.labels, []);
  const bug = mapped({ id: 'bd-b1', title: 'B', issue_type: 'bug', parent: 'bd-e1', created_at: AT });
  assert.is(bug.bead.issue_type, 'task');
  assert.equal(bug.bead.labels, ['bd:type=bug']);
  assert.ok(bug.phaseIfEpicParent);
  assert.is(withPhase(bug.bead, true).issue_type, 'phase');
  assert.is(withPhase(bug.bead, false).issue_type, 'task');
});

t('statuses: hooked, pinned, closed, tombstone, and others', () => {
  assert.is(mapped({ id: 'bd-1', title: 'x', status: 'hooked' }).bead.status, 'in_progress');
  const pinned = mapped({ id: 'bd-1', title: 'x', status: 'pinned', labels: ['keep'] }).bead;
  assert.is(pinned.status, 'open');
  assert.equal(pinned.labels, ['bd:pinned', 'bd:type=task', 'keep']);
  const closed = mapped({
    id: 'bd-1',
    title: 'x',
    status: 'closed',
    close_reason: 'done it',
    closed_at: '2026-02-01T00:00:00Z',
    created_at: AT,
  }).bead;
  assert.is(closed.status, 'closed');
  assert.is(closed.close_reason, 'done it');
  assert.is(closed.resolution, 'done');
  assert.is(closed.closed_at, '2026-02-01T00:00:00Z');
  const tomb = bdToBead({ id: 'bd-1', title: 'x', status: 'tombstone' }, AT);
  assert.ok(isSkip(tomb) && !tomb.invalid && /tombstone/.test(tomb.reason));
  const deferred = mapped({ id: 'bd-1', title: 'x', status: 'deferred' }).bead;
  assert.is(deferred.status, 'open');
  assert.ok(deferred.labels.includes('bd:status=deferred'));
});

t('edges: parent-child, blocks, links; the parent field wins', () => {
  const m = mapped({
    id: 'bd-c.1',
    title: 'child',
    parent: 'bd-p',
    dependencies: [
      { issue_id: 'bd-c.1', depends_on_id: 'bd-p', type: 'parent-child' },
      { issue_id: 'bd-c.1', depends_on_id: 'bd-other', type: 'parent-child' },
      {
        issue_id: 'bd-c.1',
        depends_on_id: 'bd-x',
        type: 'blocks',
        created_at: '2025-01-01T00:00:00Z',
        created_by: 'ann',
      },
      { issue_id: 'bd-c.1', depends_on_id: 'bd-y', type: 'discovered-from' },
      { issue_id: 'bd-c.1', depends_on_id: 'external:gt:gt-1', type: 'tracks' },
      { issue_id: 'bd-c.1', depends_on_id: 'Not An Id', type: 'blocks' },
    ],
  });
  assert.is(m.bead.parent_id, 'bd-p');
  assert.equal(m.bead.dependencies, [{ depends_on_id: 'bd-x', created_at: '2025-01-01T00:00:00Z', created_by: 'ann' }]);
  assert.equal(m.bead.links, [
    { kind: 'parent-child', target: 'bd-other' },
    { kind: 'discovered-from', target: 'bd-y' },
    { kind: 'tracks', target: 'external:gt:gt-1' },
    { kind: 'blocks', target: 'Not An Id' },
  ]);
  assert.is(m.warnings.length, 1);
  // old shape: no parent field, the parent-child edge decides
  assert.is(
    mapped({ id: 'bd-c', title: 'x', dependencies: [{ depends_on_id: 'bd-p', type: 'parent-child' }] }).bead.parent_id,
    'bd-p',
  );
});

t('a blocks edge to external:<project>:<capability> is a dependency that blocks; other kinds stay links', () => {
  const m = mapped({
    id: 'bd-c',
    title: 'x',
    dependencies: [
      { depends_on_id: 'external:gastown:gt-5kjn', type: 'blocks', created_at: '2025-01-01T00:00:00Z' },
      { depends_on_id: 'external:gastown:gt-nek89', type: 'tracks' },
    ],
  });
  assert.equal(m.bead.dependencies, [
    { depends_on_id: 'external:gastown:gt-5kjn', created_at: '2025-01-01T00:00:00Z', created_by: null },
  ]);
  assert.equal(m.bead.links, [{ kind: 'tracks', target: 'external:gastown:gt-nek89' }]);
  assert.equal(m.warnings, []);
});

t('fields bd would not write are not dropped silently: a warning each', () => {
  const w = (rec: Record<string, unknown>) => mapped({ id: 'bd-1', title: 'x', ...rec }).warnings;
  const weird = mapped({ id: 'bd-1', title: 'x', status: 'weird' });
  assert.equal(weird.bead.labels, ['bd:status=weird', 'bd:type=task']);
  assert.equal(weird.warnings, ["status 'weird' is not one bd knows; kept as the label bd:status=weird, open"]);
  assert.equal(w({ status: 'deferred' }), [], 'a status bd knows');
  assert.equal(w({ status: 7 }), ["status '7' is not a string; taken as open"]);
  assert.equal(w({ dependencies: 'x' }), ["dependencies 'x' is not a list; left out"]);
  assert.equal(w({ dependencies: ['bd-2', { type: 'blocks' }] }), [
    "a dependency 'bd-2' is not an object with a depends_on_id; left out",
    'a dependency \'{"type":"blocks"}\' is not an object with a depends_on_id; left out',
  ]);
  assert.equal(w({ labels: {} }), ["labels '{}' is not a list; left out"]);
  assert.equal(w({ parent_id: 5 }), ["parent_id '5' is not a bead id; left out"]);
  assert.equal(w({ parent: ['bd-2'] }), ['parent \'["bd-2"]\' is not a bead id; left out']);
  assert.equal(w({ labels: null, dependencies: null, parent: null }), [], 'null is absent');
  // a parent_id a bd record carries is its parent
  assert.is(mapped({ id: 'bd-1', title: 'x', parent_id: 'bd-2' }).bead.parent_id, 'bd-2');
});

t('design text goes to notes under a heading; a path stays in design', () => {
  const text = mapped({ id: 'bd-1', title: 'x', notes: 'n', design: 'Long design\nover lines' }).bead;
  assert.is(text.design, null);
  assert.is(text.notes, `n\n\n${DESIGN_HEADING}\n\nLong design\nover lines`);
  assert.is(mapped({ id: 'bd-1', title: 'x', design: 'docs/design.md' }).bead.design, 'docs/design.md');
});

t('hostile and missing ids are skipped as invalid', () => {
  for (const id of ['../x', 'BD-UP', 'bd/x-1', 'bd-1/../..', '', 'x']) {
    const m = bdToBead({ id, title: 'x' }, AT);
    assert.ok(isSkip(m) && m.invalid, id);
  }
  assert.ok(isSkip(bdToBead({ title: 'x' }, AT)));
});

t('prepareImport: formats side by side, _type, duplicates, bad records', () => {
  const rec = (line: number, value: Record<string, unknown>) => ({ line, value });
  const ours = newBead({ id: 'ts-abcd1234', title: 'ours', created_at: AT });
  const { incoming, skipped } = prepareImport(
    [
      rec(1, { ...ours, short_id: 'ts-abcd', blocked: false }),
      rec(2, { _type: 'issue', id: 'bd-1', title: 'new shape' }),
      rec(3, { _type: 'memory', key: 'k', value: 'v' }),
      rec(4, { id: 'bd-1', title: 'again' }),
      rec(5, { id: 'bd-2', title: 'bad\u0007title' }),
      rec(6, { v: 1, kind: 'import', created: 1 }),
      rec(7, { ...ours, v: 2 }),
    ],
    AT,
  );
  assert.equal(
    incoming.map((i) => [i.bead.id, i.bead.title, i.line]),
    [
      ['ts-abcd1234', 'ours', 1],
      ['bd-1', 'again', 4],
    ],
  );
  assert.equal(incoming[0]!.bead, ours);
  assert.equal(
    skipped.map((s) => [s.line, s.invalid]),
    [
      [2, false],
      [3, false],
      [5, true],
      [6, false],
      [7, true],
    ],
  );
  assert.match(skipped[0]!.reason, /replaced by line 4/);
});

t('beadsToBd maps back, and a sase object keeps what bd cannot hold', () => {
  const epic = newBead({ id: 'ts-e', title: 'E', issue_type: 'plan', tier: 'epic', created_at: AT });
  const phase = newBead({
    id: 'ts-e.1',
    title: 'P',
    issue_type: 'phase',
    parent_id: 'ts-e',
    labels: ['bd:type=task'],
    created_at: AT,
  });
  const claimed = newBead({
    id: 'ts-c',
    title: 'C',
    status: 'claimed',
    assignee: 'ann',
    size: 'small',
    created_at: AT,
  });
  const [e, p, c] = beadsToBd([epic, phase, claimed]);
  assert.is(e!.issue_type, 'epic');
  assert.is(e!.sase, undefined);
  assert.is(p!.issue_type, 'task');
  assert.is(p!.parent, 'ts-e');
  assert.equal(p!.dependencies, [{ issue_id: 'ts-e.1', depends_on_id: 'ts-e', type: 'parent-child', created_at: AT }]);
  assert.is(p!.sase, undefined);
  assert.is(c!.status, 'in_progress');
  assert.equal(c!.sase, { status: 'claimed', size: 'small', labels: [] });
  // and back
  const back = prepareImport(
    [e!, p!, c!].map((value, i) => ({ line: i + 1, value })),
    AT,
  ).incoming.map((i) => (i.phaseIfEpicParent ? withPhase(i.bead, true) : i.bead));
  assert.equal(back, [epic, phase, claimed] as Bead[]);
});

t('beadsToBd: an external dependency goes out as a blocks edge and comes back, its satisfied mark in sase', () => {
  const ext = 'external:gastown:gt-5kjn';
  const open = newBead({
    id: 'ts-x',
    title: 'X',
    labels: ['bd:type=task'],
    created_at: AT,
    dependencies: [{ depends_on_id: ext, created_at: AT, created_by: null }],
  });
  const done = newBead({
    id: 'ts-y',
    title: 'Y',
    labels: ['bd:type=task'],
    created_at: AT,
    dependencies: [{ depends_on_id: ext, created_at: AT, created_by: null }],
    satisfied: [{ ref: ext, satisfied_at: AT, satisfied_by: 'ann' }],
  });
  const [x, y] = beadsToBd([open, done]);
  assert.equal(x!.dependencies, [{ issue_id: 'ts-x', depends_on_id: ext, type: 'blocks', created_at: AT }]);
  assert.is(x!.sase, undefined);
  assert.equal(y!.sase, { satisfied: [{ ref: ext, satisfied_at: AT, satisfied_by: 'ann' }] });
  const back = prepareImport(
    [x!, y!].map((value, i) => ({ line: i + 1, value })),
    AT,
  ).incoming.map((i) => i.bead);
  assert.equal(back, [open, done]);
});

t.run();
