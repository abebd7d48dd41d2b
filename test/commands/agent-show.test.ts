import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo } from '../helpers/agents.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { canonical, STATE, writeStateCommit } from '../helpers/state.ts';

test('show finds a run by id, by a prefix of its id and by name (the newest of that name)', async () => {
  const repo = await agentRepo();
  const a = (await ok(repo, 'agent-run', ['--provider', 'fixture', '--name', 'twice', 'say: one']))[0]!;
  const b = (await ok(repo, 'agent-run', ['--provider', 'fixture', '--name', 'twice', 'say: two']))[0]!;
  // through the real executable
  assert.is(okBin(repo, 'agent-show', [a.id])[0]!.id, a.id);
  assert.is((await ok(repo, 'agent-show', ['twice']))[0]!.id, b.id);
  const prefix = a.id.slice(0, 7);
  if (!b.id.startsWith(prefix)) assert.is((await ok(repo, 'agent-show', [prefix]))[0]!.id, a.id);
  // the part after 'r-' alone, as a bead's short form without its prefix (it used to be no run)
  const bare = a.id.slice(2, 6);
  if (!b.id.startsWith(`r-${bare}`)) assert.is((await ok(repo, 'agent-show', [bare]))[0]!.id, a.id);
  // a run whose id shares the start of a's: the start is ambiguous, named as typed
  const twin = `${a.id.slice(0, 5)}${a.id[5] === 'z' ? 'y' : 'z'}${a.id.slice(6)}`;
  const record = JSON.parse(repo.git('cat-file', 'blob', `${STATE}:agents/${a.id.slice(2, 4)}/${a.id}.json`));
  writeStateCommit(
    repo,
    { [`agents/${twin.slice(2, 4)}/${twin}.json`]: canonical({ ...record, id: twin, name: null }) },
    'sase: by hand\n',
  );
  const candidates = [a.id, b.id, twin]
    .filter((id) => id.startsWith(a.id.slice(0, 5)))
    .sort()
    .join(', ');
  for (const typed of [a.id.slice(2, 5), a.id.slice(0, 5)])
    fails(await sase(repo, 'agent-show', [typed]), 129, `error: short id '${typed}' is ambiguous: ${candidates}`);
  const shown = (await ok(repo, 'agent-show', [a.id, '--prompt']))[0]!;
  assert.is(shown.prompt, 'say: one\n');
  assert.is(shown.kind, 'agent');
  assert.is(shown.v, 1);
});

test('show on a terminal is a card; unknown runs are not found', async () => {
  const repo = await agentRepo();
  const a = (
    await ok(repo, 'agent-run', ['--provider', 'fixture', '--name', 'card', 'create x.txt: 1\ncommit: x'])
  )[0]!;
  const text = (await sase(repo, 'agent-show', ['card', '--format', 'text', '--prompt'])).stdout;
  assert.match(text, `card (${a.id})  done`);
  assert.match(text, 'workspace  #1 ');
  assert.match(text, 'commits    1');
  assert.match(text, 'create x.txt: 1');
  fails(await sase(repo, 'agent-show', ['nobody']), 4, "error: no run 'nobody'");
  assert.is((await sase(repo, 'agent-show', [])).code, 129);
});

test("show gives the real reason a run failed: the agent's last error line, not only 'exit code 1'", async () => {
  // an agent CLI that says why on stderr, among other output, then exits 1
  const said =
    "echo 'reading the prompt'; echo 'Error: invalid API key (401)' >&2; echo 'see https://example.com/help'; exit 1";
  const repo = await agentRepo(`[providers.broken]\ncommand = ["sh", "-c", ${JSON.stringify(said)}]\n`);
  const r = await sase(repo, 'agent-run', ['--provider', 'broken', '--name', 'nokey', 'do it']);
  assert.is(r.code, 1);
  const shown = (await ok(repo, 'agent-show', ['nokey']))[0]!;
  assert.is(shown.status, 'failed');
  assert.is(shown.exit_code, 1);
  assert.is(shown.error, 'Error: invalid API key (401) (exit code 1)');
  const card = (await sase(repo, 'agent-show', ['nokey', '--format', 'text'])).stdout;
  assert.match(card, 'error      Error: invalid API key (401) (exit code 1)');
  // an agent that prints events: its error event (the example agent's, from a failed command)
  const ex = await sase(repo, 'agent-run', ['--provider', 'example', '--name', 'ex', 'run: exit 3']);
  assert.is(ex.code, 1);
  assert.match((await ok(repo, 'agent-show', ['ex']))[0]!.error, /^error: line 1: command exited 3 \(exit code 1\)$/);
});

test.run();
