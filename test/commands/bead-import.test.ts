import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BD_ISSUES } from '../helpers/bd-fixture.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { initRepo, ok, sase, saseBin } from '../helpers/run.ts';
import { assertFsckOk, beadRecord, commitCount, fsck, gitTry, stateTip } from '../helpers/state.ts';

const t = suite('bead-import');

const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const parseLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** Every bead of the repository by id, as export prints them. */
async function beadsOf(repo: TestRepo): Promise<Map<string, Record<string, any>>> {
  return new Map((await ok(repo, 'bead-export')).map((b) => [b.id, b]));
}

/** Imports and insists on success (the summary on stderr is expected). */
async function importOk(repo: TestRepo, records: unknown[]): Promise<Record<string, any>> {
  const r = await sase(repo, 'bead-import', [], { input: ndjson(records) });
  if (r.code !== 0) throw new Error(`sase-bead-import exited ${r.code}: ${r.stderr}`);
  return r.records[0]!;
}

function lastOp(repo: TestRepo): Record<string, any> {
  const msg = repo.git('log', '-1', '--format=%B', 'refs/sase/state');
  return JSON.parse(/^Sase-Op: (.*)$/m.exec(msg)![1]!);
}

t('imports the real 704-issue bd export in one commit', async () => {
  const repo = await initedRepo();
  const before = commitCount(repo);
  writeFileSync(join(repo.dir, 'issues.jsonl'), BD_ISSUES);
  // through the real executable
  const r = saseBin(repo, 'bead-import', ['issues.jsonl']);
  assert.is(r.code, 0, r.stderr);
  const [summary] = r.records;
  assert.equal(
    { ...summary, commit: null, warned: [] },
    {
      v: 1,
      kind: 'import',
      created: 704,
      updated: 0,
      unchanged: 0,
      skipped: [],
      warnings: 19,
      warned: [],
      commit: null,
    },
  );
  assert.is(summary!.warned.length, 19);
  assert.is(summary!.commit, stateTip(repo));
  assert.is(commitCount(repo), before + 1);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), 'sase: import 704 beads');
  const op = lastOp(repo);
  assert.is(op.op, 'bead.import');
  assert.is(op.ids.length, 704);
  assert.match(r.stderr, /^imported 704 records: 704 created, 0 updated, 0 unchanged, 0 skipped$/m);
  repo.git('fsck', '--strict', '--no-dangling'); // the bulk write is one pack: git checks every object in it
  assert.is(repo.git('count-objects', '-v').match(/^packs: (\d+)$/m)![1], '1');
  assert.match(
    r.stderr,
    /^warning: 'bd-1rh' \(line 37\): names beads that are neither imported nor stored: bd-c49, bd-wisp-lwh1h5; recorded as missing, they block until imported or satisfied$/m,
  );

  const beads = await beadsOf(repo);
  assert.is(beads.size, 704);
  const count = (f: (b: Record<string, any>) => unknown) => [...beads.values()].filter(f).length;
  assert.is(
    count((b) => b.status === 'closed'),
    403,
  );
  assert.is(
    count((b) => b.status === 'open'),
    294,
  ); // 291 open + 3 pinned
  assert.is(
    count((b) => b.status === 'in_progress'),
    7,
  ); // 3 in_progress + 4 hooked
  assert.is(
    count((b) => b.issue_type === 'plan' && b.tier === 'epic'),
    167,
  );
  assert.is(
    count((b) => b.issue_type === 'phase'),
    354,
  ); // children of epics
  assert.is(
    count((b) => b.issue_type === 'task'),
    183,
  );
  assert.is(
    count((b) => b.labels.includes('bd:type=bug')),
    34,
  );
  assert.is(
    count((b) => b.labels.includes('bd:pinned')),
    3,
  );
  assert.is(
    count((b) => b.close_reason !== null),
    403,
  );

  // an epic and its children, phases now
  const children = await ok(repo, 'bead-list', ['--parent', 'bd-au0', '--status', 'all']);
  assert.equal(
    children.map((c) => c.id),
    ['bd-au0.5', 'bd-au0.6', 'bd-au0.7', 'bd-au0.8', 'bd-au0.9', 'bd-au0.10'],
  );
  for (const c of children) {
    assert.is(c.issue_type, 'phase');
    assert.ok(c.labels.includes('bd:type=task'));
  }
  const hooked = beads.get('bd-xmf')!;
  assert.is(hooked.status, 'in_progress');
  assert.is(hooked.assignee, 'beads/polecats/obsidian');
  assert.equal(hooked.dependencies, [
    { depends_on_id: 'bd-wisp-uq6fx', created_at: '2026-02-27T19:42:48Z', created_by: 'mayor' },
  ]);
  const pinned = beads.get('bd-pr-sheriff')!;
  assert.is(pinned.status, 'open');
  assert.equal(pinned.labels, ['bd:pinned', 'bd:type=task']);
  assert.is(pinned.owner, 'steve.yegge@gmail.com');
  const convoy = beads.get('hq-cv-d46qe')!;
  assert.equal(convoy.links, [{ kind: 'tracks', target: 'external:gastown:gt-5kjn' }]);
  assert.equal(convoy.labels, ['bd:type=convoy']);
  const reviewed = beads.get('bd-on8')!;
  assert.is(reviewed.design, null);
  assert.match(
    reviewed.notes,
    /^Code review complete\.[\s\S]*\n\n## Design \(from bd\)\n\n## Code Review: SQLite-to-Dolt/,
  );

  // again: nothing changes, nothing is committed
  const again = await sase(repo, 'bead-import', [], { input: BD_ISSUES });
  assert.is(again.code, 0);
  assert.equal(
    { ...again.records[0], skipped: [], warned: [] },
    {
      v: 1,
      kind: 'import',
      created: 0,
      updated: 0,
      unchanged: 704,
      skipped: [],
      warnings: 19,
      warned: [],
      commit: null,
    },
  );
  assert.is(commitCount(repo), before + 1);
});

const SYNTHETIC = [
  // old shape: no parent field, no _type, Go's nanosecond times with offsets, comments, acceptance criteria
  {
    id: 'old-e1',
    title: 'Old epic',
    status: 'open',
    priority: 1,
    issue_type: 'epic',
    created_at: '2025-10-12T14:48:45.123456789-07:00',
    updated_at: '2025-10-12T15:00:00-07:00',
  },
  {
    id: 'old-e1.1',
    title: 'Old child',
    description: 'Do it.',
    acceptance_criteria: 'It is done.',
    design: 'docs/child.md',
    status: 'blocked',
    priority: 2,
    issue_type: 'feature',
    assignee: '',
    external_ref: 'gh-12',
    created_at: '2025-10-13T10:00:00.5+02:00',
    updated_at: '2025-10-13T10:00:00.5+02:00',
    dependencies: [
      {
        issue_id: 'old-e1.1',
        depends_on_id: 'old-e1',
        type: 'parent-child',
        created_at: '2025-10-13T10:00:00Z',
        created_by: 'stevey',
      },
      {
        issue_id: 'old-e1.1',
        depends_on_id: 'old-t1',
        type: 'blocks',
        created_at: '2025-10-13T10:00:00Z',
        created_by: 'stevey',
      },
    ],
    comments: [{ id: 1, issue_id: 'old-e1.1', author: 'ann', text: 'first!', created_at: '2025-10-14T00:00:00Z' }],
  },
  {
    id: 'old-t1',
    title: 'Old task',
    status: 'closed',
    priority: 0,
    issue_type: 'chore',
    created_at: '2025-10-01T00:00:00Z',
    updated_at: '2025-10-02T00:00:00Z',
    closed_at: '2025-10-02T00:00:00Z',
  },
  // new shape, with _type
  {
    _type: 'issue',
    id: 'new-e2',
    title: 'New epic',
    status: 'pinned',
    priority: 2,
    issue_type: 'epic',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  },
  {
    _type: 'issue',
    id: 'new-e2.1',
    title: 'New child',
    status: 'hooked',
    priority: 3,
    issue_type: 'bug',
    parent: 'new-e2',
    labels: ['z', 'a'],
    created_at: '2026-01-02T00:00:00Z',
    updated_at: '2026-01-03T00:00:00Z',
    dependencies: [
      { issue_id: 'new-e2.1', depends_on_id: 'new-e2', type: 'parent-child' },
      { issue_id: 'new-e2.1', depends_on_id: 'gone-1', type: 'blocks' },
      { issue_id: 'new-e2.1', depends_on_id: 'old-t1', type: 'related' },
    ],
  },
  { _type: 'memory', key: 'style', value: 'terse' },
  { id: 'new-dead', title: 'Deleted', status: 'tombstone', issue_type: 'task', created_at: '2026-01-01T00:00:00Z' },
  // ids that cannot be stored safely
  { id: '../x', title: 'escape', status: 'open' },
  { id: 'BD-UPPER', title: 'upper case', status: 'open' },
  { id: 'bd/slash-1', title: 'slash', status: 'open' },
  { id: 'bd-ok', title: 'bad\u001btitle', status: 'open' },
];

t('bd shapes old and new, with and without _type; skips with reasons', async () => {
  const repo = await initedRepo();
  const before = commitCount(repo);
  const r = await sase(repo, 'bead-import', ['-'], { input: ndjson(SYNTHETIC) });
  assert.is(r.code, 1, 'invalid records make a partial failure');
  const [s] = r.records;
  assert.is(s!.created, 5);
  assert.equal(
    s!.skipped.map((x: any) => [x.id, x.line]),
    [
      [null, 6],
      ['new-dead', 7],
      ['../x', 8],
      ['BD-UPPER', 9],
      ['bd/slash-1', 10],
      ['bd-ok', 11],
    ],
  );
  assert.match(s!.skipped[0].reason, /_type 'memory'/);
  assert.match(s!.skipped[1].reason, /tombstone/);
  assert.match(s!.skipped[2].reason, /^id cannot be a sase bead id/);
  assert.match(s!.skipped[5].reason, /title must be one line without control characters/);
  assert.match(
    r.stderr,
    /^skipped 3: id cannot be a sase bead id .*: '..\/x' \(line 8\), 'BD-UPPER' \(line 9\), 'bd\/slash-1' \(line 10\)$/m,
  );
  assert.match(
    r.stderr,
    /^warning: 'new-e2.1' \(line 5\): names beads that are neither imported nor stored: gone-1; recorded as missing, they block until imported or satisfied$/m,
  );
  assert.is(commitCount(repo), before + 1);
  assert.equal(
    repo
      .git('ls-tree', '-r', '--name-only', 'refs/sase/state')
      .split('\n')
      .filter((p) => p.startsWith('beads/'))
      .sort(),
    [
      'beads/e1/old-e1.1.json',
      'beads/e1/old-e1.json',
      'beads/e2/new-e2.1.json',
      'beads/e2/new-e2.json',
      'beads/t1/old-t1.json',
    ],
  );

  const b = await beadsOf(repo);
  const oldEpic = b.get('old-e1')!;
  assert.equal([oldEpic.issue_type, oldEpic.tier, oldEpic.priority], ['plan', 'epic', 1]);
  assert.equal([oldEpic.created_at, oldEpic.updated_at], ['2025-10-12T21:48:45Z', '2025-10-12T22:00:00Z']);
  const oldChild = b.get('old-e1.1')!;
  assert.equal([oldChild.issue_type, oldChild.parent_id, oldChild.status], ['phase', 'old-e1', 'open']);
  assert.equal(oldChild.labels, ['bd:status=blocked', 'bd:type=feature']);
  assert.is(oldChild.assignee, null);
  assert.is(oldChild.design, 'docs/child.md');
  assert.is(oldChild.description, 'Do it.\n\n## Acceptance criteria (from bd)\n\nIt is done.');
  assert.is(oldChild.notes, '[2025-10-14T00:00:00Z] ann: first!');
  assert.equal(oldChild.links, [{ kind: 'external-ref', target: 'gh-12' }]);
  assert.equal(oldChild.dependencies, [
    { depends_on_id: 'old-t1', created_at: '2025-10-13T10:00:00Z', created_by: 'stevey' },
  ]);
  assert.is(oldChild.created_at, '2025-10-13T08:00:00Z');
  assert.is(oldChild.blocked, false, 'its blocker is closed');
  const oldTask = b.get('old-t1')!;
  assert.equal(
    [oldTask.issue_type, oldTask.status, oldTask.resolution, oldTask.closed_at],
    ['task', 'closed', 'done', '2025-10-02T00:00:00Z'],
  );
  const newEpic = b.get('new-e2')!;
  assert.equal([newEpic.status, newEpic.labels], ['open', ['bd:pinned']]);
  const newChild = b.get('new-e2.1')!;
  assert.equal([newChild.issue_type, newChild.status, newChild.priority], ['phase', 'in_progress', 3]);
  assert.equal(newChild.labels, ['a', 'bd:status=hooked', 'bd:type=bug', 'z']);
  assert.equal(newChild.links, [{ kind: 'related', target: 'old-t1' }]);
  assert.is(newChild.blocked, true, 'a missing blocker blocks');
});

t('a child whose epic is already stored becomes a phase; records replace stored beads', async () => {
  const repo = await initedRepo();
  await importOk(repo, [beadRecord({ id: 'ts-epic0001', issue_type: 'plan', tier: 'epic' })]);
  const r = await sase(repo, 'bead-import', [], {
    input: ndjson([
      {
        id: 'ts-epic0001.1',
        title: 'child',
        issue_type: 'task',
        parent: 'ts-epic0001',
        created_at: '2026-01-01T00:00:00Z',
      },
      { ...beadRecord({ id: 'ts-epic0001', issue_type: 'plan', tier: 'epic' }), title: 'renamed' },
    ]),
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal([r.records[0]!.created, r.records[0]!.updated], [1, 1]);
  const b = await beadsOf(repo);
  assert.is(b.get('ts-epic0001.1')!.issue_type, 'phase');
  assert.is(b.get('ts-epic0001')!.title, 'renamed');
});

t('a bulk import works in a sha256 repository too', async () => {
  const repo = gitdir({ commit: false });
  rmSync(join(repo.dir, '.git'), { recursive: true });
  repo.git('init', '-q', '-b', 'main', '--object-format=sha256');
  await initRepo(repo);
  const records = Array.from({ length: 150 }, (_, i) => beadRecord({ id: `ts-x${String(i).padStart(7, '0')}` }));
  assert.equal((await importOk(repo, records)).created, 150);
  assert.ok(gitTry(repo, ['fsck', '--strict', '--no-dangling']) !== null, 'git fsck passes');
  assert.is(repo.git('rev-parse', '--show-object-format').trim(), 'sha256');
  assert.is((await beadsOf(repo)).size, 150);
});

t('a malformed line is fatal, names its line, and writes nothing', async () => {
  const repo = await initedRepo();
  const before = stateTip(repo);
  const file = join(repo.dir, 'in.jsonl');
  writeFileSync(file, `${JSON.stringify(SYNTHETIC[0])}\n\n{"id": "bd-2", oops}\n`);
  const r = await sase(repo, 'bead-import', ['in.jsonl']);
  assert.is(r.code, 128);
  assert.is(r.stderr, 'fatal: in.jsonl:3: not valid JSON\n');
  assert.is(r.stdout, '');
  const s = await sase(repo, 'bead-import', [], { input: `${JSON.stringify(SYNTHETIC[0])}\n[1, 2]\n` });
  assert.is(s.code, 128);
  assert.is(s.stderr, 'fatal: stdin:2: not a JSON object\n');
  assert.is(stateTip(repo), before);
  const missing = await sase(repo, 'bead-import', ['nope.jsonl']);
  assert.is(missing.code, 128);
  assert.match(missing.stderr, /^fatal: cannot read 'nope.jsonl': no such file/);
});

t('our own records round-trip through export and import', async () => {
  const a = await initedRepo();
  const [epic] = await ok(a, 'bead-create', ['--title', 'Epic', '--tier', 'epic', '--size', 'large', '--label', 'x,y']);
  const [p1] = await ok(a, 'bead-create', [
    '--title',
    'One',
    '--type',
    'phase',
    '--parent',
    epic!.id,
    '--description',
    'multi\nline',
  ]);
  await ok(a, 'bead-create', [
    '--title',
    'Two',
    '--type',
    'phase',
    '--parent',
    epic!.id,
    '--deps',
    p1!.id,
    '--model',
    'm1',
    '--design',
    'sdd/epics/e.md',
  ]);
  await importOk(a, [
    beadRecord({
      id: 'ts-closed01',
      status: 'closed',
      closed_at: '2025-02-01T00:00:00Z',
      close_reason: 'won',
      resolution: 'superseded',
      links: [{ kind: 'related', target: epic!.id }],
    }),
    beadRecord({
      id: 'ts-claimed1',
      status: 'claimed',
      assignee: 'w1',
      close_history: [
        {
          closed_at: '2025-01-02T00:00:00Z',
          close_reason: null,
          resolution: 'done',
          reopened_at: '2025-01-03T00:00:00Z',
          reopened_by: 'ann',
        },
      ],
    }),
  ]);
  const exported = (await sase(a, 'bead-export')).stdout;
  const b = await initedRepo();
  const r = await sase(b, 'bead-import', [], { input: exported });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.records[0]!.created, 5);
  assert.is((await sase(b, 'bead-export')).stdout, exported);
  // and into the first repository: every record is unchanged
  const again = await sase(a, 'bead-import', [], { input: exported });
  assert.equal([again.records[0]!.unchanged, again.records[0]!.commit], [5, null]);
});

t('--dry-run writes nothing; --format id prints the ids written', async () => {
  const repo = await initedRepo();
  const before = stateTip(repo);
  const input = ndjson([beadRecord({ id: 'ts-aaaa0001' }), beadRecord({ id: 'ts-aaaa0002' })]);
  const dry = await sase(repo, 'bead-import', ['--dry-run'], { input });
  assert.is(dry.code, 0);
  assert.equal([dry.records[0]!.created, dry.records[0]!.commit], [2, null]);
  assert.match(dry.stderr, /^dry run: would import 2 records: 2 created/m);
  assert.is(stateTip(repo), before);
  const ids = await sase(repo, 'bead-import', ['--format', 'id'], { input });
  assert.is(ids.stdout, 'ts-aaaa0001\nts-aaaa0002\n');
});

// ---- fidelity: what is imported is what the other commands would write

const T = '2026-01-01T00:00:00Z';
const bd = (id: string, rec: Record<string, unknown> = {}) => ({ id, title: `bd ${id}`, created_at: T, ...rec });
const blocks = (target: string) => ({ depends_on_id: target, type: 'blocks', created_at: T });

t('a dependency cycle: the edge that closes it is left out, with a warning naming it; fsck passes', async () => {
  const repo = await initedRepo();
  const r = await sase(repo, 'bead-import', [], {
    input: ndjson([
      bd('bd-a1', { dependencies: [blocks('bd-a2')] }),
      bd('bd-a2', { dependencies: [blocks('bd-a3')] }),
      bd('bd-a3', { dependencies: [blocks('bd-a1'), blocks('bd-a4')] }),
      bd('bd-a4'),
      beadRecord({
        id: 'ts-self0000',
        dependencies: [{ depends_on_id: 'ts-self0000', created_at: T, created_by: null }],
      }),
    ]),
  });
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^warning: 'bd-a3' \(line 3\): left out its dependency on 'bd-a1', which would close the cycle bd-a3 -> bd-a1 -> bd-a2 -> bd-a3$/m,
  );
  assert.match(
    r.stderr,
    /^warning: 'ts-self0000' \(line 5\): left out its dependency on 'ts-self0000', which would close the cycle ts-self0000 -> ts-self0000$/m,
  );
  assert.not.match(r.stderr, /^warning: dependency cycle/m);
  const [s] = r.records;
  assert.is(s!.warnings, 2);
  assert.equal(
    s!.warned.map((w: any) => [w.id, w.line]),
    [
      ['bd-a3', 3],
      ['ts-self0000', 5],
    ],
  );
  const b = await beadsOf(repo);
  assert.equal(
    b.get('bd-a3')!.dependencies.map((d: any) => d.depends_on_id),
    ['bd-a4'],
  );
  assert.equal(b.get('ts-self0000')!.dependencies, []);
  await assertFsckOk(repo);
});

t('a parent cycle: the parent that closes it is left out, with a warning naming it; fsck passes', async () => {
  const repo = await initedRepo();
  const r = await sase(repo, 'bead-import', [], {
    input: ndjson([
      bd('bd-p1', { parent: 'bd-p2' }),
      bd('bd-p2', { parent: 'bd-p3' }),
      bd('bd-p3', { parent: 'bd-p1' }),
    ]),
  });
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^warning: 'bd-p3' \(line 3\): left out its parent 'bd-p1', which would close the parent cycle bd-p3 -> bd-p1 -> bd-p2 -> bd-p3$/m,
  );
  const b = await beadsOf(repo);
  assert.equal(
    ['bd-p1', 'bd-p2', 'bd-p3'].map((id) => b.get(id)!.parent_id),
    ['bd-p2', 'bd-p3', null],
  );
  await assertFsckOk(repo);
});

t('a cycle through stored beads is found too, and the stored edges are kept', async () => {
  const repo = await initedRepo();
  await importOk(repo, [
    bd('bd-s1', { dependencies: [blocks('bd-s2')] }),
    bd('bd-s2'),
    bd('bd-q1', { parent: 'bd-q2' }),
    bd('bd-q2'),
  ]);
  const r = await sase(repo, 'bead-import', [], {
    input: ndjson([bd('bd-s2', { dependencies: [blocks('bd-s1')] }), bd('bd-q2', { parent: 'bd-q1' })]),
  });
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /'bd-s2' \(line 1\): left out its dependency on 'bd-s1', which would close the cycle bd-s2 -> bd-s1 -> bd-s2/,
  );
  assert.match(
    r.stderr,
    /'bd-q2' \(line 2\): left out its parent 'bd-q1', which would close the parent cycle bd-q2 -> bd-q1 -> bd-q2/,
  );
  const b = await beadsOf(repo);
  assert.equal(b.get('bd-s2')!.dependencies, []);
  assert.is(b.get('bd-q2')!.parent_id, null);
  assert.equal(
    b.get('bd-s1')!.dependencies.map((d: any) => d.depends_on_id),
    ['bd-s2'],
  );
  await assertFsckOk(repo);
});

t('a blocks edge to an external reference is a dependency that blocks until satisfied, and round-trips', async () => {
  const repo = await initedRepo();
  const ext = 'external:gastown:gt-5kjn';
  await importOk(repo, [
    bd('bd-x1', { dependencies: [blocks(ext), { depends_on_id: 'external:gastown:gt-2', type: 'tracks' }] }),
  ]);
  const [x] = await ok(repo, 'bead-show', ['bd-x1']);
  assert.equal(x!.dependencies, [{ depends_on_id: ext, created_at: T, created_by: null }]);
  assert.equal(x!.links, [{ kind: 'tracks', target: 'external:gastown:gt-2' }]);
  assert.is(x!.blocked, true);
  assert.equal(x!.open_blockers, [ext]);
  assert.equal(
    (await ok(repo, 'bead-blocked')).map((b) => [b.id, b.blocked_by]),
    [['bd-x1', [ext]]],
  );
  assert.equal(await ok(repo, 'bead-ready'), []);
  await assertFsckOk(repo);
  // to bd and back into a fresh repository: the same bead, still blocked
  const out = (await sase(repo, 'bead-export', ['--format', 'bd'])).stdout;
  assert.match(out, /"issue_id":"bd-x1","depends_on_id":"external:gastown:gt-5kjn","type":"blocks"/);
  const other = await initedRepo();
  await importOk(other, parseLines(out));
  assert.is((await sase(other, 'bead-export')).stdout, (await sase(repo, 'bead-export')).stdout);
});

t('the real export: every reference to a bead it omits is recorded as missing; fsck is clean at once', async () => {
  const repo = await initedRepo();
  const r = await sase(repo, 'bead-import', [], { input: BD_ISSUES });
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^recorded 25 references to beads the input leaves out as missing \(21 dependencies, 4 parents\): they block until imported or satisfied \('sase fsck' lists them\)$/m,
  );
  const res = await fsck(repo);
  assert.is(res.code, 0, JSON.stringify(res.problems));
  assert.equal(res.problems, []);
  assert.is(res.summary.ok, true);
  assert.is(res.summary.warnings, 25);
  const [wisp] = await ok(repo, 'bead-show', ['bd-wisp-5xon7z']);
  assert.equal(wisp!.missing, ['bd-wisp-7k9ztg', 'bd-wisp-n35vje']);
  assert.equal(wisp!.open_blockers, ['bd-wisp-7k9ztg', 'bd-wisp-n35vje']);
  const [gb] = await ok(repo, 'bead-show', ['bd-gb8vd']);
  assert.equal([gb!.parent_id, gb!.missing], ['bd-wisp-gz2jet', ['bd-wisp-gz2jet']]);
  // satisfied, they stop blocking and fsck stops warning
  await ok(repo, 'bead-dep-satisfy', ['bd-wisp-5xon7z', 'bd-wisp-7k9ztg', 'bd-wisp-n35vje']);
  const [after] = await ok(repo, 'bead-show', ['bd-wisp-5xon7z']);
  assert.equal(after!.open_blockers, []);
  assert.is((await fsck(repo)).summary.warnings, 23);
});

t('fields bd would not write get a line-numbered warning each, in the summary', async () => {
  const repo = await initedRepo();
  const r = await sase(repo, 'bead-import', [], {
    input: ndjson([
      bd('bd-w1', { status: 'weird' }),
      bd('bd-w2', { dependencies: 'x' }),
      bd('bd-w3', { labels: {} }),
      bd('bd-w4', { parent_id: 5 }),
    ]),
  });
  assert.is(r.code, 0, r.stderr);
  for (const line of [
    "warning: 'bd-w1' (line 1): status 'weird' is not one bd knows; kept as the label bd:status=weird, open",
    "warning: 'bd-w2' (line 2): dependencies 'x' is not a list; left out",
    "warning: 'bd-w3' (line 3): labels '{}' is not a list; left out",
    "warning: 'bd-w4' (line 4): parent_id '5' is not a bead id; left out",
  ])
    assert.ok(r.stderr.split('\n').includes(line), `${line}\nin\n${r.stderr}`);
  assert.equal(
    r.records[0]!.warned.map((w: any) => [w.id, w.line]),
    [
      ['bd-w1', 1],
      ['bd-w2', 2],
      ['bd-w3', 3],
      ['bd-w4', 4],
    ],
  );
});

t('a dependency on a bead neither in the file nor stored is named in the summary, in every path', async () => {
  const repo = await initedRepo();
  const input = ndjson([
    bd('bd-m1', { dependencies: [blocks('bd-gone')] }),
    beadRecord({
      id: 'ts-m2000000',
      dependencies: [{ depends_on_id: 'ts-gone0000', created_at: T, created_by: null }],
    }),
    bd('bd-m3', {
      dependencies: [blocks('bd-x')],
      sase: { dependencies: [{ depends_on_id: 'bd-y', created_at: T, created_by: null }] },
    }),
  ]);
  for (const args of [['--dry-run'], []]) {
    const r = await sase(repo, 'bead-import', args, { input });
    assert.is(r.code, 0, r.stderr);
    const warned = r.records[0]!.warned;
    assert.equal(
      warned.map((w: any) => [w.id, w.line, w.message]),
      [
        [
          'bd-m1',
          1,
          'names beads that are neither imported nor stored: bd-gone; recorded as missing, they block until imported or satisfied',
        ],
        [
          'ts-m2000000',
          2,
          'names beads that are neither imported nor stored: ts-gone0000; recorded as missing, they block until imported or satisfied',
        ],
        [
          'bd-m3',
          3,
          'names beads that are neither imported nor stored: bd-y; recorded as missing, they block until imported or satisfied',
        ],
      ],
      args.join(' '),
    );
  }
  const b = await beadsOf(repo);
  assert.equal(b.get('ts-m2000000')!.missing, ['ts-gone0000']);
  await assertFsckOk(repo);
});

t('a phase whose parent is no epic, or that has none, is imported as a task, with a warning; fsck passes', async () => {
  const repo = await initedRepo();
  await importOk(repo, [beadRecord({ id: 'ts-task0000' })]);
  const r = await sase(repo, 'bead-import', [], {
    input: ndjson([
      beadRecord({ id: 'ts-task0000.1', issue_type: 'phase', parent_id: 'ts-task0000' }),
      beadRecord({ id: 'ts-epic0000', issue_type: 'plan', tier: 'epic' }),
      beadRecord({ id: 'ts-epic0000.1', issue_type: 'phase', parent_id: 'ts-epic0000' }),
      beadRecord({ id: 'ts-lone0000', issue_type: 'phase' }),
      // a parent sase cannot see: what it is cannot be known, so the phase stays one
      beadRecord({ id: 'ts-gone0000.1', issue_type: 'phase', parent_id: 'ts-gone0000' }),
    ]),
  });
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^warning: 'ts-task0000.1' \(line 1\): is a phase, but its parent 'ts-task0000' is no epic \(a phase's parent must be an epic\); imported as a task$/m,
  );
  assert.match(
    r.stderr,
    /^warning: 'ts-lone0000' \(line 4\): is a phase, but it has no parent \(a phase's parent must be an epic\); imported as a task$/m,
  );
  const b = await beadsOf(repo);
  assert.equal(
    ['ts-task0000.1', 'ts-epic0000.1', 'ts-lone0000', 'ts-gone0000.1'].map((id) => b.get(id)!.issue_type),
    ['task', 'phase', 'task', 'phase'],
  );
  assert.equal(
    r.records[0]!.warned.map((w: any) => w.id),
    ['ts-task0000.1', 'ts-lone0000', 'ts-gone0000.1'],
  );
  await assertFsckOk(repo);
});

t('past 20 warnings the summary counts the rest; the record names them all', async () => {
  const repo = await initedRepo();
  const r = await sase(repo, 'bead-import', [], {
    input: ndjson(Array.from({ length: 25 }, (_, i) => bd(`bd-n${i}`, { dependencies: [blocks(`bd-gone${i}`)] }))),
  });
  assert.is(r.code, 0);
  assert.is(r.stderr.split('\n').filter((l) => l.startsWith("warning: 'bd-n")).length, 20);
  assert.match(r.stderr, /^warning: 5 more warnings like these \(the "warned" list of the record names them all\)$/m);
  assert.equal(r.records[0]!.warnings, 25);
  assert.equal(
    r.records[0]!.warned.map((w: any) => w.id),
    Array.from({ length: 25 }, (_, i) => `bd-n${i}`),
  );
});

t.run();
