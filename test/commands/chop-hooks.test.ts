import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runChop } from '../../src/app/axe/runner.ts';
import { machineRandom } from '../../src/cli/context.ts';
import { axeConfig, chopConfig } from '../../src/core/axe/config.ts';
import { agentRepo, waitForRun } from '../helpers/agents.ts';
import { recordCommits } from '../helpers/change-commits.ts';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { withStore } from '../helpers/notifications.ts';
import { ok, sase, saseBin } from '../helpers/run.ts';

const t = suite('chop-hooks');
const NOW = { SASE_NOW: '2026-11-25T10:00:00Z' };

const stateTip = (repo: TestRepo) => repo.git('rev-parse', 'refs/sase/state').trim();
const config = (repo: TestRepo, text: string) => appendFileSync(join(repo.dir, '.sase', 'config.toml'), `\n${text}\n`);

/** One pass of the chop in this process (no --context: a run by hand); its result record. */
async function pass(repo: TestRepo, args: string[] = []): Promise<Record<string, any>> {
  const r = await sase(repo, 'chop-hooks', args, { env: NOW });
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.is(r.records.length, 1, r.stdout);
  return r.records[0]!;
}

/** Records the branch's new commits of a change (as sase cs commit does, through the store). */
async function newCommit(repo: TestRepo, name: string, content: string): Promise<string> {
  const sha = commitOn(repo, `sase/cs/${name}`, { [`${name}.txt`]: content }, `Write ${content.trim()}`);
  await recordCommits(repo, name, [{ sha, subject: `Write ${content.trim()}` }]);
  return sha;
}

/** Each hook's runs as "(<commit>) <result>", from the stored change. */
async function hookRuns(repo: TestRepo, name: string): Promise<string[][]> {
  const [c] = await ok(repo, 'cs-show', [name, '--json']);
  return c!.hooks.map((h: any) => h.runs.map((r: any) => `(${r.commit}) ${r.result}`));
}

t(
  'hooks run once on the newest commit: a second pass is no_op and writes nothing; a new commit or hook is run once',
  async () => {
    const repo = await changeRepo({ now: NOW.SASE_NOW });
    await newCommit(repo, 'feat', 'one\n');
    await newCommit(repo, 'feat', 'two\n');
    await ok(repo, 'cs-hook-add', ['feat', 'cat feat.txt']);
    await ok(repo, 'cs-hook-add', ['feat', '!false']);
    // an archived change's hooks never run
    await ok(repo, 'cs-new', ['old', '--description', 'Old']);
    await newCommit(repo, 'old', 'old\n');
    await ok(repo, 'cs-hook-add', ['old', 'true']);
    await ok(repo, 'cs-archive', ['old']);

    const first = await pass(repo);
    assert.equal([first.kind, first.chop, first.status], ['chop_result', 'hooks', 'ok']);
    assert.equal(first.counters, {
      hooks: 2,
      hooks_failed: 1,
      changes: 1,
      skipped: 0,
      mentors: 0,
      notifications: 0,
      errors: 0,
    });
    assert.is(first.summary, 'ran 2 hooks on 1 change (1 failed)');
    // only the newest commit, (2); one operation for both
    assert.equal(await hookRuns(repo, 'feat'), [['(2) PASSED'], ['(2) FAILED']]);
    assert.match(repo.git('show', 'refs/sase/state:changes/feat/hooks/1-2.log'), 'two');
    assert.equal(await hookRuns(repo, 'old'), [[]]);

    const tip = stateTip(repo);
    const second = await pass(repo);
    assert.is(second.status, 'no_op');
    assert.is(second.summary, '1 open change: every hook and mentor has run on its newest commit');
    assert.is(stateTip(repo), tip, 'the second pass wrote nothing');

    // a hook added later runs alone on the newest commit: the others are not run again
    await ok(repo, 'cs-hook-add', ['feat', 'test -f feat.txt']);
    const third = await pass(repo);
    assert.is(third.counters.hooks, 1);
    assert.equal(await hookRuns(repo, 'feat'), [['(2) PASSED'], ['(2) FAILED'], ['(2) PASSED']]);

    // a new commit: every hook once more
    await newCommit(repo, 'feat', 'three\n');
    assert.is((await pass(repo)).counters.hooks, 3);
    assert.equal(await hookRuns(repo, 'feat'), [
      ['(2) PASSED', '(3) PASSED'],
      ['(2) FAILED', '(3) FAILED'],
      ['(2) PASSED', '(3) PASSED'],
    ]);
    const tip2 = stateTip(repo);
    assert.is((await pass(repo)).status, 'no_op');
    assert.is(stateTip(repo), tip2);
    await ok(repo, 'fsck');
  },
);

t('--dry-run and targets: says what is due and writes nothing; targets restrict the pass', async () => {
  const repo = await changeRepo({ now: NOW.SASE_NOW });
  await newCommit(repo, 'feat', 'one\n');
  await ok(repo, 'cs-hook-add', ['feat', 'true']);
  await ok(repo, 'cs-new', ['other', '--description', 'Other']);
  await newCommit(repo, 'other', 'x\n');
  await ok(repo, 'cs-hook-add', ['other', 'true']);
  const tip = stateTip(repo);
  const dry = await pass(repo, ['--dry-run']);
  assert.is(dry.status, 'ok');
  assert.is(dry.summary, 'dry run: would run 2 hooks on 2 changes, launch 0 mentors, send 0 notifications');
  assert.is(stateTip(repo), tip, 'a dry run writes nothing');
  assert.equal(await hookRuns(repo, 'feat'), [[]]);

  const only = await pass(repo, ['other']);
  assert.is(only.counters.hooks, 1);
  assert.equal(await hookRuns(repo, 'feat'), [[]]);
  assert.equal(await hookRuns(repo, 'other'), [['(1) PASSED']]);
  assert.is((await pass(repo, ['other'])).status, 'no_op');
  assert.is((await pass(repo)).counters.hooks, 1);

  // a bad mentor profile is the configuration's problem: check_error (exit 1), nothing written
  config(repo, '[mentors.bad]\nprompt = "x"');
  const tip2 = stateTip(repo);
  const bad = await sase(repo, 'chop-hooks', [], { env: NOW });
  assert.is(bad.code, 1, bad.stderr);
  assert.equal(
    [bad.records[0]!.status, bad.records[0]!.summary],
    [
      'check_error',
      "mentor profiles: .sase/config.toml: 'mentors.bad.paths' is required (globs of the paths it reviews; [] to run it only when named)",
    ],
  );
  assert.is(stateTip(repo), tip2);
});

t('a change whose newest commit is not in this repository is skipped, not a failure', async () => {
  const repo = await changeRepo({ now: NOW.SASE_NOW });
  await recordCommits(repo, 'feat', [{ sha: '4f1c2d9e0a1b2c3d4e5f60718293a4b5c6d7e8f9', subject: 'Made elsewhere' }]);
  await ok(repo, 'cs-hook-add', ['feat', 'true']);
  const tip = stateTip(repo);
  const r = await sase(repo, 'chop-hooks', [], { env: NOW });
  assert.is(r.code, 0, r.stderr);
  assert.equal([r.records[0]!.status, r.records[0]!.summary], ['no_op', '1 change skipped (see the log)']);
  assert.match(
    r.stderr,
    "feat: skipped: commit (1) 4f1c2d9e0a1b2c3d4e5f60718293a4b5c6d7e8f9 of change 'feat' is not in this repository",
  );
  assert.is(stateTip(repo), tip);
});

t('at most [axe] max_hook_runners changes run their hooks at once', async () => {
  const repo = await changeRepo({ now: NOW.SASE_NOW });
  const log = join(repo.home, 'hooks.log');
  const hook = `echo "start $SASE_CHANGE" >> ${log}; sleep 0.3; echo "end $SASE_CHANGE" >> ${log}`;
  const names = ['feat', 'two', 'three'];
  for (const n of names) {
    if (n !== 'feat') await ok(repo, 'cs-new', [n, '--description', n]);
    await newCommit(repo, n, `${n}\n`);
    await ok(repo, 'cs-hook-add', [n, hook]);
  }
  /** The most hooks going at one time, from the log. */
  const most = () => {
    let now = 0;
    let max = 0;
    for (const l of readFileSync(log, 'utf8').trim().split('\n')) {
      now += l.startsWith('start') ? 1 : -1;
      max = Math.max(max, now);
    }
    return max;
  };
  assert.is((await pass(repo)).counters.hooks, 3);
  assert.ok(most() <= 2, readFileSync(log, 'utf8'));
  // one at a time
  config(repo, '[axe]\nmax_hook_runners = 1');
  for (const n of names) await newCommit(repo, n, `${n} again\n`);
  appendFileSync(log, '');
  const before = readFileSync(log, 'utf8').length;
  assert.is((await pass(repo)).counters.hooks, 3);
  const lines = readFileSync(log, 'utf8').slice(before).trim().split('\n');
  assert.equal(
    lines.map((l) => l.split(' ')[0]),
    ['start', 'end', 'start', 'end', 'start', 'end'],
  );
});

// Mentor profiles over the scripted agent (see cs-mentor.test.ts): 'style'
// comments, 'quiet' passes, 'docs' selects nothing here.
const MENTORS = `[agents]
provider = "fixture"

[mentors.style]
paths = ["*.txt"]
prompt = '''
Review the style.
say: {"path":"a.txt","line":1,"text":"needs a header","severity":"warning"}
'''

[mentors.quiet]
paths = ["**/*.txt"]
prompt = "say: looks good to me"

[mentors.docs]
paths = ["docs/**"]
prompt = "say: nothing"
`;

/** Waits until the mentors of a change's commit have ended and their answers are in MENTORS ('(n) profile[1/1]'); fails after 30 s. */
async function mentorsEnded(repo: TestRepo, name: string, commit: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [c] = await ok(repo, 'cs-show', [name, '--json']);
    const entries = c!.mentors.filter((m: any) => m.entry.startsWith(`(${commit}) `));
    if (entries.length && entries.every((m: any) => /\[(\d+)\/\1\]$/.test(m.entry))) {
      for (const m of entries) await waitForRun(repo, /(r-[0-9a-z]{8})$/.exec(m.runs[0])![1]!);
      return;
    }
    if (Date.now() > deadline)
      throw new Error(`the mentors of '${name}' (${commit}) did not end: ${JSON.stringify(entries)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

t('mentors: launched once per newest commit after the hooks pass; a mentor that commented is told once', async () => {
  const repo = await agentRepo(MENTORS);
  await ok(repo, 'cs-new', ['feat', '--description', 'Add a greeting']);
  commitOn(repo, 'sase/cs/feat', { 'a.txt': 'hello\n' }, 'Add a');
  await ok(repo, 'cs-commit', ['feat']);
  await ok(repo, 'cs-hook-add', ['feat', 'test -f a.txt']);
  // a change whose blocking hook fails gets no mentor
  await ok(repo, 'cs-new', ['broken', '--description', 'Broken']);
  commitOn(repo, 'sase/cs/broken', { 'b.txt': 'x\n' }, 'Add b');
  await ok(repo, 'cs-commit', ['broken']);
  await ok(repo, 'cs-hook-add', ['broken', 'false']);

  // through the real executable, with a context as a tick writes it
  const context = await withStore(repo, async (store) => {
    const { prepareContext } = await import('../../src/app/axe/runner.ts');
    return prepareContext(store, 'hooks', {
      lumberjack: 'hooks',
      dryRun: false,
      at: '2026-11-25T10:00:00Z',
      random: machineRandom,
    });
  });
  const contextFile = join(context.result_file, '..', 'context.json');
  const r = saseBin(repo, 'chop-hooks', ['--context', contextFile]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, "broken (1) hook 1 'false': FAILED"); // its log
  const [first] = r.records;
  assert.is(first!.status, 'ok', first!.summary);
  assert.is(first!.run_id, context.run_id);
  assert.equal(first!.counters, {
    hooks: 2,
    hooks_failed: 1,
    changes: 2,
    skipped: 0,
    mentors: 2,
    notifications: 0,
    errors: 0,
  });
  assert.equal(JSON.parse(readFileSync(context.result_file, 'utf8')).counters, first!.counters);
  const [c] = await ok(repo, 'cs-show', ['feat', '--json']);
  assert.equal(
    c!.mentors.map((m: any) => m.entry.replace(/\[\d\/1\]$/, '')),
    ['(1) quiet', '(1) style'],
  );
  await mentorsEnded(repo, 'feat', 1);
  const [b] = await ok(repo, 'cs-show', ['broken', '--json']);
  assert.equal(b!.mentors, []);

  // the mentors ended: none is launched again; the comment is told once
  const second = await pass(repo);
  assert.is(second.status, 'ok', second.summary);
  assert.equal(second.counters, {
    hooks: 0,
    hooks_failed: 0,
    changes: 0,
    skipped: 0,
    mentors: 0,
    notifications: 1,
    errors: 0,
  });
  const notes = await ok(repo, 'notify-list', ['--json']);
  assert.is(notes.length, 1);
  const style = (await ok(repo, 'cs-show', ['feat', '--json']))[0]!.mentors.find((m: any) => m.entry.includes('style'));
  const styleRun = /(r-[0-9a-z]{8})$/.exec(style.runs[0])![1];
  assert.equal(
    [notes[0]!.type, notes[0]!.severity, notes[0]!.about, notes[0]!.action],
    [
      'change.comments',
      'info',
      [
        { kind: 'change', id: 'feat' },
        { kind: 'run', id: styleRun },
      ],
      { verb: 'show', target: 'feat' },
    ],
  );
  assert.is(notes[0]!.title, "mentor 'style' left 1 open comment on change 'feat' (commit 1)");
  const tip = stateTip(repo);
  const third = await pass(repo);
  assert.is(third.status, 'no_op', third.summary);
  assert.is(stateTip(repo), tip);
  assert.is((await ok(repo, 'notify-list', ['--json'])).length, 1);

  // a new commit: its hooks, then its mentors, once
  commitOn(repo, 'sase/cs/feat', { 'a.txt': '# header\nhello\n' }, 'Add a header');
  await ok(repo, 'cs-commit', ['feat']);
  const fourth = await pass(repo);
  assert.equal([fourth.counters.hooks, fourth.counters.mentors], [1, 2]);
  const after = (await ok(repo, 'cs-show', ['feat', '--json']))[0]!;
  assert.is(after.mentors.filter((m: any) => m.entry.startsWith('(2)')).length, 2);
  await mentorsEnded(repo, 'feat', 2);
  // a mentor that ended over a day before it is first seen is history, not news
  const late = await sase(repo, 'chop-hooks', [], { env: { SASE_NOW: '2030-01-01T00:00:00Z' } });
  assert.is(late.records[0]!.status, 'no_op');
  assert.is((await ok(repo, 'notify-list', ['--json'])).length, 1);
  assert.is((await pass(repo)).counters.notifications, 1);
  assert.is((await ok(repo, 'notify-list', ['--json'])).length, 2);
});

t(
  'through the tick runner: nothing due is answered in its process; work runs sase-chop-hooks in a process',
  async () => {
    const repo = await changeRepo({ now: NOW.SASE_NOW });
    await newCommit(repo, 'feat', 'one\n');
    await ok(repo, 'cs-hook-add', ['feat', 'true']);
    const { config: axe } = axeConfig(undefined, 'config.toml');
    const once = () =>
      withStore(
        repo,
        (store) =>
          runChop(store, chopConfig(axe, 'hooks'), {
            lumberjack: 'hooks',
            dryRun: false,
            env: { cwd: repo.dir, env: repo.env, at: NOW.SASE_NOW, random: machineRandom },
            random: machineRandom,
            history: 5,
            startedMs: Date.now(),
          }),
        NOW.SASE_NOW,
      );
    const work = await once();
    assert.equal([work.how, work.result.status, work.result.counters.hooks], ['process', 'ok', 1]);
    assert.ok(existsSync(join(work.dir, 'result.json')));
    const tip = stateTip(repo);
    const idle = await once();
    assert.equal([idle.how, idle.result.status], ['in-process', 'no_op']);
    assert.is(stateTip(repo), tip);
    assert.ok(storedChange(repo, 'feat')!.includes('(1) ['));
  },
);

t('--help', async () => {
  const r = await sase(gitdir(), 'chop-hooks', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: sase-chop-hooks \[--context <file>\] \[--dry-run\]/);
  assert.match(r.stdout, 'run the hooks of changes whose newest commit has no result');
});

t.run();
