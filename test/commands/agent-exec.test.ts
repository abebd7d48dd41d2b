import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, waitForRun } from '../helpers/agents.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

test('exec refuses a run that is not queued, so no run starts twice', async () => {
  const repo = await agentRepo();
  // the run is supervised by the real executable: agent-run starts bin/sase-agent-exec, detached
  const run = (await ok(repo, 'agent-run', ['--provider', 'fixture', 'say: once']))[0]!;
  // through the real executable
  fails(saseBin(repo, 'agent-exec', [run.id]), 1, `error: run '${run.id}' is done, not queued`);
  const waiting = (
    await ok(repo, 'agent-run', ['--provider', 'fixture', '--detach', '--wait', 'nobody', 'say: hi'])
  )[0]!;
  fails(await sase(repo, 'agent-exec', [waiting.id]), 1, `error: run '${waiting.id}' is waiting, not queued`);
  assert.is((await waitForRun(repo, waiting.id, ['waiting'])).status, 'waiting');
});

test('exec: bad and unknown run ids', async () => {
  const repo = await agentRepo();
  fails(await sase(repo, 'agent-exec', ['nope']), 129, "error: 'nope' is not a run id");
  fails(await sase(repo, 'agent-exec', ['r-00000000']), 4, "error: no run 'r-00000000'");
});

test.run();
