import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-revert');
const NOW = { SASE_NOW: '2026-11-25T10:00:00Z' };

const rev = (repo: TestRepo, ref: string) => repo.git('rev-parse', ref).trim();
const subjects = (repo: TestRepo, range: string) =>
  repo.git('log', '--format=%s', range).trim().split('\n').filter(Boolean);
const state = (repo: TestRepo) =>
  [
    repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/sase'),
    repo.git('status', '--porcelain', '--untracked-files=no'),
    repo.git('worktree', 'list', '--porcelain'),
  ].join('\n');

/** 'feat' with two commits, mailed and submitted onto main. */
async function submitted(): Promise<{ repo: TestRepo; base: string }> {
  const repo = await initedRepo();
  const base = rev(repo, 'main');
  await ok(repo, 'cs-new', ['feat', '--description', 'Feat', '--status', 'Ready'], { env: NOW });
  commitOn(repo, 'sase/cs/feat', { 'a.ts': 'a\n' }, 'Add a');
  commitOn(repo, 'sase/cs/feat', { 'b.ts': 'b\n' }, 'Add b');
  await ok(repo, 'cs-mail', ['feat']);
  await ok(repo, 'cs-submit', ['feat']);
  return { repo, base };
}

t(
  'reverts the landed commits on main (checked out: the work tree follows), status Reverted, REVERT logged',
  async () => {
    const { repo } = await submitted();
    const landed = rev(repo, 'main');
    // through the real executable
    const [c] = okBin(repo, 'cs-revert', ['feat'], { env: NOW });
    assert.is(c!.status, 'Reverted');
    assert.equal(subjects(repo, `${landed}..main`), ['Revert "Add a"', 'Revert "Add b"']);
    assert.is(existsSync(join(repo.dir, 'a.ts')), false);
    assert.is(existsSync(join(repo.dir, 'b.ts')), false);
    assert.is(repo.git('status', '--porcelain', '--untracked-files=no').trim(), '');
    const text = storedChange(repo, 'feat')!;
    assert.match(text, 'STATUS Submitted -> Reverted');
    assert.match(text, `REVERT ${landed}..${rev(repo, 'main')} on main`);
    assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), /"op":"cs.revert"/);
    fails(
      await sase(repo, 'cs-revert', ['feat']),
      1,
      "error: change 'feat' is Reverted, not Submitted: only a submitted change is reverted",
    );
    await ok(repo, 'fsck');
  },
);

t('main not checked out: moved with compare-and-swap', async () => {
  const { repo } = await submitted();
  repo.git('checkout', '-q', '--detach');
  const head = rev(repo, 'HEAD');
  await ok(repo, 'cs-revert', ['feat']);
  assert.equal(subjects(repo, `${head}..main`).length, 2);
  assert.is(rev(repo, 'HEAD'), head);
});

t('refusals change nothing: not submitted, a conflicting revert, main with local changes', async () => {
  const repo = await initedRepo();
  await ok(repo, 'cs-new', ['wip', '--description', 'Wip']);
  fails(
    await sase(repo, 'cs-revert', ['wip']),
    1,
    "error: change 'wip' is WIP, not Submitted: only a submitted change is reverted",
  );
  fails(await sase(repo, 'cs-revert', ['nope']), 4, "error: no change 'nope'");
  const { repo: r2 } = await submitted();
  r2.write('a.ts', 'changed on main\n');
  r2.git('commit', '-q', '-am', 'Change a on main');
  const before = state(r2);
  const r = await sase(r2, 'cs-revert', ['feat']);
  fails(r, 1, "error: change 'feat' does not revert cleanly on 'main': conflict in a.ts");
  assert.match(r.stderr, 'hint: revert it by hand (git revert ');
  assert.is(state(r2), before);
  assert.match(storedChange(r2, 'feat')!, 'STATUS: Submitted');
  r2.write('b.ts', 'dirty\n');
  fails(
    await sase(r2, 'cs-revert', ['feat']),
    1,
    `error: 'main' is checked out in '${r2.git('rev-parse', '--show-toplevel').trim()}' with local changes (b.ts)`,
  );
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-revert', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /revert a submitted change/);
});

t.run();
