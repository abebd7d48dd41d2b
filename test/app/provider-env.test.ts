// A provider's env (e.g. IS_SANDBOX=1, without which claude will not start as
// root in a container) reaches the agent's process, over sase's environment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached, script, transcript, waitForRun } from '../helpers/agents.ts';
import { sase } from '../helpers/run.ts';

test("[providers.<name>] env is the agent's environment, over sase's own", async () => {
  const repo = await agentRepo('env = { IS_SANDBOX = "1", SASE_TEST_GREETING = "from the provider" }\n');
  const run = await detached(repo, script('run: printf "%s|%s" "$IS_SANDBOX" "$SASE_TEST_GREETING"'));
  await waitForRun(repo, run.id);
  const step = (await transcript(repo, run.id)).find((e) => e.type === 'step' && e.action === 'run');
  assert.is(step?.output, '1|from the provider');
});

test('a provider env that is not a table of strings is refused with its key (fatal, 128)', async () => {
  const repo = await agentRepo('env = { IS_SANDBOX = 1 }\n');
  const r = await sase(repo, 'agent-run', ['--provider', 'fixture', '-'], { input: 'say: hi\n' });
  assert.is(r.code, 128, r.stderr);
  assert.match(r.stderr, "'providers.fixture.env.IS_SANDBOX' must be a string");
});

test.run();
