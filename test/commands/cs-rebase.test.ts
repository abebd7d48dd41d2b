import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-rebase');

const rev = (repo: TestRepo, r: string) => repo.git('rev-parse', r).trim();
const state = (repo: TestRepo) => rev(repo, 'refs/sase/state');
const own = (repo: TestRepo, base: string, tip: string) =>
  repo.git('log', '--reverse', '--format=%s', `${base}..${tip}`).trim().split('\n').filter(Boolean);
const worktrees = (repo: TestRepo) => {
  const dir = join(repo.dir, '.git', 'sase', 'worktrees');
  return existsSync(dir) ? readdirSync(dir) : [];
};

/** The user's side of the repository: their branch, index and work tree, which no rebase may touch. */
function userSide(repo: TestRepo): string {
  return [
    repo.git('symbolic-ref', 'HEAD'),
    rev(repo, 'HEAD'),
    repo.git('status', '--porcelain=v1', '--untracked-files=all'),
    repo.git('diff'),
    repo.git('diff', '--cached'),
  ].join('\n--\n');
}

async function setup(): Promise<TestRepo> {
  const repo = await initedRepo();
  repo.git('checkout', '-q', '-b', 'mine');
  repo.write('README', 'test\nuser edit, not committed\n');
  repo.write('staged.txt', 'staged\n');
  repo.git('add', 'staged.txt');
  repo.write('untracked.txt', 'u\n');
  return repo;
}

t(
  'rebases a change onto the moved target branch, re-records COMMITS and DELTAS, logs REBASE, writes notes; the user side untouched',
  async () => {
    const repo = await setup();
    const [b] = await ok(repo, 'bead-create', ['--title', 'B']);
    await ok(repo, 'cs-new', ['one', '--description', 'd', '--bead', b!.id]);
    const c1 = commitOn(repo, 'sase/cs/one', { 'a.txt': 'a\n' }, 'first');
    const c2 = commitOn(repo, 'sase/cs/one', { 'b.txt': 'b\n' }, 'second');
    await ok(repo, 'cs-commit', ['one']);
    const m1 = commitOn(repo, 'main', { 'm.txt': 'main moved\n' }, 'main moves');
    const user = userSide(repo);

    // through the real executable
    const [r] = okBin(repo, 'cs-rebase', ['one'], { env: { SASE_NOW: '2026-11-25T11:00:00Z' } });
    const tip = rev(repo, 'sase/cs/one');
    assert.equal(r!.rebase, { status: 'rebased', from: c2, to: tip, base_branch: 'main', onto: m1 });
    assert.is(rev(repo, 'sase/cs/one~2'), m1, 'on the new main');
    assert.equal(own(repo, 'main', 'sase/cs/one'), ['first', 'second']);
    const n1 = rev(repo, 'sase/cs/one~1');
    assert.equal(r!.commits, [
      { n: 1, subject: 'first', sha: n1, bead: b!.id },
      { n: 2, subject: 'second', sha: tip, bead: b!.id },
    ]);
    assert.is.not(n1, c1);
    assert.equal(
      r!.deltas.map((d: any) => `${d.op} ${d.path}`),
      ['+ a.txt', '+ b.txt'],
      'what main added is not the change',
    );
    assert.match(
      storedChange(repo, 'one')!,
      `  [2026-11-25T11:00:00Z] REBASE ${c2.slice(0, 12)} -> ${tip.slice(0, 12)}\n`,
    );
    assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), '"op":"cs.rebase"');
    assert.is(repo.git('notes', '--ref=sase', 'show', tip), `{"v":1,"bead":"${b!.id}","changespec":"one"}\n`);
    assert.is(rev(repo, 'main'), m1, 'main untouched');
    assert.is(userSide(repo), user, "the user's branch, index and work tree untouched");
    assert.equal(worktrees(repo), [], 'the temporary worktree is gone');
    assert.is(
      repo
        .git('worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')).length,
      1,
    );

    const at = state(repo);
    const [again] = await ok(repo, 'cs-rebase', ['one']);
    assert.is(again!.rebase.status, 'up_to_date');
    assert.is(state(repo), at, 'up to date: nothing written');
    assert.is(rev(repo, 'sase/cs/one'), tip);
    await ok(repo, 'fsck');
  },
);

t(
  "--stack: a 3-deep stack follows its bottom after the bottom's parent (main) moved, children after parents, each with only its own commits",
  async () => {
    const repo = await setup();
    await ok(repo, 'cs-new', ['s1', '--description', 'bottom']);
    commitOn(repo, 'sase/cs/s1', { 's1.txt': '1\n' }, 's1 work');
    await ok(repo, 'cs-new', ['s2', '--description', 'middle', '--parent', 's1']);
    commitOn(repo, 'sase/cs/s2', { 's2.txt': '2\n' }, 's2 work');
    commitOn(repo, 'sase/cs/s2', { 's2.txt': '2\n2b\n' }, 's2 more');
    await ok(repo, 'cs-new', ['s3', '--description', 'top', '--parent', 's2']);
    commitOn(repo, 'sase/cs/s3', { 's3.txt': '3\n' }, 's3 work');
    for (const n of ['s1', 's2', 's3']) await ok(repo, 'cs-commit', [n]);
    const m1 = commitOn(repo, 'main', { 'm.txt': 'moved\n' }, 'main moves');
    const user = userSide(repo);

    const recs = await ok(repo, 'cs-rebase', ['s1', '--stack']);
    assert.equal(
      recs.map((r) => [r.name, r.rebase.status]),
      [
        ['s1', 'rebased'],
        ['s2', 'rebased'],
        ['s3', 'rebased'],
      ],
    );
    assert.ok(repo.git('merge-base', '--is-ancestor', m1, 'sase/cs/s1') === '');
    assert.equal(own(repo, 'main', 'sase/cs/s1'), ['s1 work']);
    assert.equal(own(repo, 'sase/cs/s1', 'sase/cs/s2'), ['s2 work', 's2 more']);
    assert.equal(own(repo, 'sase/cs/s2', 'sase/cs/s3'), ['s3 work']);
    assert.is(recs[1]!.rebase.onto, rev(repo, 'sase/cs/s1'));
    assert.is(recs[2]!.rebase.onto, rev(repo, 'sase/cs/s2'));
    for (const n of ['s1', 's2', 's3']) {
      const [c] = await ok(repo, 'cs-show', [n, '--format', 'json']);
      assert.equal(
        c!.commits.map((k: any) => k.sha),
        own(repo, n === 's1' ? 'main' : `sase/cs/s${Number(n[1]) - 1}`, `sase/cs/${n}`).map((_, i, a) =>
          rev(repo, `sase/cs/${n}~${a.length - 1 - i}`),
        ),
        `${n} re-recorded`,
      );
      assert.match(c!.timestamps[c!.timestamps.length - 1].event, /^REBASE [0-9a-f]{12} -> [0-9a-f]{12}$/);
    }
    assert.is(rev(repo, 'main'), m1);
    assert.is(userSide(repo), user);

    // the middle is rewritten by hand (its first commit amended): the top follows without the old copy
    const s1 = rev(repo, 'sase/cs/s1');
    repo.git('update-ref', 'refs/heads/sase/cs/s2', s1);
    commitOn(repo, 'sase/cs/s2', { 's2.txt': '2 amended\n' }, 's2 work, amended');
    await ok(repo, 'cs-commit', ['s2', '--rerecord']);
    const recs2 = await ok(repo, 'cs-rebase', ['s2', '--stack']);
    assert.equal(
      recs2.map((r) => [r.name, r.rebase.status]),
      [
        ['s2', 'up_to_date'],
        ['s3', 'rebased'],
      ],
    );
    assert.equal(own(repo, 'sase/cs/s2', 'sase/cs/s3'), ['s3 work'], "the middle's old commits are not carried along");
    assert.is(repo.git('show', 'sase/cs/s3:s2.txt'), '2 amended\n');
    const [s3] = await ok(repo, 'cs-show', ['s3', '--format', 'json']);
    assert.equal(
      s3!.commits.map((k: any) => k.subject),
      ['s3 work'],
    );
    assert.equal(
      s3!.deltas.map((d: any) => d.path),
      ['s3.txt'],
    );
    await ok(repo, 'fsck');
  },
);

t(
  'a conflict stops with the worktree left for the user and nothing changed; the next run records what the user finished',
  async () => {
    const repo = await setup();
    commitOn(repo, 'main', { 'f.txt': 'base\n' }, 'f');
    await ok(repo, 'cs-new', ['cf', '--description', 'd']);
    const c1 = commitOn(repo, 'sase/cs/cf', { 'f.txt': 'change\n' }, 'change f');
    const c2 = commitOn(repo, 'sase/cs/cf', { 'g.txt': 'g\n' }, 'add g');
    await ok(repo, 'cs-commit', ['cf']);
    const m1 = commitOn(repo, 'main', { 'f.txt': 'main\n' }, 'main changes f');
    const user = userSide(repo);
    const before = state(repo);
    const stored = storedChange(repo, 'cf');

    const r = await sase(repo, 'cs-rebase', ['cf']);
    fails(r, 1, `error: rebasing 'cf' onto 'main' stopped at ${c1.slice(0, 12)} 'change f': conflict in 'f.txt'`);
    const [dir] = worktrees(repo)
      .filter((n) => !n.endsWith('.json'))
      .map((n) => join(repo.dir, '.git', 'sase', 'worktrees', n));
    assert.ok(dir && existsSync(join(dir!, 'f.txt')));
    assert.is(
      r.stderr.split('\n')[1],
      `hint: the change's branch and record are unchanged; the rebase waits in '${dir}'`,
    );
    assert.match(r.stderr, "then 'sase cs rebase cf' again to record it, or 'sase cs rebase cf --abort' to drop it");
    assert.is(rev(repo, 'sase/cs/cf'), c2, 'branch unchanged');
    assert.is(state(repo), before, 'record unchanged');
    assert.is(storedChange(repo, 'cf'), stored);
    assert.is(userSide(repo), user);
    assert.is(rev(repo, 'main'), m1);

    // while it waits, another run says so
    const waiting = await sase(repo, 'cs-rebase', ['cf']);
    fails(waiting, 1, `error: a rebase of change 'cf' is stopped in '${dir}'`);
    assert.match(waiting.stderr, "hint: resolve the conflicts there and run 'git rebase --continue'");

    // the user resolves it there
    const env = { ...repo.env, GIT_EDITOR: 'true' };
    writeFileSync(join(dir!, 'f.txt'), 'main\nchange\n');
    execFileSync('git', ['add', 'f.txt'], { cwd: dir, env });
    execFileSync('git', ['rebase', '--continue'], { cwd: dir, env, stdio: 'ignore' });
    const [done] = await ok(repo, 'cs-rebase', ['cf']);
    const tip = rev(repo, 'sase/cs/cf');
    assert.equal(done!.rebase, { status: 'rebased', from: c2, to: tip, base_branch: 'main', onto: m1 });
    assert.equal(own(repo, 'main', 'sase/cs/cf'), ['change f', 'add g']);
    assert.is(repo.git('show', 'sase/cs/cf:f.txt'), 'main\nchange\n');
    assert.equal(
      done!.commits.map((k: any) => [k.subject, k.sha]),
      [
        ['change f', rev(repo, 'sase/cs/cf~1')],
        ['add g', tip],
      ],
    );
    assert.equal(worktrees(repo), [], 'the worktree is removed once recorded');
    assert.is(userSide(repo), user);
    await ok(repo, 'fsck');
  },
);

t(
  '--abort drops a stopped rebase; a stack stops at the conflict, with the changes before it rebased and after it untouched',
  async () => {
    const repo = await setup();
    commitOn(repo, 'main', { 'f.txt': 'base\n' }, 'f');
    await ok(repo, 'cs-new', ['a1', '--description', 'd']);
    commitOn(repo, 'sase/cs/a1', { 'a.txt': 'a\n' }, 'a work');
    await ok(repo, 'cs-new', ['a2', '--description', 'd', '--parent', 'a1']);
    const b2 = commitOn(repo, 'sase/cs/a2', { 'f.txt': 'a2\n' }, 'a2 changes f');
    await ok(repo, 'cs-new', ['a3', '--description', 'd', '--parent', 'a2']);
    const b3 = commitOn(repo, 'sase/cs/a3', { 'c.txt': 'c\n' }, 'a3 work');
    for (const n of ['a1', 'a2', 'a3']) await ok(repo, 'cs-commit', [n]);
    commitOn(repo, 'main', { 'f.txt': 'main\n' }, 'main changes f');

    const r = await sase(repo, 'cs-rebase', ['a1', '--stack']);
    assert.is(r.code, 1);
    assert.equal(
      r.records.map((x) => [x.name, x.rebase.status]),
      [['a1', 'rebased']],
    );
    assert.match(
      r.stderr,
      `error: rebasing 'a2' onto 'sase/cs/a1' stopped at ${b2.slice(0, 12)} 'a2 changes f': conflict in 'f.txt'`,
    );
    assert.equal(own(repo, 'main', 'sase/cs/a1'), ['a work']);
    assert.is(rev(repo, 'sase/cs/a2'), b2, 'the conflicting change is unchanged');
    assert.is(rev(repo, 'sase/cs/a3'), b3, 'the ones after it are not started');
    assert.not.match(storedChange(repo, 'a2')!, 'REBASE');
    assert.is(worktrees(repo).length, 2, 'the worktree and its description');

    const tip = state(repo);
    const ab = await sase(repo, 'cs-rebase', ['a2', '--abort']);
    assert.is(ab.code, 0, ab.stderr);
    assert.match(ab.stderr, "dropped the stopped rebase of 'a2'");
    assert.equal(worktrees(repo), []);
    assert.is(
      repo
        .git('worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')).length,
      1,
    );
    assert.is(rev(repo, 'sase/cs/a2'), b2);
    assert.is(state(repo), tip);
    fails(await sase(repo, 'cs-rebase', ['a2', '--abort']), 4, "error: no stopped rebase of change 'a2'");
  },
);

t('refusals: a final change, a missing change or branch, a bad name', async () => {
  const repo = await setup();
  await ok(repo, 'cs-new', ['fin', '--description', 'd']);
  await ok(repo, 'cs-set', ['fin', '--status', 'Archived']);
  fails(await sase(repo, 'cs-rebase', ['fin']), 1, "error: change 'fin' is Archived; only open changes are rebased");
  fails(await sase(repo, 'cs-rebase', ['nope']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-rebase', ['a/b']),
    129,
    "error: change name 'a/b' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  await ok(repo, 'cs-new', ['nobranch', '--description', 'd']);
  repo.git('update-ref', '-d', 'refs/heads/sase/cs/nobranch');
  fails(await sase(repo, 'cs-rebase', ['nobranch']), 4, "error: change 'nobranch' has no branch 'sase/cs/nobranch'");
  const r = await sase(repo, 'cs-rebase', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--stack/);
});

t.run();
