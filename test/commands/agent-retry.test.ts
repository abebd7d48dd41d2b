import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, script, transcript } from '../helpers/agents.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

// the check passes only once the file has two lines: the first attempt fails, a retry that finds its line passes
const PROMPT = script('append work.txt: one more line', 'run: test "$(wc -l < work.txt)" -ge 2', 'commit: the work');

test('retry runs again in the same workspace, finds the earlier work, and closes the bead', async () => {
  const repo = await agentRepo();
  const bead = (await ok(repo, 'bead-create', ['--title', 'two tries']))[0]!.id;
  const first = await sase(repo, 'agent-run', ['--provider', 'fixture', '--bead', bead, '--name', 'worker', '-'], {
    input: PROMPT,
  });
  assert.is(first.code, 1);
  const failed = first.records[0]!;
  assert.is((await ok(repo, 'bead-show', [bead]))[0]!.status, 'open');
  // through the real executable
  const r = saseBin(repo, 'agent-retry', ['worker']);
  assert.is(r.code, 0, r.stderr);
  const again = r.records[0]!;
  assert.is(again.retry_of, failed.id);
  assert.is(again.name, 'worker');
  assert.is(again.workspace.n, failed.workspace.n);
  assert.is(again.status, 'done');
  assert.is(readFileSync(join(again.workspace.path, 'work.txt'), 'utf8'), 'one more line\none more line\n');
  assert.is((await ok(repo, 'bead-show', [bead]))[0]!.status, 'closed');
  // its prompt told it how the attempt ended, with what it printed last
  const prompt = (await ok(repo, 'agent-show', [again.id, '--prompt']))[0]!.prompt;
  assert.match(prompt, `## An earlier attempt (run ${failed.id}) failed: command exited 1 (exit code 1)`);
  assert.match(prompt, 'command exited 1');
  assert.is((await transcript(repo, again.id))[0]!.env.SASE_BEAD_ID, bead);
  // the name now means the newest attempt
  assert.is((await ok(repo, 'agent-show', ['worker']))[0]!.id, again.id);
});

test('retry of a run that is done or still going is refused', async () => {
  const repo = await agentRepo();
  const done = (await ok(repo, 'agent-run', ['--provider', 'fixture', 'say: fine']))[0]!;
  fails(
    await sase(repo, 'agent-retry', [done.id]),
    1,
    `error: run '${done.id}' is done; there is nothing to retry ('sase agent resume ${done.id}' continues its session)`,
  );
  const waiting = (
    await ok(repo, 'agent-run', ['--provider', 'fixture', '--detach', '--wait', 'nobody', 'say: hi'])
  )[0]!;
  fails(
    await sase(repo, 'agent-retry', [waiting.id]),
    1,
    `error: run '${waiting.id}' is waiting; only an ended run can be retried`,
  );
  fails(await sase(repo, 'agent-retry', ['ghost']), 4, "error: no run 'ghost'");
});

test.run();
