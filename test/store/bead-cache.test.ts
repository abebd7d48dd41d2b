// The sharded bead cache: after every kind of write, what the incremental
// refresh answers (ready list, list, relations, blocked flags, short ids) is
// what a cold rebuild answers; a write rewrites only the shards it touched;
// `list --limit` reads only the shards it needs; a missing shard or a damaged
// HEAD rebuilds.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { splitId } from '../../src/core/beads/model.ts';
import { shardKey } from '../../src/store/bead-cache.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { ok, okBin, sase } from '../helpers/run.ts';
import { addBeadsWithIds, beadRecord, gitTry, opMessage, STATE, writeStateCommit } from '../helpers/state.ts';

const t = suite('store bead cache');

const cacheDir = (repo: TestRepo) => join(repo.dir, '.git', 'sase', 'cache');
const tableDir = (repo: TestRepo) => join(cacheDir(repo), 'beads-9');
type Ref = [string, number, number, string | null, string | null, [number, string, string] | null, unknown];
/** HEAD: a first line {format, tip, size}, then `<key>\t<ref>` a shard */
const head = (repo: TestRepo) => {
  const [first, ...lines] = readFileSync(join(tableDir(repo), 'HEAD'), 'utf8').split('\n');
  const shards: Record<string, Ref> = {};
  for (const l of lines.filter((l) => l))
    shards[l.slice(0, l.indexOf('\t'))] = JSON.parse(l.slice(l.indexOf('\t') + 1));
  return { tip: (JSON.parse(first!) as { tip: string }).tip, shards };
};

/** What the cache answers: the ready list, every bead (with blocked), and the relations of some. */
async function answers(repo: TestRepo, show: string[]) {
  return {
    ready: (await ok(repo, 'bead-ready')).map((r) => `${r.id} ${r.short_id}`),
    list: (await ok(repo, 'bead-list', ['--status', 'all'])).map(
      (r) => `${r.id} ${r.short_id} ${r.status} ${r.blocked}`,
    ),
    show: (await ok(repo, 'bead-show', show)).map((r) =>
      JSON.stringify([r.id, r.blocked, r.open_blockers, r.children, r.dependants]),
    ),
  };
}

/** The incremental answers, then the same with the cache deleted: they must agree. */
async function assertLikeCold(repo: TestRepo, show: string[], step: string) {
  const warm = await answers(repo, show);
  rmSync(cacheDir(repo), { recursive: true, force: true });
  const cold = await answers(repo, show);
  assert.equal(warm, cold, `after ${step}`);
  return warm;
}

t('after each kind of write, the refreshed cache answers as a cold rebuild', async () => {
  const repo = await initedRepo();
  // ids sharing shards (aa, ab), so short ids and relations cross inside a shard and between shards
  await addBeadsWithIds(repo, [
    beadRecord({ id: 'ts-aa01', issue_type: 'plan', tier: 'epic', created_at: '2025-01-01T00:00:01Z' }),
    beadRecord({ id: 'ts-aa01.1', issue_type: 'phase', parent_id: 'ts-aa01', created_at: '2025-01-01T00:00:02Z' }),
    beadRecord({ id: 'ts-aa01.2', issue_type: 'phase', parent_id: 'ts-aa01', created_at: '2025-01-01T00:00:03Z' }),
    beadRecord({ id: 'ts-ab01', created_at: '2025-01-01T00:00:04Z' }),
    beadRecord({ id: 'ts-ab02', priority: 1, created_at: '2025-01-01T00:00:05Z' }),
    beadRecord({ id: 'ts-zz01', created_at: '2025-01-01T00:00:06Z' }),
  ]);
  const show = ['ts-aa01', 'ts-aa01.1', 'ts-ab01', 'ts-ab02', 'ts-zz01'];
  await assertLikeCold(repo, show, 'import');
  const steps: [string, string[]][] = [
    ['bead-dep-add', ['ts-ab01', 'ts-zz01']],
    ['bead-dep-add', ['ts-aa01.2', 'ts-aa01.1']],
    ['bead-update', ['ts-ab02', '--priority', '0']],
    ['bead-close', ['ts-zz01']],
    ['bead-close', ['ts-aa01.1']],
    ['bead-close', ['ts-aa01.2']],
    ['bead-reopen', ['ts-zz01']],
    ['bead-dep-rm', ['ts-ab01', 'ts-zz01']],
    ['bead-create', ['--title', 'a child', '--parent', 'ts-ab02']],
    // a blocker of the parent blocks the child (an ancestor's blockers), and its close frees both
    ['bead-dep-add', ['ts-ab02', 'ts-zz01']],
    ['bead-close', ['ts-zz01']],
    ['bead-rm', ['ts-aa01.2', '--force']],
  ];
  for (const [cmd, args] of steps) {
    // warm: the cache at the tip before the write, refreshed after it
    await ok(repo, 'bead-ready');
    await ok(repo, cmd, args);
    await assertLikeCold(repo, show, `${cmd} ${args.join(' ')}`);
  }
  // a bead added beside ts-ab01 and ts-ab02 lengthens their short ids: the ready lines follow
  await ok(repo, 'bead-ready');
  await addBeadsWithIds(repo, [beadRecord({ id: 'ts-ab0z', created_at: '2025-01-01T00:00:07Z' })]);
  const last = await assertLikeCold(repo, show, 'an id added to a shard');
  assert.ok(last.ready.some((l) => l.startsWith('ts-ab01 ts-ab01')));
});

t('a write rewrites only the shards it changed', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(repo, [
    beadRecord({ id: 'ts-aa01' }),
    beadRecord({ id: 'ts-bb01' }),
    beadRecord({ id: 'ts-cc01' }),
  ]);
  await ok(repo, 'bead-ready');
  const before = head(repo);
  await ok(repo, 'bead-update', ['ts-bb01', '--priority', '1']);
  await ok(repo, 'bead-ready');
  const after = head(repo);
  assert.is.not(after.tip, before.tip);
  assert.equal(after.shards.aa, before.shards.aa);
  assert.equal(after.shards.cc, before.shards.cc);
  assert.is.not(after.shards.bb![0], before.shards.bb![0]);
  // the shard file of the earlier tip is gone; the first build's pack still serves the others
  assert.equal(readdirSync(tableDir(repo)).sort(), ['HEAD', 'TREES', after.shards.aa![0], after.shards.bb![0]].sort());
});

t(
  'a damaged HEAD (cut short, its first line or a shard line garbled) is no cache: reads rebuild and answer as cold ones',
  async () => {
    const repo = await initedRepo();
    await addBeadsWithIds(repo, [
      beadRecord({ id: 'ts-aa01', created_at: '2025-01-01T00:00:01Z' }),
      beadRecord({ id: 'ts-bb01', created_at: '2025-01-01T00:00:02Z' }),
      beadRecord({ id: 'ts-bb02', parent_id: 'ts-bb01', created_at: '2025-01-01T00:00:03Z' }),
      beadRecord({ id: 'ts-cc01', deps: ['ts-bb01'], created_at: '2025-01-01T00:00:04Z' }),
      beadRecord({ id: 'ts-zz01', priority: 1, created_at: '2025-01-01T00:00:05Z' }),
    ]);
    const show = ['ts-bb01', 'ts-cc01', 'ts-zz01'];
    const path = join(tableDir(repo), 'HEAD');
    /** the garbled keep the file's length: only what they garble is wrong */
    const damages: [string, (h: string) => string][] = [
      ['cut at a line end', (h) => h.slice(0, h.lastIndexOf('\n', h.length - 2) + 1)],
      ['cut within a line', (h) => h.slice(0, -5)],
      ['its first line garbled', (h) => h.replace('"tip":', '"tip";')],
      ['the line of the shard written garbled', (h) => h.replace('\nbb\t[', '\nbb\t{')],
      ['the line of a shard not written garbled', (h) => h.replace('\ncc\t["', '\ncc\t[[')],
    ];
    const readers: [string, string[]][] = [
      ['complete', ['beads', 'ts-']],
      ['bead-list', ['--status', 'all']],
      ['bead-list', ['--sort', 'id', '--limit', '2']],
      ['bead-show', show],
    ];
    const read = async (cmd: string, args: string[]) => {
      const r = await sase(repo, cmd, args);
      assert.is(r.code, 0, r.stderr);
      return r.stdout;
    };
    const damage = (f: (h: string) => string) => {
      const h = readFileSync(path, 'utf8');
      const bad = f(h);
      assert.is.not(bad, h);
      writeFileSync(path, bad);
    };
    let priority = 0;
    for (const [what, f] of damages) {
      // at the HEAD's tip: each reader of HEAD alone
      for (const [cmd, args] of readers) {
        await ok(repo, 'bead-ready');
        const want = await read(cmd, args);
        damage(f);
        assert.is(await read(cmd, args), want, `${what}: ${cmd} ${args.join(' ')}`);
      }
      // a write behind: the refresh reads the damaged HEAD
      await ok(repo, 'bead-ready');
      await ok(repo, 'bead-update', ['ts-bb01', '--priority', String(++priority % 4)]);
      damage(f);
      await assertLikeCold(repo, show, `${what}, a write behind`);
    }
  },
);

t("a refresh adds, replaces and removes only its shards' HEAD lines, in key order", async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(
    repo,
    ['bb01', 'dd01', 'ff01'].map((h) => beadRecord({ id: `ts-${h}` })),
  );
  await ok(repo, 'bead-ready');
  await ok(repo, 'bead-update', ['ts-dd01', '--priority', '1']);
  await ok(repo, 'bead-ready');
  const lines = () =>
    readFileSync(join(tableDir(repo), 'HEAD'), 'utf8')
      .split('\n')
      .slice(1, -1);
  const before = lines();
  const ddFile = head(repo).shards.dd![0];
  // shards new before, between and after the others, and one emptied
  await addBeadsWithIds(
    repo,
    ['0a01', 'cc01', 'zz01'].map((h) => beadRecord({ id: `ts-${h}` })),
  );
  await ok(repo, 'bead-rm', ['ts-dd01', '--force']);
  await ok(repo, 'bead-ready');
  const after = lines();
  assert.equal(
    after.map((l) => l.split('\t')[0]),
    ['0a', 'bb', 'cc', 'ff', 'zz'],
  );
  for (const k of ['bb', 'ff'])
    assert.is(
      after.find((l) => l.startsWith(`${k}\t`)),
      before.find((l) => l.startsWith(`${k}\t`)),
    );
  assert.ok(!readdirSync(tableDir(repo)).includes(ddFile), "the emptied shard's file removed");
  // what each line says of its shard is what a cold build's says
  const warm = head(repo);
  rmSync(cacheDir(repo), { recursive: true, force: true });
  await ok(repo, 'bead-ready');
  const cold = head(repo);
  assert.is(warm.tip, cold.tip);
  assert.equal(
    Object.entries(warm.shards).map(([k, r]) => [k, ...r.slice(3)]),
    Object.entries(cold.shards).map(([k, r]) => [k, ...r.slice(3)]),
  );
});

t('list --limit reads only the shards it needs; a damaged shard is rebuilt when read', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(repo, [
    beadRecord({ id: 'ts-aa01' }),
    beadRecord({ id: 'ts-aa02' }),
    beadRecord({ id: 'ts-bb01' }),
    beadRecord({ id: 'ts-zz01' }),
  ]);
  await ok(repo, 'bead-ready');
  await ok(repo, 'bead-list', ['--limit', '1']); // the head of the list is made by the first list from it
  const h = head(repo);
  // damage the last shard's bytes in the pack: a list of the first two never reads them
  const [file, offset, length] = h.shards.zz!;
  const path = join(tableDir(repo), file);
  const bytes = readFileSync(path);
  bytes.fill(0x78, offset, offset + length);
  writeFileSync(path, bytes);
  const first = okBin(repo, 'bead-list', ['--limit', '2']);
  assert.equal(
    first.map((r) => r.id),
    ['ts-aa01', 'ts-aa02'],
  );
  assert.equal(head(repo), h, 'nothing rebuilt');
  assert.equal(readFileSync(path), bytes, 'the damaged shard never read (a rebuild would have mended it)');
  const byId = okBin(repo, 'bead-list', ['--limit', '2', '--sort', 'id']);
  assert.equal(
    byId.map((r) => r.id),
    ['ts-aa01', 'ts-aa02'],
  );
  assert.equal(readFileSync(path), bytes, 'nor in id order');
  // the whole list reads it, finds it damaged, and rebuilds
  const all = await ok(repo, 'bead-list');
  assert.equal(
    all.map((r) => r.id),
    ['ts-aa01', 'ts-aa02', 'ts-bb01', 'ts-zz01'],
  );
  const [file2, offset2, length2] = head(repo).shards.zz!;
  const repaired = readFileSync(join(tableDir(repo), file2))
    .subarray(offset2, offset2 + length2)
    .toString();
  assert.is(repaired.split('\n')[0], '["ts-zz01"]');
});

t('list --limit in list order reads the shards of its first beads, and answers as the whole list', async () => {
  const repo = await initedRepo();
  // beads over many shards, with priorities, ages, ids (natural order, ties) and statuses mixed
  const beads = [];
  for (let i = 0; i < 60; i++) {
    const shard = 'abcdefghij'[i % 10]! + 'klmno'[i % 5]!;
    beads.push(
      beadRecord({
        id: `ts-${shard}${String(i).padStart(2, '0')}`,
        priority: (i * 7) % 5,
        created_at: `2025-01-0${1 + (i % 3)}T00:00:00Z`,
        status: ['open', 'closed', 'claimed', 'in_progress'][i % 4],
        ...(i % 4 === 1 ? { closed_at: '2025-02-01T00:00:00Z', close_reason: 'ok', resolution: 'done' } : {}),
        issue_type: i % 6 === 0 ? 'plan' : 'task',
        assignee: i % 4 === 2 || i % 4 === 3 ? `w${i % 3}` : null,
      }),
    );
  }
  for (let i = 0; i < 4; i++)
    beads.push(beadRecord({ id: `ts-ak00.${i === 3 ? 10 : i + 1}`, parent_id: null, priority: 0 }));
  await addBeadsWithIds(repo, beads);
  for (const filters of [[], ['--status', 'all'], ['--status', 'closed'], ['--type', 'task'], ['--assignee', 'w1']]) {
    const whole = (await ok(repo, 'bead-list', filters)).map((r) => r.id);
    for (const limit of [1, 3, 7, 20, 100]) {
      const some = (await ok(repo, 'bead-list', [...filters, '--limit', String(limit)])).map((r) => r.id);
      assert.equal(some, whole.slice(0, limit), `${filters.join(' ')} --limit ${limit}`);
    }
  }
  // the shard holding no bead among the first ones, damaged: a short list never reads it
  const h = head(repo);
  const firsts = (await ok(repo, 'bead-list', ['--limit', '3'])).map((r) => r.id.slice(3, 5));
  const last = Object.keys(h.shards).find((k) => k !== 'ak' && !firsts.includes(k) && h.shards[k]![5]?.[0] === 4);
  assert.ok(last, 'a shard whose beads all come late');
  const [file, offset, length] = h.shards[last!]!;
  const path = join(tableDir(repo), file);
  const bytes = readFileSync(path);
  bytes.fill(0x78, offset, offset + length);
  writeFileSync(path, bytes);
  await ok(repo, 'bead-list', ['--limit', '3']);
  assert.equal(readFileSync(path), bytes, 'the late shard never read');
});

t(
  'the ready list follows writes as a delta, folded into a new list once large, and answers as a cold rebuild',
  async () => {
    const repo = await initedRepo();
    const ready = async () => (await ok(repo, 'bead-ready')).map((r) => `${r.id} ${r.short_id} ${r.priority}`);
    const files = () => readdirSync(cacheDir(repo)).filter((f) => f.startsWith('ready.'));
    await addBeadsWithIds(
      repo,
      ['aa01', 'aa02', 'ab01', 'bb01', 'cc01', 'cc02'].map((h, i) =>
        beadRecord({ id: `ts-${h}`, created_at: `2025-01-01T00:00:0${i}Z` }),
      ),
    );
    await ready();
    const base = readFileSync(join(cacheDir(repo), 'ready.ndjson'));
    // writes in a row: each refresh writes a delta against the same list; the list itself is not rewritten
    const steps: [string, string[]][] = [
      ['bead-update', ['ts-cc02', '--priority', '0']],
      ['bead-close', ['ts-aa01']],
      ['bead-dep-add', ['ts-bb01', 'ts-cc01']],
      ['bead-create', ['--title', 'new', '--priority', '1']],
      ['bead-update', ['ts-cc02', '--priority', '3']],
      ['bead-reopen', ['ts-aa01']],
    ];
    for (const [cmd, args] of steps) {
      await ok(repo, cmd, args);
      await ready();
      assert.ok(files().includes('ready.delta'), `a delta after ${cmd}`);
      assert.equal(readFileSync(join(cacheDir(repo), 'ready.ndjson')), base, `the list kept after ${cmd}`);
    }
    // damaged keys (the offset of ts-bb01's line off by one): the refresh that uses it writes the list again, whole
    const keysPath = join(cacheDir(repo), 'ready.keys');
    const keys = readFileSync(keysPath, 'utf8').split('\n');
    const at = keys.findIndex((l) => l.split('\t')[1] === 'ts-bb01');
    assert.ok(at > 0, 'ts-bb01 is in the base');
    const fields = keys[at]!.split('\t');
    fields[5] = String(Number(fields[5]) + 1);
    keys[at] = fields.join('\t');
    writeFileSync(keysPath, keys.join('\n'));
    await ok(repo, 'bead-update', ['ts-bb01', '--priority', '1']);
    const mended = await ready();
    assert.ok(!files().includes('ready.delta'), 'written whole');
    await ok(repo, 'bead-update', ['ts-bb01', '--priority', '2']);
    assert.equal((await ready()).length, mended.length);
    // an id added beside ts-ab01 lengthens its short id: its line is rendered again
    await addBeadsWithIds(repo, [beadRecord({ id: 'ts-ab0z', created_at: '2025-01-01T00:00:09Z' })]);
    const warm = await ready();
    assert.ok(warm.includes('ts-ab01 ts-ab01 2'));
    assert.equal((await ok(repo, 'bead-ready', ['--limit', '2'])).length, 2);
    rmSync(cacheDir(repo), { recursive: true, force: true });
    assert.equal(warm, await ready(), 'the delta answers as a cold rebuild');
    // a change to more lines than a delta keeps: the whole list is written again, with no delta beside it
    await ready();
    await addBeadsWithIds(
      repo,
      Array.from({ length: 600 }, (_, i) =>
        beadRecord({ id: `ts-z${String(i).padStart(3, '0')}`, priority: i % 4, created_at: '2025-01-02T00:00:00Z' }),
      ),
    );
    const folded = await ready();
    assert.equal(files().sort(), ['ready.keys', 'ready.ndjson']);
    rmSync(cacheDir(repo), { recursive: true, force: true });
    assert.equal(folded, await ready(), 'the folded list answers as a cold rebuild');
  },
);

t(
  "list --limit answers from the list's head, kept as a prefix of the whole list through writes and read again once shrunk",
  async () => {
    const repo = await initedRepo();
    // more beads than the head holds (256), over many shards, priorities and ages mixed
    const beads = Array.from({ length: 400 }, (_, i) =>
      beadRecord({
        id: `ts-${'abcdefghij'[i % 10]}${'klmnopqrst'[(i >> 3) % 10]}${String(i).padStart(3, '0')}`,
        priority: (i * 7) % 4,
        created_at: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
      }),
    );
    await addBeadsWithIds(repo, beads);
    const listed = async (limit?: number) =>
      (await ok(repo, 'bead-list', limit === undefined ? [] : ['--limit', String(limit)])).map(
        (r) => `${r.id} ${r.short_id} ${r.priority} ${r.status} ${r.blocked}`,
      );
    const agree = async (step: string) => {
      const whole = await listed();
      for (const limit of [1, 50, 200, 256, 300])
        assert.equal(await listed(limit), whole.slice(0, limit), `${step}: --limit ${limit}`);
    };
    await agree('import');
    const headFile = () => readFileSync(join(cacheDir(repo), 'list.ndjson'), 'utf8');
    assert.ok(headFile().startsWith('{"format":'), 'a head written');
    const first = (await listed(3)).map((l) => l.split(' ')[0]!);
    const lastOfAll = (await listed()).at(-1)!.split(' ')[0]!;
    const steps: [string, string[]][] = [
      ['bead-update', [first[0]!, '--priority', '3']], // the first bead moves past the head's end
      ['bead-update', [lastOfAll, '--priority', '0']], // the last bead moves into the head
      ['bead-create', ['--title', 'urgent', '--priority', '0']],
      ['bead-dep-add', [first[1]!, first[2]!]], // blocked: its line changes
      ['bead-close', [first[2]!]], // unblocked again, and a bead leaves the list
    ];
    for (const [cmd, args] of steps) {
      await ok(repo, cmd, args);
      await agree(`${cmd} ${args.join(' ')}`);
    }
    // closing more than half the head in one write: the head is read again from the table
    const top = (await listed(200)).map((l) => l.split(' ')[0]!);
    await ok(repo, 'bead-close', top);
    await agree('200 closed');
    rmSync(cacheDir(repo), { recursive: true, force: true });
    await agree('cold');
  },
);

t(
  "the head of `bead list` is made by the first list that reads it, not by a cold build or a write's refresh",
  async () => {
    const repo = await initedRepo();
    await addBeadsWithIds(repo, [
      beadRecord({ id: 'ts-aa01', priority: 1 }),
      beadRecord({ id: 'ts-bb01', priority: 2 }),
      beadRecord({ id: 'ts-cc01', priority: 3, dependencies: [{ depends_on_id: 'ts-aa01', type: 'blocks' }] }),
    ]);
    const headFiles = () => readdirSync(cacheDir(repo)).filter((n) => n.startsWith('list.'));
    // a list with a limit, in the default order, is the one answered from the head
    const listed = async () =>
      (await ok(repo, 'bead-list', ['--limit', '10'])).map((r) => `${r.id} ${r.short_id} ${r.priority} ${r.blocked}`);
    rmSync(cacheDir(repo), { recursive: true, force: true });
    await ok(repo, 'bead-ready');
    assert.equal(headFiles(), [], 'a cold build makes no head');
    await ok(repo, 'bead-update', ['ts-bb01', '--priority', '0']);
    assert.equal(headFiles(), [], "a write's refresh leaves a head not made alone");
    const first = await listed();
    assert.equal(first, ['ts-bb01 ts-bb01 0 false', 'ts-aa01 ts-aa01 1 false', 'ts-cc01 ts-cc01 3 true']);
    assert.equal(headFiles().sort(), ['list.keys', 'list.ndjson'], 'made by the first list');
    // once made, a write keeps it current
    await ok(repo, 'bead-close', ['ts-aa01']);
    const kept = await listed();
    assert.equal(kept, ['ts-bb01 ts-bb01 0 false', 'ts-cc01 ts-cc01 3 false']);
    assert.ok(headFiles().length >= 2, 'still there');
    // a head left by a table since lost is removed by the cold build that replaces the table
    rmSync(tableDir(repo), { recursive: true, force: true });
    await ok(repo, 'bead-show', ['ts-bb01']); // the ready list, current, would be read without the table
    assert.equal(headFiles(), [], 'removed with the table it came with');
    assert.equal(await listed(), kept, 'and made again as it was');
  },
);

t(
  "a shard's lines stay JSON when an id in them needs escaping (an excerpts file written by another hand)",
  async () => {
    const repo = await initedRepo();
    await addBeadsWithIds(repo, [beadRecord({ id: 'ts-aa01' }), beadRecord({ id: 'ts-aa02' })]);
    // the excerpts file of shard aa names the same tree, with a dependency and a bead no sase would write
    const path = 'excerpts/aa';
    const file = gitTry(repo, ['cat-file', 'blob', `${STATE}:${path}`])!;
    const odd = 'x"y\\z\u0001';
    const oddBead = 'ts-aa"03';
    const tampered = file
      .split('\n')
      .flatMap((line) => {
        if (!line.startsWith('["ts-aa02"')) return [line];
        const row = JSON.parse(line);
        row[9] = [odd]; // its dependencies
        return [
          JSON.stringify(row),
          JSON.stringify([oddBead, ...row.slice(1, 5), 'closed', ...row.slice(6, 9), [], ...row.slice(10)]),
        ];
      })
      .join('\n');
    assert.ok(tampered.includes('x\\"y') && tampered.includes('ts-aa\\"03'), 'the dependency and the bead put in');
    writeStateCommit(
      repo,
      { [path]: tampered },
      opMessage('by hand', { op: 'bead.import', ids: [], at: '2025-01-01T00:00:00Z', actor: 'a@b' }),
    );
    rmSync(cacheDir(repo), { recursive: true, force: true });
    await ok(repo, 'bead-ready');
    // every line of the shards is JSON, the odd one's relations among them
    const [f, offset, length] = head(repo).shards._!;
    const shard = readFileSync(join(tableDir(repo), f))
      .subarray(offset, offset + length)
      .toString()
      .split('\n');
    assert.equal(JSON.parse(shard[1]!).rel, [[odd, [], ['ts-aa02']]]);
    const [fa, offa, lengtha] = head(repo).shards.aa!;
    const aa = readFileSync(join(tableDir(repo), fa))
      .subarray(offa, offa + lengtha)
      .toString()
      .split('\n');
    for (const line of aa.filter((l) => l)) JSON.parse(line);
    assert.equal(JSON.parse(aa[0]!), [oddBead, 'ts-aa01', 'ts-aa02'], 'in id order');
    assert.equal(
      (await ok(repo, 'bead-list', ['--status', 'all'])).map((r) => `${r.id} ${r.blocked}`),
      ['ts-aa01 false', 'ts-aa02 true'],
    );
  },
);

t('a cold build removes the tables and mirrors that other formats of the cache left behind', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(repo, [beadRecord({ id: 'ts-aa01' })]);
  rmSync(cacheDir(repo), { recursive: true, force: true });
  mkdirSync(cacheDir(repo), { recursive: true });
  for (const old of ['beads-6', 'beads-12', 'records-1']) {
    mkdirSync(join(cacheDir(repo), old));
    writeFileSync(join(cacheDir(repo), old, 'HEAD'), 'an older format\n');
  }
  writeFileSync(join(cacheDir(repo), 'beads-notes'), 'not a format of the table: kept\n');
  assert.equal(
    (await ok(repo, 'bead-ready')).map((r) => r.id),
    ['ts-aa01'],
  );
  const now = readdirSync(cacheDir(repo));
  assert.equal(
    now.filter((n) => /^(beads|records)-/.test(n)).sort(),
    ['beads-9', 'beads-notes', 'records-3'],
    now.join(' '),
  );
});

t('shardKey: the first two characters of the hash when they are [a-z0-9], else _', () => {
  const oracle = (id: string) => {
    const h = splitId(id).hash.slice(0, 2);
    return /^[a-z0-9]{1,2}$/.test(h) ? h : '_';
  };
  const ids = [
    'ts-ab01',
    'ts-ab01.2.10',
    'ts-a',
    'ts-a.1',
    'a-b-cd',
    'ab',
    'a',
    '',
    '-',
    'ts-',
    'ts-.1',
    '.1',
    'x.y-ab',
  ];
  ids.push('ts-Ab1', 'ts-_a', 'ts-a_', 'external:p:c', 'ts-é1', 'a-b.c-de', 'ts-9z.3');
  const chars = 'ab9-._Z:';
  for (let n = 0; n < 4000; n++) {
    let id = '';
    for (let k = (n % 7) + 1, x = n * 2654435761; k > 0; k--, x = Math.floor(x / 7)) id += chars[x % chars.length];
    ids.push(id);
  }
  for (const id of ids) assert.is(shardKey(id), oracle(id), id);
});

t.run();
