import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { storedChange } from '../helpers/changes.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-resolve');

async function setup(): Promise<TestRepo> {
  const repo = await changeRepo();
  const input = ['one', 'two', 'three']
    .map((text, i) => JSON.stringify({ path: `f${i}.ts`, line: i + 1, text, author: 'bot' }))
    .join('\n');
  await ok(repo, 'cs-comment', ['feat'], { input });
  return repo;
}

const stateTip = (repo: TestRepo) => repo.git('rev-parse', 'refs/sase/state').trim();

t('resolves by number or <change>#<n>; the mark goes, the comment stays; again is a no-op', async () => {
  const repo = await setup();
  // through the real executable
  const recs = okBin(repo, 'cs-resolve', ['feat', '1', 'feat#3']);
  assert.equal(
    recs.map((r) => [r.kind, r.id, r.resolved, r.text]),
    [
      ['comment', 'feat#1', true, 'one'],
      ['comment', 'feat#3', true, 'three'],
    ],
  );
  assert.match(
    storedChange(repo, 'feat')!,
    'COMMENTS:\n  [bot] f0.ts:1 one\n  [bot] f1.ts:2 two - (!: unresolved)\n  [bot] f2.ts:3 three\n',
  );
  assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), /"op":"cs.resolve".*"ids":\[1,3\]/);
  const [shown] = await ok(repo, 'cs-show', ['feat', '--json']);
  assert.is(shown!.unresolved, 1);
  const tip = stateTip(repo);
  const again = await ok(repo, 'cs-resolve', ['feat', '3']);
  assert.is(again[0]!.resolved, true);
  assert.is(stateTip(repo), tip, 'a resolved comment resolved again stores nothing');
});

t('ids on stdin: bare or the records sase-cs-comment prints', async () => {
  const repo = await setup();
  const recs = await ok(repo, 'cs-resolve', ['feat'], { input: '2\n{"id":"feat#1"}\n' });
  assert.equal(
    recs.map((r) => r.id),
    ['feat#2', 'feat#1'],
  );
  fails(
    await sase(repo, 'cs-resolve', ['feat', '--stdin'], { input: '' }),
    129,
    'error: no comment ids given (as arguments or on stdin)',
  );
});

t('unknown ids are not found, bad ids a usage error; nothing stored', async () => {
  const repo = await setup();
  const tip = stateTip(repo);
  fails(await sase(repo, 'cs-resolve', ['feat', '1', '9']), 4, "error: change 'feat' has no comment 'feat#9'");
  fails(await sase(repo, 'cs-resolve', ['feat', 'x']), 129, "error: comment id 'x' is not N or feat#N");
  fails(
    await sase(repo, 'cs-resolve', ['feat', 'other#1']),
    129,
    "error: comment 'other#1' belongs to change 'other', not 'feat'",
  );
  fails(await sase(repo, 'cs-resolve', ['nope', '1']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-resolve', ['feat'], { input: 'a b\n' }),
    128,
    'fatal: stdin:1: not an id or a JSON object',
  );
  assert.is(stateTip(repo), tip);
  assert.equal((await ok(repo, 'cs-show', ['feat', '--json']))[0]!.unresolved, 3);
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-resolve', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /resolved/);
});

t.run();
