import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
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
    "'beads/cc/ts-cc111111.json' holds bead 'ts-cc222222'",
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
  assert.ok(r.stdout.startsWith('usage: sase-fsck [--no-replay]\n'), r.stdout);
});

t.run();
