// The pure parts of notify act and notify snooze: what a target names, the
// command a verb stands for, when a snooze ends, and the notify.snooze operation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { actStep, actSubject } from '../../src/core/notifications/act.ts';
import { snoozeEnd } from '../../src/core/notifications/model.ts';
import { applyNotifyOp, checkNotifyOp, notifySummary } from '../../src/core/notifications/ops.ts';
import { notificationRecord, T0 } from '../helpers/notifications.ts';

const t = suite('notify-act-core');

t('a target is read by its form', () => {
  assert.equal(actSubject('r-abcdefgh'), { kind: 'run', id: 'r-abcdefgh' });
  assert.equal(actSubject('w-abcdefgh'), { kind: 'workflow_run', id: 'w-abcdefgh' });
  assert.equal(actSubject('w-abcdefgh/ship-it'), { kind: 'workflow_step', run: 'w-abcdefgh', step: 'ship-it' });
  assert.equal(actSubject('sdd/epics/ready-cache.md'), { kind: 'plan', path: 'sdd/epics/ready-cache.md' });
  assert.equal(actSubject('n-abcd1234'), { kind: 'notification', id: 'n-abcd1234' });
  assert.equal(actSubject('ready_cache'), { kind: 'change', name: 'ready_cache' });
  assert.equal(actSubject('ts-k3f9abcd.2'), { kind: 'bead', id: 'ts-k3f9abcd.2' });
  for (const bad of ['sdd/prompts/x.md', 'sdd/epics/../x.md', 'w-abcdefgh/', 'w-abcdefgh/a/b', 'Two Words', '../x', ''])
    assert.is(actSubject(bad), null, bad);
});

t('each verb stands for a command; a retry or resume of a workflow run is wf resume', () => {
  const step = (verb: 'approve' | 'retry' | 'resume' | 'show', target: string) =>
    actStep(notificationRecord('n-abcd1234', { action: { verb, target } })).command.join(' ');
  assert.is(step('approve', 'sdd/tales/x.md'), 'sase sdd approve sdd/tales/x.md');
  assert.is(step('approve', 'w-abcdefgh/ok'), 'sase wf approve w-abcdefgh ok --resume --detach');
  assert.is(step('retry', 'r-abcdefgh'), 'sase agent retry r-abcdefgh --detach');
  assert.is(step('retry', 'w-abcdefgh'), 'sase wf resume w-abcdefgh --detach');
  assert.is(step('resume', 'r-abcdefgh'), 'sase agent resume r-abcdefgh --detach');
  assert.is(step('show', 'w-abcdefgh/ok'), 'sase wf status w-abcdefgh');
  assert.is(step('show', 'ts-k3f9abcd'), 'sase bead show ts-k3f9abcd');
  assert.throws(() => step('retry', 'sdd/tales/x.md'), /asks to retry 'sdd\/tales\/x.md', which is not an agent run/);
  assert.throws(() => actStep(notificationRecord('n-abcd1234')), /notification 'n-abcd1234' has no action/);
});

t('a snooze ends after a duration or at a time, to the second, rounded up', () => {
  const now = Date.parse(T0) + 400; // 10:00:00.400
  assert.is(snoozeEnd({ for: '2h' }, now), '2026-12-01T12:00:01Z');
  assert.is(snoozeEnd({ for: '1h30m' }, Date.parse(T0)), '2026-12-01T11:30:00Z');
  assert.is(snoozeEnd({ until: '2026-12-01T10:00:00.5Z' }, now), '2026-12-01T10:00:01Z');
  assert.is(snoozeEnd({ until: '2026-12-01T12:00-0130' }, now), '2026-12-01T13:30:00Z');
  assert.throws(() => snoozeEnd({ until: '2026-12-01T10:00:00Z' }, now), /is not in the future/);
  assert.throws(() => snoozeEnd({ for: '-1h' }, now), /is not a duration/);
});

t('notify.snooze: sets snoozed_until and keeps the state; checked as read from a commit', async () => {
  const a = notificationRecord('n-abcd1234', { state: 'read' });
  const files = new Map([[`notifications/${a.id}.json`, JSON.stringify(a)]]);
  const reader = { readFile: async (p: string) => files.get(p) ?? null };
  const op = { op: 'notify.snooze' as const, ids: [a.id], until: '2026-12-02T00:00:00Z', at: T0, actor: 'me' };
  const [written] = await applyNotifyOp(reader, op);
  assert.equal(JSON.parse(written!.text!), { ...a, snoozed_until: '2026-12-02T00:00:00Z' });
  assert.is(notifySummary(op), `notify snooze ${a.id} until 2026-12-02T00:00:00Z`);
  assert.equal(await applyNotifyOp(reader, { ...op, until: null }), [], 'not snoozed: nothing to write');
  assert.is(notifySummary({ ...op, until: null }), `notify unsnooze ${a.id}`);
  assert.equal(checkNotifyOp({ ...op }), op);
  assert.throws(() => checkNotifyOp({ ...op, until: undefined }), /'until' is not null or an ISO 8601 UTC time/);
  assert.throws(() => checkNotifyOp({ ...op, ids: ['x'] }), /'ids' is not a list of distinct notification ids/);
  await applyNotifyOp(reader, { ...op, ids: ['n-zzzzzzzz'] }).then(
    () => assert.unreachable(),
    (e: Error) => assert.is(e.message, "no notification 'n-zzzzzzzz'"),
  );
});

t.run();
