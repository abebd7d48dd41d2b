// Two machines working one epic against one remote, with [sync] claims =
// "remote": the phases count as claimed once the claims are on the remote,
// so the second `bead work` finds them taken and launches nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo } from '../helpers/agents.ts';
import { gitdir, repoFrom, scratchDir } from '../helpers/gitdir.ts';
import { ok, sase } from '../helpers/run.ts';
import { assertFsckOk, stateTip } from '../helpers/state.ts';

const t = suite('bead work, remote claims');

t('two clones work one epic: the second finds its phases claimed on the remote and launches nothing', async () => {
  const remote = gitdir({ bare: true });
  // budget 0: the runs wait (nothing launches in the background); the claims are what is tested
  const config = '[sync]\nclaims = "remote"\n[axe]\nmax_agent_runners = 0\n';
  const a = await agentRepo(config);
  a.git('remote', 'add', 'origin', remote.dir);
  a.git('push', '-q', 'origin', 'main');
  a.write(
    'shared.md',
    '---\ntier: epic\ntitle: Shared\ngoal: both machines see it\nphases:\n  - id: a\n    title: Phase a\n    size: small\n    depends_on: []\n    description: |\n      create a.txt: a\n      commit: a\n---\nThe body.\n',
  );
  await ok(a, 'sdd-put', ['shared.md']);
  await ok(a, 'sdd-approve', ['shared']);
  await ok(a, 'sync');
  const dir = join(scratchDir(), 'b');
  execFileSync('git', ['clone', '-q', remote.dir, dir], { env: remote.env });
  const b = repoFrom(dir);
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
});

t.run();
