import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached, script } from '../helpers/agents.ts';
import { ok, sase, saseBin } from '../helpers/run.ts';
import { withScreen } from '../helpers/tmux.ts';

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

test('log -f on a terminal is readable, as the log of an ended run is (once: raw JSON events); --raw keeps them', async () => {
  const repo = await agentRepo();
  const run = await detached(repo, script('slow 300', 'say: first words', 'create notes.md: hi', 'say: last words'));
  await withScreen(repo, async (tm) => {
    tm.type(`sase-agent-log -f ${run.id}`);
    tm.keys('Enter');
    // followed live to its end, the events rendered as they come
    const screen = await tm.waitFor(/· done/);
    assert.match(screen, /^first words$/m);
    assert.match(screen, /^→ create notes\.md$/m);
    assert.match(screen, /^last words$/m);
    assert.not.match(screen, /"type":/);
    // the same run ended: the stored log, rendered the same way; --raw prints it as it is
    tm.keys('clear', 'Enter');
    tm.type(`sase-agent-log ${run.id}; sase-agent-log --raw ${run.id} | tail -1`);
    tm.keys('Enter');
    const after = await tm.waitFor(/"type":"done"/);
    assert.match(after, /^first words$/m);
    assert.match(after, /^· done$/m);
  });
  // on a pipe, the bytes as the agent wrote them
  assert.match(saseBin(repo, 'agent-log', ['-f', run.id]).stdout, '"text":"first words"');
});

test('log of an unknown run is not found', async () => {
  const repo = await agentRepo();
  assert.is((await sase(repo, 'agent-log', ['r-00000000'])).code, 4);
});

test.run();
