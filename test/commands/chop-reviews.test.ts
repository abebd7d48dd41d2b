import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runChop } from '../../src/app/axe/runner.ts';
import { machineRandom } from '../../src/cli/context.ts';
import { axeConfig, chopConfig } from '../../src/core/axe/config.ts';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { withStore } from '../helpers/notifications.ts';
import { ok, okBin, ROOT, sase, saseBin } from '../helpers/run.ts';

const t = suite('chop-reviews');
const NOW = { SASE_NOW: '2026-11-25T10:00:00Z' };
const GH = join(ROOT, 'test', 'fixtures', 'gh');

const stateTip = (repo: TestRepo) => repo.git('rev-parse', 'refs/sase/state').trim();

interface Github {
  repo: TestRepo;
  env: Record<string, string>;
  /** what `gh pr view` answers from now on */
  view(data: Record<string, unknown>): void;
  /** the argument lists gh was called with */
  calls(): string[][];
}

/** A repository whose change 'feat' is Mailed as pull request github:acme/widgets#7, and a stand-in gh on PATH. */
async function github(): Promise<Github> {
  const repo = await changeRepo({ status: 'Ready', now: NOW.SASE_NOW });
  await ok(repo, 'cs-set', ['feat', '--status', 'Mailed', '--cl', 'github:acme/widgets#7'], { env: NOW });
  const viewFile = join(repo.home, 'view.json');
  const log = join(repo.home, 'gh.log');
  writeFileSync(log, '');
  const g: Github = {
    repo,
    env: { ...NOW, PATH: `${GH}:${repo.env.PATH}`, GH_STUB_VIEW: viewFile, GH_STUB_LOG: log },
    view: (data) => writeFileSync(viewFile, JSON.stringify(data)),
    calls: () =>
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).args),
  };
  g.view({ state: 'OPEN', comments: [], reviews: [] });
  return g;
}

/** One pass of the chop in this process (a run by hand); its result record. */
async function pass(repo: TestRepo, env: Record<string, string>, args: string[] = [], code = 0) {
  const r = await sase(repo, 'chop-reviews', args, { env });
  assert.is(r.code, code, r.stderr + r.stdout);
  assert.is(r.records.length, 1, r.stdout);
  return r.records[0]!;
}

async function show(repo: TestRepo, name: string): Promise<Record<string, any>> {
  return (await ok(repo, 'cs-show', [name, '--json']))[0]!;
}

const notifications = (repo: TestRepo) => ok(repo, 'notify-list', ['--json']);

t('github: review comments land in COMMENTS once (a second poll adds nothing), each new batch told once', async () => {
  const g = await github();
  const { repo, env } = g;
  g.view({
    state: 'OPEN',
    comments: [{ author: { login: 'octocat' }, body: 'Please add a test' }],
    reviews: [
      { author: { login: 'hubot' }, body: '', state: 'APPROVED' },
      { author: { login: 'monalisa' }, body: 'Rename it', state: 'CHANGES_REQUESTED' },
    ],
  });
  const first = await pass(repo, env);
  assert.is(first.status, 'ok', first.summary);
  assert.equal(first.counters, { reviews: 1, comments: 2, submitted: 0, archived: 0, notifications: 1, errors: 0 });
  assert.is(first.summary, '1 review read; 2 new comments');
  assert.equal(g.calls(), [['pr', 'view', '7', '--repo', 'acme/widgets', '--json', 'state,comments,reviews']]);
  assert.equal(
    (await show(repo, 'feat')).comments.map((k: any) => [k.id, k.author, k.path, k.text, k.resolved]),
    [
      [1, 'github:octocat', '-', 'Please add a test', false],
      [2, 'github:monalisa', '-', 'changes requested: Rename it', false],
    ],
  );
  assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), /"op":"notify.create"/);
  assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state~1'), /"op":"cs.comment"/);
  const [n] = await notifications(repo);
  assert.equal(
    [n!.type, n!.severity, n!.about, n!.action, n!.title],
    [
      'change.comments',
      'info',
      [
        { kind: 'change', id: 'feat' },
        { kind: 'comment', id: 'feat#1' },
      ],
      { verb: 'show', target: 'feat' },
      "2 new review comments on change 'feat' from github:octocat, github:monalisa",
    ],
  );
  assert.is(n!.body, '#1 [github:octocat] Please add a test\n#2 [github:monalisa] changes requested: Rename it');

  // polled again, one comment resolved meanwhile: nothing new, nothing written
  await ok(repo, 'cs-resolve', ['feat', 'feat#1']);
  const tip = stateTip(repo);
  const second = await pass(repo, env);
  assert.is(second.status, 'no_op');
  assert.is(second.summary, '1 review read');
  assert.is(stateTip(repo), tip);
  assert.is((await show(repo, 'feat')).comments.length, 2);

  // a later comment: added alone, told as a batch of its own
  g.view({
    state: 'OPEN',
    comments: [
      { author: { login: 'octocat' }, body: 'Please add a test' },
      { author: { login: 'octocat' }, body: 'Thanks!' },
    ],
    reviews: [{ author: { login: 'monalisa' }, body: 'Rename it', state: 'CHANGES_REQUESTED' }],
  });
  const third = await pass(repo, env);
  assert.is(third.counters.comments, 1);
  assert.equal(
    (await show(repo, 'feat')).comments.map((k: any) => k.id),
    [1, 2, 3],
  );
  const all = await notifications(repo);
  assert.equal(all.map((x) => x.about[1].id).sort(), ['feat#1', 'feat#3']);
  await ok(repo, 'fsck');
});

t(
  'github: a merged pull request makes the change Submitted and tells it once; its child loses its PARENT',
  async () => {
    const g = await github();
    const { repo, env } = g;
    await ok(repo, 'cs-new', ['kid', '--description', 'On top', '--parent', 'feat']);
    g.view({ state: 'MERGED', comments: [{ author: { login: 'octocat' }, body: 'LGTM' }], reviews: [] });
    // through the real executable
    const r = saseBin(repo, 'chop-reviews', [], { env });
    assert.is(r.code, 0, r.stderr);
    const [res] = r.records;
    assert.is(res!.status, 'ok');
    assert.equal(res!.counters, { reviews: 1, comments: 1, submitted: 1, archived: 0, notifications: 2, errors: 0 });
    const c = await show(repo, 'feat');
    assert.is(c.status, 'Submitted');
    assert.equal(c.comments.length, 1);
    const text = storedChange(repo, 'feat')!;
    assert.match(text, 'STATUS Mailed -> Submitted');
    assert.match(text, 'SUBMIT github:acme/widgets#7 merged on GitHub (noticed by sase axe)');
    assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state~1'), /"op":"cs.submit"/);
    const kid = await show(repo, 'kid');
    assert.is(kid.parent, null);
    assert.match(storedChange(repo, 'kid')!, 'PARENT feat -> none (feat submitted to main)');
    const notes = await notifications(repo);
    const submitted = notes.find((x) => x.type === 'change.submitted')!;
    assert.equal(
      [submitted.about, submitted.action, submitted.title],
      [
        [{ kind: 'change', id: 'feat' }],
        { verb: 'show', target: 'feat' },
        "change 'feat' was submitted: its review github:acme/widgets#7 landed",
      ],
    );
    assert.ok(notes.some((x) => x.type === 'change.comments'));

    // nothing mailed is left: the next pass is no_op without reading anything
    const calls = g.calls().length;
    const tip = stateTip(repo);
    const next = await pass(repo, env);
    assert.equal([next.status, next.summary], ['no_op', 'no mailed change']);
    assert.is(g.calls().length, calls);
    assert.is(stateTip(repo), tip);
    await ok(repo, 'fsck');
  },
);

t('github: a closed pull request makes the change Archived; a dry run reads but writes nothing', async () => {
  const g = await github();
  const { repo, env } = g;
  g.view({ state: 'CLOSED', comments: [{ author: { login: 'octocat' }, body: 'Not needed' }], reviews: [] });
  const tip = stateTip(repo);
  const dry = await pass(repo, env, ['--dry-run']);
  assert.is(dry.status, 'ok');
  assert.is(dry.summary, 'dry run: 1 review read; would add 1 new comment; would mark 1 archived (closed unmerged)');
  assert.is(stateTip(repo), tip, 'a dry run writes nothing');
  assert.is((await show(repo, 'feat')).status, 'Mailed');

  const res = await pass(repo, env);
  assert.equal([res.counters.archived, res.counters.comments, res.counters.notifications], [1, 1, 1]);
  assert.is((await show(repo, 'feat')).status, 'Archived');
  assert.match(storedChange(repo, 'feat')!, 'CLOSED github:acme/widgets#7 closed on GitHub without a merge');
  assert.equal(
    (await notifications(repo)).map((x) => x.type),
    ['change.comments'],
  );
});

t('github: gh failing makes the pass failed (exit 1) and writes nothing', async () => {
  const g = await github();
  const { repo, env } = g;
  const tip = stateTip(repo);
  const res = await pass(repo, { ...env, GH_STUB_FAIL: 'pr view' }, [], 1);
  assert.is(res.status, 'failed');
  assert.is(
    res.summary,
    "0 reviews read; 'feat' (github:acme/widgets#7): 'gh pr view' failed (exit 1): GraphQL: stub failure for 'pr view' (mergePullRequest)",
  );
  assert.is(res.counters.errors, 1);
  assert.is(stateTip(repo), tip);
});

t('local: a mailed commit that landed on the target branch makes the change Submitted', async () => {
  const repo = await changeRepo({ status: 'Ready', now: NOW.SASE_NOW });
  const tip = commitOn(repo, 'sase/cs/feat', { 'cache.ts': 'x\n' }, 'Add the cache');
  await ok(repo, 'cs-mail', ['feat'], { env: NOW });
  const before = await pass(repo, NOW);
  assert.equal([before.status, before.summary], ['no_op', '1 review read']);
  // landed by hand: main fast-forwarded to the mailed commit
  repo.git('merge', '-q', '--ff-only', tip);
  const res = await pass(repo, NOW);
  assert.is(res.status, 'ok', res.summary);
  assert.equal(res.counters, { reviews: 1, comments: 0, submitted: 1, archived: 0, notifications: 1, errors: 0 });
  assert.is((await show(repo, 'feat')).status, 'Submitted');
  assert.match(
    storedChange(repo, 'feat')!,
    `SUBMIT local:refs/sase/review/feat at ${tip.slice(0, 12)} landed on main (noticed by sase axe)`,
  );
  assert.equal(
    (await notifications(repo)).map((x) => [x.type, x.about]),
    [['change.submitted', [{ kind: 'change', id: 'feat' }]]],
  );
});

t('no mailed change: no_op in the tick process, and as the real executable', async () => {
  const repo = await changeRepo({ now: NOW.SASE_NOW });
  const tip = stateTip(repo);
  const [r] = okBin(repo, 'chop-reviews', []);
  assert.equal([r!.chop, r!.status, r!.summary], ['reviews', 'no_op', 'no mailed change']);
  const { config: axe } = axeConfig(undefined, 'config.toml');
  const out = await withStore(repo, (store) =>
    runChop(store, chopConfig(axe, 'reviews'), {
      lumberjack: 'reviews',
      dryRun: false,
      env: { cwd: repo.dir, env: repo.env, at: NOW.SASE_NOW, random: machineRandom },
      random: machineRandom,
      history: 5,
      startedMs: Date.now(),
    }),
  );
  assert.equal([out.how, out.result.status], ['in-process', 'no_op']);
  assert.is(stateTip(repo), tip);
});

t('--help', async () => {
  const r = await sase(gitdir(), 'chop-reviews', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, 'poll review comments of mailed changes');
});

t.run();
