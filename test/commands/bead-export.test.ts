import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BD_ISSUES } from '../helpers/bd-fixture.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { ok, okBin, sase } from '../helpers/run.ts';
import { beadRecord } from '../helpers/state.ts';

const t = suite('bead-export');

const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

async function load(repo: TestRepo, input: string): Promise<void> {
  const r = await sase(repo, 'bead-import', [], { input });
  if (r.code !== 0) throw new Error(`sase-bead-import exited ${r.code}: ${r.stderr}`);
}

t('prints every bead in id order, filtered by --status', async () => {
  const repo = await initedRepo();
  await load(
    repo,
    ndjson([
      beadRecord({ id: 'ts-bbbb0000', issue_type: 'plan', tier: 'epic' }),
      beadRecord({ id: 'ts-bbbb0000.10', issue_type: 'phase', parent_id: 'ts-bbbb0000' }),
      beadRecord({
        id: 'ts-bbbb0000.2',
        issue_type: 'phase',
        parent_id: 'ts-bbbb0000',
        status: 'closed',
        closed_at: '2025-01-02T00:00:00Z',
        resolution: 'done',
      }),
      beadRecord({
        id: 'ts-aaaa0000',
        dependencies: [{ depends_on_id: 'ts-bbbb0000.10', created_at: '2025-01-01T00:00:00Z', created_by: null }],
      }),
    ]),
  );
  // through the real executable
  const all = okBin(repo, 'bead-export');
  assert.equal(
    all.map((b) => b.id),
    ['ts-aaaa0000', 'ts-bbbb0000', 'ts-bbbb0000.2', 'ts-bbbb0000.10'],
  );
  assert.equal(
    all.map((b) => [b.kind, b.v, b.blocked]),
    [
      ['bead', 1, true],
      ['bead', 1, false],
      ['bead', 1, false],
      ['bead', 1, false],
    ],
  );
  assert.is(all[0]!.short_id, 'ts-aaaa');
  assert.equal(
    (await ok(repo, 'bead-export', ['--status', 'closed'])).map((b) => b.id),
    ['ts-bbbb0000.2'],
  );
  assert.is((await sase(repo, 'bead-export', ['--format', 'text'])).code, 129);
  const empty = gitdir();
  assert.is((await sase(empty, 'bead-export')).stdout, '');
});

t('--format bd gives back bd records from a bd import', async () => {
  const repo = await initedRepo();
  await load(repo, BD_ISSUES);
  const out = await ok(repo, 'bead-export', ['--format', 'bd']);
  assert.is(out.length, 704);
  const original = new Map(
    BD_ISSUES.trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .map((r) => [r.id, r]),
  );
  for (const rec of out) {
    const o = original.get(rec.id)!;
    assert.ok(!('sase' in rec), `${rec.id} needs no sase extension`);
    for (const key of [
      'title',
      'description',
      'notes',
      'design',
      'status',
      'priority',
      'issue_type',
      'assignee',
      'owner',
      'created_at',
      'updated_at',
      'closed_at',
      'close_reason',
      'labels',
      'parent',
      'created_by',
    ]) {
      assert.equal(rec[key], o[key], `${rec.id}.${key}`);
    }
    const edges = (deps: any[] = []) => deps.map((d) => `${d.type} ${d.depends_on_id}`).sort();
    assert.equal(edges(rec.dependencies), edges(o.dependencies), `${rec.id} dependencies`);
  }
});

t('export --format bd, then import into a fresh repository, gives the same beads', async () => {
  const a = await initedRepo();
  await load(a, BD_ISSUES);
  const [epic] = await ok(a, 'bead-create', [
    '--title',
    'Native epic',
    '--tier',
    'epic',
    '--size',
    'large',
    '--model',
    'm1',
  ]);
  await ok(a, 'bead-create', [
    '--title',
    'Native phase',
    '--type',
    'phase',
    '--parent',
    epic!.id,
    '--deps',
    'bd-xmf',
    '--design',
    'sdd/epics/native.md',
  ]);
  await ok(a, 'bead-create', ['--title', 'A legend', '--tier', 'legend', '--label', 'bd:type=odd']);
  await load(
    a,
    ndjson([
      beadRecord({
        id: 'ts-claimed1',
        status: 'claimed',
        assignee: 'w1',
        links: [
          { kind: 'external-ref', target: 'gh-1' },
          { kind: 'external-ref', target: 'gh-2' },
        ],
      }),
      beadRecord({
        id: 'ts-closed01',
        status: 'closed',
        closed_at: '2025-02-01T00:00:00Z',
        resolution: 'canceled',
        notes: `keep\n\n## Design (from bd)\n\nnot from bd`,
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
      beadRecord({
        id: 'ts-orphan01.3',
        issue_type: 'phase',
        parent_id: 'ts-gone0000',
        links: [{ kind: 'parent-child', target: 'ts-other000' }],
      }),
    ]),
  );
  const bd = (await sase(a, 'bead-export', ['--format', 'bd'])).stdout;
  const b = await initedRepo();
  await load(b, bd);
  const left = (await sase(a, 'bead-export')).stdout;
  assert.is(left.split('\n').length, 704 + 6 + 1);
  assert.is((await sase(b, 'bead-export')).stdout, left);
  assert.is((await sase(b, 'bead-export', ['--format', 'bd'])).stdout, bd);
});

t('external dependencies and references to missing beads, satisfied or not, round-trip in both formats', async () => {
  const repo = await initedRepo();
  const ext = 'external:gastown:gt-5kjn';
  const blocks = (target: string) => ({ depends_on_id: target, type: 'blocks', created_at: '2025-01-01T00:00:00Z' });
  await load(
    repo,
    ndjson([
      {
        id: 'bd-o1',
        title: 'open',
        dependencies: [blocks(ext), blocks('bd-wisp-1')],
        created_at: '2025-01-01T00:00:00Z',
      },
      {
        id: 'bd-s1',
        title: 'satisfied',
        parent: 'bd-wisp-2',
        dependencies: [blocks(ext)],
        created_at: '2025-01-01T00:00:00Z',
      },
    ]),
  );
  await ok(repo, 'bead-dep-satisfy', ['bd-s1', '--all']);
  const json = await ok(repo, 'bead-export');
  assert.equal(
    json.map((b) => [b.id, b.blocked, b.missing, b.satisfied.map((s: any) => s.ref)]),
    [
      ['bd-o1', true, ['bd-wisp-1'], []],
      ['bd-s1', false, ['bd-wisp-2'], ['bd-wisp-2', ext]],
    ],
  );
  const bd = await ok(repo, 'bead-export', ['--format', 'bd']);
  assert.equal(
    bd[0]!.dependencies.map((d: any) => [d.depends_on_id, d.type]),
    [
      [ext, 'blocks'],
      ['bd-wisp-1', 'blocks'],
    ],
  );
  assert.not.ok('sase' in bd[0]!, 'missing is decided again by the import, so it does not travel');
  assert.equal(Object.keys(bd[1]!.sase), ['satisfied']);
  for (const format of ['json', 'bd']) {
    const text = (await sase(repo, 'bead-export', ['--format', format])).stdout;
    const other = await initedRepo();
    await load(other, text);
    assert.is((await sase(other, 'bead-export')).stdout, (await sase(repo, 'bead-export')).stdout, format);
  }
});

t.run();
