import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached } from '../helpers/agents.ts';
import { ok, okBin, sase, tableRows } from '../helpers/run.ts';

test('list shows runs not finished and those ended today; --status and --all filter', async () => {
  const repo = await agentRepo();
  const done = (await ok(repo, 'agent-run', ['--provider', 'fixture', '--name', 'good', 'say: ok']))[0]!;
  const failed = (await sase(repo, 'agent-run', ['--provider', 'fixture', '--name', 'bad', 'fail: no'])).records[0]!;
  const waiting = await detached(repo, 'say: later', ['--name', 'later', '--wait', 'nobody']);
  assert.equal(
    okBin(repo, 'agent-list')
      .map((r) => r.id)
      .sort(),
    [done.id, failed.id, waiting.id].sort(),
  );
  assert.equal(
    (await ok(repo, 'agent-list', ['--status', 'failed'])).map((r) => r.id),
    [failed.id],
  );
  assert.equal(
    (await ok(repo, 'agent-list', ['--status', 'done,waiting'])).map((r) => r.id).sort(),
    [done.id, waiting.id].sort(),
  );
  // a day later only the waiting run is current; --all still has them all
  const tomorrow = { SASE_NOW: new Date(Date.now() + 2 * 86400_000).toISOString() };
  assert.equal(
    (await ok(repo, 'agent-list', [], { env: tomorrow })).map((r) => r.id),
    [waiting.id],
  );
  assert.is((await ok(repo, 'agent-list', ['--all'], { env: tomorrow })).length, 3);
  // newest first (it was oldest first); --sort, --limit, --grep
  assert.equal(
    (await ok(repo, 'agent-list', ['--all'])).map((r) => r.id),
    [waiting.id, failed.id, done.id],
  );
  assert.equal(
    (await ok(repo, 'agent-list', ['--all', '--sort', '-name', '--limit', '2'])).map((r) => r.id),
    [waiting.id, done.id],
  );
  assert.equal(
    (await ok(repo, 'agent-list', ['--all', '--grep', 'BAD'])).map((r) => r.id),
    [failed.id],
  );
  assert.is((await sase(repo, 'agent-list', ['--format', 'id', '--status', 'done'])).stdout, `${done.id}\n`);
  assert.is((await sase(repo, 'agent-list', ['--status', 'sleeping'])).code, 129);
});

test('list on a terminal is a table saying why a run waits or failed', async () => {
  const repo = await agentRepo();
  await sase(repo, 'agent-run', ['--provider', 'fixture', '--name', 'bad', 'fail: no']);
  await detached(repo, 'say: later', ['--name', 'later', '--wait', 'bad']);
  const rows = tableRows((await sase(repo, 'agent-list', ['--format', 'text'])).stdout);
  const byName = Object.fromEntries(rows.map((r) => [r.NAME, r]));
  assert.is(byName.bad!.STATUS, 'failed');
  assert.is(byName.bad!.NOTE, 'no (exit code 1)');
  assert.is(byName.later!.STATUS, 'waiting');
});

test('the table shows short ids, unique among every run, that name the run back', async () => {
  const repo = await agentRepo();
  const run = (await ok(repo, 'agent-run', ['--provider', 'fixture', '--name', 'one', 'say: ok']))[0]!;
  const rows = tableRows((await sase(repo, 'agent-list', ['--format', 'text'])).stdout);
  // r- and the shortest unique prefix of the hash, never under the bead minimum of 4
  assert.equal(
    rows.map((r) => r.ID),
    [run.id.slice(0, 6)],
  );
  assert.is((await ok(repo, 'agent-show', [rows[0]!.ID!]))[0]!.id, run.id);
  // JSON keeps the full id
  assert.is((await ok(repo, 'agent-list'))[0]!.id, run.id);
});

test.run();
