// A corpus of hand-made bad states: each is a commit on the state ref that
// sase would never write (a record under another record's name, in the wrong
// shard or of the wrong kind; a ref naming a tree; another format version; an
// object too large; ...). For each, every reader either serves the same data
// with the bead cache warm (one commit behind: the incremental refresh) and
// with it deleted (the cold read), or exits 128 naming the bad place; no
// writer writes on it; and `sase fsck` names it.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { ok, type RunResult, sase } from '../helpers/run.ts';
import {
  beadPathOf,
  beadRecord,
  blob,
  canonical,
  commitStateTree,
  fsck,
  opMessage,
  STATE,
  stateTip,
  stateTree,
  treeWith,
} from '../helpers/state.ts';

const t = suite('store bad states');

const A = 'ts-aa111111';
const B = 'ts-bb222222';
const C = 'ts-cc333333';

/** A repository with three beads (A blocks B; C alone) and a warm cache. */
async function goodState(): Promise<TestRepo> {
  const repo = await initedRepo();
  const imported = await sase(repo, 'bead-import', [], {
    input: [A, B, C].map((id) => JSON.stringify(beadRecord({ id }))).join('\n'),
  });
  assert.is(imported.code, 0, imported.stderr);
  await ok(repo, 'bead-dep-add', [B, A]);
  await readAll(repo); // the cache, warm at this tip
  return repo;
}

/** What the readers say: each one's exit code, stdout and the first line of stderr. */
async function readAll(repo: TestRepo): Promise<Array<{ cmd: string; r: RunResult }>> {
  const cmds: Array<[string, string[]]> = [
    ['bead-show', [A]],
    ['bead-show', [C]],
    ['bead-list', []],
    ['bead-ready', []],
    ['bead-blocked', []],
    ['bead-dep-list', [B]],
    ['bead-export', []],
    ['sdd-list', []],
    ['cs-list', []],
    ['agent-list', ['--all']],
    ['wf-list', ['--runs']],
  ];
  const out: Array<{ cmd: string; r: RunResult }> = [];
  for (const [name, args] of cmds)
    out.push({ cmd: `${name} ${args.join(' ')}`.trim(), r: await sase(repo, name, args) });
  return out;
}

const mktree = (repo: TestRepo, listing: string) =>
  execFileSync('git', ['mktree'], { cwd: repo.dir, env: repo.env, input: listing }).toString().trim();

const deleteCache = (repo: TestRepo) =>
  rmSync(join(repo.dir, '.git', 'sase', 'cache'), { recursive: true, force: true });

/**
 * Checks one bad state: `bad` names the place every refusal must name (a
 * path of the state tree, or the ref). Readers agree between the incremental
 * refresh and the cold read, and either serve or refuse naming `bad`; the
 * writers refuse or leave the bad place as it was; fsck fails naming it.
 */
async function checkBadState(repo: TestRepo, bad: string, fsckNames = bad): Promise<void> {
  const warm = await readAll(repo); // the cache was one commit behind: the incremental refresh
  deleteCache(repo);
  const cold = await readAll(repo);
  const again = await readAll(repo); // whatever the cold read left in the cache
  for (const [i, w] of warm.entries()) {
    const c = cold[i]!;
    const a = again[i]!;
    const seen = (r: RunResult) => [r.code, r.stdout, r.stderr.split('\n')[0]];
    assert.equal(seen(c.r), seen(w.r), `${w.cmd}: the cold read and the incremental refresh disagree`);
    assert.equal(seen(a.r), seen(w.r), `${w.cmd}: a read after the cold one disagrees`);
    // served (a bead not at its own place is not found there), or refused naming the place
    if (w.r.code === 0 || w.r.code === 4) continue;
    assert.is(w.r.code, 128, `${w.cmd}: ${w.r.stderr}`);
    assert.is(w.r.stdout, '', w.cmd);
    const first = w.r.stderr.split('\n')[0]!;
    // 'path' in a message, or 'path: ...' as a parser names the file it read
    assert.ok(
      first.startsWith('fatal: ') && (first.includes(`'${bad}'`) || first.startsWith(`fatal: ${bad}: `)),
      `${w.cmd} should name '${bad}': ${first}`,
    );
    assert.not.match(w.r.stderr, /\n\s+at /, `${w.cmd}: a stack trace`);
  }
  // writers: refused with nothing written, or the bad place left as it was
  const tip = stateTip(repo);
  // the bad place's own entry (a directory's too: not what it holds, which may be too much to list)
  const parent = bad.includes('/') ? bad.slice(0, bad.lastIndexOf('/')) : '';
  const name = bad.slice(parent ? parent.length + 1 : 0);
  const entryAt = (commit: string) =>
    repo
      .git('ls-tree', '-z', parent ? `${commit}:${parent}` : `${commit}^{tree}`)
      .split('\0')
      .filter((l) => l.endsWith(`\t${name}`));
  const before = tip ? entryAt(tip) : [];
  let last = tip;
  for (const [name, args] of [
    ['bead-update', [A, '--priority', '4']],
    ['bead-update', [C, '--priority', '4']],
    ['bead-close', [A]],
    ['bead-create', ['--title', 'new']],
  ] as const) {
    const r = await sase(repo, name, [...args]);
    assert.ok([0, 4, 128].includes(r.code), `${name} ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
    assert.not.match(r.stderr, /\n\s+at /, `${name}: a stack trace`);
    if (r.code !== 0) assert.is(stateTip(repo), last, `${name} refused, yet the state moved`);
    last = stateTip(repo);
  }
  if (stateTip(repo) !== tip) {
    // a write went on elsewhere in the tree: the bad place is as it was
    assert.equal(entryAt(STATE), before, `a write changed '${bad}'`);
  }
  const f = await fsck(repo, ['--no-replay']);
  assert.is(f.code, 1, `fsck should fail on '${bad}'`);
  assert.ok(
    f.problems.some((p) => p.message.includes(fsckNames)),
    `fsck should name '${fsckNames}': ${f.problems.map((p) => p.message).join('; ')}`,
  );
}

t("a record under another bead's name: never served, never written through (A's file holds C)", async () => {
  const repo = await goodState();
  const c = repo.git('cat-file', 'blob', `${STATE}:${beadPathOf(C)}`);
  const path = beadPathOf(A);
  commitStateTree(repo, treeWith(repo, stateTree(repo), path, { mode: '100644', type: 'blob', oid: blob(repo, c) }));
  await checkBadState(repo, path);
  // the case of the defect: show A never prints C, update A never writes into C's record
  const show = await sase(repo, 'bead-show', [A]);
  assert.is(show.code, 128);
  assert.match(show.stderr, `'${path}' holds the record of '${C}', not of '${A}'`);
  // what sits at A's place was never written through (update C wrote C's own record, at its own place)
  assert.is(repo.git('cat-file', 'blob', `${STATE}:${path}`), c);
});

t('a record in the wrong shard', async () => {
  const repo = await goodState();
  const path = `beads/zz/${A}.json`;
  const rec = blob(repo, canonical(beadRecord({ id: A })));
  let tree = treeWith(repo, stateTree(repo), beadPathOf(A), null);
  tree = treeWith(repo, tree, path, { mode: '100644', type: 'blob', oid: rec });
  commitStateTree(repo, tree);
  await checkBadState(repo, path);
});

t('a directory, a submodule link and a link where bead records belong', async () => {
  for (const [mode, type] of [
    ['040000', 'tree'],
    ['160000', 'commit'],
    ['120000', 'blob'],
  ] as const) {
    const repo = await goodState();
    const path = beadPathOf(A);
    const oid =
      type === 'tree'
        ? treeWith(repo, null, 'inner', { mode: '100644', type: 'blob', oid: blob(repo, 'x') })
        : type === 'commit'
          ? repo.git('rev-parse', 'HEAD').trim()
          : blob(repo, '../elsewhere');
    commitStateTree(repo, treeWith(repo, stateTree(repo), path, { mode, type, oid }));
    await checkBadState(repo, path);
  }
});

t("'beads' stored as a file", async () => {
  const repo = await goodState();
  commitStateTree(
    repo,
    treeWith(repo, stateTree(repo), 'beads', { mode: '100644', type: 'blob', oid: blob(repo, 'x') }),
  );
  await checkBadState(repo, 'beads');
});

t("a '..' entry among the records", async () => {
  const repo = await goodState();
  const dir = beadPathOf(A).split('/').slice(0, 2).join('/');
  commitStateTree(
    repo,
    treeWith(repo, stateTree(repo), `${dir}/..`, { mode: '100644', type: 'blob', oid: blob(repo, '{}') }),
  );
  await checkBadState(repo, `${dir}/..`);
});

t('a record that is not JSON, and one with a status sase does not know', async () => {
  for (const content of ['{"v":1,', canonical(beadRecord({ id: A, status: 'weird' }))]) {
    const repo = await goodState();
    const path = beadPathOf(A);
    commitStateTree(
      repo,
      treeWith(repo, stateTree(repo), path, { mode: '100644', type: 'blob', oid: blob(repo, content) }),
    );
    await checkBadState(repo, path);
  }
});

t('a record too large to read is refused unread, naming its path', async () => {
  const repo = await goodState();
  const path = beadPathOf(A);
  const huge = Buffer.alloc(9 << 20, 0x20); // over the 8 MiB a reader takes
  commitStateTree(repo, treeWith(repo, stateTree(repo), path, { mode: '100644', type: 'blob', oid: blob(repo, huge) }));
  await checkBadState(repo, path);
  assert.match((await sase(repo, 'bead-show', [A])).stderr, /is 9437184 bytes, over the 8388608 a reader takes/);
});

t('a directory too large to read (a shard of 505,000 records, 64 MiB) is refused unread, naming its path', async () => {
  const repo = await goodState();
  const record = blob(repo, `${canonical(beadRecord({ id: C }))}\n`);
  const oid = Buffer.from(record, 'hex');
  const entries: Buffer[] = [];
  // ids of 100 characters: the fewest entries that make a tree over the 64 MiB a reader takes
  for (let i = 0; i < 505_000; i++) {
    const id = `ts-zz${String(i).padStart(95, '0')}`;
    entries.push(Buffer.from(`100644 ${id}.json\0`), oid);
  }
  const shard = execFileSync('git', ['hash-object', '-t', 'tree', '-w', '--stdin', '--literally'], {
    cwd: repo.dir,
    env: repo.env,
    input: Buffer.concat(entries),
  })
    .toString()
    .trim();
  commitStateTree(repo, treeWith(repo, stateTree(repo), 'beads/zz', { mode: '040000', type: 'tree', oid: shard }));
  await checkBadState(repo, 'beads/zz');
  assert.match(
    (await sase(repo, 'bead-list')).stderr,
    /'beads\/zz' is 6716\d{4} bytes, over the 67108864 a reader takes/,
  );
  // among enough shards that a cold read takes them in one bulk read: refused the same, by name
  const lines = repo.git('ls-tree', `${STATE}:beads`).trim().split('\n');
  for (let i = 0; i < 70; i++) {
    const name = `${'st'[Math.floor(i / 36)]}${(i % 36).toString(36)}`;
    const one = blob(repo, `${canonical(beadRecord({ id: `ts-${name}000000` }))}\n`);
    const tree = mktree(repo, `100644 blob ${one}\tts-${name}000000.json\n`);
    lines.push(`040000 tree ${tree}\t${name}`);
  }
  const beads = mktree(repo, `${lines.join('\n')}\n`);
  commitStateTree(repo, treeWith(repo, stateTree(repo), 'beads', { mode: '040000', type: 'tree', oid: beads }));
  deleteCache(repo);
  const cold = await sase(repo, 'bead-list');
  assert.is(cold.code, 128);
  assert.match(cold.stderr, /'beads\/zz' is 6716\d{4} bytes, over the 67108864 a reader takes/);
});

t('settings.json malformed, or a directory: the writers that read it refuse it, naming it', async () => {
  for (const entry of ['{"v":1,"prefix":"x"}', null]) {
    const repo = await goodState();
    const oid =
      entry === null
        ? treeWith(repo, null, 'inner', { mode: '100644', type: 'blob', oid: blob(repo, 'x') })
        : blob(repo, entry);
    commitStateTree(
      repo,
      treeWith(repo, stateTree(repo), 'settings.json', {
        mode: entry === null ? '040000' : '100644',
        type: entry === null ? 'tree' : 'blob',
        oid,
      }),
    );
    await checkBadState(repo, 'settings.json');
    const create = await sase(repo, 'bead-create', ['--title', 'x']);
    assert.is(create.code, 128);
    assert.match(create.stderr, /^fatal: state: 'settings.json' is /);
  }
});

t('the ref naming a tree: readers and writers refuse it, and fsck says so', async () => {
  const repo = await goodState();
  const tree = stateTree(repo);
  repo.git('update-ref', STATE, tree);
  const show = await sase(repo, 'bead-show', [A]);
  assert.is(show.code, 128);
  assert.is(show.stderr.split('\n')[0], `fatal: '${STATE}' names a tree (${tree}), not a commit`);
  const list = await sase(repo, 'bead-list');
  assert.equal([list.code, list.stderr.split('\n')[0]], [128, show.stderr.split('\n')[0]]);
  deleteCache(repo);
  assert.equal((await sase(repo, 'bead-list')).stderr.split('\n')[0], show.stderr.split('\n')[0]);
  const update = await sase(repo, 'bead-update', [A, '--priority', '4']);
  assert.is(update.code, 128);
  assert.is(repo.git('cat-file', '-t', STATE).trim(), 'tree', 'no commit was written on the tree');
  const f = await fsck(repo);
  assert.is(f.code, 1);
  assert.equal(
    f.problems.map((p) => [p.check, p.message]),
    [['ref', `'${STATE}' names a tree (${tree}), not a commit`]],
  );
});

t('another format version, or none: readers refuse it with a hint, as writers do', async () => {
  for (const version of ['2\n', null]) {
    const repo = await goodState();
    const tree = treeWith(
      repo,
      stateTree(repo),
      'VERSION',
      version === null ? null : { mode: '100644', type: 'blob', oid: blob(repo, version) },
    );
    commitStateTree(repo, tree);
    for (const fresh of [false, true]) {
      if (fresh) deleteCache(repo);
      for (const [name, args] of [
        ['bead-show', [A]],
        ['bead-list', []],
        ['bead-ready', []],
        ['sdd-list', []],
        ['bead-update', [A, '--priority', '4']],
      ] as const) {
        const r = await sase(repo, name, [...args]);
        assert.is(r.code, 128, `${name}: ${r.stderr}`);
        const [line, hint] = r.stderr.split('\n');
        if (version) {
          assert.is(line, `fatal: '${STATE}' has format version "2"; this sase reads version 1`, name);
          assert.is(hint, 'hint: a newer sase wrote it: upgrade sase to read it');
        } else assert.is(line, `fatal: '${STATE}' has no VERSION: it is not a sase state (or a tool rewrote it)`, name);
      }
    }
    assert.is((await fsck(repo, ['--no-replay'])).code, 1);
  }
});

t("an unrelated history under the ref (a project's branch): not sase's state", async () => {
  const repo = await goodState();
  repo.git('update-ref', STATE, repo.git('rev-parse', 'main').trim());
  for (const name of ['bead-list', 'bead-ready', 'cs-list']) {
    const r = await sase(repo, name);
    assert.equal(
      [r.code, r.stderr.split('\n')[0]],
      [128, `fatal: '${STATE}' has no VERSION: it is not a sase state (or a tool rewrote it)`],
    );
  }
  const f = await fsck(repo, ['--no-replay']);
  assert.is(f.code, 1);
  assert.ok(f.problems.some((p) => p.check === 'version'));
});

t(
  'not bad: a tip commit of megabytes (an import of 100,000 beads names each in its operation) is read like any',
  async () => {
    const repo = await goodState();
    const ids = Array.from({ length: 150_000 }, (_, i) => `ts-${String(i).padStart(8, '0')}`);
    const tip = commitStateTree(
      repo,
      stateTree(repo),
      opMessage(`import ${ids.length} beads`, {
        op: 'bead.import',
        ids,
        at: '2026-01-01T00:00:00Z',
        actor: 'x@example.com',
      }),
    );
    assert.ok(Number(repo.git('cat-file', '-s', tip)) > 2 << 20);
    const list = await ok(repo, 'bead-list');
    assert.equal(list.map((b) => b.id).sort(), [A, B, C]);
    assert.is((await ok(repo, 'bead-ready')).length, 2);
    await ok(repo, 'bead-update', [C, '--priority', '4']);
    assert.is((await ok(repo, 'bead-show', [C]))[0]!.priority, 4);
    const f = await fsck(repo, ['--no-replay']);
    assert.is(f.code, 0, JSON.stringify(f.problems));
    // replaying it reads every commit's message: the import's operation names beads that are not there, and says so
    const replayed = await fsck(repo);
    assert.ok(replayed.problems.every((p) => p.check === 'replay' && !/over the|names nothing/.test(p.message)));
  },
);

t.run();
