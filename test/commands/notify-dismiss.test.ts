import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { addNotifications, notificationRecord, plantNotifications } from '../helpers/notifications.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { assertFsckOk, commitCount, opsInLog, stateTip } from '../helpers/state.ts';

const t = suite('notify-dismiss');

t('dismisses in one commit: left out of the list, still shown, listed with --all', async () => {
  const repo = await initedRepo();
  const [a, b, c] = await addNotifications(repo, [
    { type: 'sync.overwritten', title: 'title of ts-abcd overwritten' },
    { type: 'sync.left_out', title: 'claim left out', state: 'read' },
    { type: 'change.submitted', title: 'feat submitted' },
  ]);
  const before = commitCount(repo);
  // through the real executable
  const recs = okBin(repo, 'notify-dismiss', [`n-${a!.id.slice(2, 7)}`, b!.id]);
  assert.equal(
    recs.map((r) => [r.id, r.state]),
    [
      [a!.id, 'dismissed'],
      [b!.id, 'dismissed'],
    ],
  );
  assert.is(commitCount(repo), before + 1);
  assert.equal(opsInLog(repo).slice(-2), ['notify.create', 'notify.state']);
  assert.equal(
    (await ok(repo, 'notify-list')).map((r) => r.id),
    [c!.id],
  );
  assert.equal((await ok(repo, 'notify-list', ['--all'])).map((r) => r.id).sort(), [a!.id, b!.id, c!.id].sort());
  assert.is((await ok(repo, 'notify-show', [a!.id]))[0]!.state, 'dismissed');
  // again: nothing to change, no commit
  const tip = stateTip(repo);
  assert.equal(
    (await ok(repo, 'notify-dismiss', [a!.id])).map((r) => r.state),
    ['dismissed'],
  );
  assert.is(stateTip(repo), tip);
  await assertFsckOk(repo, 'after notify dismiss');
});

t('a pipe from notify list dismisses what it lists', async () => {
  const repo = await initedRepo();
  await addNotifications(repo, [
    { type: 'sync.overwritten', title: 'one' },
    { type: 'sync.left_out', title: 'two' },
    { type: 'run.failed', title: 'three' },
  ]);
  const ids = (await sase(repo, 'notify-list', ['--kind', 'sync', '--format', 'id'])).stdout;
  assert.is(ids.split('\n').filter(Boolean).length, 2);
  assert.is((await ok(repo, 'notify-dismiss', [], { input: ids })).length, 2);
  assert.equal(
    (await ok(repo, 'notify-list')).map((r) => r.title),
    ['three'],
  );
  await assertFsckOk(repo);
});

t('a batch with an unknown or ambiguous id changes nothing', async () => {
  const repo = await initedRepo();
  plantNotifications(repo, [notificationRecord('n-abcd1111'), notificationRecord('n-abcd2222')]);
  const tip = stateTip(repo);
  fails(await sase(repo, 'notify-dismiss', ['abcd1', 'zzzz']), 4, "error: no notification 'zzzz'");
  fails(
    await sase(repo, 'notify-dismiss', ['abcd1', 'n-abcd']),
    129,
    "error: short id 'n-abcd' is ambiguous: n-abcd1111, n-abcd2222",
  );
  fails(await sase(repo, 'notify-dismiss', ['n-abcd1111/..']), 129, "error: 'n-abcd1111/..' is not a notification id");
  assert.is(stateTip(repo), tip);
  assert.equal(
    (await ok(repo, 'notify-list')).map((r) => r.state),
    ['unread', 'unread'],
  );
  await assertFsckOk(repo);
});

t.run();
