import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { addNotifications, notificationRecord, plantNotifications } from '../helpers/notifications.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { assertFsckOk, commitCount, opsInLog, STATE, stateTip } from '../helpers/state.ts';

const t = suite('notify-read');

async function setup() {
  const repo = await initedRepo();
  const [a, b, c] = await addNotifications(repo, [
    { type: 'run.failed', title: 'run a failed' },
    { type: 'sync.left_out', title: 'claim left out' },
    { type: 'axe.digest', title: 'digest' },
  ]);
  return { repo, a: a!, b: b!, c: c! };
}

t('marks notifications read in one notify.state commit; they stay listed', async () => {
  const { repo, a, b, c } = await setup();
  const before = commitCount(repo);
  // through the real executable
  const recs = okBin(repo, 'notify-read', [a.id, b.id.slice(2, 6)]);
  assert.equal(
    recs.map((r) => [r.id, r.state]),
    [
      [a.id, 'read'],
      [b.id, 'read'],
    ],
  );
  assert.equal(recs[0], { ...a, state: 'read' }, 'every other field as it was');
  assert.is(commitCount(repo), before + 1);
  assert.equal(opsInLog(repo).slice(-1), ['notify.state']);
  const op = JSON.parse(/^Sase-Op: (.*)$/m.exec(repo.git('log', '-1', '--format=%B', STATE))![1]!);
  assert.equal([op.ids, op.state], [[a.id, b.id], 'read']);
  assert.is(repo.git('log', '-1', '--format=%s', STATE).trim(), `sase: notify read ${a.id} ${b.id}`);
  const listed = await ok(repo, 'notify-list');
  assert.equal(
    listed.map((r) => [r.id, r.state]).sort(),
    [
      [a.id, 'read'],
      [b.id, 'read'],
      [c.id, 'unread'],
    ].sort(),
  );
  await assertFsckOk(repo, 'after notify read');
});

t('reading what is read already changes nothing and succeeds, printing it', async () => {
  const { repo, a } = await setup();
  await ok(repo, 'notify-read', [a.id]);
  const tip = stateTip(repo);
  const again = await ok(repo, 'notify-read', [a.id, a.id.toUpperCase()]);
  assert.equal(
    again.map((r) => [r.id, r.state]),
    [[a.id, 'read']],
  );
  assert.is(stateTip(repo), tip, 'no commit');
});

t('ids on stdin: what notify list prints', async () => {
  const { repo } = await setup();
  const listed = (await sase(repo, 'notify-list', ['--kind', 'run,axe'])).stdout;
  const recs = await ok(repo, 'notify-read', [], { input: listed });
  assert.equal(recs.map((r) => r.type).sort(), ['axe.digest', 'run.failed']);
  assert.ok(recs.every((r) => r.state === 'read'));
  await assertFsckOk(repo);
});

t('a dismissed notification marked read is listed again', async () => {
  const { repo, a } = await setup();
  await ok(repo, 'notify-dismiss', [a.id]);
  assert.not.ok((await ok(repo, 'notify-list')).some((r) => r.id === a.id));
  await ok(repo, 'notify-read', [a.id]);
  assert.is((await ok(repo, 'notify-list')).find((r) => r.id === a.id)?.state, 'read');
  await assertFsckOk(repo);
});

t('a terminal gets one line a notification, not a table; a pipe the records', async () => {
  const { repo, a } = await setup();
  const r = await sase(repo, 'notify-read', [a.id, '--no-color'], { terminal: true });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `read ${a.id.slice(0, 6)}: run a failed (read)\n`);
  const again = await sase(repo, 'notify-read', [a.id, '--no-color'], { terminal: true });
  assert.is(again.stdout, `unchanged ${a.id.slice(0, 6)}: run a failed (read)\n`);
  const piped = await sase(repo, 'notify-read', [a.id]);
  assert.equal(
    piped.records.map((x) => [x.kind, x.id, x.state]),
    [['notification', a.id, 'read']],
  );
});

t('an unknown, ambiguous or malformed id: its exit code, and nothing changed', async () => {
  const repo = await initedRepo();
  plantNotifications(repo, [
    notificationRecord('n-abcd1111'),
    notificationRecord('n-abcd2222'),
    notificationRecord('n-ffff0000'),
  ]);
  const tip = stateTip(repo);
  fails(await sase(repo, 'notify-read', ['ffff', 'n-zzzzzzzz']), 4, "error: no notification 'n-zzzzzzzz'");
  fails(
    await sase(repo, 'notify-read', ['ffff', 'abcd']),
    129,
    "error: short id 'abcd' is ambiguous: n-abcd1111, n-abcd2222",
  );
  fails(await sase(repo, 'notify-read', ['ffff', '../x']), 129, "error: '../x' is not a notification id");
  fails(
    await sase(repo, 'notify-read', ['--stdin'], { input: 'ffff\n{"id": 1}\n' }),
    128,
    "fatal: stdin:2: record has no 'id'",
  );
  assert.is(stateTip(repo), tip, 'nothing committed');
  assert.is((await ok(repo, 'notify-show', ['ffff']))[0]!.state, 'unread');
  await assertFsckOk(repo);
});

t.run();
