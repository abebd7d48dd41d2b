import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { storedChange } from '../helpers/changes.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, ROOT, sase } from '../helpers/run.ts';

const t = suite('cs-comment');
const NOW = { SASE_NOW: '2026-11-25T10:00:00Z' };

async function setup(): Promise<TestRepo> {
  return changeRepo({ now: NOW.SASE_NOW });
}

const stateTip = (repo: TestRepo) => repo.git('rev-parse', 'refs/sase/state').trim();

t('adds an open comment with the git identity as author; the record and the text', async () => {
  const repo = await setup();
  const [k] = await ok(
    repo,
    'cs-comment',
    ['feat', '--path', 'src/a.ts', '--line', '42', '--text', 'Path built from an id: check it'],
    { env: NOW },
  );
  assert.equal(k, {
    v: 1,
    kind: 'comment',
    id: 'feat#1',
    change: 'feat',
    n: 1,
    author: 'author@example.com',
    path: 'src/a.ts',
    line: 42,
    text: 'Path built from an id: check it',
    resolved: false,
  });
  // through the real executable
  const [k2] = okBin(repo, 'cs-comment', [
    'feat',
    '--path',
    'README',
    '--text',
    'First line\n\nthird line',
    '--author',
    'mentor:security',
  ]);
  assert.is(k2!.id, 'feat#2');
  assert.is(k2!.line, null);
  assert.match(
    storedChange(repo, 'feat')!,
    'COMMENTS:\n  [author@example.com] src/a.ts:42 Path built from an id: check it - (!: unresolved)\n  [mentor:security] README First line - (!: unresolved)\n      | \n      | third line\n',
  );
  const [shown] = await ok(repo, 'cs-show', ['feat', '--json']);
  assert.is(shown!.unresolved, 2);
  assert.is(shown!.comments[1].text, 'First line\n\nthird line');
  const log = repo.git('log', '-1', '--format=%B', 'refs/sase/state');
  assert.match(log, /"op":"cs.comment"/);
});

t('NDJSON on stdin: options fill in what lines leave out; an open duplicate is not added twice', async () => {
  const repo = await setup();
  const input = [
    JSON.stringify({ path: 'src/a.ts', line: 3, text: 'one', author: 'bot' }),
    '',
    JSON.stringify({ path: 'src/b.ts', text: 'two', line: null }),
  ].join('\n');
  const recs = await ok(repo, 'cs-comment', ['feat', '--author', 'reviewer2'], { input });
  assert.equal(
    recs.map((r) => [r.id, r.author, r.path, r.line, r.text]),
    [
      ['feat#1', 'bot', 'src/a.ts', 3, 'one'],
      ['feat#2', 'reviewer2', 'src/b.ts', null, 'two'],
    ],
  );
  const before = stateTip(repo);
  // the records printed can be piped back in: nothing new
  const again = await ok(repo, 'cs-comment', ['feat', '--stdin'], {
    input: recs.map((r) => JSON.stringify(r)).join('\n'),
  });
  assert.equal(
    again.map((r) => r.id),
    ['feat#1', 'feat#2'],
  );
  assert.is(stateTip(repo), before, 'nothing stored');
  // once resolved, the same finding opens a new comment
  await ok(repo, 'cs-resolve', ['feat', '1']);
  const [k] = await ok(repo, 'cs-comment', ['feat'], {
    input: JSON.stringify({ path: 'src/a.ts', line: 3, text: 'one', author: 'bot' }),
  });
  assert.is(k!.id, 'feat#3');
  // an empty pipe is nothing to do
  const tip = stateTip(repo);
  assert.equal(await ok(repo, 'cs-comment', ['feat'], { input: '' }), []);
  assert.is(stateTip(repo), tip);
});

t('bad input: clear errors, nothing stored', async () => {
  const repo = await setup();
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'cs-comment', ['feat', '--path', 'a b.ts', '--text', 'x']),
    129,
    "error: path 'a b.ts' has whitespace or control characters",
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--path', 'a\tb', '--text', 'x']),
    129,
    "error: path 'a\\tb' has whitespace or control characters",
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--path', 'a.ts', '--text', '  ']),
    129,
    'error: text must not be empty',
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--path', 'a.ts', '--text', 'x\u0007y']),
    129,
    'error: text has control characters',
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--path', 'a.ts', '--line', '0', '--text', 'x']),
    129,
    "error: line '0' is not a positive whole number",
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--path', 'a.ts', '--line', 'x', '--text', 'x']),
    129,
    "error: option '--line' expects a whole number, got 'x'",
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--path', 'a.ts:3', '--text', 'x']),
    129,
    "error: path 'a.ts:3' ends in ':<number>'; give the line with '--line'",
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--path', 'a.ts', '--text', 'x', '--author', 'a]b']),
    129,
    "error: author 'a]b' has whitespace or ']'",
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--text', 'x']),
    129,
    'error: a comment needs a path (\'--path\', or "path" on stdin)',
  );
  fails(
    await sase(repo, 'cs-comment', ['Bad', '--path', 'a', '--text', 'x']),
    129,
    "error: change name 'Bad' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  fails(await sase(repo, 'cs-comment', ['nope', '--path', 'a', '--text', 'x']), 4, "error: no change 'nope'");
  // every stdin line is checked before anything is stored
  const input = [
    JSON.stringify({ path: 'ok.ts', text: 'fine' }),
    JSON.stringify({ path: 'has space', text: 'bad' }),
  ].join('\n');
  fails(
    await sase(repo, 'cs-comment', ['feat'], { input }),
    129,
    "error: stdin:2: path 'has space' has whitespace or control characters",
  );
  fails(
    await sase(repo, 'cs-comment', ['feat'], { input: '{"path":"a","text":"x"}\nnot json\n' }),
    128,
    'fatal: stdin:2: not valid JSON',
  );
  fails(
    await sase(repo, 'cs-comment', ['feat', '--from-review']),
    1,
    "error: change 'feat' has no GitHub review to read comments from (CL: none)",
  );
  assert.is(stateTip(repo), tip, 'nothing stored');
});

t('--from-review reads the pull request through gh and adds only new comments', async () => {
  const repo = await setup();
  await ok(repo, 'cs-set', ['feat', '--cl', 'github:acme/widgets#7']);
  const view = join(repo.home, 'view.json');
  const log = join(repo.home, 'gh.log');
  writeFileSync(
    view,
    JSON.stringify({
      comments: [
        { author: { login: 'octocat' }, body: 'Please add a test\r\nfor the cache', createdAt: '2026-11-25T10:00:00Z' },
        { author: { login: 'octocat' }, body: '' },
      ],
      reviews: [
        { author: { login: 'hubot' }, body: '', state: 'APPROVED' },
        { author: { login: 'monalisa' }, body: 'Rename it', state: 'CHANGES_REQUESTED' },
      ],
    }),
  );
  const env = {
    PATH: `${join(ROOT, 'test', 'fixtures', 'gh')}:${repo.env.PATH}`,
    GH_STUB_VIEW: view,
    GH_STUB_LOG: log,
  };
  const recs = await ok(repo, 'cs-comment', ['feat', '--from-review'], { env });
  assert.equal(
    recs.map((r) => [r.id, r.author, r.path, r.line, r.text]),
    [
      ['feat#1', 'github:octocat', '-', null, 'Please add a test\nfor the cache'],
      ['feat#2', 'github:monalisa', '-', null, 'changes requested: Rename it'],
    ],
  );
  const call = JSON.parse(readFileSync(log, 'utf8').trim().split('\n')[0]!);
  assert.equal(call.args, ['pr', 'view', '7', '--repo', 'acme/widgets', '--json', 'comments,reviews']);
  assert.is(call.prompt_disabled, '1');
  // polled again, after one was resolved: nothing new
  await ok(repo, 'cs-resolve', ['feat', 'feat#1']);
  const tip = stateTip(repo);
  assert.equal(await ok(repo, 'cs-comment', ['feat', '--from-review'], { env }), []);
  assert.is(stateTip(repo), tip);
  // gh failing is a refusal that changes nothing
  fails(
    await sase(repo, 'cs-comment', ['feat', '--from-review'], { env: { ...env, GH_STUB_FAIL: 'pr view' } }),
    1,
    "error: 'gh pr view' failed (exit 1): GraphQL: stub failure for 'pr view' (mergePullRequest)",
  );
  assert.is(stateTip(repo), tip);
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-comment', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--from-review/);
});

t.run();
