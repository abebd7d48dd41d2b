import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { notificationRecord, plantNotifications, T0 } from '../helpers/notifications.ts';
import { fails, ok, okBin, sase, tableRows } from '../helpers/run.ts';
import { assertFsckOk, stateTip } from '../helpers/state.ts';

const t = suite('notify-list');
const NOW = '2026-12-02T12:00:00Z';
const env = { SASE_NOW: NOW };

// one repository for the file: notifications of every state, made at different times
const repo = await initedRepo();
const fresh = notificationRecord('n-fresh001', {
  type: 'sync.left_out',
  severity: 'warning',
  title: 'claim of ts-abcd left out',
  created_at: '2026-12-02T11:00:00Z',
  about: [{ kind: 'bead', id: 'ts-abcd1234' }],
});
const read = notificationRecord('n-read0001', { state: 'read', created_at: '2026-12-02T09:00:00Z' });
const older = notificationRecord('n-older001', { type: 'sync.overwritten', created_at: '2026-12-01T11:00:00Z' });
const dismissed = notificationRecord('n-dismiss1', { state: 'dismissed', created_at: '2026-12-02T10:00:00Z' });
const snoozed = notificationRecord('n-snooze01', {
  type: 'plan.waiting',
  severity: 'info',
  created_at: '2026-12-02T08:00:00Z',
  snoozed_until: '2026-12-03T00:00:00Z',
});
const woke = notificationRecord('n-woke0001', {
  type: 'axe.digest',
  severity: 'warning',
  created_at: '2026-12-02T07:00:00Z',
  snoozed_until: '2026-12-02T11:59:59Z',
});
// two made in the same second: by id
const tieA = notificationRecord('n-tiea0001', { created_at: T0 });
const tieB = notificationRecord('n-tieb0001', { created_at: T0 });
plantNotifications(repo, [older, fresh, read, dismissed, snoozed, woke, tieB, tieA]);

const ids = (recs: Record<string, any>[]) => recs.map((r) => r.id);

t('by default: unread and read ones, not dismissed, not snoozed past now; newest first', async () => {
  // through the real executable
  const recs = okBin(repo, 'notify-list', [], { env });
  assert.equal(ids(recs), [fresh.id, read.id, woke.id, older.id, tieA.id, tieB.id]);
  assert.equal(recs[0], {
    v: 1,
    kind: 'notification',
    id: fresh.id,
    type: 'sync.left_out',
    severity: 'warning',
    title: 'claim of ts-abcd left out',
    body: '',
    about: [{ kind: 'bead', id: 'ts-abcd1234' }],
    action: null,
    created_at: '2026-12-02T11:00:00Z',
    host: null,
    state: 'unread',
    snoozed_until: null,
  });
  // later, the snoozed one is back
  const later = await ok(repo, 'notify-list', [], { env: { SASE_NOW: '2026-12-03T00:00:01Z' } });
  assert.equal(ids(later), [fresh.id, read.id, snoozed.id, woke.id, older.id, tieA.id, tieB.id]);
});

t('--all lists every notification, the dismissed and the snoozed ones too', async () => {
  assert.equal(ids(await ok(repo, 'notify-list', ['--all'], { env })), [
    fresh.id,
    dismissed.id,
    read.id,
    snoozed.id,
    woke.id,
    older.id,
    tieA.id,
    tieB.id,
  ]);
});

t('--kind keeps the types named, or a family of types; with --all too', async () => {
  assert.equal(ids(await ok(repo, 'notify-list', ['--kind', 'sync.left_out'], { env })), [fresh.id]);
  assert.equal(ids(await ok(repo, 'notify-list', ['--kind', 'sync'], { env })), [fresh.id, older.id]);
  assert.equal(ids(await ok(repo, 'notify-list', ['--kind', 'axe.digest,sync.overwritten'], { env })), [
    woke.id,
    older.id,
  ]);
  assert.equal(ids(await ok(repo, 'notify-list', ['--kind', 'plan'], { env })), []);
  assert.equal(ids(await ok(repo, 'notify-list', ['--kind', 'plan', '--all'], { env })), [snoozed.id]);
  assert.equal(ids(await ok(repo, 'notify-list', ['--kind', 'change.comments'], { env })), []);
});

t('--format id prints one id a line; a terminal gets a table', async () => {
  const r = await sase(repo, 'notify-list', ['--format', 'id', '--kind', 'sync'], { env });
  assert.is(r.stdout, `${fresh.id}\n${older.id}\n`);
  const text = await sase(repo, 'notify-list', ['--format', 'text'], { env });
  assert.is(text.code, 0);
  const rows = tableRows(text.stdout);
  // short ids: n- and the shortest unique prefix of the hash, at least 4 characters
  assert.equal(
    rows.map((x) => x.ID),
    ['n-fres', 'n-read', 'n-woke', 'n-olde', 'n-tiea', 'n-tieb'],
  );
  assert.equal(rows[0], {
    ID: 'n-fres',
    STATE: 'unread',
    SEVERITY: 'warning',
    TYPE: 'sync.left_out',
    CREATED: '1 h ago', // made at 11:00, now 12:00
    TITLE: 'claim of ts-abcd left out',
  });
  const all = tableRows((await sase(repo, 'notify-list', ['--all', '--format', 'text'], { env })).stdout);
  assert.is(all.find((x) => x.ID === 'n-snoo')!.STATE, 'unread (snoozed, wakes in 12 h)');
  assert.is(all.find((x) => x.ID === 'n-dism')!.STATE, 'dismissed');
});

t('a short id is unique among every notification, those not listed too, and names it back', async () => {
  const two = await initedRepo();
  plantNotifications(two, [notificationRecord('n-abcd1111'), notificationRecord('n-abcd2222', { state: 'dismissed' })]);
  const rows = tableRows((await sase(two, 'notify-list', ['--format', 'text'], { env })).stdout);
  assert.equal(
    rows.map((x) => x.ID),
    ['n-abcd1'],
  );
  assert.is((await ok(two, 'notify-show', [rows[0]!.ID!], { env }))[0]!.id, 'n-abcd1111');
});

t('sase notify list runs sase-notify-list', async () => {
  const viaSase = await sase(repo, '', ['notify', 'list', '--kind', 'sync'], { env });
  assert.is(viaSase.code, 0, viaSase.stderr);
  assert.is(viaSase.stdout, (await sase(repo, 'notify-list', ['--kind', 'sync'], { env })).stdout);
});

t('no notifications: nothing printed, exit 0', async () => {
  const empty = await initedRepo();
  assert.equal(await ok(empty, 'notify-list'), []);
  assert.equal(await ok(empty, 'notify-list', ['--all', '--kind', 'sync']), []);
  assert.is((await sase(empty, 'notify-list', ['--format', 'text'])).stdout, '');
});

t('bad values: an unknown kind, an argument; nothing written', async () => {
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'notify-list', ['--kind', 'bogus']),
    129,
    `error: option '--kind': 'bogus' is not one of run.failed, phase.failed, plan.waiting, workflow.waiting, change.comments, change.submitted, sync.overwritten, sync.left_out, axe.digest, run, phase, plan, workflow, change, sync, axe`,
  );
  fails(await sase(repo, 'notify-list', ['n-fresh001']), 129, `error: unexpected argument 'n-fresh001'`);
  assert.is(stateTip(repo), tip);
  await assertFsckOk(repo);
});

t.run();
