// Two machines working one epic against one remote, with [sync] claims =
// "remote": the phases count as claimed once the claims are on the remote,
// so the second `bead work` finds them taken and launches nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, waitForRun } from '../helpers/agents.ts';
import { cloneRepo } from '../helpers/gitdir.ts';
import { remoteWithState } from '../helpers/remote.ts';
import { ok, sase } from '../helpers/run.ts';
import { assertFsckOk, stateTip } from '../helpers/state.ts';

const t = suite('bead work, remote claims');

t('two clones work one epic: the second finds its phases claimed on the remote and launches nothing', async () => {
  const { remote, a } = await remoteWithState(() => agentRepo('[sync]\nclaims = "remote"\n'), { sync: false });
  a.write(
    'shared.md',
    '---\ntier: epic\ntitle: Shared\ngoal: both machines see it\nphases:\n  - id: a\n    title: Phase a\n    size: small\n    depends_on: []\n    description: |\n      create a.txt: a\n      commit: a\n---\nThe body.\n',
  );
  await ok(a, 'sdd-put', ['shared.md']);
  await ok(a, 'sdd-approve', ['shared']);
  await ok(a, 'sync');
  const b = cloneRepo(remote.dir);
  b.write('.sase/config.toml', readFileSync(join(a.dir, '.sase', 'config.toml'), 'utf8'));
  await ok(b, 'sync');

  const first = await sase(a, 'bead-work', ['shared', '--detach', '--provider', 'fixture']);
  assert.is(first.code, 0, first.stderr);
  const second = await sase(b, 'bead-work', ['shared', '--detach', '--provider', 'fixture']);
  assert.is(second.code, 3, second.stderr);
  assert.match(second.stderr, /remote 'origin' had it claimed first: .*held by/);
  // b now holds a's runs and claims, none of its own
  const runsA = (await ok(a, 'agent-list', ['--all'])).map((r) => r.id).sort();
  const runsB = (await ok(b, 'agent-list', ['--all'])).map((r) => r.id).sort();
  assert.equal(runsB, runsA);
  await ok(a, 'sync');
  assert.is(stateTip(a), stateTip(b));
  await assertFsckOk(b);

  // both machines dispatch the waiting phase: it starts once, on the one whose dispatch reached the remote first
  const phase = first.records.find((r) => !r.land)!;
  const startedA = await sase(a, 'agent-dispatch');
  assert.is(startedA.code, 0, startedA.stderr);
  const startedB = await sase(b, 'agent-dispatch');
  assert.is(startedB.code, 1, startedB.stderr); // a run that could not be started
  assert.match(startedB.stderr, /cannot start: remote 'origin' had it claimed first/);
  const done = await waitForRun(a, phase.run_id);
  assert.is(done.status, 'done');
  // (b's dispatcher noted why the land run waits, as a's did: that field is said to be overwritten, a warning)
  for (const repo of [a, b, a]) assert.is((await sase(repo, 'sync')).code, 0);
  const seen = (await ok(b, 'agent-show', [phase.run_id]))[0]!;
  assert.equal([seen.status, seen.host], ['done', done.host]);
  assert.is(stateTip(a), stateTip(b));
});

t.run();
