import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { stored } from '../helpers/sdd.ts';
import { approvedEpic } from '../helpers/sdd-plans.ts';
import { assertFsckOk } from '../helpers/state.ts';

const t = suite('sdd-status');

function tip(repo: TestRepo): string {
  return repo.git('rev-parse', 'refs/sase/state').trim();
}

async function statusOf(repo: TestRepo, slug: string): Promise<string> {
  return (await ok(repo, 'sdd-show', [slug]))[0]!.status as string;
}

t('moves a plan along the allowed moves, one sdd.status operation each', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Small fix', '--goal', 'g']);
  // through the real executable
  const [p] = okBin(repo, 'sdd-status', ['small-fix', 'abandoned'], { env: { SASE_NOW: '2026-05-01T10:00:00Z' } });
  assert.is(p!.kind, 'plan');
  assert.is(p!.id, 'sdd/tales/small-fix.md');
  assert.is(p!.status, 'abandoned');
  assert.is(p!.updated_at, '2026-05-01T10:00:00Z');
  assert.match(stored(repo, 'sdd/tales/small-fix.md')!, /\nstatus: abandoned\n/);
  const msg = repo.git('log', '-1', '--format=%B', 'refs/sase/state');
  assert.match(msg, /^sase: sdd status sdd\/tales\/small-fix.md abandoned\n/);
  const op = JSON.parse(/^Sase-Op: (.*)$/m.exec(msg)![1]!);
  assert.equal(op, {
    op: 'sdd.status',
    path: 'sdd/tales/small-fix.md',
    status: 'abandoned',
    at: '2026-05-01T10:00:00Z',
    actor: 'author@example.com',
  });
  assert.is(
    (await ok(repo, 'sdd-show', ['small-fix']))[0]!.updated_at,
    '2026-05-01T10:00:00Z',
    'show dates the plan by its last operation',
  );
  assert.is((await ok(repo, 'sdd-status', ['sdd/tales/small-fix.md', 'draft']))[0]!.status, 'draft');
  await assertFsckOk(repo);
});

t('the same status again is a no-op: exit 0, no commit', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Same', '--goal', 'g']);
  const before = tip(repo);
  const [p] = await ok(repo, 'sdd-status', ['same', 'draft']);
  assert.is(p!.status, 'draft');
  assert.is(tip(repo), before);
});

t('a terminal gets one line a plan, not a table row; a pipe the record', async () => {
  const repo = await initedRepo();
  const made = await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Small fix', '--goal', 'g', '--no-color'], {
    terminal: true,
  });
  assert.is(made.stdout, 'created small-fix: Small fix (draft)\n', made.stderr);
  const r = await sase(repo, 'sdd-status', ['small-fix', 'abandoned', '--no-color'], { terminal: true });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'updated small-fix: Small fix (abandoned)\n');
  assert.is(r.stderr, '');
  const again = await sase(repo, 'sdd-status', ['small-fix', 'abandoned', '--no-color'], { terminal: true });
  assert.is(again.stdout, 'unchanged small-fix: Small fix (abandoned)\n');
  const piped = await sase(repo, 'sdd-status', ['small-fix', 'draft']);
  assert.equal(
    piped.records.map((x) => [x.kind, x.id, x.status]),
    [['plan', 'sdd/tales/small-fix.md', 'draft']],
  );
});

t('refused moves exit 1 naming the allowed ones; draft -> approved points to sdd approve', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Tale', '--goal', 'g']);
  const before = tip(repo);
  fails(
    await sase(repo, 'sdd-status', ['tale', 'done']),
    1,
    "error: plan 'tale' is draft; it can move to abandoned, not done",
  );
  fails(
    await sase(repo, 'sdd-status', ['tale', 'approved']),
    1,
    "error: plan 'tale' is draft; it can move to abandoned, not approved; approve it with 'sase sdd approve'",
  );
  fails(
    await sase(repo, 'sdd-status', ['tale', 'finished']),
    129,
    "error: status 'finished' is not one of draft, approved, in_progress, done, abandoned",
  );
  fails(await sase(repo, 'sdd-status', ['tale']), 129, 'error: missing <status>');
  fails(await sase(repo, 'sdd-status', ['nope', 'done']), 4, "error: no plan 'nope'");
  fails(
    await sase(repo, 'sdd-status', ['sdd/prompts/tale.md', 'done']),
    129,
    "error: 'sdd/prompts/tale.md' is a prompt, not a plan",
  );
  assert.is(tip(repo), before, 'nothing stored');
  const bead = await approvedEpic(repo, 'Done epic', [{ id: 'a' }]);
  await ok(repo, 'sdd-status', ['done-epic', 'done']);
  fails(
    await sase(repo, 'sdd-status', ['done-epic', 'abandoned']),
    1,
    "error: plan 'done-epic' is done; it can move to in_progress, not abandoned",
  );
  assert.ok(bead);
});

t(
  'statuses follow the beads: claim of a phase starts the epic, the last close finishes it, a reopen resumes it',
  async () => {
    const repo = await initedRepo();
    const bead = await approvedEpic(repo, 'Waves', [{ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 'c' }]);
    assert.is(await statusOf(repo, 'waves'), 'approved');
    await ok(repo, 'bead-claim', [`${bead}.1`]);
    assert.is(await statusOf(repo, 'waves'), 'in_progress', 'a claimed phase starts the plan');
    assert.match(stored(repo, 'sdd/epics/waves.md')!, /\nstatus: in_progress\n/);
    await ok(repo, 'bead-close', [`${bead}.1`, `${bead}.3`]);
    assert.is(await statusOf(repo, 'waves'), 'in_progress', 'a phase is still open');
    await ok(repo, 'bead-close', [`${bead}.2`]);
    assert.is(await statusOf(repo, 'waves'), 'done', 'the last phase closed');
    assert.match(
      repo.git('log', '-1', '--format=%B', 'refs/sase/state'),
      /"op":"bead.close"/,
      'in the close itself, one commit',
    );
    await ok(repo, 'bead-reopen', [`${bead}.2`]);
    assert.is(await statusOf(repo, 'waves'), 'in_progress', 'reopening a phase resumes the plan');
    await ok(repo, 'sdd-status', ['waves', 'abandoned']);
    await ok(repo, 'bead-close', [`${bead}.2`]);
    assert.is(await statusOf(repo, 'waves'), 'abandoned', 'an abandoned plan stays abandoned');
    await assertFsckOk(repo);
  },
);

t(
  'abandoning an approved epic cancels its open beads in the same commit; taken up again it gets fresh ones',
  async () => {
    const repo = await initedRepo();
    const bead = await approvedEpic(repo, 'Given up', [{ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 'c' }]);
    await ok(repo, 'bead-close', [`${bead}.3`]);
    const ready = async () => (await ok(repo, 'bead-ready')).map((b) => b.id);
    assert.equal(await ready(), [`${bead}.1`]);
    const before = tip(repo);
    await ok(repo, 'sdd-status', ['given-up', 'abandoned'], { env: { SASE_NOW: '2026-05-01T10:00:00Z' } });
    assert.is(repo.git('rev-parse', `${tip(repo)}^`).trim(), before, 'one commit');
    assert.equal(await ready(), [], 'no phase of an abandoned plan is ready');
    const beads = await ok(repo, 'bead-show', [bead, `${bead}.1`, `${bead}.2`, `${bead}.3`]);
    assert.equal(
      beads.map((b) => [b.id, b.status, b.resolution, b.close_reason]),
      [
        [bead, 'closed', 'canceled', "plan 'given-up' abandoned"],
        [`${bead}.1`, 'closed', 'canceled', "plan 'given-up' abandoned"],
        [`${bead}.2`, 'closed', 'canceled', "plan 'given-up' abandoned"],
        [`${bead}.3`, 'closed', 'done', null],
      ],
      'the phase closed before keeps its own close',
    );
    assert.is(await statusOf(repo, 'given-up'), 'abandoned');
    await assertFsckOk(repo);
    // back to draft: the canceled beads are history, approving again makes new ones
    const [draft] = await ok(repo, 'sdd-status', ['given-up', 'draft']);
    assert.is(draft!.bead, null);
    const [again] = await ok(repo, 'sdd-approve', ['given-up']);
    assert.is.not(again!.id, bead);
    assert.equal((await ready()).length, 2);
    await assertFsckOk(repo);
  },
);

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'sdd-status', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /<status>/);
});

t.run();
