import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, FIXTURE_AGENT, transcript } from '../helpers/agents.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

test("resume runs the provider's resume command with the stored session, in the same workspace", async () => {
  const repo = await agentRepo(`resume = [${JSON.stringify(FIXTURE_AGENT)}, "--resume", "{session}"]\n`);
  const first = (await ok(repo, 'agent-run', ['--provider', 'fixture', '--name', 'chat', 'create a.txt: 1']))[0]!;
  assert.ok(first.session, 'the session the agent reported is recorded');
  // through the real executable
  const r = saseBin(repo, 'agent-resume', ['chat', 'create b.txt: 2\ncommit: both']);
  assert.is(r.code, 0, r.stderr);
  const next = r.records[0]!;
  assert.is(next.resume_of, first.id);
  assert.is(next.session, first.session);
  assert.is(next.workspace.n, first.workspace.n);
  const start = (await transcript(repo, next.id))[0]!;
  assert.is(start.resumed, true);
  assert.equal(start.argv, ['--resume', first.session]);
  // the first run left a.txt uncommitted: sase committed it when it ended; the resumed run commits b.txt
  assert.is(repo.git('show', '--name-only', '--format=', first.commits[0]).trim(), 'a.txt');
  assert.is(next.commits.length, 1);
  assert.is(repo.git('show', '--name-only', '--format=', next.commits[0]).trim(), 'b.txt');
});

test('a custom provider whose resume command uses {model} and {session}: resumed with the model of the run', async () => {
  const repo = await agentRepo(
    `[providers.modeled]\ncommand = [${JSON.stringify(FIXTURE_AGENT)}, "--model", "{model}"]\nresume = [${JSON.stringify(FIXTURE_AGENT)}, "--model", "{model}", "--resume", "{session}"]\n`,
  );
  const first = (
    await ok(repo, 'agent-run', ['--provider', 'modeled', '--model', 'm2', '--name', 'chat', 'say: one'])
  )[0]!;
  assert.is(first.status, 'done');
  const r = await sase(repo, 'agent-resume', ['chat', 'say: two']);
  assert.is(r.code, 0, r.stderr);
  const next = r.records[0]!;
  assert.is(next.status, 'done');
  assert.equal((await transcript(repo, next.id))[0]!.argv, ['--model', 'm2', '--resume', first.session]);
});

test('a provider without a resume command is refused', async () => {
  const repo = await agentRepo();
  const first = (await ok(repo, 'agent-run', ['--provider', 'fixture', 'say: hi']))[0]!;
  fails(
    await sase(repo, 'agent-resume', [first.id]),
    1,
    "error: provider 'fixture' cannot resume a session (it has no resume command)",
  );
});

test.run();
