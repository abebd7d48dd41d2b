import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('log');
const ME = 'author@example.com';
const at = (s: number) => `2026-01-01T00:00:0${s}Z`;
const env = (s: number) => ({ SASE_NOW: at(s) });

// six operations, each at its own pinned time
const repo = gitdir();
await ok(repo, 'init', ['--prefix', 'ts'], { env: env(0) });
const [A] = await ok(repo, 'bead-create', ['--title', 'Alpha'], { env: env(1) });
const [B] = await ok(repo, 'bead-create', ['--title', 'Beta'], { env: env(2) });
await ok(repo, 'bead-close', [A!.id], { env: env(3) });
await ok(repo, 'bead-dep-add', [B!.id, A!.id], { env: env(4) });
await ok(repo, 'bead-claim', [B!.id, '--as', 'w1'], { env: env(5) });
const commits = repo.git('rev-list', 'refs/sase/state').trim().split('\n'); // newest first

function op(i: number, name: string, subjects: string[], summary: string) {
  const commit = commits[commits.length - 1 - i]!;
  return { v: 1, kind: 'op', id: commit, op: name, subjects, summary, actor: ME, at: at(i), commit };
}

const ALL = [
  op(5, 'bead.claim', [B!.id], `claim ${B!.id}`),
  op(4, 'bead.dep-add', [B!.id, A!.id], `dep add ${B!.id} -> ${A!.id}`),
  op(3, 'bead.close', [A!.id], `close ${A!.id}`),
  op(2, 'bead.create', [B!.id], `create ${B!.id} "Beta"`),
  op(1, 'bead.create', [A!.id], `create ${A!.id} "Alpha"`),
  op(0, 'init', [], 'init'),
];

t('one record an operation, newest first: what, to which records, by whom, when', async () => {
  assert.is(commits.length, 6);
  // through the real executable
  assert.equal(okBin(repo, 'log'), ALL);
});

t('--reverse is oldest first; --limit counts after ordering', async () => {
  assert.equal(await ok(repo, 'log', ['--reverse']), [...ALL].reverse());
  assert.equal(await ok(repo, 'log', ['--limit', '2']), ALL.slice(0, 2));
  assert.equal(await ok(repo, 'log', ['--reverse', '--limit', '2']), [ALL[5], ALL[4]]);
  assert.equal(await ok(repo, 'log', ['--limit', '0']), []);
});

t('--op and --id filter (full id, prefix, or the hash part)', async () => {
  assert.equal(await ok(repo, 'log', ['--op', 'bead.create']), [ALL[3], ALL[4]]);
  assert.equal(await ok(repo, 'log', ['--op', 'init']), [ALL[5]]);
  assert.equal(await ok(repo, 'log', ['--op', 'bead.rm']), []);
  const lifeOfA = [ALL[1], ALL[2], ALL[4]];
  assert.equal(await ok(repo, 'log', ['--id', A!.id]), lifeOfA);
  assert.equal(await ok(repo, 'log', ['--id', A!.short_id]), lifeOfA);
  assert.equal(await ok(repo, 'log', ['--id', A!.id.slice(3, 8)]), lifeOfA);
  assert.equal(await ok(repo, 'log', ['--id', A!.id, '--op', 'bead.close']), [ALL[2]]);
  assert.equal(await ok(repo, 'log', ['--id', A!.id, '--reverse', '--limit', '1']), [ALL[4]]);
});

t('--format id prints the commits; --format text one plain line each', async () => {
  const r = await sase(repo, 'log', ['--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, commits.join('\n') + '\n');
  const text = await sase(repo, 'log', ['--format', 'text', '--limit', '2']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.is(
    text.stdout,
    `${commits[0]!.slice(0, 10)} ${at(5)} ${ME} claim ${B!.id}\n${commits[1]!.slice(0, 10)} ${at(4)} ${ME} dep add ${B!.id} -> ${A!.id}\n`,
  );
});

t('an init in another time zone is still logged in UTC', async () => {
  const r2 = gitdir();
  await ok(r2, 'init', [], { env: { TZ: 'Asia/Kolkata', SASE_NOW: '2026-06-01T12:00:00Z' } });
  const [rec] = await ok(r2, 'log', [], { env: { TZ: 'Asia/Kolkata' } });
  assert.is(rec!.at, '2026-06-01T12:00:00Z');
});

t('no state: an empty log, exit 0', async () => {
  const empty = gitdir();
  const r = await sase(empty, 'log');
  assert.is(r.code, 0);
  assert.is(r.stdout, '');
  assert.is(r.stderr, '');
});

t('usage errors and the outside of a repository', async () => {
  fails(
    await sase(repo, 'log', ['--limit', 'many']),
    129,
    "error: option '--limit' expects a whole number, got 'many'",
  );
  fails(await sase(repo, 'log', ['extra']), 129, "error: unexpected argument 'extra'");
  fails(
    await sase(repo, 'log', [], { cwd: repo.home }),
    128,
    'fatal: not a git repository (or any of the parent directories)',
  );
});

t(
  "a change's comments are subjects as <change>#<n>: --id finds a resolve, and reads every operation's subjects as text",
  async () => {
    const change = await changeRepo();
    await ok(change, 'cs-comment', ['feat', '--path', 'a.ts', '--text', 'first']);
    await ok(change, 'cs-comment', ['feat', '--path', 'a.ts', '--text', 'second']);
    await ok(change, 'cs-resolve', ['feat', '1', '2']);
    const [resolve] = await ok(change, 'log', ['--op', 'cs.resolve']);
    assert.equal(resolve!.subjects, ['feat#1', 'feat#2']);
    // a numbered id used to stop --id with a TypeError
    assert.equal(
      (await ok(change, 'log', ['--id', 'feat#2'])).map((r) => r.op),
      ['cs.resolve'],
    );
    assert.equal(await ok(change, 'log', ['--id', 'nothing-like-it']), []);
  },
);

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'log', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-log [--limit <n>] [--id <id>] [--op <op>] [--reverse] [--format <format>] [--json]\n',
    ),
    r.stdout,
  );
});

t.run();
