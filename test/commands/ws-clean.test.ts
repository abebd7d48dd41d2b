import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { interruptedWorkspace } from '../helpers/leftovers.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

const t = suite('ws-clean');

const regFile = (repo: TestRepo) => join(repo.dir, '.git', 'sase', 'workspaces.json');
const numbers = (repo: TestRepo) => JSON.parse(readFileSync(regFile(repo), 'utf8')).workspaces.map((w: any) => w.n);

t('removes clean workspaces and their branches; keeps dirty ones and says why; --force removes them', async () => {
  const repo = gitdir();
  const head = repo.git('rev-parse', 'HEAD').trim();
  const [a] = await ok(repo, 'ws-new');
  const [b] = await ok(repo, 'ws-new');
  writeFileSync(join(b!.path, 'notes.txt'), 'unsaved\n');
  // through the real executable
  const r = saseBin(repo, 'ws-clean', ['1', '2']);
  assert.is(r.code, 1, 'a named workspace was kept');
  assert.equal(
    r.records.map((x) => [x.kind, x.id, x.action, x.reason]),
    [
      ['ws-clean', 1, 'removed', 'requested'],
      ['ws-clean', 2, 'kept', 'uncommitted changes'],
    ],
  );
  assert.is(r.stderr, `warning: kept workspace #2 ('${b!.path}'): uncommitted changes (use --force to remove it)\n`);
  assert.ok(!existsSync(a!.path));
  assert.ok(existsSync(join(b!.path, 'notes.txt')));
  assert.is(repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/sase/ws/').trim(), 'sase/ws/2');
  assert.equal(numbers(repo), [2]);
  const [f] = await ok(repo, 'ws-clean', ['2', '--force']);
  assert.is(f!.action, 'removed');
  assert.is(f!.reason, 'forced (uncommitted changes)');
  assert.ok(!existsSync(b!.path));
  assert.equal(numbers(repo), []);
  assert.is(repo.git('branch', '--list', 'sase/*').trim(), '');
  assert.is(repo.git('worktree', 'list').trim().split('\n').length, 1);
  assert.is(repo.git('rev-parse', 'HEAD').trim(), head);
  assert.is(repo.git('symbolic-ref', '--short', 'HEAD').trim(), 'main');
});

t('commits on no other branch keep a workspace; forced, its branch is kept', async () => {
  const repo = gitdir();
  const [w] = await ok(repo, 'ws-new');
  writeFileSync(join(w!.path, 'work.txt'), 'done\n');
  repo.git('-C', w!.path, 'add', 'work.txt');
  repo.git('-C', w!.path, 'commit', '-q', '-m', 'agent work');
  const tip = repo.git('-C', w!.path, 'rev-parse', 'HEAD').trim();
  const r = await sase(repo, 'ws-clean');
  assert.is(r.code, 0, 'a sweep that keeps some is not a failure');
  assert.equal(
    r.records.map((x) => [x.action, x.reason]),
    [['kept', '1 commit on no other branch']],
  );
  const [f] = await ok(repo, 'ws-clean', ['1', '--force']);
  assert.is(f!.reason, "forced (1 commit on no other branch); branch 'sase/ws/1' kept");
  assert.is(repo.git('rev-parse', 'sase/ws/1').trim(), tip, 'the work can still be found');
  const [next] = await ok(repo, 'ws-new');
  assert.is(next!.n, 1);
  assert.is(next!.branch, 'sase/ws/1-2');
});

t('--dry-run changes nothing', async () => {
  const repo = gitdir();
  const [w] = await ok(repo, 'ws-new');
  const before = readFileSync(regFile(repo), 'utf8');
  const recs = await ok(repo, 'ws-clean', ['--dry-run']);
  assert.equal(
    recs.map((x) => [x.n, x.action, x.dry_run]),
    [[1, 'removed', true]],
  );
  assert.ok(existsSync(w!.path));
  assert.is(readFileSync(regFile(repo), 'utf8'), before);
  assert.ok(repo.git('rev-parse', '--verify', 'sase/ws/1').trim());
});

t('--older-than and --finished select; busy ones are left to their run', async () => {
  const repo = gitdir();
  await ok(repo, 'ws-new', [], { env: { SASE_NOW: '2026-11-20T10:00:00Z' } });
  await ok(repo, 'ws-new', [], { env: { SASE_NOW: '2026-11-24T10:00:00Z' } });
  await ok(repo, 'ws-new', ['--for', 'r9'], { env: { SASE_NOW: '2026-11-20T10:00:00Z' } });
  await ok(repo, 'ws-new');
  const now = { SASE_NOW: '2026-11-25T10:00:00Z' };
  const old = await sase(repo, 'ws-clean', ['--older-than', '3d', '--dry-run'], { env: now });
  assert.equal(
    old.records.map((x) => [x.n, x.action]),
    [
      [1, 'removed'],
      [3, 'kept'],
    ],
  );
  const r = await sase(repo, 'ws-clean', ['--older-than', '2d'], { env: now });
  assert.equal(
    r.records.map((x) => [x.n, x.action, x.reason]),
    [
      [1, 'removed', 'older than 2d'],
      [3, 'kept', "held by run 'r9'"],
    ],
  );
  assert.equal(numbers(repo), [2, 3, 4]);
  // a run marks its workspace finished when it ends
  const reg = JSON.parse(readFileSync(regFile(repo), 'utf8'));
  reg.workspaces.find((w: any) => w.n === 3).state = 'finished';
  writeFileSync(regFile(repo), JSON.stringify(reg));
  assert.equal(
    (await ok(repo, 'ws-clean', ['--finished'])).map((x) => [x.n, x.reason]),
    [[3, 'finished']],
  );
  assert.equal(numbers(repo), [2, 4]);
  fails(
    await sase(repo, 'ws-clean', ['--older-than', 'soon']),
    129,
    "error: 'soon' is not an age (a number and one of s, m, h, d, w: 3d, 12h)",
  );
  fails(
    await sase(repo, 'ws-clean', ['2', '--finished']),
    129,
    'error: give workspace numbers or --finished/--older-than, not both',
  );
});

t('entries whose folder is gone are forgotten; unknown numbers change nothing; #0 is never cleaned', async () => {
  const repo = gitdir();
  const [a] = await ok(repo, 'ws-new');
  await ok(repo, 'ws-new', ['--for', 'r1']);
  rmSync(a!.path, { recursive: true, force: true });
  fails(await sase(repo, 'ws-clean', ['1', '7']), 4, "error: no workspace #7 (try 'sase ws list')");
  fails(await sase(repo, 'ws-clean', ['0']), 1, 'error: workspace #0 is the main checkout; it is never cleaned');
  assert.equal(numbers(repo), [1, 2]);
  const recs = await ok(repo, 'ws-clean', ['--finished']);
  assert.equal(
    recs.map((x) => [x.n, x.action, x.reason]),
    [[1, 'removed', 'folder gone']],
  );
  assert.equal(numbers(repo), [2]);
  assert.is(repo.git('worktree', 'list').trim().split('\n').length, 2);
});

t(
  'a creation that was interrupted (its process gone) is removed at once with its half-made worktree and its branch; named, and said',
  async () => {
    const repo = gitdir();
    const [live] = await ok(repo, 'ws-new');
    const half = interruptedWorkspace(repo, 2, { worktree: 'half' });
    const bare = interruptedWorkspace(repo, 3, { branch: true });
    const dry = await ok(repo, 'ws-clean', ['--finished', '--dry-run']);
    assert.equal(
      dry.map((x) => [x.n, x.action, x.reason, x.dry_run]),
      [
        [2, 'removed', `creation interrupted (process ${half.pid} is gone)`, true],
        [3, 'removed', `creation interrupted (process ${bare.pid} is gone)`, true],
      ],
    );
    assert.ok(existsSync(half.path), 'a dry run changes nothing');
    // whatever the selection: like entries whose folder is gone, they are always cleaned up
    const r = await sase(repo, 'ws-clean', ['--finished']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(
      r.records.map((x) => [x.n, x.action, x.reason]),
      [
        [2, 'removed', `creation interrupted (process ${half.pid} is gone)`],
        [3, 'removed', `creation interrupted (process ${bare.pid} is gone)`],
      ],
    );
    assert.equal(r.stderr.trimEnd().split('\n'), [
      `removed workspace #2 ('${half.path}') and its branch 'sase/ws/2': its creation was interrupted`,
      `removed workspace #3 ('${bare.path}') and its branch 'sase/ws/3': its creation was interrupted`,
    ]);
    assert.equal(numbers(repo), [1]);
    assert.ok(existsSync(live!.path));
    assert.not.ok(existsSync(half.path));
    assert.is(repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/sase/').trim(), 'sase/ws/1');
    assert.is(repo.git('worktree', 'list').trim().split('\n').length, 2);
    const [next] = await ok(repo, 'ws-new');
    assert.is(next!.n, 2);
  },
);

t.run();
