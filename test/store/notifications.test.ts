// Notifications made through the store API other services call (sase sync
// writes sync.overwritten and sync.left_out this way): in a commit of their
// own, or inside another operation's commit; and the log replays them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { machineClock } from '../../src/cli/context.ts';
import { makeNotification } from '../../src/core/notifications/model.ts';
import { notifyCreateOp } from '../../src/core/notifications/ops.ts';
import {
  createNotifications,
  listNotifications,
  newNotificationId,
  notificationChanges,
  readNotification,
} from '../../src/store/notifications.ts';
import { openStore } from '../../src/store/store.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { notificationRecord, plantNotifications, T0, withStore } from '../helpers/notifications.ts';
import { ok } from '../helpers/run.ts';
import {
  assertFsckOk,
  canonical,
  commitCount,
  fsck,
  opMessage,
  opsInLog,
  STATE,
  statePaths,
  writeStateCommit,
} from '../helpers/state.ts';

const t = suite('store notifications');

t('createNotifications: fresh ids, defaults by type, one notify.create commit that replays', async () => {
  const repo = await initedRepo();
  const before = commitCount(repo);
  const made = await withStore(
    repo,
    (store) =>
      createNotifications(store, [
        {
          type: 'sync.left_out',
          title: 'claim of ts-abcd1234 left out: the other side claimed it first',
          body: 'claimed by worker-2 on the remote',
          about: [{ kind: 'bead', id: 'ts-abcd1234' }],
          action: { verb: 'show', target: 'ts-abcd1234' },
          host: 'laptop',
        },
        { type: 'sync.overwritten', title: 'title of ts-abcd1234 overwritten' },
        { type: 'change.submitted', title: 'feat submitted', created_at: '2026-11-30T00:00:00Z' },
      ]),
    T0,
  );
  assert.is(made.length, 3);
  assert.ok(made.every((n) => /^n-[0-9a-z]{8}$/.test(n.id)));
  assert.is(new Set(made.map((n) => n.id)).size, 3);
  assert.equal(made[0], {
    v: 1,
    kind: 'notification',
    id: made[0]!.id,
    type: 'sync.left_out',
    severity: 'warning',
    title: 'claim of ts-abcd1234 left out: the other side claimed it first',
    body: 'claimed by worker-2 on the remote',
    about: [{ kind: 'bead', id: 'ts-abcd1234' }],
    action: { verb: 'show', target: 'ts-abcd1234' },
    created_at: T0,
    host: 'laptop',
    state: 'unread',
    snoozed_until: null,
  });
  assert.equal(
    made.map((n) => [n.severity, n.created_at, n.host, n.body]),
    [
      ['warning', T0, 'laptop', 'claimed by worker-2 on the remote'],
      ['warning', T0, null, ''],
      ['info', '2026-11-30T00:00:00Z', null, ''],
    ],
  );
  assert.is(commitCount(repo), before + 1);
  assert.equal(opsInLog(repo).slice(-1), ['notify.create']);
  // stored canonically at notifications/<id>.json, read back as made
  for (const n of made) assert.is(repo.git('show', `${STATE}:notifications/${n.id}.json`), canonical(n));
  const listed = await withStore(repo, async (store) => listNotifications(await store.snapshot()));
  assert.equal(
    listed.map((n) => n.id),
    [made[0]!.id, made[1]!.id].sort().concat(made[2]!.id),
  );
  // the commands see them
  assert.is((await ok(repo, 'notify-list', ['--kind', 'sync'])).length, 2);
  await assertFsckOk(repo, 'after createNotifications');
});

t('a bad field is refused before anything is written, naming it', async () => {
  const repo = await initedRepo();
  const before = commitCount(repo);
  for (const [fields, message] of [
    [{ type: 'sync.left_out', title: '' }, 'notification: title is empty'],
    [{ type: 'sync.left_out', title: 'a\nb' }, 'notification: title is not one line without control characters'],
    [{ type: 'sync.gone', title: 'x' }, 'notification: type "sync.gone" is not one of'],
    [
      { type: 'run.failed', title: 'x', about: [{ kind: 'Bead', id: 'x' }] },
      'notification: an entry of about has kind',
    ],
    [{ type: 'run.failed', title: 'x', action: { verb: 'fix', target: 'x' } }, "notification: the action's verb"],
    [{ type: 'run.failed', title: 'x', snoozed_until: 'tomorrow' }, 'notification: snoozed_until is not null or'],
  ] as const) {
    try {
      await withStore(repo, (store) => createNotifications(store, [fields as never]), T0);
      assert.unreachable(`${JSON.stringify(fields)} was accepted`);
    } catch (err) {
      assert.is((err as Error).constructor.name, 'UsageError', String(err));
      assert.ok((err as Error).message.startsWith(message), (err as Error).message);
    }
  }
  assert.is(commitCount(repo), before);
});

t('newNotificationId: from the store randomness, never an id the state holds', async () => {
  const repo = await initedRepo();
  plantNotifications(repo, [notificationRecord('n-00000000')]);
  const draws = [new Uint8Array(8).fill(0), new Uint8Array(8).fill(0), new Uint8Array(8).fill(37)];
  const store = await openStore(
    { cwd: repo.dir, env: repo.env },
    { clock: machineClock(repo.env), random: async () => draws.shift()! },
  );
  try {
    const snap = await store.snapshot();
    assert.is(await newNotificationId(store, snap), 'n-11111111');
    assert.is(draws.length, 0);
  } finally {
    store.close();
  }
});

t(
  "notificationChanges: written inside another operation's commit that names their paths; fsck replays it",
  async () => {
    const repo = await initedRepo();
    const made = await withStore(
      repo,
      async (store) => {
        const snap = await store.snapshot();
        const n = makeNotification(
          { type: 'sync.overwritten', title: 'title of ts-abcd1234 overwritten', created_at: T0 },
          await newNotificationId(store, snap),
        );
        const changes = notificationChanges([n]);
        assert.equal([...changes.keys()], [`notifications/${n.id}.json`]);
        assert.is(changes.get(`notifications/${n.id}.json`)!.toString(), canonical(n));
        // an operation whose content replay takes from its commit's tree names every path it wrote
        await store.transact(async () => ({
          op: { op: 'agent.report', paths: [...changes.keys()], at: T0, actor: 'author@example.com' },
          summary: 'agent report',
          changes,
          result: null,
        }));
        // or a notify.create of its own, built from the records
        const m = makeNotification({ type: 'sync.left_out', title: 'left out', created_at: T0 }, 'n-mmmmmmmm');
        await store.transact(async () => ({
          op: notifyCreateOp([m], T0, 'author@example.com'),
          summary: 'notify create',
          changes: notificationChanges([m]),
          result: null,
        }));
        return [n, m];
      },
      T0,
    );
    assert.equal(
      statePaths(repo)
        .filter((p) => p.startsWith('notifications/'))
        .sort(),
      made.map((n) => `notifications/${n.id}.json`).sort(),
    );
    const read = await withStore(repo, async (store) => readNotification(await store.snapshot(), made[0]!.id));
    assert.equal(read, made[0]);
    await assertFsckOk(repo, "after notifications inside another operation's commit");
  },
);

t(
  'fsck: an operation that writes notifications it does not account for, or a malformed notify op, is named',
  async () => {
    const repo = await initedRepo();
    const n = notificationRecord('n-aaaaaaaa');
    // a bead operation replays by its function: the notification is not explained by it
    writeStateCommit(
      repo,
      { 'notifications/n-aaaaaaaa.json': canonical(n) },
      opMessage('import 0 beads', { op: 'bead.import', ids: [], at: T0, actor: 'a' }),
    );
    const first = await fsck(repo);
    assert.ok(
      first.problems.some(
        (p) =>
          p.check === 'log' &&
          p.message.includes("wrote 'notifications/n-aaaaaaaa.json', which its operation does not name"),
      ),
      JSON.stringify(first.problems),
    );

    const r2 = await initedRepo();
    const m = notificationRecord('n-bbbbbbbb');
    writeStateCommit(
      r2,
      { 'notifications/n-bbbbbbbb.json': canonical(m) },
      opMessage('notify create', { op: 'notify.create', ids: ['n-cccccccc'], notifications: [m], at: T0, actor: 'a' }),
    );
    writeStateCommit(
      r2,
      {},
      opMessage('notify read', { op: 'notify.state', ids: ['n-bbbbbbbb'], state: 'seen', at: T0, actor: 'a' }),
    );
    writeStateCommit(
      r2,
      {},
      opMessage('notify read', { op: 'notify.state', ids: ['n-dddddddd'], state: 'read', at: T0, actor: 'a' }),
    );
    writeStateCommit(r2, {}, opMessage('notify frob', { op: 'notify.frob', ids: [], at: T0, actor: 'a' }));
    const messages = (await fsck(r2)).problems.filter((p) => p.check === 'log').map((p) => p.message.slice(14));
    assert.equal(messages, [
      "replaying 'notify.create' failed: malformed operation: 'ids' is not the ids of its notifications",
      "replaying 'notify.state' failed: malformed operation: 'state' is not one of unread, read, dismissed",
      "replaying 'notify.state' failed: no notification 'n-dddddddd'",
      "replaying 'notify.frob' failed: unknown operation 'notify.frob'",
    ]);
  },
);

t.run();
