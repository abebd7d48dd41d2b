import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase, tableRows } from '../helpers/run.ts';
import { addBeadsWithIds, beadRecord } from '../helpers/state.ts';

const t = suite('bead-list');
const NOW = '2026-01-01T00:00:00Z';
const ME = 'author@example.com';

const ids = (recs: Record<string, any>[]) => recs.map((r) => r.id);

// chosen ids, so that the order is known: an epic with phases .1, .2, .10 (natural order), tasks in every status
const repo = await initedRepo();
const dep = (id: string) => ({ depends_on_id: id, created_at: NOW, created_by: ME });
await addBeadsWithIds(repo, [
  beadRecord({ id: 'ts-ep000000', title: 'Epic', issue_type: 'plan', tier: 'epic', created_at: NOW }),
  beadRecord({ id: 'ts-ep000000.10', title: 'Ten', issue_type: 'phase', parent_id: 'ts-ep000000', created_at: NOW }),
  beadRecord({
    id: 'ts-ep000000.2',
    title: 'Two',
    issue_type: 'phase',
    parent_id: 'ts-ep000000',
    dependencies: [dep('ts-ep000000.1')],
    created_at: NOW,
  }),
  beadRecord({ id: 'ts-ep000000.1', title: 'One', issue_type: 'phase', parent_id: 'ts-ep000000', created_at: NOW }),
  beadRecord({ id: 'ts-lg000000', title: 'Legend', issue_type: 'plan', tier: 'legend', created_at: NOW }),
  beadRecord({ id: 'ts-op000000', title: 'Open task', labels: ['triage'], created_at: NOW }),
  beadRecord({
    id: 'ts-cl000000',
    title: 'Claimed',
    status: 'claimed',
    assignee: 'w1',
    labels: ['triage', 'x'],
    created_at: NOW,
  }),
  beadRecord({ id: 'ts-ip000000', title: 'In progress', status: 'in_progress', assignee: 'w2', created_at: NOW }),
  beadRecord({
    id: 'ts-dn000000',
    title: 'Done',
    status: 'closed',
    closed_at: NOW,
    close_reason: 'ok',
    resolution: 'done',
    labels: ['triage'],
    created_at: NOW,
  }),
]);

t('lists every bead but closed ones, in natural id order, with short ids and blocked', async () => {
  // through the real executable
  const recs = okBin(repo, 'bead-list');
  assert.equal(ids(recs), [
    'ts-cl000000',
    'ts-ep000000',
    'ts-ep000000.1',
    'ts-ep000000.2',
    'ts-ep000000.10',
    'ts-ip000000',
    'ts-lg000000',
    'ts-op000000',
  ]);
  const two = recs.find((r) => r.id === 'ts-ep000000.2')!;
  assert.equal(two, {
    v: 1,
    kind: 'bead',
    id: 'ts-ep000000.2',
    short_id: 'ts-ep00.2',
    title: 'Two',
    issue_type: 'phase',
    tier: null,
    parent_id: 'ts-ep000000',
    status: 'open',
    priority: 2,
    assignee: null,
    owner: null,
    size: null,
    model: null,
    labels: [],
    links: [],
    dependencies: [dep('ts-ep000000.1')],
    description: '',
    notes: '',
    design: null,
    created_at: NOW,
    created_by: ME,
    updated_at: NOW,
    closed_at: null,
    close_reason: null,
    resolution: null,
    close_history: [],
    missing: [],
    satisfied: [],
    blocked: true,
  });
  assert.equal(
    recs.map((r) => r.blocked),
    [false, false, false, true, false, false, false, false],
  );
  assert.is(recs.find((r) => r.id === 'ts-cl000000')!.short_id, 'ts-cl00');
});

t('--status filters, "all" includes closed', async () => {
  assert.equal(ids(await ok(repo, 'bead-list', ['--status', 'closed'])), ['ts-dn000000']);
  assert.equal(ids(await ok(repo, 'bead-list', ['--status', 'claimed,in_progress'])), ['ts-cl000000', 'ts-ip000000']);
  assert.equal(ids(await ok(repo, 'bead-list', ['--status', 'claimed', '--status', 'closed'])), [
    'ts-cl000000',
    'ts-dn000000',
  ]);
  assert.is((await ok(repo, 'bead-list', ['--status', 'all'])).length, 9);
});

t('--type, --tier, --parent (short ids too), --assignee, --label, --limit', async () => {
  assert.equal(ids(await ok(repo, 'bead-list', ['--type', 'phase'])), [
    'ts-ep000000.1',
    'ts-ep000000.2',
    'ts-ep000000.10',
  ]);
  assert.equal(ids(await ok(repo, 'bead-list', ['--type', 'plan'])), ['ts-ep000000', 'ts-lg000000']);
  assert.equal(ids(await ok(repo, 'bead-list', ['--tier', 'legend'])), ['ts-lg000000']);
  assert.equal(ids(await ok(repo, 'bead-list', ['--parent', 'ep00'])), [
    'ts-ep000000.1',
    'ts-ep000000.2',
    'ts-ep000000.10',
  ]);
  assert.equal(ids(await ok(repo, 'bead-list', ['--parent', 'ts-ep000000', '--limit', '2'])), [
    'ts-ep000000.1',
    'ts-ep000000.2',
  ]);
  assert.equal(ids(await ok(repo, 'bead-list', ['--assignee', 'w2'])), ['ts-ip000000']);
  assert.equal(ids(await ok(repo, 'bead-list', ['--label', 'triage'])), ['ts-cl000000', 'ts-op000000']);
  assert.equal(ids(await ok(repo, 'bead-list', ['--label', 'triage', '--status', 'all'])), [
    'ts-cl000000',
    'ts-dn000000',
    'ts-op000000',
  ]);
  assert.equal(ids(await ok(repo, 'bead-list', ['--limit', '1'])), ['ts-cl000000']);
  assert.equal(await ok(repo, 'bead-list', ['--limit', '0']), []);
  // an empty answer is success with no output
  const none = await sase(repo, 'bead-list', ['--assignee', 'nobody']);
  assert.is(none.code, 0);
  assert.is(none.stdout, '');
  assert.is(none.stderr, '');
});

t('--format id prints one id a line', async () => {
  const r = await sase(repo, 'bead-list', ['--type', 'phase', '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, 'ts-ep000000.1\nts-ep000000.2\nts-ep000000.10\n');
});

t('--format text prints a plain table, no ANSI codes', async () => {
  const r = await sase(repo, 'bead-list', ['--type', 'phase', '--format', 'text']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.not.match(r.stdout, /\x1b\[/);
  assert.equal(tableRows(r.stdout), [
    { ID: 'ts-ep00.1', P: 'P2', STATUS: 'open', TYPE: 'phase', ASSIGNEE: '', TITLE: 'One' },
    { ID: 'ts-ep00.2', P: 'P2', STATUS: 'open (blocked)', TYPE: 'phase', ASSIGNEE: '', TITLE: 'Two' },
    { ID: 'ts-ep00.10', P: 'P2', STATUS: 'open', TYPE: 'phase', ASSIGNEE: '', TITLE: 'Ten' },
  ]);
  const w = await sase(repo, 'bead-list', ['--assignee', 'w1', '--format', 'text']);
  assert.equal(tableRows(w.stdout), [
    { ID: 'ts-cl00', P: 'P2', STATUS: 'claimed', TYPE: 'task', ASSIGNEE: 'w1', TITLE: 'Claimed' },
  ]);
  const plans = await sase(repo, 'bead-list', ['--type', 'plan', '--format', 'text']);
  assert.equal(
    tableRows(plans.stdout).map((row) => row.TYPE),
    ['plan/epic', 'plan/legend'],
  );
  // nothing to list: no table at all
  assert.is((await sase(repo, 'bead-list', ['--assignee', 'nobody', '--format', 'text'])).stdout, '');
});

t('exit 4: the --parent bead does not exist', async () => {
  fails(await sase(repo, 'bead-list', ['--parent', 'ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
});

t('exit 129: bad values', async () => {
  fails(
    await sase(repo, 'bead-list', ['--status', 'blocked']),
    129,
    "error: option '--status': 'blocked' is not one of open, claimed, in_progress, closed, all",
  );
  fails(
    await sase(repo, 'bead-list', ['--limit', 'x']),
    129,
    "error: option '--limit' expects a whole number, got 'x'",
  );
  fails(
    await sase(repo, 'bead-list', ['--type', 'bug']),
    129,
    "error: option '--type': 'bug' is not one of plan, phase, task",
  );
  fails(await sase(repo, 'bead-list', ['extra']), 129, "error: unexpected argument 'extra'");
});

t('a repository without sase state lists nothing', async () => {
  const bare = gitdir();
  const r = await sase(bare, 'bead-list');
  assert.is(r.code, 0);
  assert.is(r.stdout, '');
  assert.is(r.stderr, '');
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-list', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.match(r.stdout, /^usage: sase-bead-list \[--status <list>\]/);
});

t.run();
