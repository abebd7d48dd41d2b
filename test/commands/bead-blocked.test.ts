import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase, tableRows } from '../helpers/run.ts';
import { beadPathOf, beadRecord, canonical, writeStateCommit } from '../helpers/state.ts';

const t = suite('bead-blocked');
const ME = 'author@example.com';
const at = (s: number) => ({ SASE_NOW: `2026-01-01T00:00:${String(s).padStart(2, '0')}Z` });

const ids = (recs: Record<string, any>[]) => recs.map((r) => r.id);

// blocker <- epic (so both phases wait for it too); phase .2 also waits for .1; a task waits for a missing bead
const repo = await initedRepo();
const create = async (s: number, ...args: string[]) => (await ok(repo, 'bead-create', args, { env: at(s) }))[0]!;
const blocker = await create(1, '--title', 'blocker', '--priority', '3');
const epic = await create(2, '--title', 'Epic', '--tier', 'epic', '--deps', blocker.id);
const p1 = await create(3, '--title', 'One', '--type', 'phase', '--parent', epic.id);
const p2 = await create(
  4,
  '--title',
  'Two',
  '--type',
  'phase',
  '--parent',
  epic.id,
  '--deps',
  p1.id,
  '--priority',
  '1',
);
const free = await create(5, '--title', 'free');
writeStateCommit(
  repo,
  {
    [beadPathOf('ts-mm000000')]: canonical(
      beadRecord({
        id: 'ts-mm000000',
        title: 'orphan',
        created_at: '2026-01-01T00:00:06Z',
        dependencies: [{ depends_on_id: 'ts-gone0000', created_at: '2026-01-01T00:00:06Z', created_by: ME }],
      }),
    ),
  },
  'sase: hand-written\n',
);

t('lists open beads with unclosed or missing blockers, in ready order, with blocked_by', async () => {
  // through the real executable
  const recs = okBin(repo, 'bead-blocked');
  assert.equal(ids(recs), [p2.id, epic.id, p1.id, 'ts-mm000000']);
  assert.equal(
    recs.map((r) => r.blocked_by),
    [[p1.id, blocker.id], [blocker.id], [blocker.id], ['ts-gone0000']],
  );
  assert.ok(recs.every((r) => r.blocked === true));
  assert.ok(recs.every((r) => !('blockers' in r)));
  const { blocked_by, ...rest } = recs[0]!;
  assert.equal(blocked_by, [p1.id, blocker.id]);
  assert.equal(rest, {
    v: 1,
    kind: 'bead',
    id: p2.id,
    short_id: p2.short_id,
    title: 'Two',
    issue_type: 'phase',
    tier: null,
    parent_id: epic.id,
    status: 'open',
    priority: 1,
    assignee: null,
    owner: ME,
    size: null,
    model: null,
    labels: [],
    links: [],
    dependencies: [{ depends_on_id: p1.id, created_at: '2026-01-01T00:00:04Z', created_by: ME }],
    description: '',
    notes: '',
    design: null,
    created_at: '2026-01-01T00:00:04Z',
    created_by: ME,
    updated_at: '2026-01-01T00:00:04Z',
    closed_at: null,
    close_reason: null,
    resolution: null,
    close_history: [],
    missing: [],
    satisfied: [],
    blocked: true,
  });
  assert.not.ok(ids(recs).includes(free.id));
});

t('--type, --parent, --limit', async () => {
  assert.equal(ids(await ok(repo, 'bead-blocked', ['--type', 'phase'])), [p2.id, p1.id]);
  assert.equal(ids(await ok(repo, 'bead-blocked', ['--parent', epic.short_id])), [p2.id, p1.id]);
  assert.equal(ids(await ok(repo, 'bead-blocked', ['--limit', '1'])), [p2.id]);
  assert.equal(ids(await ok(repo, 'bead-blocked', ['--type', 'task'])), ['ts-mm000000']);
});

t('--format id and --format text (a BLOCKED BY column, no ANSI codes)', async () => {
  const r = await sase(repo, 'bead-blocked', ['--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, [p2.id, epic.id, p1.id, 'ts-mm000000'].join('\n') + '\n');
  const text = await sase(repo, 'bead-blocked', ['--format', 'text', '--type', 'phase']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.equal(tableRows(text.stdout), [
    {
      ID: p2.short_id,
      P: 'P1',
      STATUS: 'open (blocked)',
      TYPE: 'phase',
      ASSIGNEE: '',
      TITLE: 'Two',
      'BLOCKED BY': `${p1.id}, ${blocker.id}`,
    },
    {
      ID: p1.short_id,
      P: 'P2',
      STATUS: 'open (blocked)',
      TYPE: 'phase',
      ASSIGNEE: '',
      TITLE: 'One',
      'BLOCKED BY': blocker.id,
    },
  ]);
});

t('closing the blocker empties the epic part; claimed beads are never listed', async () => {
  const r2 = await initedRepo();
  const [a] = await ok(r2, 'bead-create', ['--title', 'a'], { env: at(1) });
  const [b] = await ok(r2, 'bead-create', ['--title', 'b', '--deps', a!.id], { env: at(2) });
  assert.equal(ids(await ok(r2, 'bead-blocked')), [b!.id]);
  await ok(r2, 'bead-claim', [b!.id, '--as', 'w', '--force']); // blocked: claimed only by force
  assert.equal(await ok(r2, 'bead-blocked'), []);
  await ok(r2, 'bead-release', [b!.id, '--as', 'w']);
  await ok(r2, 'bead-close', [a!.id]);
  const empty = await sase(r2, 'bead-blocked');
  assert.is(empty.code, 0);
  assert.is(empty.stdout, '');
  assert.is(empty.stderr, '');
});

t('an external reference and a missing parent hold a bead until marked satisfied; blocked_by names them', async () => {
  const r2 = await initedRepo();
  const ext = 'external:gastown:gt-1';
  const recs = [
    beadRecord({
      id: 'ts-ee000000',
      dependencies: [{ depends_on_id: ext, created_at: '2026-01-01T00:00:00Z', created_by: ME }],
    }),
    beadRecord({ id: 'ts-oo000000', parent_id: 'ts-lost0000', missing: ['ts-lost0000'] }),
  ];
  writeStateCommit(
    r2,
    Object.fromEntries(recs.map((r) => [beadPathOf(r.id as string), canonical(r)])),
    'sase: hand-written\n',
  );
  assert.equal(
    (await ok(r2, 'bead-blocked')).map((r) => [r.id, r.blocked_by]),
    [
      ['ts-ee000000', [ext]],
      ['ts-oo000000', ['ts-lost0000']],
    ],
  );
  await ok(r2, 'bead-dep-satisfy', ['ts-oo000000', 'ts-lost0000']);
  assert.equal(ids(await ok(r2, 'bead-blocked')), ['ts-ee000000']);
});

t('exit 4: the --parent bead does not exist', async () => {
  fails(await sase(repo, 'bead-blocked', ['--parent', 'ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  fails(await sase(repo, 'bead-blocked', ['--frob']), 129, "error: unknown option '--frob'");
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-blocked', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-bead-blocked [--type <type>] [--parent <id>] [--limit <n>] [--sort <fields>] [--grep <text>] [--no-pager]',
    ),
    r.stdout,
  );
});

t.run();
