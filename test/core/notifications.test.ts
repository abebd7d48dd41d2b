// The notification record and its operations, pure: a corpus of valid and
// invalid records, the canonical round trip, typed ids, and the operations
// as functions of the state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../src/core/canonical.ts';
import {
  idFromNotificationPath,
  isShown,
  makeNotification,
  NOTIFICATION_FAMILIES,
  NOTIFICATION_TYPES,
  type Notification,
  notificationIdFrom,
  notificationPath,
  notificationProblem,
  parseNotification,
  parseStoredNotification,
  resolveNotificationId,
  serializeNotification,
} from '../../src/core/notifications/model.ts';
import { applyNotifyOp, checkNotifyOp, notifyCreateOp, notifySummary } from '../../src/core/notifications/ops.ts';

const t = suite('core notifications');
const T0 = '2026-12-01T10:00:00Z';

// the example of FORMATS.md
const EXAMPLE = {
  v: 1,
  kind: 'notification',
  id: 'n-4k2p9x1q',
  type: 'phase.failed',
  severity: 'error',
  title: 'phase sase-7m2q.2 failed',
  body: "exit 1: tests failed (last line of the run's log)",
  about: [
    { kind: 'bead', id: 'sase-7m2q.2' },
    { kind: 'run', id: 'r-9k2d7a0b' },
  ],
  action: { verb: 'retry', target: 'r-9k2d7a0b' },
  created_at: '2026-12-01T10:00:00Z',
  host: 'laptop',
  state: 'unread',
  snoozed_until: null,
};

t('the example of FORMATS.md is valid, and round-trips canonically', () => {
  assert.is(notificationProblem(EXAMPLE), null);
  const text = JSON.stringify(EXAMPLE);
  const n = parseNotification(text, 'x');
  assert.equal(n, EXAMPLE);
  assert.is(serializeNotification(n), canonicalJson(EXAMPLE));
  assert.equal(parseNotification(serializeNotification(n), 'x'), n);
  // fields a newer sase adds are kept
  assert.equal(parseNotification(JSON.stringify({ ...EXAMPLE, later: 1 }), 'x'), { ...EXAMPLE, later: 1 });
});

t('the families of types are the parts of the types before the dot', () => {
  assert.equal([...NOTIFICATION_FAMILIES], [...new Set(NOTIFICATION_TYPES.map((x) => x.split('.')[0]))]);
});

t('each bad field is named', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ kind: 'bead' }, /^kind is not 'notification'/],
    [{ v: 2 }, /^unsupported version 2/],
    [{ id: 'n-4k2p' }, /^id "n-4k2p" is not n- and 8/],
    [{ id: 'N-4K2P9X1Q' }, /^id /],
    [{ type: 'run.exploded' }, /^type "run.exploded" is not one of run.failed, /],
    [{ severity: 'fatal' }, /^severity "fatal"/],
    [{ title: '' }, /^title is empty/],
    [{ title: 'x'.repeat(501) }, /^title is too long \(501 characters, at most 500\)/],
    [{ title: 'a\u001b[31m' }, /^title is not one line/],
    [{ body: null }, /^body is not a string/],
    [{ body: 'bell\u0007' }, /^body has control characters/],
    [{ about: {} }, /^about is not a list/],
    [{ about: [{ kind: 'bead' }] }, /^an id in about is not a string/],
    [{ about: [['bead', 'x']] }, /^an entry of about is not an object/],
    [{ action: 'retry' }, /^action is not null or an object/],
    [{ action: { verb: 'retry', target: '' } }, /^the action's target is empty/],
    [{ action: undefined }, /^action is not null or an object/],
    [{ created_at: '2026-12-01 10:00' }, /^created_at is not an ISO 8601 UTC time/],
    [{ created_at: '2026-13-45T10:00:00Z' }, /^created_at is not/],
    [{ host: 3 }, /^host is not a string \(or null\)/],
    [{ state: 'archived' }, /^state "archived" is not one of unread, read, dismissed/],
    [{ snoozed_until: '' }, /^snoozed_until is not null or/],
  ];
  for (const [patch, want] of cases) {
    const problem = notificationProblem({ ...EXAMPLE, ...patch });
    assert.ok(problem !== null && want.test(problem), `${JSON.stringify(patch)}: ${problem}`);
  }
  assert.is(notificationProblem([EXAMPLE]), 'not a JSON object');
  assert.throws(
    () => parseNotification('{', 'notifications/n-4k2p9x1q.json'),
    /^notifications\/n-4k2p9x1q.json: not valid JSON$/,
  );
});

t("paths and ids; a record at another id's path is refused naming the path", () => {
  assert.is(notificationPath('n-4k2p9x1q'), 'notifications/n-4k2p9x1q.json');
  assert.throws(() => notificationPath('../x'), /is not a notification id/);
  assert.is(idFromNotificationPath('notifications/n-4k2p9x1q.json'), 'n-4k2p9x1q');
  for (const p of [
    'notifications/x.json',
    'beads/n-/n-4k2p9x1q.json',
    'notifications/n-4k2p9x1q.json/x',
    'n-4k2p9x1q.json',
  ])
    assert.is(idFromNotificationPath(p), null, p);
  assert.is(notificationIdFrom(Uint8Array.from([0, 1, 35, 36, 71, 255, 10, 200])), 'n-01z0z3ak');
  assert.match(notificationIdFrom(new Uint8Array(8).fill(255)), /^n-[0-9a-z]{8}$/);
  const text = serializeNotification(EXAMPLE as Notification);
  assert.equal(parseStoredNotification(text, 'notifications/n-4k2p9x1q.json'), EXAMPLE);
  assert.throws(
    () => parseStoredNotification(text, 'notifications/n-aaaaaaaa.json'),
    (e: Error) =>
      e.message === "state: 'notifications/n-aaaaaaaa.json' holds the record of 'n-4k2p9x1q', not of 'n-aaaaaaaa'",
  );
});

t('makeNotification: defaults, severity by type, checked fields', () => {
  const n = makeNotification({ type: 'sync.left_out', title: 'left out', created_at: T0 }, 'n-aaaaaaaa');
  assert.equal(n, {
    v: 1,
    kind: 'notification',
    id: 'n-aaaaaaaa',
    type: 'sync.left_out',
    severity: 'warning',
    title: 'left out',
    body: '',
    about: [],
    action: null,
    created_at: T0,
    host: null,
    state: 'unread',
    snoozed_until: null,
  });
  assert.is(makeNotification({ type: 'run.failed', title: 'x', created_at: T0 }, 'n-aaaaaaaa').severity, 'error');
  assert.is(makeNotification({ type: 'plan.waiting', title: 'x', created_at: T0 }, 'n-aaaaaaaa').severity, 'info');
  assert.is(
    makeNotification({ type: 'plan.waiting', title: 'x', created_at: T0, severity: 'error' }, 'n-aaaaaaaa').severity,
    'error',
  );
  assert.throws(
    () => makeNotification({ type: 'run.failed', title: 'x', created_at: T0 }, 'r-aaaaaaaa'),
    /notification: id/,
  );
  assert.throws(
    () => makeNotification({ type: 'run.failed', title: 'x', created_at: 'now' }, 'n-aaaaaaaa'),
    /created_at/,
  );
});

t('resolving what a person typed', () => {
  const ids = ['n-abcd1111', 'n-abcd2222', 'n-4k2p9x1q'];
  for (const [input, want] of [
    ['n-abcd1111', 'n-abcd1111'],
    ['abcd1', 'n-abcd1111'],
    ['N-ABCD2', 'n-abcd2222'],
    [' 4k ', 'n-4k2p9x1q'],
    ['4', 'n-4k2p9x1q'],
  ])
    assert.is(resolveNotificationId(input!, ids), want, input);
  assert.throws(
    () => resolveNotificationId('abcd', ids),
    (e: Error) => e.message === "short id 'abcd' is ambiguous: n-abcd1111, n-abcd2222",
  );
  assert.throws(
    () => resolveNotificationId('zz', ids),
    (e: Error) => e.message === "no notification 'zz'",
  );
  for (const bad of ['', 'n-', '-abc', 'n-abcd11111', 'ts-abcd', 'ab/cd', 'n_abcd'])
    assert.throws(() => resolveNotificationId(bad, ids), /is not a notification id/, bad);
});

t('isShown: not dismissed, not snoozed now', () => {
  const at = Date.parse('2026-12-02T00:00:00Z');
  const n = EXAMPLE as Notification;
  assert.ok(isShown(n, at));
  assert.ok(isShown({ ...n, state: 'read' }, at));
  assert.not.ok(isShown({ ...n, state: 'dismissed' }, at));
  assert.not.ok(isShown({ ...n, snoozed_until: '2026-12-02T00:00:01Z' }, at));
  assert.ok(isShown({ ...n, snoozed_until: '2026-12-02T00:00:00Z' }, at));
});

/** A state of files in memory. */
function reader(files: Record<string, string>) {
  return { readFile: async (path: string) => files[path] ?? null };
}

t('notify.create writes the records; one that exists is refused', async () => {
  const a = makeNotification({ type: 'axe.digest', title: 'digest', created_at: T0 }, 'n-aaaaaaaa');
  const op = notifyCreateOp([a], T0, 'me');
  assert.equal(checkNotifyOp(JSON.parse(JSON.stringify(op))), op);
  assert.equal(await applyNotifyOp(reader({}), op), [
    { path: 'notifications/n-aaaaaaaa.json', text: serializeNotification(a) },
  ]);
  try {
    await applyNotifyOp(reader({ 'notifications/n-aaaaaaaa.json': serializeNotification(a) }), op);
    assert.unreachable();
  } catch (err) {
    assert.is((err as Error).message, "notification 'n-aaaaaaaa' exists already");
  }
  assert.is(notifySummary(op), 'notify create n-aaaaaaaa');
});

t(
  'notify.state: changes only what differs; snoozed_until set, kept or cleared; a missing one is not found',
  async () => {
    const a = makeNotification({ type: 'run.failed', title: 'a', created_at: T0 }, 'n-aaaaaaaa');
    const b = makeNotification({ type: 'run.failed', title: 'b', created_at: T0, state: 'read' }, 'n-bbbbbbbb');
    const files = {
      [notificationPath(a.id)]: serializeNotification(a),
      [notificationPath(b.id)]: serializeNotification(b),
    };
    const read = { op: 'notify.state' as const, ids: [a.id, b.id], state: 'read' as const, at: T0, actor: 'me' };
    assert.equal(await applyNotifyOp(reader(files), read), [
      { path: notificationPath(a.id), text: serializeNotification({ ...a, state: 'read' }) },
    ]);
    const snooze = { ...read, ids: [a.id], state: 'unread' as const, snoozed_until: '2026-12-05T00:00:00Z' };
    const [snoozed] = await applyNotifyOp(reader(files), snooze);
    assert.is(parseNotification(snoozed!.text!, 'x').snoozed_until, '2026-12-05T00:00:00Z');
    const kept = await applyNotifyOp(reader({ [notificationPath(a.id)]: snoozed!.text! }), { ...read, ids: [a.id] });
    assert.is(parseNotification(kept[0]!.text!, 'x').snoozed_until, '2026-12-05T00:00:00Z');
    const cleared = await applyNotifyOp(reader({ [notificationPath(a.id)]: snoozed!.text! }), {
      ...snooze,
      snoozed_until: null,
    });
    assert.is(parseNotification(cleared[0]!.text!, 'x').snoozed_until, null);
    try {
      await applyNotifyOp(reader(files), { ...read, ids: ['n-cccccccc'] });
      assert.unreachable();
    } catch (err) {
      assert.is((err as Error).message, "no notification 'n-cccccccc'");
    }
    assert.is(notifySummary({ ...read, state: 'dismissed' }), `notify dismiss ${a.id} ${b.id}`);
    assert.is(
      notifySummary({ ...read, ids: ['n-1', 'n-2', 'n-3', 'n-4', 'n-5'] }),
      'notify read n-1 n-2 n-3 and 2 more',
    );
  },
);

t('operations read from a commit are checked field by field', () => {
  const a = makeNotification({ type: 'run.failed', title: 'a', created_at: T0 }, 'n-aaaaaaaa');
  const base = { op: 'notify.state', ids: [a.id], state: 'read', at: T0, actor: 'me' };
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ ...base, ids: ['../x'] }, "'ids' is not a list of distinct notification ids"],
    [{ ...base, ids: [a.id, a.id] }, "'ids' is not a list of distinct notification ids"],
    [{ ...base, state: 'gone' }, "'state' is not one of unread, read, dismissed"],
    [{ ...base, snoozed_until: 'soon' }, "'snoozed_until' is not null or an ISO 8601 UTC time"],
    [{ ...base, at: 1 }, "'at' is not a string"],
    [
      { op: 'notify.create', ids: [a.id], notifications: [{ ...a, title: '' }], at: T0, actor: 'me' },
      "'notifications' is not a list of notification records",
    ],
    [
      { op: 'notify.create', ids: [], notifications: [a], at: T0, actor: 'me' },
      "'ids' is not the ids of its notifications",
    ],
  ];
  for (const [op, message] of bad)
    assert.throws(
      () => checkNotifyOp(op as never),
      (e: Error) => e.message === `malformed operation: ${message}`,
      JSON.stringify(op),
    );
  assert.throws(() => checkNotifyOp({ op: 'notify.frob' }), /unknown operation 'notify.frob'/);
  assert.equal(checkNotifyOp({ ...base, snoozed_until: null }), { ...base, snoozed_until: null });
});

t.run();
