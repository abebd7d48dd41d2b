import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached, script, waitForRun } from '../helpers/agents.ts';
import { ok, okBin, sase } from '../helpers/run.ts';

test('a run killed with SIGKILL is shown dead, then reaped as failed; its bead released, its workspace kept', async () => {
  const repo = await agentRepo();
  const bead = (await ok(repo, 'bead-create', ['--title', 'doomed']))[0]!.id;
  const run = await detached(repo, script('create partial.txt: some work', 'commit: partial', 'hang'), [
    '--bead',
    bead,
  ]);
  const running = await waitForRun(repo, run.id, ['running']);
  // wait until the agent has committed, then kill everything with SIGKILL: nobody records the end
  const deadline = Date.now() + 10_000;
  while (
    Date.now() < deadline &&
    repo.git('rev-list', '--count', `${running.workspace.base}..${running.workspace.branch}`).trim() !== '1'
  )
    await new Promise((r) => setTimeout(r, 50));
  const agentPid = Number(readFileSync(join(repo.dir, '.git', 'sase', 'agents', `${run.id}.pid`), 'utf8'));
  process.kill(running.pid, 'SIGKILL');
  process.kill(-agentPid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  // no reader reports it running now
  const shown = (await ok(repo, 'agent-show', [run.id]))[0]!;
  assert.is(shown.status, 'failed');
  assert.is(shown.dead, true);
  assert.is(shown.recorded_status, 'running');
  assert.equal(await ok(repo, 'agent-list', ['--status', 'running']), []);
  // a dry run records nothing
  const tip = repo.git('rev-parse', 'refs/sase/state');
  // through the real executable
  assert.is(okBin(repo, 'agent-reap', ['--dry-run'])[0]!.id, run.id);
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip);
  const reaped = await ok(repo, 'agent-reap');
  assert.is(reaped.length, 1);
  assert.is(reaped[0]!.status, 'failed');
  assert.match(reaped[0]!.error, `dead: its process (pid ${running.pid}) is gone without a recorded exit`);
  assert.is(reaped[0]!.commits.length, 1, 'the work it committed is recorded');
  const b = (await ok(repo, 'bead-show', [bead]))[0]!;
  assert.is(b.status, 'open');
  assert.is(readFileSync(join(running.workspace.path, 'partial.txt'), 'utf8'), 'some work\n');
  // a second reap finds nothing
  assert.equal(await ok(repo, 'agent-reap'), []);
});

test('reap never touches a live run', async () => {
  const repo = await agentRepo();
  const run = await detached(repo, 'hang');
  await waitForRun(repo, run.id, ['running']);
  assert.equal(await ok(repo, 'agent-reap'), []);
  assert.is((await ok(repo, 'agent-show', [run.id]))[0]!.status, 'running');
  await ok(repo, 'agent-kill', [run.id]);
  assert.is((await sase(repo, 'agent-reap', ['extra'])).code, 129);
});

test.run();
