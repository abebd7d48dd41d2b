import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { addNotifications, notificationRecord, plantNotifications, T0 } from '../helpers/notifications.ts';
import { remoteWithState, syncedClone } from '../helpers/remote.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import {
  assertFsckOk,
  commitCount,
  fsck,
  opMessage,
  opsInLog,
  STATE,
  stateTip,
  writeStateCommit,
} from '../helpers/state.ts';

const t = suite('notify-snooze');

const AT = (time: string) => ({ env: { SASE_NOW: time } });
const listedIds = async (repo: Parameters<typeof ok>[0], now: string, args: string[] = []) =>
  (await ok(repo, 'notify-list', args, AT(now))).map((r) => r.id);

async function setup() {
  const repo = await initedRepo();
  const [a, b] = await addNotifications(repo, [
    { type: 'run.failed', title: 'run a failed' },
    { type: 'change.comments', title: 'comments on x' },
  ]);
  return { repo, a: a!, b: b! };
}

t('--for hides a notification from the default list until then, in one notify.snooze commit', async () => {
  const { repo, a, b } = await setup();
  const before = commitCount(repo);
  // through the real executable
  const recs = okBin(repo, 'notify-snooze', [a.id.slice(2, 6), '--for', '2h'], AT(T0));
  assert.equal(recs, [{ ...a, snoozed_until: '2026-12-01T12:00:00Z' }], 'its state and every other field kept');
  assert.is(commitCount(repo), before + 1);
  assert.equal(opsInLog(repo).slice(-1), ['notify.snooze']);
  const op = JSON.parse(/^Sase-Op: (.*)$/m.exec(repo.git('log', '-1', '--format=%B', STATE))![1]!);
  assert.equal([op.ids, op.until], [[a.id], '2026-12-01T12:00:00Z']);
  assert.is(
    repo.git('log', '-1', '--format=%s', STATE).trim(),
    `sase: notify snooze ${a.id} until 2026-12-01T12:00:00Z`,
  );
  assert.equal(await listedIds(repo, '2026-12-01T11:59:59Z'), [b.id], 'hidden while snoozed');
  assert.equal((await listedIds(repo, '2026-12-01T11:00:00Z', ['--all'])).sort(), [a.id, b.id].sort());
  assert.equal((await listedIds(repo, '2026-12-01T12:00:00Z')).sort(), [a.id, b.id].sort(), 'back when it ends');
  await assertFsckOk(repo, 'after notify snooze');
});

t('--clear lists it again at once; --until takes a time with a zone or a date', async () => {
  const { repo, a, b } = await setup();
  await ok(repo, 'notify-snooze', [a.id, b.id, '--until', '2026-12-02T09:00:00+01:00'], AT(T0));
  assert.equal(await listedIds(repo, T0), []);
  const shown = (await ok(repo, 'notify-show', [a.id]))[0]!;
  assert.is(shown.snoozed_until, '2026-12-02T08:00:00Z');
  const cleared = await ok(repo, 'notify-snooze', [a.id, '--clear'], AT(T0));
  assert.equal(
    cleared.map((r) => [r.id, r.snoozed_until]),
    [[a.id, null]],
  );
  assert.is(repo.git('log', '-1', '--format=%s', STATE).trim(), `sase: notify unsnooze ${a.id}`);
  assert.equal(await listedIds(repo, T0), [a.id]);
  const byDate = await ok(repo, 'notify-snooze', [a.id, '--until', '2026-12-03'], AT(T0));
  assert.is(byDate[0]!.snoozed_until, '2026-12-03T00:00:00Z');
  // the same time again changes nothing
  const tip = stateTip(repo);
  await ok(repo, 'notify-snooze', [a.id, '--until', '2026-12-03T00:00:00Z'], AT(T0));
  assert.is(stateTip(repo), tip, 'no commit');
  await assertFsckOk(repo);
});

t('the state is kept: a read or dismissed notification snoozed stays so', async () => {
  const { repo, a, b } = await setup();
  await ok(repo, 'notify-read', [a.id]);
  await ok(repo, 'notify-dismiss', [b.id]);
  const recs = await ok(repo, 'notify-snooze', [a.id, b.id, '--for', '1d'], AT(T0));
  assert.equal(
    recs.map((r) => [r.state, r.snoozed_until]),
    [
      ['read', '2026-12-02T10:00:00Z'],
      ['dismissed', '2026-12-02T10:00:00Z'],
    ],
  );
  // marking it read later keeps the snooze
  await ok(repo, 'notify-read', [b.id]);
  assert.is((await ok(repo, 'notify-show', [b.id]))[0]!.snoozed_until, '2026-12-02T10:00:00Z');
  assert.equal(await listedIds(repo, T0), []);
});

t('ids on stdin, and a table on a terminal', async () => {
  const { repo, a, b } = await setup();
  const listed = (await sase(repo, 'notify-list', ['--format', 'id'])).stdout;
  const recs = await ok(repo, 'notify-snooze', ['--for', '30m'], { input: listed, ...AT(T0) });
  assert.equal(recs.map((r) => r.id).sort(), [a.id, b.id].sort());
  const r = await sase(repo, 'notify-snooze', [a.id, '--for', '1h', '--no-color'], { ...AT(T0), terminal: true });
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(`^snoozed ${a.id.slice(0, 6)}: [^\\n]+ \\(unread \\(snoozed, wakes in 1 h\\)\\)\\n$`),
  );
});

t('bad options, durations, times and ids: usage errors (or not found), one line, nothing changed', async () => {
  const repo = await initedRepo();
  plantNotifications(repo, [notificationRecord('n-abcd1111'), notificationRecord('n-abcd2222')]);
  const tip = stateTip(repo);
  const bad = async (args: string[], code: number, line: string) =>
    fails(await sase(repo, 'notify-snooze', args, AT(T0)), code, line);
  await bad(['abcd1'], 129, 'error: give one of --for <duration>, --until <time> and --clear');
  await bad(
    ['abcd1', '--for', '1h', '--clear'],
    129,
    'error: give one of --for <duration>, --until <time> and --clear',
  );
  const duration = 'is not a duration: a number and a unit, ms s m h d (30m, 2h, 1d, 1h30m)';
  await bad(['abcd1', '--for', '0'], 129, `error: '0' ${duration}`);
  await bad(['abcd1', '--for', 'soon'], 129, `error: 'soon' ${duration}`);
  await bad(['abcd1', '--for', '2 h'], 129, `error: '2 h' ${duration}`);
  const time = 'is not a time like 2026-12-02T09:00:00Z (or with an offset, or a date)';
  await bad(['abcd1', '--until', 'tomorrow'], 129, `error: 'tomorrow' ${time}`);
  await bad(['abcd1', '--until', '2026-12-02T09:00:00'], 129, `error: '2026-12-02T09:00:00' ${time}`);
  await bad(['abcd1', '--until', '2026-13-45'], 129, `error: '2026-13-45' ${time}`);
  await bad(['abcd1', '--until', '2026-11-30T10:00:00Z'], 129, "error: '2026-11-30T10:00:00Z' is not in the future");
  await bad(['abcd', '--for', '1h'], 129, "error: short id 'abcd' is ambiguous: n-abcd1111, n-abcd2222");
  await bad(['../x', '--for', '1h'], 129, "error: '../x' is not a notification id");
  await bad(['abcd1', 'n-zzzzzzzz', '--for', '1h'], 4, "error: no notification 'n-zzzzzzzz'");
  assert.is(stateTip(repo), tip, 'nothing committed');
  assert.is((await ok(repo, 'notify-show', ['abcd1']))[0]!.snoozed_until, null);
});

t('a malformed notify.snooze in the log is a problem fsck names', async () => {
  const repo = await initedRepo();
  plantNotifications(repo, [notificationRecord('n-abcd1111')]);
  writeStateCommit(
    repo,
    {},
    opMessage('notify snooze', { op: 'notify.snooze', ids: ['n-abcd1111'], until: 'later', at: T0, actor: 'a' }),
  );
  const messages = (await fsck(repo)).problems.filter((p) => p.check === 'log').map((p) => p.message.slice(14));
  assert.equal(messages, [
    "replaying 'notify.snooze' failed: malformed operation: 'until' is not null or an ISO 8601 UTC time",
  ]);
});

t('a snooze syncs to another clone, beside the other side reading it', async () => {
  const { remote, a: one } = await remoteWithState(initedRepo);
  const [n] = await addNotifications(one, [{ type: 'run.failed', title: 'a run failed' }]);
  await ok(one, 'sync');
  const two = await syncedClone(remote);
  await ok(one, 'notify-snooze', [n!.id, '--for', '1d'], AT(T0));
  await ok(two, 'notify-read', [n!.id]);
  await ok(one, 'sync');
  await ok(two, 'sync');
  await ok(one, 'sync');
  for (const clone of [one, two]) {
    const shown = (await ok(clone, 'notify-show', [n!.id]))[0]!;
    assert.equal([shown.state, shown.snoozed_until], ['read', '2026-12-02T10:00:00Z']);
    await assertFsckOk(clone, 'after sync');
  }
  assert.is(stateTip(one), stateTip(two));
});

t.run();
