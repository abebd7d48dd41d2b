import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-new');

t('creates the record and its branch at the target branch; a child stacks on its parent', async () => {
  const repo = await initedRepo();
  const main = repo.git('rev-parse', 'main').trim();
  // through the real executable
  const [c] = okBin(repo, 'cs-new', ['ready_cache_store', '--description', 'Cache bead snapshots\n\nby tree id'], {
    env: { SASE_NOW: '2026-11-25T10:00:00Z' },
  });
  assert.is(c!.kind, 'changespec');
  assert.is(c!.name, 'ready_cache_store');
  assert.is(c!.status, 'WIP');
  assert.is(c!.branch, 'sase/cs/ready_cache_store');
  assert.is(repo.git('rev-parse', 'sase/cs/ready_cache_store').trim(), main);
  assert.is(
    storedChange(repo, 'ready_cache_store'),
    'NAME: ready_cache_store\nDESCRIPTION:\n  Cache bead snapshots\n\n  by tree id\nSTATUS: WIP\nTIMESTAMPS:\n  [2026-11-25T10:00:00Z] CREATE WIP from main at ' +
      main.slice(0, 12) +
      '\n',
  );
  const tip = commitOn(repo, 'sase/cs/ready_cache_store', { 'cache.ts': 'x\n' }, 'Add the cache');
  const [child] = await ok(repo, 'cs-new', [
    'ready_cache_query',
    '--parent',
    'ready_cache_store',
    '--description',
    'Query',
    '--status',
    'Draft',
  ]);
  assert.is(child!.parent, 'ready_cache_store');
  assert.is(child!.status, 'Draft');
  assert.is(repo.git('rev-parse', 'sase/cs/ready_cache_query').trim(), tip, 'the child starts at its parent branch');
  assert.is(repo.git('rev-parse', 'main').trim(), main, "the repository's own branches are untouched");
  await ok(repo, 'fsck');
});

t('--from a revision, --bead links the bead', async () => {
  const repo = await initedRepo();
  const first = repo.git('rev-parse', 'HEAD').trim();
  const [b] = await ok(repo, 'bead-create', ['--title', 'Do it']);
  await ok(repo, 'cs-new', ['with_bead', '--description', 'd', '--bead', b!.short_id, '--from', 'HEAD']);
  assert.is(repo.git('rev-parse', 'sase/cs/with_bead').trim(), first);
  const [bead] = await ok(repo, 'bead-show', [b!.id]);
  assert.equal(bead!.links, [{ kind: 'changespec', target: 'with_bead' }]);
  assert.match(storedChange(repo, 'with_bead')!, new RegExp(`BEAD ${b!.id}`));
});

t('bad names, missing parents, taken names: clear errors, nothing stored, no branch left', async () => {
  const repo = await initedRepo();
  const tip = repo.git('rev-parse', 'refs/sase/state').trim();
  for (const bad of ['a/b', '..', 'has space', 'Upper', 'x-y']) {
    fails(
      await sase(repo, 'cs-new', [bad, '--description', 'd']),
      129,
      `error: change name '${bad}' is not lower-case letters, digits and '_' (at most 100 characters)`,
    );
  }
  fails(
    await sase(repo, 'cs-new', ['orphan', '--description', 'd', '--parent', 'nope']),
    4,
    "error: no change 'nope' (the parent)",
  );
  fails(
    await sase(repo, 'cs-new', ['x', '--description', 'd', '--from', 'no-such-ref']),
    4,
    "error: no commit 'no-such-ref'",
  );
  fails(await sase(repo, 'cs-new', ['x']), 129, "error: missing '--description'");
  fails(await sase(repo, 'cs-new', ['x', '--description', 'd', '--bead', 'ts-zzzz']), 4, "error: no bead 'ts-zzzz'");
  assert.is(repo.git('rev-parse', 'refs/sase/state').trim(), tip, 'nothing stored');
  assert.is(repo.git('branch', '--list', 'sase/*').trim(), '', 'no branch left behind');
  await ok(repo, 'cs-new', ['taken', '--description', 'd']);
  fails(await sase(repo, 'cs-new', ['taken', '--description', 'd']), 1, "error: change 'taken' exists");
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-new', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--parent <name>/);
});

t.run();
