import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached, script, waitForRun } from '../helpers/agents.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

/** A process that exists and is not a zombie (/proc, where there is one). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

test('kill stops a hanging run, its whole process group, and records it killed; its bead is released', async () => {
  const repo = await agentRepo();
  const bead = (await ok(repo, 'bead-create', ['--title', 'forever']))[0]!.id;
  // the agent starts a child of its own that would outlive a kill of the agent alone
  const run = await detached(repo, script('run: sleep 300 > /dev/null 2>&1 & echo $! > child.pid', 'hang'), [
    '--bead',
    bead,
  ]);
  const running = await waitForRun(repo, run.id, ['running']);
  const pidFile = join(running.workspace.path, 'child.pid');
  const deadline = Date.now() + 10_000;
  while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const child = Number(readFileSync(pidFile, 'utf8').trim());
  assert.ok(alive(child));
  // through the real executable
  const r = okBin(repo, 'agent-kill', [run.id]);
  assert.is(r[0]!.status, 'killed');
  assert.is(r[0]!.error, 'killed');
  const end = await waitForRun(repo, run.id);
  assert.is(end.status, 'killed');
  assert.ok(!alive(running.pid), 'the supervisor is gone');
  const gone = Date.now() + 5000;
  while (alive(child) && Date.now() < gone) await new Promise((res) => setTimeout(res, 50));
  assert.ok(!alive(child), "the agent's own child is gone too");
  const b = (await ok(repo, 'bead-show', [bead]))[0]!;
  assert.is(b.status, 'open');
  assert.match(b.notes, `run ${run.id} killed`);
});

test('kill of a waiting run records it killed at once; of a finished one is refused', async () => {
  const repo = await agentRepo();
  const waiting = await detached(repo, 'say: later', ['--wait', 'nobody']);
  assert.is(waiting.status, 'waiting');
  assert.is((await ok(repo, 'agent-kill', [waiting.id]))[0]!.status, 'killed');
  fails(await sase(repo, 'agent-kill', [waiting.id]), 1, `error: run '${waiting.id}' is killed already`);
  fails(await sase(repo, 'agent-kill', ['r-zzzzzzzz']), 4, "error: no run 'r-zzzzzzzz'");
});

test.run();
