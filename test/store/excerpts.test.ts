// A shard's excerpts in the state (excerpts/<shard>): every write keeps them
// whole and naming the shard's tree, through sync too; a cold read trusts
// only those that name the shard's tree as it is and reads the records of
// the others (a shard an older sase wrote); fsck names one that names the
// tree but not what the records say.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  excerptLine,
  excerptLines,
  excerptsFile,
  excerptsTree,
  parseExcerptLines,
  parseExcerpts,
} from '../../src/core/beads/excerpts.ts';
import { parseStoredBead } from '../../src/core/beads/model.ts';
import { excerptOf } from '../../src/core/beads/table.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { remoteWithState, syncedClone } from '../helpers/remote.ts';
import { loggingGit, ok, okBin } from '../helpers/run.ts';
import {
  addBeadsWithIds,
  assertFsckOk,
  beadRecord,
  blob,
  canonical,
  commitStateTree,
  fsck,
  gitTry,
  STATE,
  stateTree,
  treeWith,
} from '../helpers/state.ts';

const t = suite('store excerpts');

/** Every shard: the excerpts file its records give, and the one the state holds (null when none). */
function shardsOf(repo: TestRepo): { name: string; want: string; got: string | null }[] {
  const lsTree = (what: string) =>
    repo
      .git('ls-tree', what)
      .split('\n')
      .filter(Boolean)
      .map((l) => ({ oid: l.split(/\s/)[2]!, name: l.slice(l.indexOf('\t') + 1) }));
  return lsTree(`${STATE}:beads`).map((shard) => {
    const lines = lsTree(shard.oid).map((r): [string, string] => {
      const bead = parseStoredBead(repo.git('cat-file', 'blob', r.oid), `beads/${shard.name}/${r.name}`);
      return [bead.id, excerptLine(bead, r.oid)];
    });
    return {
      name: shard.name,
      want: excerptsFile(shard.oid, lines),
      got: gitTry(repo, ['cat-file', 'blob', `${STATE}:excerpts/${shard.name}`]),
    };
  });
}

function assertWhole(repo: TestRepo, step: string): void {
  const shards = shardsOf(repo);
  assert.ok(shards.length > 0, step);
  for (const s of shards) assert.is(s.got, s.want, `excerpts/${s.name} after ${step}`);
  const files = gitTry(repo, ['ls-tree', '--name-only', `${STATE}:excerpts`])!
    .split('\n')
    .filter(Boolean);
  assert.equal(
    files,
    shards.map((s) => s.name),
    `no excerpts without a shard after ${step}`,
  );
}

const cold = async (repo: TestRepo, cmd: string, args: string[] = []) => {
  rmSync(join(repo.dir, '.git', 'sase', 'cache'), { recursive: true, force: true });
  return ok(repo, cmd, args);
};

const some = () => [
  beadRecord({ id: 'ts-aa01', issue_type: 'plan', tier: 'epic', created_at: '2025-01-01T00:00:01Z' }),
  beadRecord({ id: 'ts-aa01.1', issue_type: 'phase', parent_id: 'ts-aa01', created_at: '2025-01-01T00:00:02Z' }),
  beadRecord({ id: 'ts-aa02', created_at: '2025-01-01T00:00:03Z', labels: ['x'] }),
  beadRecord({
    id: 'ts-ab01',
    created_at: '2025-01-01T00:00:04Z',
    dependencies: [{ depends_on_id: 'ts-aa02', created_at: '2025-01-01T00:00:04Z', created_by: 'a@example.com' }],
  }),
  beadRecord({ id: 'ts-ac01', created_at: '2025-01-01T00:00:05Z' }),
];

t('a line a bead: read back as the excerpt it was made from; a malformed file is refused', () => {
  const bead = parseStoredBead(
    canonical(
      beadRecord({
        id: 'ts-aa01',
        title: 'Quote " and \\ and\nnewline',
        labels: ['a', 'b'],
        dependencies: [{ depends_on_id: 'ts-ab01', created_at: '2025-01-01T00:00:00Z', created_by: 'a@example.com' }],
      }),
    ),
    'beads/aa/ts-aa01.json',
  );
  const oid = 'a'.repeat(40);
  const file = Buffer.from(excerptsFile('b'.repeat(40), [[bead.id, excerptLine(bead, oid)]]));
  assert.is(excerptsTree(file), 'b'.repeat(40));
  assert.equal(parseExcerpts(file), [excerptOf(bead, oid)]);
  assert.equal(
    [...excerptLines(file).entries()].map(([id, l]) => [id, l.oid]),
    [['ts-aa01', oid]],
  );
  // lines in id order, whatever order they come in
  const other = parseStoredBead(canonical(beadRecord({ id: 'ts-aa00' })), 'beads/aa/ts-aa00.json');
  const two = excerptsFile('c'.repeat(40), [
    [bead.id, excerptLine(bead, oid)],
    [other.id, excerptLine(other, oid)],
  ]);
  assert.equal(
    parseExcerpts(Buffer.from(two)).map((e) => e.id),
    ['ts-aa00', 'ts-aa01'],
  );
  assert.is(excerptsTree(Buffer.from('{"tree":"x","v":2}\n')), null, 'another version');
  assert.is(excerptsTree(Buffer.from('not json\n')), null);
  assert.throws(() => parseExcerptLines('["ts-aa01"]'), /cut short/);
  assert.throws(() => parseExcerptLines('["ts-aa01","x"]\n'), /14 fields/);
  assert.throws(() => parseExcerptLines(excerptLine(bead, oid).replace('"open"', '5')), /wrong type/);
});

t('every kind of write keeps each shard excerpts whole, naming its tree', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(repo, some());
  assertWhole(repo, 'an import');
  const steps: [string, string[]][] = [
    ['bead-update', ['ts-aa02', '--priority', '0', '--title', 'Renamed']],
    ['bead-close', ['ts-aa02', '--reason', 'done']],
    ['bead-dep-add', ['ts-ac01', 'ts-ab01']],
    ['bead-claim', ['ts-ab01']],
    ['bead-reopen', ['ts-aa02']],
    ['bead-rm', ['ts-ac01', '--force']],
  ];
  for (const [cmd, args] of steps) {
    await ok(repo, cmd, args);
    assertWhole(repo, cmd);
  }
  const made = await ok(repo, 'bead-create', ['--title', 'New one']);
  assertWhole(repo, 'a create');
  assert.ok(gitTry(repo, ['cat-file', '-e', `${STATE}:excerpts/ac`]) === null, 'an emptied shard has no excerpts');
  assert.ok(made.length === 1);
  await assertFsckOk(repo, 'after the writes');
});

t('a cold read trusts only excerpts naming the shard tree; others, and none, mean the records', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(repo, some());
  const before = (await cold(repo, 'bead-ready')).map((r) => r.id);
  assert.ok(before.includes('ts-ab01') === false && before.includes('ts-aa02'), before.join(' '));
  // by hand (as an older sase writes): ts-aa02 closed in its record, excerpts/aa left naming the old tree
  const stale = stateTree(repo);
  const closed = canonical(
    beadRecord({
      id: 'ts-aa02',
      created_at: '2025-01-01T00:00:03Z',
      labels: ['x'],
      status: 'closed',
      closed_at: '2025-01-02T00:00:00Z',
      close_reason: 'by hand',
      resolution: 'done',
    }),
  );
  let tree = treeWith(repo, stale, 'beads/aa/ts-aa02.json', { mode: '100644', type: 'blob', oid: blob(repo, closed) });
  // and excerpts/ac gone
  tree = treeWith(repo, tree, 'excerpts/ac', null);
  commitStateTree(repo, tree);
  assert.ok(
    excerptsTree(Buffer.from(gitTry(repo, ['cat-file', 'blob', `${STATE}:excerpts/aa`])!)) !==
      repo.git('rev-parse', `${STATE}:beads/aa`).trim(),
    'the excerpts of aa name another tree',
  );
  const ready = (await cold(repo, 'bead-ready')).map((r) => r.id);
  // the blocker closed: ts-ab01 ready now; ts-aa02 is not
  assert.equal(ready.sort(), ['ts-aa01.1', 'ts-ab01', 'ts-ac01']);
  const listed = await cold(repo, 'bead-list', ['--status', 'all']);
  assert.is(listed.find((b) => b.id === 'ts-aa02')?.status, 'closed');
  assert.is(listed.length, 5);
  // the next write to the shard makes its excerpts whole again (from the records: the old file is out of date)
  await ok(repo, 'bead-update', ['ts-aa01.1', '--priority', '1']);
  await ok(repo, 'bead-update', ['ts-ac01', '--priority', '1']);
  assertWhole(repo, 'writes to shards with stale and missing excerpts');
  // what the excerpts answer is what the records answered
  assert.equal((await cold(repo, 'bead-ready')).map((r) => r.id).sort(), ['ts-aa01.1', 'ts-ab01', 'ts-ac01']);
});

t('a state without any excerpts (an older sase) reads as one with them', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(repo, some());
  const withThem = {
    ready: await cold(repo, 'bead-ready'),
    list: await cold(repo, 'bead-list', ['--status', 'all']),
    show: await cold(repo, 'bead-show', ['ts-aa01', 'ts-ab01']),
  };
  commitStateTree(repo, treeWith(repo, stateTree(repo), 'excerpts', null));
  const without = {
    ready: await cold(repo, 'bead-ready'),
    list: await cold(repo, 'bead-list', ['--status', 'all']),
    show: await cold(repo, 'bead-show', ['ts-aa01', 'ts-ab01']),
  };
  assert.equal(without, withThem);
});

t('fsck names excerpts that name their shard tree but not its records', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(repo, some());
  const path = `${STATE}:excerpts/aa`;
  const wrong = gitTry(repo, ['cat-file', 'blob', path])!.replace('"ts-aa02","', '"ts-aa02","0');
  commitStateTree(
    repo,
    treeWith(repo, stateTree(repo), 'excerpts/aa', { mode: '100644', type: 'blob', oid: blob(repo, wrong) }),
  );
  const r = await fsck(repo);
  assert.is(r.code, 1);
  // (besides the hand-made commit's own problems: no operation in it)
  const named = r.problems.filter((p) => p.path === 'excerpts/aa');
  assert.equal(
    named.map((p) => p.check),
    ['record'],
  );
  assert.match(named[0]!.message, /names the tree of beads\/aa but does not match its records/);
  // an excerpts file that is not where a shard name goes is a path problem
  commitStateTree(
    repo,
    treeWith(repo, stateTree(repo), 'excerpts/abc', { mode: '100644', type: 'blob', oid: blob(repo, 'x') }),
  );
  assert.ok((await fsck(repo)).problems.some((p) => p.check === 'path' && p.path === 'excerpts/abc'));
});

t('sync: both sides write to one shard offline; the replayed state keeps its excerpts whole', async () => {
  const { remote, a } = await remoteWithState(async () => {
    const repo = await initedRepo();
    await addBeadsWithIds(repo, some());
    return repo;
  });
  const b = await syncedClone(remote);
  await ok(a, 'bead-update', ['ts-aa01', '--priority', '0']);
  await ok(b, 'bead-update', ['ts-aa02', '--title', 'From b']);
  await addBeadsWithIds(b, [beadRecord({ id: 'ts-aa03', created_at: '2025-01-01T00:00:09Z' })]);
  await ok(a, 'sync');
  await ok(b, 'sync');
  await ok(a, 'sync');
  for (const [side, repo] of [
    ['a', a],
    ['b', b],
  ] as const) {
    assertWhole(repo, `the syncs (${side})`);
    await assertFsckOk(repo, side);
  }
  assert.is(a.git('rev-parse', STATE), b.git('rev-parse', STATE));
});

t(
  'after a cold read from the excerpts, the first read of each shard completes its mirror: the next reads start no git',
  async () => {
    const repo = await initedRepo();
    await addBeadsWithIds(repo, some());
    await ok(repo, 'bead-close', ['ts-ac01', '--reason', 'done']);
    // the cold build reads the excerpts and the ready beads' records only
    const ready = (await cold(repo, 'bead-ready')).map((r) => r.id);
    assert.ok(!ready.includes('ts-ac01'));
    const git = loggingGit(repo);
    const all = okBin(repo, 'bead-list', ['--status', 'all'], { env: git.env });
    assert.is(all.length, 5);
    assert.ok(
      git.calls().some((c) => c.startsWith('cat-file')),
      'the closed bead is read from git once',
    );
    const again = okBin(repo, 'bead-list', ['--status', 'all'], { env: git.env });
    assert.equal(again, all);
    assert.equal(git.calls(), []);
    okBin(repo, 'bead-show', ['ts-ac01'], { env: git.env });
    assert.equal(git.calls(), []);
  },
);

t.run();
