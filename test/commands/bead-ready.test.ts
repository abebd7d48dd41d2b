import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase, tableRows } from '../helpers/run.ts';
import { beadPathOf, beadRecord, canonical, writeStateCommit } from '../helpers/state.ts';

const t = suite('bead-ready');
const ME = 'author@example.com';
const at = (s: number) => ({ SASE_NOW: `2026-01-01T00:00:${String(s).padStart(2, '0')}Z` });

const ids = (recs: Record<string, any>[]) => recs.map((r) => r.id);
const create = async (repo: ReturnType<typeof gitdir>, s: number, ...args: string[]) =>
  (await ok(repo, 'bead-create', args, { env: at(s) }))[0]!;

t('orders by priority, then age, then id; every field of a ready bead is printed', async () => {
  const repo = await initedRepo();
  const low = await create(repo, 1, '--title', 'old but low', '--priority', '3');
  const p1late = await create(repo, 9, '--title', 'p1 late', '--priority', '1');
  const p1early = await create(repo, 3, '--title', 'p1 early', '--priority', '1');
  const tieA = await create(repo, 5, '--title', 'tie', '--priority', '2');
  const tieB = await create(repo, 5, '--title', 'tie', '--priority', '2');
  const urgent = await create(repo, 7, '--title', 'urgent', '--priority', '0');
  const ties = [tieA.id, tieB.id].sort();
  // through the real executable
  const recs = okBin(repo, 'bead-ready');
  assert.equal(ids(recs), [urgent.id, p1early.id, p1late.id, ...ties, low.id]);
  assert.equal(recs[0], {
    v: 1,
    kind: 'bead',
    id: urgent.id,
    short_id: urgent.short_id,
    title: 'urgent',
    issue_type: 'task',
    tier: null,
    parent_id: null,
    status: 'open',
    priority: 0,
    assignee: null,
    owner: ME,
    size: null,
    model: null,
    labels: [],
    links: [],
    dependencies: [],
    description: '',
    notes: '',
    design: null,
    created_at: '2026-01-01T00:00:07Z',
    created_by: ME,
    updated_at: '2026-01-01T00:00:07Z',
    closed_at: null,
    close_reason: null,
    resolution: null,
    close_history: [],
    missing: [],
    satisfied: [],
    blocked: false,
  });
  // --limit takes the head of the same order
  assert.equal(ids(await ok(repo, 'bead-ready', ['--limit', '2'])), [urgent.id, p1early.id]);
  // a priority change re-sorts
  await ok(repo, 'bead-update', [low.id, '--priority', '0'], { env: at(20) });
  assert.equal(ids(await ok(repo, 'bead-ready', ['--limit', '2'])), [low.id, urgent.id]);
  // --format id and --format text
  const idOut = await sase(repo, 'bead-ready', ['--format', 'id', '--limit', '3']);
  assert.is(idOut.code, 0);
  assert.is(idOut.stderr, '');
  assert.is(idOut.stdout, `${low.id}\n${urgent.id}\n${p1early.id}\n`);
  const text = await sase(repo, 'bead-ready', ['--format', 'text', '--limit', '2']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.equal(tableRows(text.stdout), [
    { ID: low.short_id, P: 'P0', STATUS: 'open', TYPE: 'task', ASSIGNEE: '', TITLE: 'old but low' },
    { ID: urgent.short_id, P: 'P0', STATUS: 'open', TYPE: 'task', ASSIGNEE: '', TITLE: 'urgent' },
  ]);
});

t('ties of priority and age go by id in natural order (x.2 before x.10), in ready and in list alike', async () => {
  const repo = await initedRepo();
  const same = { created_at: '2026-01-01T00:00:00Z', priority: 1 };
  const files: Record<string, string> = {};
  for (const id of ['ts-tie00000.10', 'ts-tie00000.2', 'ts-tie00000.1', 'ts-tie00001'])
    files[beadPathOf(id)] = canonical(beadRecord({ id, ...same }));
  writeStateCommit(repo, files, 'sase: by hand\n');
  const want = ['ts-tie00000.1', 'ts-tie00000.2', 'ts-tie00000.10', 'ts-tie00001'];
  assert.equal(ids(await ok(repo, 'bead-ready')), want);
  assert.equal(ids(await ok(repo, 'bead-list')), want);
  assert.equal(ids(await ok(repo, 'bead-list', ['--limit', '3'])), want.slice(0, 3));
});

t('blocked beads wait: a phase of a blocked epic is not ready; closing the blocker unblocks both', async () => {
  const repo = await initedRepo();
  const blocker = await create(repo, 1, '--title', 'blocker');
  const epic = await create(repo, 2, '--title', 'Epic', '--tier', 'epic', '--deps', blocker.id);
  const p1 = await create(repo, 3, '--title', 'One', '--type', 'phase', '--parent', epic.id);
  const p2 = await create(repo, 4, '--title', 'Two', '--type', 'phase', '--parent', epic.id, '--deps', p1.id);
  const claimed = await create(repo, 5, '--title', 'claimed');
  await ok(repo, 'bead-claim', [claimed.id, '--as', 'w1']);
  const done = await create(repo, 6, '--title', 'done');
  await ok(repo, 'bead-close', [done.id]);
  const afterDone = await create(repo, 7, '--title', 'waits for a closed bead', '--deps', done.id);
  assert.equal(ids(await ok(repo, 'bead-ready')), [blocker.id, afterDone.id]);
  await ok(repo, 'bead-close', [blocker.id]);
  assert.equal(
    ids(await ok(repo, 'bead-ready')),
    [p1.id, afterDone.id],
    'an epic with open phases is not itself ready',
  );
  // --type and --parent filter the same list
  assert.equal(ids(await ok(repo, 'bead-ready', ['--type', 'phase'])), [p1.id]);
  assert.equal(ids(await ok(repo, 'bead-ready', ['--parent', epic.short_id])), [p1.id]);
  assert.equal(ids(await ok(repo, 'bead-ready', ['--type', 'task'])), [afterDone.id]);
  await ok(repo, 'bead-close', [p1.id]);
  assert.equal(ids(await ok(repo, 'bead-ready', ['--parent', epic.id])), [p2.id]);
  await ok(repo, 'bead-close', [p2.id]);
  assert.equal(
    ids(await ok(repo, 'bead-ready')),
    [epic.id, afterDone.id],
    'with every phase closed the epic is ready to land',
  );
  await ok(repo, 'bead-reopen', [p2.id]);
  // reopening the blocker blocks the epic's phases again
  await ok(repo, 'bead-reopen', [blocker.id]);
  assert.equal(ids(await ok(repo, 'bead-ready')), [blocker.id, afterDone.id]);
  assert.equal(await ok(repo, 'bead-ready', ['--parent', epic.id]), []);
});

t('a dependency on a bead that does not exist blocks (never fails open)', async () => {
  const repo = await initedRepo();
  const ok1 = await create(repo, 1, '--title', 'fine');
  const rec = beadRecord({
    id: 'ts-mm000000',
    dependencies: [{ depends_on_id: 'ts-gone0000', created_at: at(0).SASE_NOW, created_by: ME }],
  });
  writeStateCommit(repo, { [beadPathOf('ts-mm000000')]: canonical(rec) }, 'sase: hand-written\n');
  assert.equal(ids(await ok(repo, 'bead-ready')), [ok1.id]);
});

t('an external reference and a missing parent block until marked satisfied', async () => {
  const repo = await initedRepo();
  const fine = await create(repo, 1, '--title', 'fine');
  const ext = beadRecord({
    id: 'ts-ee000000',
    dependencies: [{ depends_on_id: 'external:gastown:gt-1', created_at: at(0).SASE_NOW, created_by: ME }],
  });
  const orphan = beadRecord({ id: 'ts-oo000000', parent_id: 'ts-lost0000', missing: ['ts-lost0000'] });
  writeStateCommit(
    repo,
    { [beadPathOf(ext.id as string)]: canonical(ext), [beadPathOf(orphan.id as string)]: canonical(orphan) },
    'sase: hand-written\n',
  );
  assert.equal(ids(await ok(repo, 'bead-ready')), [fine.id]);
  await ok(repo, 'bead-dep-satisfy', ['ts-ee000000', '--all']);
  await ok(repo, 'bead-dep-satisfy', ['ts-oo000000', 'ts-lost0000']);
  assert.equal(ids(await ok(repo, 'bead-ready')), ['ts-ee000000', 'ts-oo000000', fine.id], 'older first');
});

t('no state, or nothing ready, is an empty success', async () => {
  const repo = gitdir();
  for (const args of [[], ['--format', 'text'], ['--format', 'id']]) {
    const r = await sase(repo, 'bead-ready', args);
    assert.is(r.code, 0);
    assert.is(r.stdout, '');
    assert.is(r.stderr, '');
  }
});

t('exit 4: the --parent bead does not exist; 129 on bad values', async () => {
  const repo = await initedRepo();
  await create(repo, 1, '--title', 'x');
  fails(await sase(repo, 'bead-ready', ['--parent', 'ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  fails(
    await sase(repo, 'bead-ready', ['--limit=-1']),
    129,
    "error: option '--limit' expects a whole number, got '-1'",
  );
  fails(
    await sase(repo, 'bead-ready', ['--limit', 'two']),
    129,
    "error: option '--limit' expects a whole number, got 'two'",
  );
  const noValue = await sase(repo, 'bead-ready', ['--limit']);
  assert.is(noValue.code, 129);
  assert.match(noValue.stderr, /^error: option '--limit[ '].*\n/);
  fails(
    await sase(repo, 'bead-ready', ['--type', 'epic']),
    129,
    "error: option '--type': 'epic' is not one of plan, phase, task",
  );
  fails(
    await sase(repo, 'bead-ready', ['--format', 'yaml']),
    129,
    "error: option '--format': 'yaml' is not one of text, json, id",
  );
});

t('--help exits 0 and prints the usage line', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'bead-ready', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-bead-ready [--type <type>] [--parent <id>] [--limit <n>] [--sort <fields>] [--grep <text>] [--no-pager]',
    ),
    r.stdout,
  );
});

t.run();
