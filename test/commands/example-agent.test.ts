import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseExampleScript } from '../../src/core/agents/example-script.ts';
import { argvFor, builtinProviders } from '../../src/core/agents/providers.ts';
import { gitdir, scratchDir } from '../helpers/gitdir.ts';
import { sase, saseBin } from '../helpers/run.ts';

const t = suite('example-agent');

t('parses instruction lines; anything else is reported as ignored', () => {
  const steps = parseExampleScript(
    'Please do this:\n  create a/b.txt: x\\ny\nappend ./a//b.txt: z\nrun: echo hi\ncommit: msg\nsleep 1.5\nsay: hello\nfail: no\n\n',
  );
  assert.equal(
    steps.map((s) => s.action),
    ['say', 'create', 'append', 'run', 'commit', 'sleep', 'say', 'fail'],
  );
  assert.equal(steps[0], { line: 1, action: 'say', text: 'ignored: Please do this:', ignored: true });
  assert.equal(steps[1], { line: 2, action: 'create', path: 'a/b.txt', text: 'x\ny' });
  assert.equal(steps[2], { line: 3, action: 'append', path: 'a/b.txt', text: 'z' });
  assert.equal(steps[5], { line: 6, action: 'sleep', seconds: 1.5 });
  for (const bad of [
    'create ../x: y',
    'create /etc/passwd: y',
    'append a/../../x: y',
    'create .git/config: y',
    'sleep 99999',
  ]) {
    assert.throws(
      () => parseExampleScript(bad),
      (e: any) => e.exitCode === 129,
      bad,
    );
  }
});

t('the example provider runs this executable with its session', () => {
  const p = builtinProviders().get('example')!;
  assert.ok(p.example);
  assert.equal(argvFor(p, { session: 's1' }), ['sase-example-agent', '--session', 's1']);
  assert.equal(argvFor(p, { session: 's1' }, { resume: true }), ['sase-example-agent', '--resume', 's1']);
});

t('creates, appends, runs and commits in the folder it runs in; prints an NDJSON transcript', async () => {
  const repo = gitdir();
  const prompt =
    'Work on the notes.\ncreate docs/notes.md: # Notes\\nfirst\nappend docs/notes.md: second\nrun: cat docs/notes.md\nsay: all written\ncommit: add notes\ncommit: nothing left\n';
  // through the real executable
  const r = saseBin(repo, 'example-agent', ['--session', 'sess-1'], { input: prompt });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.ok(r.records.every((e) => e.session === 'sess-1'));
  assert.equal(
    r.records.map((e) => e.type),
    ['start', 'say', 'step', 'step', 'step', 'say', 'step', 'step', 'done'],
  );
  assert.equal(r.records[0], { type: 'start', session: 'sess-1', example: true, resumed: false, steps: 6 });
  assert.is(r.records[1]!.text, 'ignored: Work on the notes.');
  assert.is(readFileSync(join(repo.dir, 'docs/notes.md'), 'utf8'), '# Notes\nfirst\nsecond\n');
  assert.is(r.records[4]!.output, '# Notes\nfirst\nsecond\n');
  assert.is(r.records[4]!.exit_code, 0);
  const head = repo.git('rev-parse', 'HEAD').trim();
  assert.is(r.records[6]!.commit, head);
  assert.is(r.records[7]!.commit, null);
  assert.equal(r.records[8], { type: 'done', session: 'sess-1', steps: 6, commits: [head] });
  assert.is(repo.git('log', '-1', '--format=%s').trim(), 'add notes');
  assert.is(repo.git('status', '--porcelain'), '');
});

t('--resume says so; with no session one is made up', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'example-agent', ['--resume', 'old-1'], { input: 'say: again\n' });
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.records[0]!.resumed, true);
  assert.equal(r.records[1], { type: 'say', session: 'old-1', text: 'resuming session old-1' });
  const fresh = await sase(repo, 'example-agent', [], { input: '' });
  assert.is(fresh.code, 0, fresh.stderr);
  assert.match(fresh.records[0]!.session, /^example-[0-9a-f]{16}$/);
  assert.is(fresh.records.at(-1)!.type, 'done');
});

t('noop: ends the output with the no-change marker, after the done event', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'example-agent', [], { input: 'noop: already right\nsay: checked\n' });
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.records[1], {
    type: 'step',
    session: r.records[0]!.session,
    line: 1,
    action: 'noop',
    reason: 'already right',
  });
  assert.is(r.records.at(-2)!.type, 'done');
  assert.equal(r.records.at(-1), { sase: 'noop', reason: 'already right' });
  // without a noop: line, done is the last line
  assert.is((await sase(repo, 'example-agent', [], { input: 'say: x\n' })).records.at(-1)!.type, 'done');
});

t('fail: and a failing command stop the run with exit 1 and an error event', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'example-agent', ['--session', 's'], {
    input: 'create a.txt: 1\nfail: cannot go on\ncreate b.txt: 2\n',
  });
  assert.is(r.code, 1);
  assert.is(r.stderr.split('\n')[0], 'error: cannot go on');
  assert.equal(r.records.at(-1), { type: 'error', session: 's', line: 2, message: 'cannot go on' });
  assert.ok(existsSync(join(repo.dir, 'a.txt')));
  assert.not.ok(existsSync(join(repo.dir, 'b.txt')));
  const c = await sase(repo, 'example-agent', ['--session', 's'], { input: 'run: echo out; exit 3\ncommit: never\n' });
  assert.is(c.code, 1);
  assert.is(c.records[1]!.exit_code, 3);
  assert.is(c.records[1]!.output, 'out\n');
  assert.is(c.records.at(-1)!.type, 'error');
  assert.is(repo.git('log', '--format=%s').trim(), 'initial');
});

t('paths outside the folder are refused with 129 before anything is done', async () => {
  const repo = gitdir();
  for (const bad of [
    'create ../escape.txt: x',
    'create /tmp/escape.txt: x',
    'append sub/../../escape.txt: x',
    'create .git/hooks/pre-commit: x',
  ]) {
    const r = await sase(repo, 'example-agent', [], { input: `create first.txt: x\n${bad}\n` });
    assert.is(r.code, 129, bad);
    assert.is(r.stdout, '');
    assert.not.ok(existsSync(join(repo.dir, 'first.txt')), bad);
  }
  assert.not.ok(existsSync(join(repo.dir, '..', 'escape.txt')));
  // a symbolic link that leads out is refused too
  const outside = scratchDir('sase-out-');
  symlinkSync(outside, join(repo.dir, 'out'));
  const r = await sase(repo, 'example-agent', [], { input: 'create out/x.txt: x\n' });
  assert.is(r.code, 129);
  assert.not.ok(existsSync(join(outside, 'x.txt')));
  assert.is((await sase(repo, 'example-agent', ['--session', '../x'])).code, 129);
  assert.is((await sase(repo, 'example-agent', ['extra'])).code, 129);
});

t('--help labels it as an example agent', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'example-agent', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, 'EXAMPLE agent');
  assert.match(r.stdout, 'no model');
});

t.run();
