import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitForRun } from '../helpers/agents.ts';
import { changeRepo, initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { addNotifications } from '../helpers/notifications.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { draftEpic } from '../helpers/sdd-plans.ts';
import { assertFsckOk, opsInLog, STATE, stateTip } from '../helpers/state.ts';
import { GATE, step, theRun, waitForWf, wfRepo, writeSpec } from '../helpers/workflows.ts';

const t = suite('notify-act');

type Fields = Parameters<typeof addNotifications>[1][number];

async function notification(repo: TestRepo, fields: Fields): Promise<Record<string, any>> {
  const [n] = await addNotifications(repo, [fields]);
  return n!;
}

const stateOf = async (repo: TestRepo, id: string) => (await ok(repo, 'notify-show', [id]))[0]!.state;

t('approve a plan: its beads made as sdd approve makes them, the notification read', async () => {
  const repo = await initedRepo();
  const path = await draftEpic(repo, 'Ready Cache', [{ id: '1' }, { id: '2', depends_on: ['1'] }]);
  const n = await notification(repo, {
    type: 'plan.waiting',
    title: 'plan ready-cache waits for approval',
    about: [{ kind: 'plan', id: path }],
    action: { verb: 'approve', target: path },
  });
  // through the real executable
  const [rec, ...more] = okBin(repo, 'notify-act', [n.id.slice(2, 6)]);
  assert.equal(more, []);
  const plan = (await ok(repo, 'sdd-show', [path]))[0]!;
  assert.is(plan.status, 'approved');
  const top = plan.bead as string;
  assert.equal(rec, {
    v: 1,
    kind: 'notify_act',
    id: n.id,
    verb: 'approve',
    target: path,
    subject: { kind: 'plan', id: path },
    command: `sase sdd approve ${path}`,
    dry_run: false,
    results: [
      { kind: 'bead', id: top },
      { kind: 'bead', id: `${top}.1` },
      { kind: 'bead', id: `${top}.2` },
    ],
    state: 'read',
  });
  assert.equal(opsInLog(repo).slice(-2), ['sdd.approve', 'notify.state']);
  assert.equal(
    (await ok(repo, 'bead-ready')).map((b) => b.id),
    [`${top}.1`],
  );
  // acting again: the plan was approved before (a no-op that reports its beads); nothing to mark
  const tip = stateTip(repo);
  const r = await sase(repo, 'notify-act', [n.id, '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${n.id}: ${path} was approved before: ${top} with 2 phases\n`);
  assert.is(stateTip(repo), tip);
  await assertFsckOk(repo, 'after notify act');
});

t('approve a waiting workflow step: approved and carried on in the background', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'gate', GATE);
  const started = await sase(repo, 'wf-run', ['gate']);
  assert.is(started.code, 0, started.stderr);
  const id = theRun(started).id as string;
  const n = await notification(repo, {
    type: 'workflow.waiting',
    title: "step 'ok' of gate waits for approval",
    about: [{ kind: 'workflow_run', id }],
    action: { verb: 'approve', target: `${id}/ok` },
  });
  const r = await sase(repo, 'notify-act', [n.id, '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  assert.is(
    r.stdout,
    `${n.id}: approved step 'ok' of gate (${id}); it goes on in the background ('sase wf status ${id}' follows it)\n`,
  );
  const done = await waitForWf(repo, id, ['done', 'failed']);
  assert.is(done.status, 'done');
  assert.is(step(done, 'ok').approval.by, 'author@example.com');
  assert.is(step(done, 'ok').outputs.approved, true);
  assert.is(step(done, 'release').state, 'done');
  assert.is(await stateOf(repo, n.id), 'read');
  // the step waits no more: acting again is the refusal wf approve gives, and changes nothing
  const tip = stateTip(repo);
  await ok(repo, 'notify-read', [n.id]);
  fails(
    await sase(repo, 'notify-act', [n.id]),
    1,
    `error: step 'ok' of workflow run '${id}' is not waiting for an approval (it is done)`,
  );
  assert.is(stateTip(repo), tip);
  await assertFsckOk(repo);
});

// the check passes only once the file has two lines: the first attempt fails, a retry that finds its line passes
const TWO_TRIES = 'append work.txt: one more line\nrun: test "$(wc -l < work.txt)" -ge 2\ncommit: the work\n';

t('retry a failed run: a new attempt in its workspace, in the background', async () => {
  const repo = await initedRepo();
  const first = await sase(repo, 'agent-run', ['--provider', 'example', '--name', 'worker', '-'], {
    input: TWO_TRIES,
  });
  assert.is(first.code, 1, first.stderr);
  const failed = first.records[0]!;
  const n = await notification(repo, {
    type: 'run.failed',
    title: 'run worker failed',
    about: [{ kind: 'run', id: failed.id }],
    action: { verb: 'retry', target: failed.id },
  });
  const [rec] = await ok(repo, 'notify-act', [n.id]);
  assert.is(rec!.command, `sase agent retry ${failed.id} --detach`);
  assert.equal(rec!.subject, { kind: 'run', id: failed.id });
  assert.is(rec!.results.length, 1);
  assert.is(rec!.results[0].kind, 'run');
  assert.is(rec!.state, 'read');
  const again = await waitForRun(repo, rec!.results[0].id);
  assert.is(again.retry_of, failed.id);
  assert.is(again.workspace.n, failed.workspace.n);
  assert.is(again.status, 'done');
  await assertFsckOk(repo);
});

t('resume a run: its session told to continue, in the background', async () => {
  const repo = await initedRepo();
  const [first] = await ok(repo, 'agent-run', ['--provider', 'example', '--name', 'chat', 'say: hello']);
  const n = await notification(repo, {
    type: 'axe.digest',
    title: 'chat stopped',
    action: { verb: 'resume', target: first!.id },
  });
  const r = await sase(repo, 'notify-act', [n.id, '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  const next = /as (r-[0-9a-z]{8}) in the background/.exec(r.stdout)?.[1];
  assert.ok(next, r.stdout);
  assert.is(
    r.stdout,
    `${n.id}: resumed run ${first!.id} as ${next} in the background ('sase agent show ${next}' follows it)\n`,
  );
  const ended = await waitForRun(repo, next!);
  assert.is(ended.resume_of, first!.id);
  assert.is(ended.session, first!.session);
  assert.is(await stateOf(repo, n.id), 'read');
});

t('show: the show command of the record, then the act record; on a terminal a run shows its log', async () => {
  const repo = await changeRepo({ name: 'feat' });
  const n = await notification(repo, {
    type: 'change.comments',
    title: 'new comments on feat',
    about: [{ kind: 'change', id: 'feat' }],
    action: { verb: 'show', target: 'feat' },
  });
  const recs = await ok(repo, 'notify-act', [n.id]);
  assert.equal(
    recs.map((r) => [r.kind, r.id]),
    [
      ['changespec', 'feat'],
      ['notify_act', n.id],
    ],
  );
  assert.equal(recs[1]!.results, []);
  assert.is(recs[1]!.command, 'sase cs show feat');
  assert.is(await stateOf(repo, n.id), 'read');

  const [run] = await ok(repo, 'agent-run', ['--provider', 'example', 'say: the answer is 42']);
  const m = await notification(repo, { type: 'axe.digest', title: 'look', action: { verb: 'show', target: run!.id } });
  const r = await sase(repo, 'notify-act', [m.id, '--format', 'text', '--no-color']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, run!.id);
  assert.match(r.stdout, /\n {2}.*the answer is 42/);
  assert.is(await stateOf(repo, m.id), 'read');
  await assertFsckOk(repo);
});

t('--dry-run says what it would run and changes nothing', async () => {
  const repo = await initedRepo();
  const path = await draftEpic(repo, 'Dry Plan', [{ id: '1' }]);
  const n = await notification(repo, { type: 'plan.waiting', title: 'dry', action: { verb: 'approve', target: path } });
  const tip = stateTip(repo);
  const [rec] = await ok(repo, 'notify-act', [n.id, '--dry-run']);
  assert.equal(
    [rec!.dry_run, rec!.command, rec!.results, rec!.state],
    [true, `sase sdd approve ${path}`, [], 'unread'],
  );
  const r = await sase(repo, 'notify-act', [n.id, '--dry-run', '--format', 'text']);
  assert.is(r.stdout, `${n.id}: would run 'sase sdd approve ${path}'\n`);
  assert.is(stateTip(repo), tip, 'nothing written');
  assert.is((await ok(repo, 'sdd-show', [path]))[0]!.status, 'draft');
});

t('an action that fails: its error and exit code, the notification left unread', async () => {
  const repo = await initedRepo();
  const [done] = await ok(repo, 'agent-run', ['--provider', 'example', 'say: fine']);
  const n = await notification(repo, {
    type: 'run.failed',
    title: 'not really',
    action: { verb: 'retry', target: done!.id },
  });
  const gone = await notification(repo, {
    type: 'workflow.waiting',
    title: 'gone',
    action: { verb: 'approve', target: 'w-zzzzzzzz/ship' },
  });
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'notify-act', [n.id]),
    1,
    `error: run '${done!.id}' is done; there is nothing to retry ('sase agent resume ${done!.id}' continues its session)`,
  );
  fails(await sase(repo, 'notify-act', [gone.id]), 4, "error: no workflow run 'w-zzzzzzzz'");
  fails(await sase(repo, 'notify-act', [gone.id, '--dry-run']), 4, "error: no workflow run 'w-zzzzzzzz'");
  assert.is(stateTip(repo), tip, 'nothing written');
  assert.is(await stateOf(repo, n.id), 'unread');
  assert.is(await stateOf(repo, gone.id), 'unread');
});

t('no action, or one its verb cannot take: refused; bad ids: usage errors or not found', async () => {
  const repo = await initedRepo();
  const [a, b, c] = await addNotifications(repo, [
    { type: 'sync.left_out', title: 'left out' },
    { type: 'run.failed', title: 'odd', action: { verb: 'approve', target: 'r-abcdefgh' } },
    { type: 'axe.digest', title: 'odd too', action: { verb: 'show', target: 'Not A Thing' } },
  ]);
  const tip = stateTip(repo);
  const r = await sase(repo, 'notify-act', [a!.id]);
  fails(r, 1, `error: notification '${a!.id}' has no action`);
  assert.is(
    r.stderr.split('\n')[1],
    `hint: 'sase notify show ${a!.id}' shows it; 'sase notify read ${a!.id}' marks it read`,
  );
  fails(
    await sase(repo, 'notify-act', [b!.id]),
    1,
    `error: notification '${b!.id}' asks to approve 'r-abcdefgh', which is not a plan (sdd/<tier>s/<slug>.md) or a workflow run's step (w-<id>/<step>)`,
  );
  fails(
    await sase(repo, 'notify-act', [c!.id]),
    1,
    `error: notification '${c!.id}' asks to show 'Not A Thing', which is not a run, a workflow run, a plan, a bead, a change or a notification`,
  );
  fails(await sase(repo, 'notify-act', ['n-zzzzzzzz']), 4, "error: no notification 'n-zzzzzzzz'");
  fails(await sase(repo, 'notify-act', ['../x']), 129, "error: '../x' is not a notification id");
  fails(await sase(repo, 'notify-act', []), 129, 'error: missing <id>');
  fails(await sase(repo, 'notify-act', [a!.id, b!.id]), 129, `error: unexpected argument '${b!.id}'`);
  assert.is(stateTip(repo), tip, 'nothing written');
});

t('a dismissed notification acted on stays dismissed', async () => {
  const repo = await initedRepo();
  const target = await notification(repo, { type: 'sync.left_out', title: 'the one shown' });
  const n = await notification(repo, { type: 'axe.digest', title: 'see', action: { verb: 'show', target: target.id } });
  await ok(repo, 'notify-dismiss', [n.id]);
  const recs = await ok(repo, 'notify-act', [n.id]);
  assert.equal(
    recs.map((r) => [r.kind, r.id, r.state]),
    [
      ['notification', target.id, 'unread'],
      ['notify_act', n.id, 'dismissed'],
    ],
  );
  assert.is(repo.git('log', '-1', '--format=%s', STATE).trim().startsWith('sase: notify dismiss'), true);
});

t.run();
