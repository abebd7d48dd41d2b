import { cpSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { fails, loggingGit, ok, okBin, sase, saseBin } from '../helpers/run.ts';
import { addBeadsWithIds, beadPathOf, beadRecord, canonical, stateTip, writeStateCommit } from '../helpers/state.ts';

const t = suite('bead-show');
const NOW = '2026-01-01T00:00:00Z';
const env = { SASE_NOW: NOW };
const ME = 'author@example.com';

// one repository for the file: an epic with two phases (.2 waits for .1) and a task waiting for .2
const repo = await initedRepo();
const [epic] = await ok(repo, 'bead-create', ['--title', 'Epic', '--tier', 'epic', '--priority', '1'], { env });
const E = epic!.id as string;
const ES = epic!.short_id as string;
await ok(repo, 'bead-create', ['--title', 'One', '--type', 'phase', '--parent', E, '--size', 'small'], { env });
await ok(repo, 'bead-create', ['--title', 'Two', '--type', 'phase', '--parent', E, '--deps', `${E}.1`], { env });
const [task] = await ok(
  repo,
  'bead-create',
  ['--title', 'Task', '--deps', `${E}.2`, '--label', 'b,a', '--description', 'line 1\nline 2'],
  { env },
);
const T = task!.id as string;

function ref(id: string, short: string, title: string, issue_type: string, status = 'open', priority = 2) {
  return { id, short_id: short, title, status, issue_type, priority };
}

t('shows a bead with every stored field and its relations resolved', async () => {
  // through the real executable
  const [r, ...rest] = okBin(repo, 'bead-show', [`${E}.2`]);
  assert.is(rest.length, 0);
  assert.equal(r, {
    v: 1,
    kind: 'bead',
    id: `${E}.2`,
    short_id: `${ES}.2`,
    title: 'Two',
    issue_type: 'phase',
    tier: null,
    parent_id: E,
    status: 'open',
    priority: 2,
    assignee: null,
    owner: ME,
    size: null,
    model: null,
    labels: [],
    links: [],
    dependencies: [{ depends_on_id: `${E}.1`, created_at: NOW, created_by: ME }],
    description: '',
    notes: '',
    design: null,
    created_at: NOW,
    created_by: ME,
    updated_at: NOW,
    closed_at: null,
    close_reason: null,
    resolution: null,
    close_history: [],
    missing: [],
    satisfied: [],
    blocked: true,
    open_blockers: [`${E}.1`],
    parent: ref(E, ES, 'Epic', 'plan', 'open', 1),
    children: [],
    blockers: [ref(`${E}.1`, `${ES}.1`, 'One', 'phase')],
    dependants: [ref(T, task!.short_id, 'Task', 'task')],
    runs: [],
  });
});

t('an epic lists its children in order; a task its labels and description; several ids keep their order', async () => {
  const recs = await ok(repo, 'bead-show', [T, E]);
  assert.equal(
    recs.map((r) => r.id),
    [T, E],
  );
  const [tr, er] = recs;
  assert.equal(er!.children, [ref(`${E}.1`, `${ES}.1`, 'One', 'phase'), ref(`${E}.2`, `${ES}.2`, 'Two', 'phase')]);
  assert.is(er!.tier, 'epic');
  assert.is(er!.priority, 1);
  assert.is(er!.blocked, false);
  assert.equal(er!.open_blockers, []);
  assert.is(er!.parent, null);
  assert.equal(tr!.labels, ['a', 'b']);
  assert.is(tr!.description, 'line 1\nline 2');
  assert.equal(tr!.open_blockers, [`${E}.2`]);
});

t('resolves full ids, short ids, hash prefixes with and without the prefix, and children as <short>.<n>', async () => {
  const hash = E.slice(3);
  const inputs: Array<[string, string]> = [
    [E, E],
    [ES, E],
    [hash.slice(0, 4), E],
    [hash.slice(0, 6), E],
    [`ts-${hash.slice(0, 5)}`, E],
    [E.toUpperCase(), E],
    [`${ES}.1`, `${E}.1`],
    [`${hash.slice(0, 4)}.2`, `${E}.2`],
    [`${E}.2`, `${E}.2`],
  ];
  const out = await ok(
    repo,
    'bead-show',
    inputs.map(([i]) => i),
    { env },
  );
  assert.equal(
    out.map((r) => r.id),
    inputs.map(([, want]) => want),
  );
});

t('--format id prints one id a line; --json is json', async () => {
  const r = await sase(repo, 'bead-show', [ES, `${ES}.1`, '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${E}\n${E}.1\n`);
  const j = await sase(repo, 'bead-show', [ES, '--json']);
  assert.is(j.records.length, 1);
  assert.is(j.stdout.split('\n').length, 2);
});

t('--format text prints a plain card, no ANSI codes', async () => {
  const r = await sase(repo, 'bead-show', [`${E}.2`, '--format', 'text']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.not.match(r.stdout, /\x1b\[/);
  const lines = r.stdout.split('\n');
  assert.is(lines[0], `${E}.2  Two`);
  assert.is(lines[1], 'open (blocked)  P2  phase');
  assert.ok(lines.includes(`parent:     ${ES} open Epic`), r.stdout);
  assert.ok(lines.includes('blocked by:'));
  assert.ok(lines.includes(`  ${ES}.1 open One`));
  assert.ok(lines.includes('blocks:'));
  assert.ok(lines.includes(`  ${task!.short_id} open Task`));
  // local time with the zone (TZ is UTC in tests)
  assert.ok(lines.includes(`created:    2026-01-01 00:00:00 +0000 by ${ME}`), r.stdout);
  const d = await sase(repo, 'bead-show', [T, '--format', 'text']);
  assert.match(d.stdout, /\nDescription\n {2}line 1\n {2}line 2\n/);
  assert.match(d.stdout, /\nlabels: {5}a, b\n/);
});

t('ids on stdin: --stdin with bare ids, a lone -, or piped NDJSON records with no argument', async () => {
  assert.equal(
    (await ok(repo, 'bead-show', ['--stdin'], { input: `${ES}\n\n  ${T}  \n` })).map((r) => r.id),
    [E, T],
  );
  assert.equal(
    (await ok(repo, 'bead-show', ['-'], { input: `${ES}.1\n` })).map((r) => r.id),
    [`${E}.1`],
  );
  const piped = await ok(repo, 'bead-show', [], {
    input: `${JSON.stringify({ id: E, kind: 'bead' })}\n${JSON.stringify({ id: `${E}.2` })}\n`,
  });
  assert.equal(
    piped.map((r) => r.id),
    [E, `${E}.2`],
  );
});

t('a dependency on a bead that does not exist is shown as status "missing" and blocks', async () => {
  const r2 = await initedRepo();
  const rec = beadRecord({
    id: 'ts-aaaa0000',
    dependencies: [{ depends_on_id: 'ts-gone0000', created_at: NOW, created_by: ME }],
  });
  writeStateCommit(r2, { [beadPathOf('ts-aaaa0000')]: canonical(rec) }, 'sase: hand-written\n');
  const [r] = await ok(r2, 'bead-show', ['aaaa']);
  assert.is(r!.blocked, true);
  assert.equal(r!.open_blockers, ['ts-gone0000']);
  assert.equal(r!.blockers, [
    { id: 'ts-gone0000', short_id: 'ts-gone0000', title: null, status: 'missing', issue_type: null, priority: null },
  ]);
});

t(
  'an external reference, a missing bead and a missing parent: status "external" or "missing", satisfied or blocking',
  async () => {
    const r2 = await initedRepo();
    const rec = beadRecord({
      id: 'ts-aaaa0000',
      parent_id: 'ts-lost0000',
      dependencies: [
        { depends_on_id: 'external:gastown:gt-1', created_at: NOW, created_by: ME },
        { depends_on_id: 'ts-gone0000', created_at: NOW, created_by: ME },
      ],
      missing: ['ts-gone0000', 'ts-lost0000'],
      satisfied: [{ ref: 'ts-gone0000', satisfied_at: NOW, satisfied_by: ME }],
    });
    writeStateCommit(r2, { [beadPathOf('ts-aaaa0000')]: canonical(rec) }, 'sase: hand-written\n');
    const [r] = await ok(r2, 'bead-show', ['aaaa']);
    assert.equal(r!.missing, ['ts-gone0000', 'ts-lost0000']);
    assert.equal(r!.satisfied, [{ ref: 'ts-gone0000', satisfied_at: NOW, satisfied_by: ME }]);
    assert.is(r!.blocked, true);
    assert.equal(r!.open_blockers, ['external:gastown:gt-1', 'ts-lost0000']);
    assert.equal([r!.parent.status, ...r!.blockers.map((b: any) => b.status)], ['missing', 'external', 'missing']);
    const text = await sase(r2, 'bead-show', ['aaaa', '--format', 'text']);
    assert.match(text.stdout, /^parent: {5}ts-lost0000 missing \(blocks until satisfied\)$/m);
    assert.match(text.stdout, /^ {2}external:gastown:gt-1 external \(blocks until satisfied\)$/m);
    assert.match(text.stdout, /^ {2}ts-gone0000 missing \(satisfied\)$/m);
  },
);

t('exit 4: no bead matches an id; nothing is printed for the others', async () => {
  fails(await sase(repo, 'bead-show', ['ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  const r = await sase(repo, 'bead-show', [E, 'zzzz']);
  fails(r, 4, "error: no bead 'zzzz'");
  assert.is(r.stderr, "error: no bead 'zzzz'\nhint: try 'sase bead list'\n");
  fails(await sase(repo, 'bead-show', [`${ES}.9`]), 4, `error: no bead '${ES}.9'`);
  fails(await sase(repo, 'bead-show', [`qq-${E.slice(3)}`]), 4, `error: no bead 'qq-${E.slice(3)}'`);
});

t('exit 129: an ambiguous id names the candidates; a malformed id is refused', async () => {
  const r2 = await initedRepo();
  await addBeadsWithIds(r2, [beadRecord({ id: 'ts-abcd1111' }), beadRecord({ id: 'ts-abcd2222' })]);
  const tip = stateTip(r2);
  const amb = await sase(r2, 'bead-show', ['abcd']);
  fails(amb, 129, "error: short id 'abcd' is ambiguous: ts-abcd1111, ts-abcd2222");
  fails(
    await sase(r2, 'bead-show', ['ts-abc']),
    129,
    "error: short id 'ts-abc' is ambiguous: ts-abcd1111, ts-abcd2222",
  );
  // each is shown by its shortest unique form
  assert.equal(
    (await ok(r2, 'bead-show', ['abcd1', 'ts-abcd2'])).map((r) => [r.id, r.short_id]),
    [
      ['ts-abcd1111', 'ts-abcd1'],
      ['ts-abcd2222', 'ts-abcd2'],
    ],
  );
  for (const bad of ['../x', 'a/b', 'ts-abcd.x'])
    fails(await sase(r2, 'bead-show', [bad]), 129, `error: '${bad}' is not a bead id`);
  assert.is(stateTip(r2), tip);
});

t('usage errors and the outside of a repository', async () => {
  // an empty pipe used to show nothing and succeed: no ids is a usage error
  fails(await sase(repo, 'bead-show', [], { input: '\n' }), 129, 'error: no bead ids given (as arguments or on stdin)');
  fails(
    await sase(repo, 'bead-show', ['-'], { input: '' }),
    129,
    'error: no bead ids given (as arguments or on stdin)',
  );
  fails(await sase(repo, 'bead-show', [E, '--frob']), 129, "error: unknown option '--frob'");
  fails(await sase(repo, 'bead-show', ['--stdin', E]), 129, 'error: give bead ids as arguments or on stdin, not both');
  fails(await sase(repo, 'bead-show', ['--stdin'], { input: '{"id": 1\n' }), 128, 'fatal: stdin:1: not valid JSON');
  fails(await sase(repo, 'bead-show', ['--stdin'], { input: `${E}\n[1]\n` }), 128, 'fatal: stdin:2: not a JSON object');
  fails(
    await sase(repo, 'bead-show', [E], { cwd: repo.home }),
    128,
    'fatal: not a git repository (or any of the parent directories)',
  );
});

t(
  'served from the cache mirror or from git, the output is the same; a mirror of another tip is never used',
  async () => {
    const cache = join(repo.dir, '.git', 'sase', 'cache');
    const ids = [E, `${E}.1`, `${E}.2`, T];
    await ok(repo, 'bead-ready', ['--limit', '1']); // brings the cache, mirror included, to the tip
    const mirrored = await sase(repo, 'bead-show', ids);
    rmSync(cache, { recursive: true, force: true });
    const fromGit = await sase(repo, 'bead-show', ids);
    assert.equal([mirrored.code, mirrored.stderr], [0, '']);
    assert.is(mirrored.stdout, fromGit.stdout);
    // a shard file gone (a concurrent refresher removed it): that shard is read from git
    await ok(repo, 'bead-ready', ['--limit', '1']);
    const records = join(cache, readdirSync(cache).find((f) => f.startsWith('records-'))!);
    for (const f of readdirSync(records)) if (f !== 'MANIFEST') rmSync(join(records, f));
    assert.is((await sase(repo, 'bead-show', ids)).stdout, fromGit.stdout);
    // the mirror of the previous tip, kept over a write, is not read for the new tip
    rmSync(cache, { recursive: true });
    await ok(repo, 'bead-ready', ['--limit', '1']);
    cpSync(records, `${records}.old`, { recursive: true });
    await ok(repo, 'bead-update', [T, '--title', 'Renamed']);
    rmSync(records, { recursive: true });
    renameSync(`${records}.old`, records);
    assert.is((await ok(repo, 'bead-show', [T]))[0]!.title, 'Renamed');
    await ok(repo, 'bead-update', [T, '--title', 'Task']);
  },
);

t('runs are found by the cache index of runs by bead: records of other runs are not read', async () => {
  const r2 = await initedRepo();
  const [a] = await ok(r2, 'bead-create', ['--title', 'A']);
  const [b] = await ok(r2, 'bead-create', ['--title', 'B']);
  const run = (bead: string) =>
    ok(r2, 'agent-run', ['--provider', 'example', '--bead', bead, '--no-close', '--format', 'json', 'say: hi']);
  const [ra] = await run(a!.id);
  await run(b!.id);
  const shown = okBin(r2, 'bead-show', [a!.id]);
  assert.equal(
    shown[0]!.runs.map((x: Record<string, any>) => x.id),
    [ra!.id],
  );
  // the index is for the tip, and follows the next run incrementally (a child's run is listed too)
  const [child] = await ok(r2, 'bead-create', ['--title', 'A.1', '--parent', a!.id]);
  const [ra2] = await run(child!.id);
  const again = await ok(r2, 'bead-show', [a!.id]);
  assert.equal(
    again[0]!.runs.map((x: Record<string, any>) => x.id),
    [ra!.id, ra2!.id],
  );
  const index = readFileSync(join(r2.dir, '.git', 'sase', 'cache', 'runs-by-bead.tsv'), 'utf8').split('\n');
  assert.is(JSON.parse(index[0]!).tip, stateTip(r2));
  assert.ok(index.some((line) => line.startsWith(`${JSON.stringify(child!.id)}\t${ra2!.id}\t[`)));
  // a run record nobody asked about is never read: a damaged one of another bead does not stop show
  // (before the index, show read and checked every run record)
  writeStateCommit(r2, { 'agents/zz/r-zzzzzzzz.json': '{"kind":"agent","bead":"elsewhere"}\n' }, 'sase: by hand\n');
  const third = await ok(r2, 'bead-show', [a!.id]);
  assert.is(third[0]!.runs.length, 2);
  // deleted, the index is rebuilt from the records
  rmSync(join(r2.dir, '.git', 'sase', 'cache'), { recursive: true });
  const fourth = await ok(r2, 'bead-show', [b!.id]);
  assert.is(fourth[0]!.runs.length, 1);
});

/** A run as a bead lists it, from its record as `agent list` reads it. */
function briefOf(r: Record<string, any>) {
  const { id, name, bead, status, error, wait_reason, started_at, ended_at } = r;
  return {
    id,
    name,
    bead,
    status,
    error,
    wait_reason: status === 'waiting' ? wait_reason : null,
    started_at,
    ended_at,
  };
}

t(
  'the runs listed from the index are those the records give: current, after a new run, after a status change, rebuilt',
  async () => {
    const r3 = await initedRepo();
    const cache = join(r3.dir, '.git', 'sase', 'cache');
    const [a] = await ok(r3, 'bead-create', ['--title', 'A']);
    // a run claims its bead (and keeps it: --no-close), so each works a child of its own
    const kids: string[] = [];
    for (const n of [1, 2, 3, 4])
      kids.push((await ok(r3, 'bead-create', ['--title', `A.${n}`, '--parent', a!.id]))[0]!.id);
    const [b] = await ok(r3, 'bead-create', ['--title', 'B']);
    const run = async (bead: string, ...extra: string[]) =>
      (
        await ok(r3, 'agent-run', [
          '--provider',
          'example',
          '--bead',
          bead,
          '--no-close',
          '--format',
          'json',
          ...extra,
          'say: hi',
        ])
      )[0]!;
    await run(kids[0]!, '--name', 'x');
    const x2 = await run(a!.id, '--name', 'x'); // the newest of its name: the first is not listed
    const c1 = await run(kids[1]!);
    await run(b!.id); // another bead's
    /** bead show (the real executable) lists these runs, as their records say they are; returns its output */
    const shows = async (ids: string[]) => {
      const records = new Map((await ok(r3, 'agent-list', ['--all', '--format', 'json'])).map((r) => [r.id, r]));
      const shown = saseBin(r3, 'bead-show', [a!.id]);
      assert.is(shown.code, 0, shown.stderr);
      assert.equal(
        shown.records[0]!.runs,
        ids.map((id) => briefOf(records.get(id)!)),
      );
      return shown.stdout;
    };
    await shows([x2.id, c1.id]); // the index made
    await shows([x2.id, c1.id]); // and read, current
    const c2 = await run(kids[2]!);
    await shows([x2.id, c1.id, c2.id]); // brought up to the new tip
    // a run that changes status: waiting (and why), then killed
    const w = await run(kids[3]!, '--wait', `bead:${b!.id}`, '--name', 'w');
    assert.is(w.status, 'waiting');
    await shows([x2.id, c1.id, c2.id, w.id]);
    await ok(r3, 'agent-kill', [w.id]);
    await shows([x2.id, c1.id, c2.id, w.id]);
    assert.is((await ok(r3, 'bead-show', [a!.id]))[0]!.runs[3].status, 'killed');
    // a record changed by hand (a failed run, its error)
    const path = `agents/${c1.id.slice(2, 4)}/${c1.id}.json`;
    const failed = {
      ...JSON.parse(r3.git('cat-file', 'blob', `refs/sase/state:${path}`)),
      status: 'failed',
      error: 'boom',
    };
    writeStateCommit(r3, { [path]: `${JSON.stringify(failed, null, 2)}\n` }, 'sase: by hand\n');
    const before = await shows([x2.id, c1.id, c2.id, w.id]);
    assert.equal((await ok(r3, 'bead-show', [a!.id]))[0]!.runs[1], {
      ...briefOf(failed),
      status: 'failed',
      error: 'boom',
    });
    // deleted, the index is made again from the records: the same output
    rmSync(cache, { recursive: true });
    assert.is(await shows([x2.id, c1.id, c2.id, w.id]), before);
  },
);

t('a damaged run record of the bead is refused as when records were read; gone, the bead shows again', async () => {
  const r5 = await initedRepo();
  const [a] = await ok(r5, 'bead-create', ['--title', 'A']);
  await ok(r5, 'bead-show', [a!.id]); // the index made before the record comes
  const bad = 'agents/zz/r-zzzzzzzz.json';
  writeStateCommit(r5, { [bad]: `{"kind":"agent","id":"r-zzzzzzzz","bead":"${a!.id}"}\n` }, 'sase: by hand\n');
  fails(await sase(r5, 'bead-show', [a!.id]), 128, `fatal: ${bad}: status undefined is unknown`);
  rmSync(join(r5.dir, '.git', 'sase', 'cache'), { recursive: true });
  fails(await sase(r5, 'bead-show', [a!.id]), 128, `fatal: ${bad}: status undefined is unknown`);
  // a record holding another run
  const other = { kind: 'agent', id: 'r-yyyyyyyy', bead: a!.id, status: 'done', provider: 'x', created_at: NOW };
  writeStateCommit(r5, { [bad]: JSON.stringify(other) }, 'sase: by hand\n');
  fails(
    await sase(r5, 'bead-show', [a!.id]),
    128,
    `fatal: state: '${bad}' holds the record of 'r-yyyyyyyy', not of 'r-zzzzzzzz'`,
  );
  writeStateCommit(r5, { [bad]: null }, 'sase: by hand\n');
  assert.equal((await ok(r5, 'bead-show', [a!.id]))[0]!.runs, []);
});

t('a warm bead show with runs starts no git cat-file: their heads come from the index', async () => {
  const r4 = await initedRepo();
  const [a] = await ok(r4, 'bead-create', ['--title', 'A']);
  const [run] = await ok(r4, 'agent-run', [
    '--provider',
    'example',
    '--bead',
    a!.id,
    '--no-close',
    '--format',
    'json',
    'say: hi',
  ]);
  const git = loggingGit(r4);
  rmSync(join(r4.dir, '.git', 'sase', 'cache'), { recursive: true });
  okBin(r4, 'bead-show', [a!.id], { env: git.env });
  assert.ok(
    git.calls().some((c) => c.startsWith('cat-file')),
    'a cold show reads git through the logging git',
  );
  // a cold build mirrors the records it read (the ready beads'); the first show of another bead after it
  // reads its shard's records from git once, into the mirror
  okBin(r4, 'bead-show', [a!.id], { env: git.env });
  assert.ok(git.calls().some((c) => c.startsWith('cat-file')));
  const [shown] = okBin(r4, 'bead-show', [a!.id], { env: git.env });
  assert.equal(
    shown!.runs.map((r: Record<string, any>) => [r.id, r.status]),
    [[run!.id, 'done']],
  );
  assert.equal(
    git.calls().filter((c) => c.startsWith('cat-file')),
    [],
  );
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-show', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.startsWith('usage: sase-bead-show [--stdin] [--format <format>] [--json] [<id>...]\n'), r.stdout);
  assert.match(r.stdout, /--stdin/);
});

t.run();
