import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lastOp, makeStack, stateTip } from '../helpers/cs-records.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-archive');

t('a terminal gets one line a change, not a table; the description summarised', async () => {
  const repo = await initedRepo();
  await ok(repo, 'cs-new', ['one', '--description', 'Fix the login\n\nLonger text.']);
  await ok(repo, 'cs-new', ['two', '--description', 'Speed up ready']);
  const r = await sase(repo, 'cs-archive', ['one', 'two', '--no-color'], { terminal: true });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'archived one: Fix the login (Archived)\narchived two: Speed up ready (Archived)\n');
});

t('archives from any status that is not final, in one op, logging the move; branches kept', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  await ok(repo, 'cs-set', ['top', '--status', 'Ready']);
  const branch = repo.git('rev-parse', 'sase/cs/top').trim();
  // through the real executable
  const recs = okBin(repo, 'cs-archive', ['base', 'mid', 'top'], { env: { SASE_NOW: '2026-11-26T09:00:00Z' } });
  assert.equal(
    recs.map((r) => [r.name, r.status]),
    [
      ['base', 'Archived'],
      ['mid', 'Archived'],
      ['top', 'Archived'],
    ],
  );
  assert.equal(
    recs.map((r) => r.timestamps.at(-1)),
    [
      { at: '2026-11-26T09:00:00Z', event: 'STATUS WIP -> Archived' },
      { at: '2026-11-26T09:00:00Z', event: 'STATUS Draft -> Archived' },
      { at: '2026-11-26T09:00:00Z', event: 'STATUS Ready -> Archived' },
    ],
  );
  const op = lastOp(repo);
  assert.is(op.op, 'cs.archive');
  assert.equal(op.names, ['base', 'mid', 'top']);
  assert.equal(op.paths, ['changes/base.cs', 'changes/mid.cs', 'changes/top.cs']);
  assert.is(repo.git('rev-parse', 'sase/cs/top').trim(), branch, 'the branch is kept');
  await ok(repo, 'cs-new', ['mailed', '--description', 'd', '--status', 'Ready']);
  const [mailed] = await ok(repo, 'cs-set', ['mailed', '--status', 'Mailed']);
  assert.is(mailed!.status, 'Mailed');
  assert.is((await ok(repo, 'cs-archive', ['mailed']))[0]!.status, 'Archived');
  await ok(repo, 'fsck');
});

t('names on stdin, as cs-list prints them', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const listed = (await sase(repo, 'cs-list', ['--query', 'text:stack', '--status', 'WIP'])).stdout;
  const recs = await ok(repo, 'cs-archive', [], { input: listed });
  assert.equal(
    recs.map((r) => r.name),
    ['base', 'top'],
  );
  fails(
    await sase(repo, 'cs-archive', [], { input: '' }),
    129,
    'error: no change names given (as arguments or on stdin)',
  );
});

t('final changes are refused, all named, and nothing is archived; missing ones are not found', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  await ok(repo, 'cs-archive', ['other']);
  await ok(repo, 'cs-set', ['base', '--status', 'Ready']);
  await ok(repo, 'cs-set', ['base', '--status', 'Mailed']);
  await ok(repo, 'cs-set', ['base', '--status', 'Submitted']);
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'cs-archive', ['mid', 'base', 'other']),
    1,
    "error: cannot archive 'base' (Submitted), 'other' (Archived): they are final; nothing archived",
  );
  fails(
    await sase(repo, 'cs-archive', ['other']),
    1,
    "error: cannot archive 'other' (Archived): it is final; nothing archived",
  );
  fails(await sase(repo, 'cs-archive', ['mid', 'nope']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-archive', ['Mid']),
    129,
    "error: change name 'Mid' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  assert.is(stateTip(repo), tip);
  assert.is((await ok(repo, 'cs-show', ['mid']))[0]!.status, 'Draft');
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-archive', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--stdin/);
});

t.run();
