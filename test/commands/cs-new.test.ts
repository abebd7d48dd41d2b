import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase, saseProcess } from '../helpers/run.ts';

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

t(
  'a branch a killed cs new left without its record is adopted by the retry; one elsewhere is refused with a hint',
  async () => {
    const repo = await initedRepo();
    const main = repo.git('rev-parse', 'main').trim();
    // what 'sase cs new half --description d' leaves when killed between its branch and its record
    repo.git('branch', 'sase/cs/half', main);
    const r = await sase(repo, 'cs-new', ['half', '--description', 'd'], { env: { SASE_NOW: '2026-11-25T10:00:00Z' } });
    assert.is(r.code, 0, r.stderr);
    assert.is(
      r.stderr,
      `adopted the branch 'sase/cs/half', which an interrupted 'sase cs new' left at ${main.slice(0, 12)} without its record\n`,
    );
    assert.is(r.records[0]!.name, 'half');
    assert.equal(
      r.records[0]!.timestamps.map((x: any) => x.event),
      [`CREATE WIP from main at ${main.slice(0, 12)}`, `ADOPT branch sase/cs/half at ${main.slice(0, 12)}`],
    );
    assert.is(repo.git('rev-parse', 'sase/cs/half').trim(), main);
    await ok(repo, 'fsck');

    // a branch that moved on (or started elsewhere) is not what this command would have made
    repo.git('branch', 'sase/cs/moved', main);
    const own = commitOn(repo, 'sase/cs/moved', { 'x.ts': 'x\n' }, 'Work of its own');
    const tip = repo.git('rev-parse', 'refs/sase/state').trim();
    const refused = await sase(repo, 'cs-new', ['moved', '--description', 'd']);
    fails(
      refused,
      1,
      `error: branch 'sase/cs/moved' exists already, at ${own.slice(0, 12)}, not at ${main.slice(0, 12)} (main) where this change would start`,
    );
    assert.is(
      refused.stderr.split('\n')[1],
      "hint: it has no change record: 'sase cs new moved --adopt' makes one for the branch as it is (its commits included), or delete the branch ('git branch -D sase/cs/moved') and run this again",
    );
    assert.is(repo.git('rev-parse', 'sase/cs/moved').trim(), own, 'the branch is left alone');
    assert.is(repo.git('rev-parse', 'refs/sase/state').trim(), tip, 'nothing stored');
  },
);

t(
  '--adopt makes the record of a branch that has none: its own commits, from where they start, named by the first',
  async () => {
    const repo = await initedRepo();
    const main = repo.git('rev-parse', 'main').trim();
    repo.git('branch', 'sase/cs/found', main);
    const one = commitOn(repo, 'sase/cs/found', { 'a.ts': 'a\n' }, 'Add a');
    const two = commitOn(repo, 'sase/cs/found', { 'b.ts': 'b\nb\n' }, 'Add b');
    // main moves on: the change still starts where its branch left main
    const later = commitOn(repo, 'main', { 'm.ts': 'm\n' }, 'Later on main');
    const r = await sase(repo, 'cs-new', ['found', '--adopt'], { env: { SASE_NOW: '2026-11-25T10:00:00Z' } });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, "adopted the branch 'sase/cs/found' as change 'found': 2 commits above main\n");
    const [c] = r.records;
    assert.is(c!.description, 'Add a');
    assert.is(c!.status, 'WIP');
    assert.is(c!.parent, null);
    assert.equal(
      c!.commits.map((k: any) => [k.n, k.subject, k.sha]),
      [
        [1, 'Add a', one],
        [2, 'Add b', two],
      ],
    );
    assert.equal(
      c!.deltas.map((d: any) => [d.op, d.path, d.added]),
      [
        ['+', 'a.ts', 1],
        ['+', 'b.ts', 2],
      ],
    );
    assert.equal(
      c!.timestamps.map((x: any) => x.event),
      [`CREATE WIP from main at ${main.slice(0, 12)}`, `ADOPT branch sase/cs/found at ${two.slice(0, 12)}: 2 commits`],
    );
    assert.is(repo.git('rev-parse', 'sase/cs/found').trim(), two, 'the branch is not moved');
    assert.is(repo.git('rev-parse', 'main').trim(), later);
    assert.match(repo.git('notes', '--ref', 'sase', 'show', one), /"changespec":"found"/);
    await ok(repo, 'fsck');

    // a description, a parent and a status can be given; a branch with no commits of its own is adopted too
    repo.git('branch', 'sase/cs/above', two);
    const a = await sase(repo, 'cs-new', [
      'above',
      '--adopt',
      '--parent',
      'found',
      '--status',
      'Draft',
      '--description',
      'Nothing yet',
    ]);
    assert.is(a.stderr, "adopted the branch 'sase/cs/above' as change 'above': no commits above sase/cs/found\n");
    const [above] = a.records;
    assert.equal(
      [above!.parent, above!.status, above!.description, above!.commits],
      ['found', 'Draft', 'Nothing yet', []],
    );
    repo.git('branch', 'sase/cs/empty', main);
    const [empty] = (await sase(repo, 'cs-new', ['empty', '--adopt'])).records;
    assert.is(empty!.description, 'Adopted from the branch sase/cs/empty');

    fails(await sase(repo, 'cs-new', ['nobranch', '--adopt']), 4, "error: no branch 'sase/cs/nobranch' to adopt");
    fails(await sase(repo, 'cs-new', ['found', '--adopt']), 1, "error: change 'found' exists");
    fails(
      await sase(repo, 'cs-new', ['x', '--adopt', '--from', 'main']),
      129,
      "error: '--adopt' takes the branch as it is: '--from' does not go with it",
    );
    await ok(repo, 'fsck');
  },
);

t('five cs new of one name at once: one change, its branch kept, the others refused', async () => {
  const repo = await initedRepo();
  const main = repo.git('rev-parse', 'main').trim();
  const rs = await Promise.all(
    [1, 2, 3, 4, 5].map(() => saseProcess(repo, 'cs-new', ['raced', '--description', 'one of five'])),
  );
  const won = rs.filter((r) => r.code === 0);
  assert.is(won.length, 1, rs.map((r) => `${r.code} ${r.stderr}`).join('\n'));
  for (const r of rs.filter((x) => x.code !== 0))
    assert.match(r.stderr, /^error: (change 'raced' exists|branch 'sase\/cs\/raced' exists already)/);
  assert.is(repo.git('rev-parse', 'sase/cs/raced').trim(), main, 'no loser dropped the branch');
  assert.ok(storedChange(repo, 'raced'));
  await ok(repo, 'fsck');
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-new', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--parent <name>/);
});

t.run();
