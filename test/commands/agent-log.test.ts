import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached, script } from '../helpers/agents.ts';
import { ok, sase, saseBin } from '../helpers/run.ts';

test("log prints a finished run's stored log, as the agent wrote it", async () => {
  const repo = await agentRepo();
  const run = (await ok(repo, 'agent-run', ['--provider', 'fixture', 'say: hello log']))[0]!;
  // through the real executable
  const log = saseBin(repo, 'agent-log', [run.id]).stdout;
  const shard = run.id.slice(2, 4);
  assert.is(log, repo.git('cat-file', 'blob', `refs/sase/state:agents/${shard}/${run.id}.log`));
  assert.ok(log.split('\n').some((l) => l.includes('"text":"hello log"')));
  assert.is(run.log_bytes, Buffer.byteLength(log));
});

test('log --follow streams a running run until it ends', async () => {
  const repo = await agentRepo();
  const run = await detached(repo, script('slow 100', 'say: first', 'say: second', 'say: third'));
  const r = await sase(repo, 'agent-log', ['--follow', run.id]);
  assert.is(r.code, 0, r.stderr);
  const said = r.stdout
    .split('\n')
    .filter((l) => l.includes('"type":"say"'))
    .map((l) => JSON.parse(l).text);
  assert.equal(said, ['first', 'second', 'third']);
  assert.ok(r.stdout.includes('"type":"done"'));
  assert.is((await ok(repo, 'agent-show', [run.id]))[0]!.status, 'done');
});

test('log of an unknown run is not found', async () => {
  const repo = await agentRepo();
  assert.is((await sase(repo, 'agent-log', ['r-00000000'])).code, 4);
});

test.run();
