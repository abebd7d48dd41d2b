import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { deadPid, interruptedWorkspace, staleRegistryLock } from '../helpers/leftovers.ts';
import { ok, okBin, sase } from '../helpers/run.ts';
import { beadPathOf, beadRecord, canonical, opMessage, stateTip, writeStateCommit } from '../helpers/state.ts';

const t = suite('fsck');
const T0 = '2026-01-01T00:00:00Z';
const ME = 'author@example.com';
const dep = (id: string) => ({ depends_on_id: id, created_at: T0, created_by: ME });

/** Writes records by hand as an import operation (which replays from the commit's own tree). */
function plant(repo: ReturnType<typeof gitdir>, files: Record<string, string | null>, ids: string[]): string {
  return writeStateCommit(
    repo,
    files,
    opMessage(`import ${ids.length} beads`, { op: 'bead.import', ids, at: T0, actor: ME }),
  );
}

t('a healthy state: one summary record, ok, exit 0', async () => {
  const repo = await initedRepo();
  const [a] = await ok(repo, 'bead-create', ['--title', 'a']);
  const [e] = await ok(repo, 'bead-create', ['--title', 'e', '--tier', 'epic']);
  await ok(repo, 'bead-create', ['--title', 'p', '--type', 'phase', '--parent', e!.id, '--deps', a!.id]);
  await ok(repo, 'bead-close', [a!.id]);
  await ok(repo, 'bead-note', [e!.id, 'n']);
  const tip = stateTip(repo);
  // through the real executable
  assert.equal(okBin(repo, 'fsck'), [
    { v: 1, kind: 'fsck', id: tip, ok: true, tip, beads: 3, operations: 6, problems: 0, warnings: 0 },
  ]);
  assert.equal(await ok(repo, 'fsck', ['--no-replay']), [
    { v: 1, kind: 'fsck', id: tip, ok: true, tip, beads: 3, operations: 0, problems: 0, warnings: 0 },
  ]);
  const id = await sase(repo, 'fsck', ['--format', 'id']);
  assert.is(id.code, 0);
  assert.is(id.stderr, '');
  assert.is(id.stdout, `${tip}\n`);
  const text = await sase(repo, 'fsck', ['--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.is(text.stdout, 'ok: 3 beads, 6 operations replayed, 0 problems\n');
});

t('no state ref: nothing to check, and that passes', async () => {
  const repo = gitdir();
  assert.equal(await ok(repo, 'fsck'), [
    { v: 1, kind: 'fsck', id: null, ok: true, tip: null, beads: 0, operations: 0, problems: 0, warnings: 0 },
  ]);
});

t('exit 1: dangling references and dependency cycles are named, one problem record each', async () => {
  const repo = await initedRepo();
  const recs = [
    beadRecord({ id: 'ts-aa000000', dependencies: [dep('ts-bb000000')] }),
    beadRecord({ id: 'ts-bb000000', dependencies: [dep('ts-aa000000')] }),
    beadRecord({ id: 'ts-cc000000', dependencies: [dep('ts-gone0000')] }),
    beadRecord({ id: 'ts-cc000000.1', parent_id: 'ts-nope0000' }),
  ];
  plant(
    repo,
    Object.fromEntries(recs.map((r) => [beadPathOf(String(r.id)), canonical(r)])),
    recs.map((r) => String(r.id)),
  );
  const tip = stateTip(repo);
  const r = await sase(repo, 'fsck');
  assert.is(r.code, 1);
  assert.is(r.stderr, '');
  const problems = r.records.filter((x) => x.kind === 'problem');
  const sortKey = (p: any) => `${p.check} ${p.message}`;
  assert.equal(
    [...problems].sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : 1)),
    [
      {
        v: 1,
        kind: 'problem',
        check: 'cycle',
        id: problems.find((p) => p.check === 'cycle')!.id,
        message: problems.find((p) => p.check === 'cycle')!.message,
      },
      {
        v: 1,
        kind: 'problem',
        check: 'reference',
        id: 'ts-cc000000',
        message: "'ts-cc000000' depends on 'ts-gone0000', which does not exist",
      },
      {
        v: 1,
        kind: 'problem',
        check: 'reference',
        id: 'ts-cc000000.1',
        message: "'ts-cc000000.1' has parent 'ts-nope0000', which does not exist",
      },
    ],
  );
  const cycle = problems.find((p) => p.check === 'cycle')!;
  assert.ok(['ts-aa000000', 'ts-bb000000'].includes(cycle.id));
  assert.match(cycle.message, /^dependency cycle: ts-(aa|bb)000000 -> ts-(aa|bb)000000 -> ts-(aa|bb)000000$/);
  assert.equal(r.records[r.records.length - 1], {
    v: 1,
    kind: 'fsck',
    id: tip,
    ok: false,
    tip,
    beads: 4,
    operations: 2,
    problems: 3,
    warnings: 0,
  });
  // text: one error line a problem, then the summary
  const text = await sase(repo, 'fsck', ['--format', 'text']);
  assert.is(text.code, 1);
  assert.not.match(text.stdout, /\x1b\[/);
  const lines = text.stdout.trimEnd().split('\n');
  assert.is(lines.length, 4);
  assert.ok(lines.slice(0, 3).every((l) => l.startsWith('error: ')));
  assert.ok(lines.includes("error: 'ts-cc000000' depends on 'ts-gone0000', which does not exist"));
  assert.is(lines[3], '4 beads, 2 operations replayed, 3 problems');
});

t('a reference recorded missing is a warning, not a problem; satisfied, it is not mentioned', async () => {
  const repo = await initedRepo();
  const ext = 'external:gastown:gt-5kjn';
  const recs = [
    beadRecord({
      id: 'ts-mm000000',
      dependencies: [dep('ts-gone0000'), dep('ts-done0000'), dep(ext)],
      missing: ['ts-done0000', 'ts-gone0000'],
      satisfied: [{ ref: 'ts-done0000', satisfied_at: T0, satisfied_by: ME }],
    }),
    beadRecord({ id: 'ts-mm000000.1', parent_id: 'ts-lost0000', missing: ['ts-lost0000'] }),
    beadRecord({ id: 'ts-nn000000', dependencies: [dep('ts-gone0000')] }),
  ];
  plant(
    repo,
    Object.fromEntries(recs.map((r) => [beadPathOf(String(r.id)), canonical(r)])),
    recs.map((r) => String(r.id)),
  );
  const r = await sase(repo, 'fsck');
  assert.is(r.code, 1, 'the unrecorded one is still a problem');
  const key = (x: any) => `${x.kind} ${x.id}`;
  assert.equal(
    r.records.filter((x) => x.kind !== 'fsck').sort((x, y) => (key(x) < key(y) ? -1 : 1)),
    [
      {
        v: 1,
        kind: 'problem',
        check: 'reference',
        id: 'ts-nn000000',
        message: "'ts-nn000000' depends on 'ts-gone0000', which does not exist",
      },
      {
        v: 1,
        kind: 'warning',
        check: 'reference',
        id: 'ts-mm000000',
        message:
          "'ts-mm000000' depends on 'ts-gone0000', which does not exist (recorded missing: it blocks until imported, or 'sase bead dep satisfy ts-mm000000 ts-gone0000')",
      },
      {
        v: 1,
        kind: 'warning',
        check: 'reference',
        id: 'ts-mm000000.1',
        message:
          "'ts-mm000000.1' has parent 'ts-lost0000', which does not exist (recorded missing: it blocks until imported, or 'sase bead dep satisfy ts-mm000000.1 ts-lost0000')",
      },
    ],
  );
  assert.equal(r.records[r.records.length - 1]!.warnings, 2);
  // without the unrecorded one: ok, exit 0, the warnings shown
  await ok(repo, 'bead-rm', ['ts-nn000000']);
  const text = await sase(repo, 'fsck', ['--format', 'text']);
  assert.is(text.code, 0, text.stdout);
  const lines = text.stdout.trimEnd().split('\n');
  assert.equal(
    lines.map((l) => l.split(' ')[0]),
    ['warning:', 'warning:', 'ok:'],
  );
  assert.is(lines[2], 'ok: 2 beads, 3 operations replayed, 0 problems, 2 warnings');
});

t('exit 1: stray files, misplaced and unreadable records, and a log that does not replay', async () => {
  const repo = await initedRepo();
  await ok(repo, 'bead-create', ['--title', 'fine']);
  writeStateCommit(
    repo,
    {
      'junk.txt': 'x\n',
      'beads/zz/ts-aa111111.json': canonical(beadRecord({ id: 'ts-aa111111' })),
      [beadPathOf('ts-bb111111')]: '{"v":1,',
      [beadPathOf('ts-cc111111')]: canonical(beadRecord({ id: 'ts-cc222222' })),
    },
    'sase: by hand\n',
  );
  const tip = stateTip(repo)!;
  const r = await sase(repo, 'fsck');
  assert.is(r.code, 1);
  assert.is(r.stderr, '');
  const problems = r.records.filter((x) => x.kind === 'problem');
  const by = (check: string) =>
    problems
      .filter((p) => p.check === check)
      .map((p) => p.message)
      .sort();
  assert.equal(by('path'), [
    "'beads/zz/ts-aa111111.json' is in the wrong shard for 'ts-aa111111'",
    "unexpected file 'junk.txt' in the state tree",
  ]);
  assert.equal(by('record'), [
    "'beads/cc/ts-cc111111.json' holds the record of 'ts-cc222222', not of 'ts-cc111111'",
    'beads/bb/ts-bb111111.json: not valid JSON',
  ]);
  assert.is(by('log').length, 1);
  assert.ok(by('log')[0]!.startsWith(`${tip.slice(0, 12)}: `), by('log')[0]);
  assert.match(by('log')[0]!, /no Sase-Op trailer in the commit message$/);
  assert.is(by('replay').length, 1);
  assert.match(by('replay')[0]!, /^replaying the log does not rebuild the tip's tree \(differs at /);
  assert.is(problems.find((p) => p.check === 'log')!.commit, tip);
  assert.is(problems.find((p) => p.path === 'junk.txt')!.check, 'path');
  const summary = r.records[r.records.length - 1]!;
  assert.equal([summary.kind, summary.ok, summary.problems], ['fsck', false, problems.length]);
  // --no-replay skips the log checks
  const quick = await sase(repo, 'fsck', ['--no-replay']);
  assert.is(quick.code, 1);
  assert.equal(
    quick.records
      .filter((x) => x.kind === 'problem')
      .map((p) => p.check)
      .sort(),
    ['path', 'path', 'record', 'record'],
  );
});

t(
  'settings.json: the init operation replays it; a second one, a malformed one or a bad operation is a problem',
  async () => {
    const repo = await initedRepo();
    // the first commit holds it, and the replay rebuilds it from the init operation
    assert.equal(await ok(repo, 'fsck', ['--json']).then((r) => [r[0]!.ok, r[0]!.operations]), [true, 1]);
    // an init recording settings on a state that has them does not apply
    const settings = { v: 1, prefix: 'xx', created_at: T0 };
    writeStateCommit(
      repo,
      { 'settings.json': canonical(settings) },
      opMessage('init: record settings.json', { op: 'init', version: '1', at: T0, actor: ME, settings }),
    );
    const tip = stateTip(repo)!;
    const r = await sase(repo, 'fsck');
    assert.is(r.code, 1);
    assert.equal(
      r.records.filter((x) => x.kind === 'problem').map((p) => [p.check, p.message]),
      [
        [
          'log',
          `${tip.slice(0, 12)}: replaying 'init' failed: settings.json exists already: the settings are written once`,
        ],
        ['replay', "replaying the log does not rebuild the tip's tree (differs at settings.json)"],
      ],
    );
    // one that is not settings: a problem of the record, named
    writeStateCommit(repo, { 'settings.json': '{"v":2}\n' }, 'sase: by hand\n');
    const quick = await sase(repo, 'fsck', ['--no-replay']);
    assert.is(quick.code, 1);
    assert.equal(
      quick.records.filter((x) => x.kind === 'problem').map((p) => [p.check, p.path, p.message]),
      [['record', 'settings.json', 'settings.json: unsupported version 2']],
    );
    // an init operation whose settings are malformed
    const other = gitdir();
    writeStateCommit(
      other,
      { VERSION: '1\n', 'settings.json': canonical({ v: 1, prefix: 'Bad', created_at: T0 }) },
      opMessage('init', {
        op: 'init',
        version: '1',
        at: T0,
        actor: ME,
        settings: { v: 1, prefix: 'Bad', created_at: T0 },
      }),
    );
    const bad = await sase(other, 'fsck');
    assert.is(bad.code, 1);
    assert.ok(
      bad.records.some(
        (p) =>
          p.check === 'log' &&
          p.message.endsWith(
            `replaying 'init' failed: malformed operation: 'settings': prefix "Bad" is not lower-case letters, digits, '_' and inner '-'`,
          ),
      ),
      JSON.stringify(bad.records),
    );
  },
);

t('exit 1: an operation of the wrong shape in a commit is a clear problem line, never a leaked TypeError', async () => {
  const repo = await initedRepo();
  const [a] = await ok(repo, 'bead-create', ['--title', 'a']);
  const id = a!.id as string;
  const at = { at: T0, actor: ME };
  const bogus: Array<[Record<string, unknown>, RegExp]> = [
    [{ op: 'bead.update' }, /'bead\.update' .*'ids'/],
    [{ op: 'bead.update', ids: id, set: {}, ...at }, /'ids'/],
    [{ op: 'bead.update', ids: [id], ...at }, /'set'/],
    [{ op: 'bead.update', ids: [id], set: { labels: 'x' }, ...at }, /'set'/],
    [{ op: 'bead.update', ids: [id], set: { priority: '1' }, ...at }, /'set'/],
    [{ op: 'bead.update', ids: [id], set: {}, add_labels: 'x', ...at }, /'add_labels'/],
    [{ op: 'bead.create' }, /'bead'/],
    [{ op: 'bead.create', bead: { id: 5 } }, /'bead'/],
    [{ op: 'bead.close', ids: [1, 2], ...at }, /'ids'/],
    [{ op: 'bead.close', ids: [id], reason: null, resolution: 'maybe', force: false, ...at }, /'resolution'/],
    [{ op: 'bead.note', id: [id], text: 1, ...at }, /'id'/],
    [{ op: 'bead.dep-add', id, ...at }, /'blocker'/],
    [{ op: 'bead.claim', ids: [id], as: null, ...at }, /'as'/],
    [{ op: 'bead.rm', ids: [id], force: 'yes', ...at }, /'force'/],
    [{ op: 'bead.reopen', ids: [id] }, /'at'/],
    [{ op: 'bead.import', ids: 'abc', ...at }, /'ids'/],
    [{ op: 'sdd.status', path: 7, status: 'done', ...at }, /'path'/],
    [{ op: 'sdd.approve', path: 'sdd/tales/x.md', ...at }, /'bead'/],
    [{ op: 'sdd.put', paths: { a: 1 }, ...at }, /'paths'/],
    [{ op: 'cs.set', paths: 'changes/x', ...at }, /'paths'/],
    [{ op: 'bead.frobnicate', ...at }, /unknown operation 'bead\.frobnicate'/],
  ];
  const commits = bogus.map(([op]) => writeStateCommit(repo, {}, opMessage('by hand', op)));
  // ids nested 100,000 deep (written as text: a String() or JSON.stringify of them overflows the stack)
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  for (const [op, key] of [
    ['bead.close', 'ids'],
    ['cs.set', 'paths'],
  ]) {
    const json = `{"op":"${op}","${key}":${deep},"at":"${T0}","actor":"${ME}"}`;
    commits.push(writeStateCommit(repo, {}, `sase: by hand\n\nSase-Op: ${json}\n`));
    bogus.push([{ op }, new RegExp(`'${key}'`)]);
  }
  const r = await sase(repo, 'fsck');
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, '');
  const log = r.records.filter((x) => x.kind === 'problem' && x.check === 'log');
  assert.is(log.length, bogus.length, JSON.stringify(log, null, 1));
  for (const [i, [op, pattern]] of bogus.entries()) {
    const p = log.find((x) => x.commit === commits[i])!;
    assert.ok(p, `a problem for ${JSON.stringify(op)}`);
    assert.match(p.message, pattern, p.message);
    assert.match(p.message, /: malformed operation: |: unknown operation /, p.message);
    assert.not.match(p.message, /undefined|Cannot read|not iterable|is not a function|TypeError|\(reading/, p.message);
  }
  // the log and the other readers of operations still show them
  assert.is((await sase(repo, 'log')).code, 0);
  assert.is((await sase(repo, 'log', ['--id', id])).code, 0);
});

t('exit 1: what killed commands leave outside the state ref is named, with what repairs it', async () => {
  const repo = await initedRepo();
  const main = repo.git('rev-parse', 'main').trim();
  await ok(repo, 'cs-new', ['kept', '--description', 'has its record']);
  // a killed 'sase cs new': the branch made, the record not
  repo.git('branch', 'sase/cs/lost', main);
  // a branch of that kind with work on it
  repo.git('branch', 'sase/cs/worked', main);
  commitOn(repo, 'sase/cs/worked', { 'w.ts': 'w\n' }, 'Work');
  // not a change name: not a branch sase made
  repo.git('branch', 'sase/cs/Not-Ours', main);
  // a killed 'sase ws new': its entry, its branch and a half-made worktree; and the registry lock it held
  const ws = interruptedWorkspace(repo, 1, { worktree: 'half' });
  const lockPid = deadPid();
  const lock = staleRegistryLock(repo, lockPid);
  // one being made right now (its process lives) is not a problem
  interruptedWorkspace(repo, 2, { pid: process.ppid });
  // one a run was making
  const forRun = interruptedWorkspace(repo, 3, { run: 'r-k1ll3d00' });

  const r = await sase(repo, 'fsck');
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, '');
  const problems = r.records.filter((x) => x.kind === 'problem');
  assert.equal(
    problems.map((p) => [p.check, p.path, p.message]),
    [
      [
        'branch',
        'refs/heads/sase/cs/lost',
        "branch 'sase/cs/lost' has no change record and no commits of its own (an interrupted 'sase cs new' leaves that): 'sase doctor --fix' deletes it; 'sase cs new lost --adopt' makes its record",
      ],
      [
        'branch',
        'refs/heads/sase/cs/worked',
        "branch 'sase/cs/worked' has no change record, and 1 commit on no other branch: 'sase doctor --fix' or 'sase cs new worked --adopt' makes its record",
      ],
      [
        'workspace',
        ws.path,
        `workspace #1 ('${ws.path}') was being created by process ${ws.pid}, which is gone (an interrupted 'sase ws new'): 'sase doctor --fix' or 'sase ws clean' removes it, and its branch 'sase/ws/1'`,
      ],
      [
        'workspace',
        forRun.path,
        `workspace #3 ('${forRun.path}') was being created by process ${forRun.pid}, which is gone (run 'r-k1ll3d00', interrupted while it made its workspace): 'sase doctor --fix' or 'sase ws clean' removes it`,
      ],
      [
        'workspace',
        lock,
        `the workspace registry lock '${lock}' is held by process ${lockPid}, which is gone: 'sase doctor --fix' removes it`,
      ],
    ],
  );
  const summary = r.records[r.records.length - 1]!;
  assert.equal([summary.ok, summary.problems], [false, 5]);
  // they are not in the state ref: --no-replay names them as well
  assert.is((await sase(repo, 'fsck', ['--no-replay'])).records.filter((x) => x.kind === 'problem').length, 5);
});

t('usage errors and the outside of a repository', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'fsck', ['--frob']);
  assert.is(r.code, 129);
  assert.is(r.stderr.split('\n')[0], "error: unknown option '--frob'");
  const out = await sase(repo, 'fsck', [], { cwd: repo.home });
  assert.is(out.code, 128);
  assert.is(out.stderr, 'fatal: not a git repository (or any of the parent directories)\n');
});

t('--help exits 0 and prints the usage line', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'fsck', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.startsWith('usage: sase-fsck [--no-replay] [--format <format>] [--json]\n'), r.stdout);
});

t.run();
