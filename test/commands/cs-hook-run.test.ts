import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hooksNotPassing } from '../../src/core/changes/hooks.ts';
import { parseChangeSpec } from '../../src/core/changes/spec.ts';
import { recordCommits } from '../helpers/change-commits.ts';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

const t = suite('cs-hook-run');
const NOW = { SASE_NOW: '2026-11-25T10:00:00Z' };

/** A repository with change 'feat' holding two recorded commits; returns their SHAs. */
async function setup(): Promise<{ repo: TestRepo; shas: string[] }> {
  const repo = await changeRepo({ now: NOW.SASE_NOW });
  const one = commitOn(repo, 'sase/cs/feat', { 'feat.txt': 'one\n' }, 'First');
  const two = commitOn(repo, 'sase/cs/feat', { 'feat.txt': 'two\n' }, 'Second');
  await recordCommits(repo, 'feat', [
    { sha: one, subject: 'First' },
    { sha: two, subject: 'Second' },
  ]);
  return { repo, shas: [one, two] };
}

function stateFile(repo: TestRepo, path: string): string {
  return execFileSync('git', ['show', `refs/sase/state:${path}`], {
    cwd: repo.dir,
    env: repo.env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
}

/** What the user sees of their repository: work tree, HEAD, branches. */
function userView(repo: TestRepo): string {
  return [
    repo.git('status', '--porcelain=v1', '--untracked-files=all'),
    repo.git('rev-parse', 'HEAD'),
    repo.git('symbolic-ref', 'HEAD'),
    repo.git('for-each-ref', 'refs/heads'),
  ].join('\n');
}

function noWorktreeLeft(repo: TestRepo): void {
  const list = repo
    .git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '));
  assert.equal(list.length, 1, `worktrees left: ${list.join(', ')}`);
  const dir = join(repo.dir, '.git', 'sase', 'worktrees');
  assert.equal(existsSync(dir) ? readdirSync(dir) : [], [], 'temporary directories left');
  assert.not.ok(
    existsSync(join(repo.dir, '.git', 'worktrees')) && readdirSync(join(repo.dir, '.git', 'worktrees')).length,
    'worktree admin entries left',
  );
}

/** A process that is gone, or a zombie waiting for a reaper. */
async function processGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    let state: string | null = null;
    try {
      state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? null;
    } catch {
      return true;
    }
    if (state === 'Z' || state === 'X') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

t('passing, failing and advisory hooks: one record per run, drawers and logs in one commit, exit 1', async () => {
  const { repo, shas } = await setup();
  repo.write('README', 'changed by the user\n'); // a dirty work tree stays as it is
  repo.write('untracked.txt', 'mine\n');
  const before = userView(repo);
  await ok(repo, 'cs-hook-add', ['feat', 'cat feat.txt']);
  await ok(repo, 'cs-hook-add', ['feat', 'echo broken >&2; exit 3']);
  await ok(repo, 'cs-hook-add', ['feat', '!false']);
  const tip = repo.git('rev-parse', 'refs/sase/state').trim();
  // through the real executable
  const r = saseBin(repo, 'cs-hook-run', ['feat'], { env: NOW });
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, '');
  assert.equal(
    r.records.map((x) => [
      x.kind,
      x.id,
      x.hook,
      x.command,
      x.blocking,
      x.commit,
      x.sha,
      x.result,
      x.exit_code,
      x.timed_out,
      x.log,
      x.at,
      x.v,
    ]),
    [
      [
        'hook-run',
        'feat#1@2',
        1,
        'cat feat.txt',
        true,
        2,
        shas[1],
        'PASSED',
        0,
        false,
        'changes/feat/hooks/1-2.log',
        NOW.SASE_NOW,
        1,
      ],
      [
        'hook-run',
        'feat#2@2',
        2,
        'echo broken >&2; exit 3',
        true,
        2,
        shas[1],
        'FAILED',
        3,
        false,
        'changes/feat/hooks/2-2.log',
        NOW.SASE_NOW,
        1,
      ],
      [
        'hook-run',
        'feat#3@2',
        3,
        '!false',
        false,
        2,
        shas[1],
        'FAILED',
        1,
        false,
        'changes/feat/hooks/3-2.log',
        NOW.SASE_NOW,
        1,
      ],
    ],
  );
  assert.is(repo.git('rev-list', '--count', `${tip}..refs/sase/state`).trim(), '1', 'all runs in one commit');
  assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), /Sase-Op: \{"op":"cs.hook-run"/);
  const text = storedChange(repo, 'feat')!;
  assert.match(
    text,
    /HOOKS:\n {2}cat feat.txt\n {6}\| \(2\) \[2026-11-25T10:00:00Z\] PASSED \(\d+s\)\n {2}echo broken >&2; exit 3\n {6}\| \(2\) \[2026-11-25T10:00:00Z\] FAILED \(\d+s\)\n {2}!false\n {6}\| \(2\) \[2026-11-25T10:00:00Z\] FAILED \(\d+s\)\n/,
  );
  assert.is(stateFile(repo, 'changes/feat/hooks/1-2.log'), 'two\n', "the hook ran in the change's commit");
  assert.is(stateFile(repo, 'changes/feat/hooks/2-2.log'), 'broken\n[sase] exited with status 3\n');
  assert.is(userView(repo), before, "the user's work tree, HEAD and branches are untouched");
  assert.is(readFileSync(join(repo.dir, 'README'), 'utf8'), 'changed by the user\n');
  noWorktreeLeft(repo);
  await ok(repo, 'fsck', ['--replay']);

  assert.equal(
    hooksNotPassing(parseChangeSpec(text, 'feat')),
    [{ hook: 2, command: 'echo broken >&2; exit 3', result: 'FAILED' }],
    'what blocks submit',
  );

  // a failing advisory hook alone does not make the exit 1
  const advisory = await sase(repo, 'cs-hook-run', ['feat', '--hook', '3'], { env: NOW });
  assert.is(advisory.code, 0, advisory.stderr);
  assert.equal(
    advisory.records.map((x) => [x.id, x.result]),
    [['feat#3@2', 'FAILED']],
  );
});

t('--commit N runs against that commit; a re-run replaces the run for the same commit', async () => {
  const { repo, shas } = await setup();
  await ok(repo, 'cs-hook-add', ['feat', 'cat feat.txt']);
  const [first] = await ok(repo, 'cs-hook-run', ['feat', '--commit', '1'], { env: NOW });
  assert.is(first!.sha, shas[0]);
  assert.is(stateFile(repo, 'changes/feat/hooks/1-1.log'), 'one\n');
  assert.equal(
    hooksNotPassing(parseChangeSpec(storedChange(repo, 'feat')!, 'feat')),
    [{ hook: 1, command: 'cat feat.txt', result: null }],
    'not run against the latest commit',
  );
  await ok(repo, 'cs-hook-run', ['feat'], { env: NOW });
  assert.equal(hooksNotPassing(parseChangeSpec(storedChange(repo, 'feat')!, 'feat')), []);
  await ok(repo, 'cs-hook-run', ['feat'], { env: { SASE_NOW: '2026-11-25T11:00:00Z' } });
  const drawers = storedChange(repo, 'feat')!
    .split('\n')
    .filter((l) => l.startsWith('      | ('));
  assert.equal(
    drawers.map((l) => l.replace(/\(\d+s\)$/, '(Ns)')),
    ['      | (1) [2026-11-25T10:00:00Z] PASSED (Ns)', '      | (2) [2026-11-25T11:00:00Z] PASSED (Ns)'],
  );
  await ok(repo, 'fsck');
});

t(
  'the hook sees SASE_CHANGE, SASE_COMMIT, SASE_COMMIT_SHA, its worktree as cwd, stdin closed; text with quotes and semicolons runs verbatim',
  async () => {
    const { repo, shas } = await setup();
    const hook = `printf '%s|%s|%s\\n' "$SASE_CHANGE" "$SASE_COMMIT" "$SASE_COMMIT_SHA"; echo "a;b" 'c"d' ; pwd | grep -c '/sase/worktrees/' ; git rev-parse HEAD; cat; echo "stdin: $?"`;
    await ok(repo, 'cs-hook-add', ['feat', hook]);
    assert.match(storedChange(repo, 'feat')!, `\n  ${hook}\n`);
    const [run] = await ok(repo, 'cs-hook-run', ['feat', '--commit', '1'], { input: 'not for the hook\n' });
    assert.is(run!.command, hook);
    assert.is(run!.result, 'PASSED');
    assert.is(stateFile(repo, run!.log), `feat|1|${shas[0]}\na;b c"d\n1\n${shas[0]}\nstdin: 0\n`);
    noWorktreeLeft(repo);
  },
);

t('a hanging hook is killed at --timeout with everything it started: FAILED, the log says so', async () => {
  const { repo } = await setup();
  const pids = join(repo.home, 'pids');
  mkdirSync(pids);
  await ok(repo, 'cs-hook-add', [
    'feat',
    'sleep 300 & echo $! > "$PIDS/bg"; echo $$ > "$PIDS/sh"; echo started; sleep 300',
  ]);
  await ok(repo, 'cs-hook-add', ['feat', 'echo next']);
  await ok(repo, 'cs-hook-add', ['feat', 'trap "" TERM; echo $$ > "$PIDS/deaf"; sleep 300']);
  const r = await sase(repo, 'cs-hook-run', ['feat', '--timeout', '1'], { env: { PIDS: pids } });
  assert.is(r.code, 1, r.stderr);
  const [hang, next, deaf] = r.records;
  assert.equal([deaf!.result, deaf!.timed_out], ['FAILED', true], 'a hook that ignores SIGTERM gets SIGKILL');
  assert.is(hang!.result, 'FAILED');
  assert.is(hang!.timed_out, true);
  assert.is(hang!.exit_code, null);
  assert.is(stateFile(repo, hang!.log), "started\n[sase] timed out after 1s; the hook's processes were killed\n");
  assert.is(next!.result, 'PASSED', 'the next hook still runs');
  for (const f of ['sh', 'bg', 'deaf']) {
    const pid = Number(readFileSync(join(pids, f), 'utf8'));
    assert.ok(await processGone(pid), `the hook's ${f} process ${pid} is still running`);
  }
  noWorktreeLeft(repo);
  await ok(repo, 'fsck');
});

t('a background process left by a passing hook does not outlive it', async () => {
  const { repo } = await setup();
  const pids = join(repo.home, 'pids');
  mkdirSync(pids);
  await ok(repo, 'cs-hook-add', ['feat', 'sleep 300 > /dev/null 2>&1 & echo $! > "$PIDS/bg"']);
  const [run] = await ok(repo, 'cs-hook-run', ['feat'], { env: { PIDS: pids } });
  assert.is(run!.result, 'PASSED');
  assert.ok(await processGone(Number(readFileSync(join(pids, 'bg'), 'utf8'))));
});

t('a hook printing megabytes: the log keeps the first and last 512 KiB around a cut line', async () => {
  const { repo } = await setup();
  await ok(repo, 'cs-hook-add', [
    'feat',
    "printf 'BEGIN\\n'; yes 0123456789 | head -c 3000000; printf '\\nEND\\n' >&2",
  ]);
  const [run] = await ok(repo, 'cs-hook-run', ['feat']);
  assert.is(run!.result, 'PASSED');
  assert.is(run!.output_bytes, 3000011);
  const log = stateFile(repo, run!.log);
  assert.ok(log.startsWith('BEGIN\n0123456789\n'));
  assert.ok(log.endsWith('0123456789\n012\nEND\n'));
  assert.match(log, /\n\[\.\.\. 1951435 bytes cut \.\.\.\]\n/);
  assert.ok(Buffer.byteLength(log) < (1 << 20) + 100, `log of ${Buffer.byteLength(log)} bytes`);
  await ok(repo, 'fsck');
});

t('a hook that deletes its worktree, or leaves it dirty: cleaned up, recorded', async () => {
  const { repo } = await setup();
  const before = userView(repo);
  await ok(repo, 'cs-hook-add', ['feat', 'rm -rf "$PWD"; echo gone']);
  await ok(repo, 'cs-hook-add', ['feat', 'echo junk > new.txt; echo x >> feat.txt; git rm -q --cached feat.txt']);
  const runs = await ok(repo, 'cs-hook-run', ['feat']);
  assert.equal(
    runs.map((r) => r.result),
    ['PASSED', 'PASSED'],
  );
  assert.is(stateFile(repo, runs[0]!.log), 'gone\n');
  noWorktreeLeft(repo);
  assert.is(userView(repo), before);
  await ok(repo, 'fsck');
});

t('the change edited while its hooks run: the edit is kept; a hook removed meanwhile is not recorded', async () => {
  const { repo } = await setup();
  await ok(repo, 'cs-hook-add', ['feat', 'sase-cs-hook-add "$SASE_CHANGE" \'echo added\' > /dev/null']);
  await ok(repo, 'cs-hook-add', ['feat', 'sase-cs-hook-rm "$SASE_CHANGE" 1 > /dev/null']);
  const r = await sase(repo, 'cs-hook-run', ['feat']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.records.map((x) => [x.command.slice(0, 18), x.result, x.log]),
    [
      ['sase-cs-hook-add "', 'PASSED', null],
      ['sase-cs-hook-rm "$', 'PASSED', 'changes/feat/hooks/1-2.log'],
    ],
  );
  assert.match(r.stderr, /^warning: the run of hook 'sase-cs-hook-add .* was not recorded/);
  const text = storedChange(repo, 'feat')!;
  assert.match(
    text,
    /HOOKS:\n {2}sase-cs-hook-rm "\$SASE_CHANGE" 1 > \/dev\/null\n {6}\| \(2\) \[[^\]]+\] PASSED \(\d+s\)\n {2}echo added\n(?! {6}\|)/,
  );
  await ok(repo, 'fsck', ['--replay']);
});

t(
  'refusals: no commits recorded, no such commit, hook or change, bad options; nothing stored, no worktree',
  async () => {
    const { repo } = await setup();
    await ok(repo, 'cs-new', ['empty', '--description', 'nothing yet']);
    await ok(repo, 'cs-hook-add', ['empty', 'true']);
    await ok(repo, 'cs-hook-add', ['feat', 'true']);
    const tip = repo.git('rev-parse', 'refs/sase/state').trim();
    const r = await sase(repo, 'cs-hook-run', ['empty']);
    fails(r, 1, "error: change 'empty' has no commits recorded");
    assert.is(r.stderr.split('\n')[1], "hint: run 'sase cs commit empty'");
    fails(
      await sase(repo, 'cs-hook-run', ['feat', '--commit', '3']),
      4,
      "error: change 'feat' has no commit (3) (it has 2)",
    );
    fails(await sase(repo, 'cs-hook-run', ['feat', '--hook', '2']), 4, "error: change 'feat' has no hook 2 (it has 1)");
    fails(await sase(repo, 'cs-hook-run', ['nope']), 4, "error: no change 'nope'");
    fails(
      await sase(repo, 'cs-hook-run', ['feat', '--timeout', '0']),
      129,
      "error: option '--timeout' must be at least 1",
    );
    fails(
      await sase(repo, 'cs-hook-run', ['feat', '--commit', 'x']),
      129,
      "error: option '--commit' expects a whole number, got 'x'",
    );
    fails(
      await sase(repo, 'cs-hook-run', ['Bad/name']),
      129,
      "error: change name 'Bad/name' is not lower-case letters, digits and '_' (at most 100 characters)",
    );
    assert.is(repo.git('rev-parse', 'refs/sase/state').trim(), tip, 'nothing stored');
    noWorktreeLeft(repo);
  },
);

t('a change without hooks runs nothing', async () => {
  const { repo } = await setup();
  const tip = repo.git('rev-parse', 'refs/sase/state').trim();
  assert.equal(await ok(repo, 'cs-hook-run', ['feat']), []);
  assert.is(repo.git('rev-parse', 'refs/sase/state').trim(), tip);
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-hook-run', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--timeout <seconds>/);
});

t.run();
