// A sync SIGKILLed at random moments (fetching, replaying, moving our ref,
// pushing; sase alone or with its git children) leaves our state ref valid
// and the remote's either where it was or where the sync was taking it,
// never broken; the next sync converges and loses nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { prng, removeGitLocks, startAndKill } from '../helpers/kill.ts';
import { remoteTip, remoteWithState, syncedClone } from '../helpers/remote.ts';
import { ok, saseBin } from '../helpers/run.ts';
import { assertFsckOk, stateTip } from '../helpers/state.ts';

const t = suite('sync crash safety');

const titles = async (repo: TestRepo) =>
  (await ok(repo, 'bead-list', ['--status', 'all'])).map((b) => b.title as string).sort();

t('a sync killed at any moment: our ref valid, the remote before or after, the next sync converges', async () => {
  const seed = Number(process.env.SASE_TEST_SEED ?? 20261202);
  const rand = prng(seed);
  const { remote, a } = await remoteWithState(initedRepo);
  const b = await syncedClone(remote);
  // how long an unhindered diverged sync takes here
  await ok(a, 'bead-create', ['--title', 'calibration a']);
  await ok(b, 'bead-create', ['--title', 'calibration b']);
  await ok(a, 'sync');
  const started = Date.now();
  saseBin(b, 'sync');
  const span = Math.max(50, Date.now() - started);
  await ok(a, 'sync');
  const kills = Number(process.env.SASE_TEST_KILLS ?? 8);
  for (let i = 0; i < kills; i++) {
    await ok(a, 'bead-create', ['--title', `a ${i}`]);
    await ok(a, 'sync');
    await ok(b, 'bead-create', ['--title', `b ${i}`]);
    const remoteBefore = remoteTip(remote);
    const oursBefore = stateTip(b);
    const delay = Math.floor(rand() * span * 1.2);
    const group = rand() < 0.5;
    const res = await startAndKill(b, 'sync', [], delay, '', group);
    const where = `kill ${i} (seed ${seed}, after ${delay} ms of ${span}${group ? ', with git' : ''}, ${res.signal ?? `exit ${res.code}`})`;
    removeGitLocks(b);
    // ours: where it was, or the replayed tip; whole either way
    const ours = stateTip(b);
    assert.ok(
      ours === oursBefore || b.git('merge-base', '--is-ancestor', remoteBefore, ours!) === '',
      `${where}: our ref moved somewhere else`,
    );
    await assertFsckOk(b, where);
    // the remote's: where it was, or our new tip; its objects whole
    const now = remoteTip(remote);
    assert.ok(now === remoteBefore || now === ours, `${where}: the remote moved to ${now}`);
    remote.git('fsck', '--connectivity-only', '--no-dangling', '--no-progress');
    // the next sync finishes the job
    const again = saseBin(b, 'sync');
    assert.is(again.code, 0, `${where}: ${again.stderr}`);
    await ok(a, 'sync');
    assert.is(stateTip(a), stateTip(b), where);
  }
  const want = ['calibration a', 'calibration b'];
  for (let i = 0; i < kills; i++) want.push(`a ${i}`, `b ${i}`);
  assert.equal(await titles(a), want.sort());
  await assertFsckOk(a);
});

t.run();
