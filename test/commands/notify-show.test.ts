import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { notificationRecord, plantNotifications, T0 } from '../helpers/notifications.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { assertFsckOk, canonical, fsck, opMessage, stateTip, writeStateCommit } from '../helpers/state.ts';

const t = suite('notify-show');

// one repository for the file: a failed phase, and two notifications whose ids share 'abcd'
const repo = await initedRepo();
const phase = notificationRecord('n-4k2p9x1q', {
  type: 'phase.failed',
  severity: 'error',
  title: 'phase ts-7m2q.2 failed',
  body: 'exit 1: tests failed\nsee the log',
  about: [
    { kind: 'bead', id: 'ts-7m2q.2' },
    { kind: 'run', id: 'r-9k2d7a0b' },
  ],
  action: { verb: 'retry', target: 'r-9k2d7a0b' },
  host: 'laptop',
});
const one = notificationRecord('n-abcd1111', { title: 'one' });
const two = notificationRecord('n-abcd2222', { title: 'two', state: 'dismissed' });
plantNotifications(repo, [phase, one, two]);

t('shows a notification with every field, whatever its state', async () => {
  // through the real executable
  assert.equal(okBin(repo, 'notify-show', [phase.id]), [
    {
      v: 1,
      kind: 'notification',
      id: 'n-4k2p9x1q',
      type: 'phase.failed',
      severity: 'error',
      title: 'phase ts-7m2q.2 failed',
      body: 'exit 1: tests failed\nsee the log',
      about: [
        { kind: 'bead', id: 'ts-7m2q.2' },
        { kind: 'run', id: 'r-9k2d7a0b' },
      ],
      action: { verb: 'retry', target: 'r-9k2d7a0b' },
      created_at: T0,
      host: 'laptop',
      state: 'unread',
      snoozed_until: null,
    },
  ]);
  // a dismissed one too; showing marks nothing read
  const tip = stateTip(repo);
  assert.is((await ok(repo, 'notify-show', [two.id]))[0]!.state, 'dismissed');
  assert.is((await ok(repo, 'notify-show', [phase.id]))[0]!.state, 'unread');
  assert.is(stateTip(repo), tip);
});

t('resolves full ids and unique prefixes with and without n-, in any case; several keep their order', async () => {
  const inputs: Array<[string, string]> = [
    [phase.id, phase.id],
    ['4k2p9x1q', phase.id],
    ['4', phase.id],
    ['n-4k2', phase.id],
    ['N-4K2P', phase.id],
    ['abcd1', one.id],
    ['n-abcd2', two.id],
    ['abcd2222', two.id],
  ];
  const out = await ok(
    repo,
    'notify-show',
    inputs.map(([i]) => i),
  );
  assert.equal(
    out.map((r) => r.id),
    [phase.id, one.id, two.id],
    'each named once, in the order first named',
  );
  for (const [input, want] of inputs) assert.is((await ok(repo, 'notify-show', [input]))[0]!.id, want, input);
});

t('ids on stdin: bare, or NDJSON records from notify list', async () => {
  const listed = (await sase(repo, 'notify-list', ['--all'])).stdout;
  assert.equal(
    (await ok(repo, 'notify-show', [], { input: listed })).map((r) => r.id),
    [phase.id, one.id, two.id],
  );
  assert.equal(
    (await ok(repo, 'notify-show', ['--stdin'], { input: `abcd1\n\n4k2p\n` })).map((r) => r.id),
    [one.id, phase.id],
  );
});

t('a terminal gets a card', async () => {
  const r = await sase(repo, 'notify-show', [phase.id, '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  assert.is(
    r.stdout,
    [
      'n-4k2p9x1q  phase ts-7m2q.2 failed',
      'error  unread  phase.failed',
      `created    2026-12-01 10:00:00 +0000 on laptop`,
      'about      bead ts-7m2q.2, run r-9k2d7a0b',
      'action     retry r-9k2d7a0b',
      '',
      '  exit 1: tests failed',
      '  see the log',
      '',
    ].join('\n'),
  );
});

t('an ambiguous prefix: exit 129 naming the candidates; none: exit 4; malformed: exit 129', async () => {
  const tip = stateTip(repo);
  for (const input of ['abcd', 'n-abc', 'a']) {
    fails(
      await sase(repo, 'notify-show', [input]),
      129,
      `error: short id '${input}' is ambiguous: n-abcd1111, n-abcd2222`,
    );
  }
  const missing = await sase(repo, 'notify-show', ['zzzz']);
  fails(missing, 4, "error: no notification 'zzzz'");
  assert.is(missing.stderr, "error: no notification 'zzzz'\nhint: try 'sase notify list --all'\n");
  fails(await sase(repo, 'notify-show', [phase.id, 'n-zzzzzzzz']), 4, "error: no notification 'n-zzzzzzzz'");
  for (const bad of ['../x', 'n-', 'n-4k2p9x1q0', 'ts-abcd1111', 'n-4k2p/..', '', 'n-\u001b[2J']) {
    const r = await sase(repo, 'notify-show', [bad]);
    assert.is(r.code, 129, `${JSON.stringify(bad)}: ${r.stderr}`);
    assert.match(r.stderr, /^error: '.*' is not a notification id\n/);
  }
  // no id and an empty stdin: nothing to show, success
  assert.equal(await ok(repo, 'notify-show', []), []);
  assert.is(stateTip(repo), tip);
});

t('a record written by hand under another id is refused, naming its path; bad JSON or fields too', async () => {
  const r = await initedRepo();
  const good = notificationRecord('n-good0001');
  plantNotifications(r, [good]);
  const wrong = notificationRecord('n-bbbbbbbb');
  writeStateCommit(r, { 'notifications/n-aaaaaaaa.json': canonical(wrong) }, 'sase: by hand\n');
  const path = 'notifications/n-aaaaaaaa.json';
  const held = `fatal: state: '${path}' holds the record of 'n-bbbbbbbb', not of 'n-aaaaaaaa'`;
  fails(await sase(r, 'notify-show', ['n-aaaaaaaa']), 128, held);
  fails(await sase(r, 'notify-show', ['aaaa']), 128, held);
  fails(await sase(r, 'notify-list'), 128, held);
  // the others are still readable
  assert.is((await ok(r, 'notify-show', [good.id]))[0]!.id, good.id);
  const checked = await fsck(r);
  assert.is(checked.code, 1);
  assert.ok(
    checked.problems.some((p) => p.check === 'record' && p.path === path && p.message === held.slice(14)),
    JSON.stringify(checked.problems),
  );

  const bad = await initedRepo();
  writeStateCommit(
    bad,
    {
      'notifications/n-cccccccc.json': '{"v": 1, "kind": "notification", "id": "n-cccccccc"',
      'notifications/n-dddddddd.json': canonical({ ...notificationRecord('n-dddddddd'), severity: 'fatal' }),
      'notifications/n-eeeeeeee.json': canonical({ ...notificationRecord('n-eeeeeeee'), title: 'two\nlines' }),
    },
    opMessage('by hand', { op: 'notify.create', ids: [], notifications: [], at: T0, actor: 'a' }),
  );
  fails(await sase(bad, 'notify-show', ['cccc']), 128, 'fatal: notifications/n-cccccccc.json: not valid JSON');
  fails(
    await sase(bad, 'notify-show', ['dddd']),
    128,
    'fatal: notifications/n-dddddddd.json: severity "fatal" is not one of info, warning, error',
  );
  fails(
    await sase(bad, 'notify-show', ['eeee']),
    128,
    'fatal: notifications/n-eeeeeeee.json: title is not one line without control characters',
  );
  const problems = (await fsck(bad)).problems.filter((p) => p.check === 'record').map((p) => p.path);
  assert.equal(problems.sort(), [
    'notifications/n-cccccccc.json',
    'notifications/n-dddddddd.json',
    'notifications/n-eeeeeeee.json',
  ]);
});

t('a file under notifications/ that is not named as an id is refused by every reader, naming it', async () => {
  const r = await initedRepo();
  writeStateCommit(r, { 'notifications/readme.json': '{}\n' }, 'sase: by hand\n');
  const line = "fatal: state: 'notifications/readme.json' is not a notification's name (n-<8 of a-z, 0-9>.json)";
  fails(await sase(r, 'notify-list'), 128, line);
  fails(await sase(r, 'notify-show', ['abcd']), 128, line);
  assert.ok((await fsck(r)).problems.some((p) => p.check === 'path' && p.path === 'notifications/readme.json'));
});

t('the state passes fsck', async () => {
  await assertFsckOk(repo);
});

t.run();
