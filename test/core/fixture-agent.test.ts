// The tests' own scripted agent (test/fixtures/agent/agent): what the agent
// run tests rely on it doing.

import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { ROOT } from '../helpers/run.ts';

const AGENT = join(ROOT, 'test', 'fixtures', 'agent', 'agent');
const t = suite('fixture-agent');

function agent(repo: TestRepo, input: string, args: string[] = [], timeout?: number) {
  const r = spawnSync(AGENT, args, {
    cwd: repo.dir,
    env: { ...repo.env, SASE_RUN: 'r1' },
    input,
    encoding: 'utf8',
    timeout,
  });
  const events = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { code: r.status, signal: r.signal, events, stderr: r.stderr };
}

t('is executable, edits, commits and prints a transcript', () => {
  assert.ok(statSync(AGENT).mode & 0o111);
  const repo = gitdir();
  const r = agent(
    repo,
    'Do it.\nslow 5\ncreate a/x.txt: one\nappend a/x.txt: two\nrun: test -f a/x.txt\nsay: hi\ncommit: add x\n',
    ['--session-id', 's9'],
  );
  assert.is(r.code, 0, r.stderr);
  assert.is(r.events[0].type, 'start');
  assert.is(r.events[0].env.SASE_RUN, 'r1');
  assert.ok(r.events.every((e) => e.session === 's9'));
  assert.is(readFileSync(join(repo.dir, 'a/x.txt'), 'utf8'), 'one\ntwo\n');
  const head = repo.git('rev-parse', 'HEAD').trim();
  assert.equal(r.events.at(-1), { type: 'done', commits: [head], session: 's9' });
  assert.is(repo.git('log', '-1', '--format=%s').trim(), 'add x');
});

t('fails, crashes and hangs on request', () => {
  const repo = gitdir();
  const f = agent(repo, 'create a.txt: 1\nfail: broken\ncreate b.txt: 2\n');
  assert.is(f.code, 1);
  assert.equal(f.events.at(-1)!.message, 'broken');
  assert.is(agent(repo, 'run: exit 2\n').code, 1);
  const c = agent(repo, 'say: before\ncrash\nsay: after\n');
  assert.is(c.signal, 'SIGKILL');
  assert.is(c.events.at(-1)!.action, 'crash');
  const h = agent(repo, 'hang\n', [], 1500);
  assert.is(h.signal, 'SIGTERM');
  assert.is(h.events.at(-1)!.action, 'hang');
  const r = agent(repo, 'say: x\n', ['--resume', 'old']);
  assert.is(r.events[0].resumed, true);
  assert.is(r.events[0].session, 'old');
});

t.run();
