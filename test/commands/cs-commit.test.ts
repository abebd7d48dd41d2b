import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-commit');

const state = (repo: TestRepo) => repo.git('rev-parse', 'refs/sase/state').trim();
const note = (repo: TestRepo, sha: string) => repo.git('notes', '--ref=sase', 'show', sha);

t('records the branch commits not yet recorded, in order, with bead, deltas and notes; again is a no-op', async () => {
  const repo = await initedRepo();
  const main = repo.git('rev-parse', 'main').trim();
  const [b] = await ok(repo, 'bead-create', ['--title', 'Cache']);
  await ok(repo, 'cs-new', ['store', '--description', 'Cache', '--bead', b!.id]);
  const c1 = commitOn(repo, 'sase/cs/store', { 'cache.ts': 'a\nb\nc\n', README: 'test\nmore\n' }, 'Add the cache');
  const c2 = commitOn(repo, 'sase/cs/store', { 'cache.ts': 'a\nB\nc\nd\n' }, 'Fix the cache');
  // through the real executable
  const [rec] = okBin(repo, 'cs-commit', ['store']);
  assert.equal(rec!.commits, [
    { n: 1, subject: 'Add the cache', sha: c1, bead: b!.id },
    { n: 2, subject: 'Fix the cache', sha: c2, bead: b!.id },
  ]);
  assert.equal(rec!.deltas, [
    { op: '~', path: 'README', added: 1, changed: 0, removed: 0 },
    { op: '+', path: 'cache.ts', added: 4, changed: 0, removed: 0 },
  ]);
  const text = storedChange(repo, 'store')!;
  assert.match(
    text,
    `COMMITS:\n  (1) Add the cache\n      | SHA: ${c1}\n      | BEAD: ${b!.id}\n  (2) Fix the cache\n      | SHA: ${c2}\n      | BEAD: ${b!.id}\nDELTAS:\n  ~ README\n      | LINES: +1 ~0 -0\n  + cache.ts\n      | LINES: +4 ~0 -0\n`,
  );
  assert.is(note(repo, c1), `{"v":1,"bead":"${b!.id}","changespec":"store"}\n`);
  assert.is(note(repo, c2), `{"v":1,"bead":"${b!.id}","changespec":"store"}\n`);
  assert.is(
    repo.git('log', '-1', '--format=%(trailers:key=Sase-Op,valueonly)', 'refs/sase/state').includes('"op":"cs.commit"'),
    true,
  );

  const tip = state(repo);
  const [again] = await ok(repo, 'cs-commit', ['store']);
  assert.is(again!.commits.length, 2);
  await ok(repo, 'cs-commit', ['store', c1]);
  assert.is(state(repo), tip, 'already recorded: nothing written');

  const c3 = commitOn(repo, 'sase/cs/store', { 'gone.txt': null, 'new.txt': 'x\n' }, 'Third');
  const [third] = await ok(repo, 'cs-commit', ['store']);
  assert.equal(
    third!.commits.map((k: any) => k.sha),
    [c1, c2, c3],
  );
  assert.is(repo.git('rev-parse', 'main').trim(), main, 'main untouched');
  await ok(repo, 'fsck');
});

t('explicit commits: revisions of the branch only, recorded in branch order; a change without a bead', async () => {
  const repo = await initedRepo();
  const main = repo.git('rev-parse', 'main').trim();
  await ok(repo, 'cs-new', ['pick', '--description', 'd']);
  const c1 = commitOn(repo, 'sase/cs/pick', { a: '1\n' }, 'one');
  const c2 = commitOn(repo, 'sase/cs/pick', { b: '2\n' }, 'two');
  const c3 = commitOn(repo, 'sase/cs/pick', { c: '3\n' }, 'three');
  const [r] = await ok(repo, 'cs-commit', ['pick', 'sase/cs/pick', c1.slice(0, 10)]);
  assert.equal(r!.commits, [
    { n: 1, subject: 'one', sha: c1, bead: null },
    { n: 2, subject: 'three', sha: c3, bead: null },
  ]);
  assert.is(note(repo, c3), '{"v":1,"changespec":"pick"}\n');
  const [r2] = await ok(repo, 'cs-commit', ['pick', 'sase/cs/pick~1']);
  assert.equal(
    r2!.commits.map((k: any) => [k.n, k.sha]),
    [
      [1, c1],
      [2, c2],
      [3, c3],
    ],
    'renumbered in branch order',
  );

  const before = state(repo);
  fails(
    await sase(repo, 'cs-commit', ['pick', 'main']),
    1,
    "error: 'main' is not a commit of change 'pick' (not on 'sase/cs/pick' above 'main')",
  );
  fails(await sase(repo, 'cs-commit', ['pick', 'no-such-rev']), 4, "error: no commit 'no-such-rev'");
  fails(await sase(repo, 'cs-commit', ['nope']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-commit', ['Bad/Name']),
    129,
    "error: change name 'Bad/Name' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  fails(await sase(repo, 'cs-commit', ['pick', '--bead', 'ts-zzzz']), 4, "error: no bead 'ts-zzzz'");
  assert.is(state(repo), before, 'nothing stored');
  assert.is(repo.git('rev-parse', 'main').trim(), main);
});

t('rewritten history is refused until --rerecord, which keeps beads by subject', async () => {
  const repo = await initedRepo();
  const [b] = await ok(repo, 'bead-create', ['--title', 'B']);
  await ok(repo, 'cs-new', ['rw', '--description', 'd']);
  const c1 = commitOn(repo, 'sase/cs/rw', { a: '1\n' }, 'one');
  await ok(repo, 'cs-commit', ['rw', '--bead', b!.id]);
  // amend: the branch goes back to main and gets a different commit with the same subject, and one more
  repo.git('update-ref', 'refs/heads/sase/cs/rw', 'main');
  const n1 = commitOn(repo, 'sase/cs/rw', { a: '1 amended\n' }, 'one');
  const n2 = commitOn(repo, 'sase/cs/rw', { z: 'z\n' }, 'two');
  const before = state(repo);
  const r = await sase(repo, 'cs-commit', ['rw']);
  fails(r, 1, `error: commit (1) ${c1.slice(0, 12)} of change 'rw' is no longer on its branch 'sase/cs/rw'`);
  assert.is(
    r.stderr.split('\n')[1],
    "hint: its history was rewritten: 'sase cs commit rw --rerecord' records the branch's commits as they are now",
  );
  assert.is(state(repo), before);
  const [rec] = await ok(repo, 'cs-commit', ['rw', '--rerecord']);
  assert.equal(rec!.commits, [
    { n: 1, subject: 'one', sha: n1, bead: b!.id },
    { n: 2, subject: 'two', sha: n2, bead: null },
  ]);
  assert.equal(
    rec!.deltas.map((d: any) => d.path),
    ['a', 'z'],
  );
  assert.is(note(repo, n1), `{"v":1,"bead":"${b!.id}","changespec":"rw"}\n`);
  const tip = state(repo);
  await ok(repo, 'cs-commit', ['rw', '--rerecord']);
  assert.is(state(repo), tip, 'the same commits again: nothing written');
});

t('a stacked change records only its own commits; text output on a terminal format', async () => {
  const repo = await initedRepo();
  await ok(repo, 'cs-new', ['base', '--description', 'd']);
  commitOn(repo, 'sase/cs/base', { a: '1\n' }, 'base work');
  await ok(repo, 'cs-new', ['top', '--description', 'd', '--parent', 'base']);
  const t1 = commitOn(repo, 'sase/cs/top', { b: '1\n' }, 'top work');
  const r = await sase(repo, 'cs-commit', ['top', '--no-color'], { terminal: true });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `recorded ${t1.slice(0, 12)}: top work (top commit 1)\n`);
  const r2 = await sase(repo, 'cs-commit', ['top', '--no-color'], { terminal: true });
  assert.is(r2.stdout, 'unchanged top: d (WIP; nothing new to record, 1 commit recorded)\n');
  // a pipe still gets the change record
  const piped = await sase(repo, 'cs-commit', ['top']);
  assert.equal(
    piped.records.map((x) => [x.kind, x.name, x.commits.length]),
    [['changespec', 'top', 1]],
  );
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-commit', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--rerecord/);
});

t.run();
