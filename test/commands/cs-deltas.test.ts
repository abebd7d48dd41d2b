import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-deltas');

const state = (repo: TestRepo) => repo.git('rev-parse', 'refs/sase/state').trim();

t(
  'prints the stored DELTAS; --refresh recomputes them from the branch (renames split) and stores them once',
  async () => {
    const repo = await initedRepo();
    commitOn(repo, 'main', { 'old.txt': 'one\ntwo\nthree\n', 'edit.txt': 'a\nb\nc\n' }, 'files');
    await ok(repo, 'cs-new', ['d', '--description', 'd']);
    commitOn(
      repo,
      'sase/cs/d',
      { 'old.txt': null, 'moved.txt': 'one\ntwo\nthree\n', 'edit.txt': 'a\nB\nc\nd\n', README: null },
      'work',
    );
    assert.equal(await ok(repo, 'cs-deltas', ['d']), [], 'nothing recorded yet');
    const before = state(repo);
    // through the real executable
    const recs = okBin(repo, 'cs-deltas', ['d', '--refresh']);
    assert.equal(recs, [
      { v: 1, kind: 'delta', id: 'README', changespec: 'd', op: '-', path: 'README', added: 0, changed: 0, removed: 1 },
      {
        v: 1,
        kind: 'delta',
        id: 'edit.txt',
        changespec: 'd',
        op: '~',
        path: 'edit.txt',
        added: 1,
        changed: 1,
        removed: 0,
      },
      {
        v: 1,
        kind: 'delta',
        id: 'moved.txt',
        changespec: 'd',
        op: '+',
        path: 'moved.txt',
        added: 3,
        changed: 0,
        removed: 0,
      },
      {
        v: 1,
        kind: 'delta',
        id: 'old.txt',
        changespec: 'd',
        op: '-',
        path: 'old.txt',
        added: 0,
        changed: 0,
        removed: 3,
      },
    ]);
    assert.is.not(state(repo), before);
    assert.match(
      storedChange(repo, 'd')!,
      'DELTAS:\n  - README\n      | LINES: +0 ~0 -1\n  ~ edit.txt\n      | LINES: +1 ~1 -0\n',
    );
    assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), '"op":"cs.deltas"');
    const tip = state(repo);
    await ok(repo, 'cs-deltas', ['d', '--refresh']);
    assert.is(state(repo), tip, 'unchanged: nothing written');
    assert.equal(await ok(repo, 'cs-deltas', ['d']), recs, 'stored');
    assert.is(
      (await sase(repo, 'cs-deltas', ['d', '--format', 'id'])).stdout,
      'README\nedit.txt\nmoved.txt\nold.txt\n',
    );
    const text = (await sase(repo, 'cs-deltas', ['d', '--format', 'text'])).stdout;
    assert.is(text, '- README     +0 ~0 -1\n~ edit.txt   +1 ~1 -0\n+ moved.txt  +3 ~0 -0\n- old.txt    +0 ~0 -3\n');
  },
);

t('errors', async () => {
  const repo = await initedRepo();
  fails(await sase(repo, 'cs-deltas', ['nope']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-deltas', ['..']),
    129,
    "error: change name '..' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  await ok(repo, 'cs-new', ['gone', '--description', 'd']);
  repo.git('update-ref', '-d', 'refs/heads/sase/cs/gone');
  fails(await sase(repo, 'cs-deltas', ['gone', '--refresh']), 4, "error: change 'gone' has no branch 'sase/cs/gone'");
  const r = await sase(repo, 'cs-deltas', ['gone', '--format', 'text']);
  assert.is(r.stdout, "gone: no deltas (try 'sase cs deltas gone --refresh')\n");
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-deltas', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--refresh/);
});

t.run();
