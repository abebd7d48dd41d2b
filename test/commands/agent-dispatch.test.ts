import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached, script, waitForRun } from '../helpers/agents.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, sase, saseProcess } from '../helpers/run.ts';

type Rec = Record<string, any>;

async function dispatch(repo: TestRepo, args: string[] = []): Promise<Rec[]> {
  return await ok(repo, 'agent-dispatch', args);
}

function byName(recs: Rec[]): Record<string, Rec> {
  return Object.fromEntries(recs.map((r) => [r.name, r]));
}

function stateTip(repo: TestRepo): string {
  return repo.git('rev-parse', 'refs/sase/state').trim();
}

/** The operations of the state ref, newest first. */
function ops(repo: TestRepo): string[] {
  return repo
    .git('log', '--format=%b', 'refs/sase/state')
    .split('\n')
    .filter((l) => l.startsWith('Sase-Op: '))
    .map((l) => JSON.parse(l.slice(9)).op);
}

async function numberedWorkspaces(repo: TestRepo): Promise<Rec[]> {
  return (await ok(repo, 'ws-list')).filter((w) => w.n !== 0);
}

async function bead(repo: TestRepo, title: string): Promise<string> {
  return (await ok(repo, 'bead-create', ['--title', title]))[0]!.id;
}

test('two waiting runs start in dependency order', async () => {
  const repo = await agentRepo();
  const x = await bead(repo, 'the schema is agreed');
  const y = await bead(repo, 'write the schema');
  const a = await detached(repo, script('create a.txt: from a', 'commit: add a'), [
    '--wait',
    `bead:${x}`,
    '--name',
    'a',
    '--bead',
    y,
  ]);
  const b = await detached(repo, script('create b.txt: from b', 'commit: add b'), ['--wait', 'a', '--name', 'b']);
  assert.is(a.status, 'waiting');
  assert.equal(a.waits, [{ bead: x }]);
  assert.equal(b.waits, [{ agent: 'a' }]);
  assert.is(a.workspace, null);
  // a waiting run holds its bead, claimed
  let yb = (await ok(repo, 'bead-show', [y]))[0]!;
  assert.is(yb.status, 'claimed');
  assert.is(yb.assignee, a.id);

  // nothing can start while X is open; the reasons name what each waits for and are recorded
  let d = byName(await dispatch(repo));
  assert.equal(Object.keys(d).sort(), ['a', 'b']);
  assert.is(d.a!.kind, 'dispatch');
  assert.is(d.a!.v, 1);
  assert.is(d.a!.id, a.id);
  assert.is(d.a!.action, 'waiting');
  assert.is(d.a!.reason, `waiting for bead:${x} (open)`);
  assert.is(d.a!.dry_run, false);
  assert.is(d.b!.action, 'waiting');
  assert.is(d.b!.reason, "waiting for agent 'a' (waiting)");
  assert.is(d.b!.run.status, 'waiting');
  assert.is(d.b!.run.wait_reason, d.b!.reason);
  const stored = byName(await ok(repo, 'agent-list', ['--all']));
  assert.is(stored.a!.wait_reason, `waiting for bead:${x} (open)`);
  assert.is(stored.b!.wait_reason, "waiting for agent 'a' (waiting)");
  assert.is((await numberedWorkspaces(repo)).length, 0);
  // the same pass again writes nothing: the reasons have not changed
  const tip = stateTip(repo);
  assert.equal(
    (await dispatch(repo)).map((r) => r.action),
    ['waiting', 'waiting'],
  );
  assert.is(stateTip(repo), tip);

  // X closed: A starts, B waits for it
  await ok(repo, 'bead-close', [x]);
  d = byName(await dispatch(repo));
  assert.is(d.a!.action, 'started');
  assert.is(d.a!.reason, null);
  assert.is(d.a!.run.status, 'queued');
  assert.is(d.a!.run.wait_reason, null);
  assert.is(d.a!.run.workspace.n, 1);
  assert.is(d.b!.action, 'waiting');
  assert.is(d.b!.reason, "waiting for agent 'a' (queued)");
  assert.ok(ops(repo).includes('agent.dispatch'));
  const aEnd = await waitForRun(repo, a.id);
  assert.is(aEnd.status, 'done', aEnd.error);
  assert.is(aEnd.commits.length, 1);
  // A's bead went in progress when it started and was closed by it
  yb = (await ok(repo, 'bead-show', [y]))[0]!;
  assert.is(yb.status, 'closed');
  assert.is(yb.assignee, a.id);

  // A done: B starts, in a workspace of its own
  d = byName(await dispatch(repo));
  assert.equal(Object.keys(d), ['b']);
  assert.is(d.b!.action, 'started');
  assert.is(d.b!.run.workspace.n, 2);
  const bEnd = await waitForRun(repo, b.id);
  assert.is(bEnd.status, 'done', bEnd.error);
  assert.ok(bEnd.started_at >= aEnd.ended_at, `${bEnd.started_at} < ${aEnd.ended_at}`);
  assert.is(bEnd.commits.length, 1);
  assert.is(repo.git('log', '-1', '--format=%s', bEnd.commits[0]).trim(), 'add b');
  assert.equal(bEnd.waits, [{ agent: 'a' }]);
  assert.is(bEnd.wait_reason, null);
  // nothing waits now: no output, nothing written
  const tip2 = stateTip(repo);
  const r = await sase(repo, 'agent-dispatch');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.is(stateTip(repo), tip2);
});

test('a failed dependency keeps its dependant waiting, blocked, and agent-show says why', async () => {
  const repo = await agentRepo();
  const b = await detached(repo, 'say: after a', ['--wait', 'a', '--name', 'b']);
  // no run named a yet
  assert.is((await ok(repo, 'agent-show', [b.id]))[0]!.wait_reason, "waiting for agent 'a' (no such run yet)");
  const r = await sase(repo, 'agent-run', ['--provider', 'fixture', '--name', 'a', '-'], { input: script('fail: no') });
  assert.is(r.code, 1, r.stderr);
  const a = r.records[0]!;
  assert.is(a.status, 'failed');
  // agent-show judges it now, before any dispatch has recorded it
  const live = (await ok(repo, 'agent-show', ['b']))[0]!;
  assert.is(live.status, 'waiting');
  assert.is(live.wait_reason, `blocked: agent 'a' failed (${a.id})`);
  const [d] = await dispatch(repo);
  assert.is(d!.id, b.id);
  assert.is(d!.action, 'blocked');
  assert.is(d!.reason, `blocked: agent 'a' failed (${a.id})`);
  assert.is(d!.run.status, 'waiting');
  assert.is(d!.run.wait_reason, d!.reason);
  assert.is(
    (await ok(repo, 'agent-list', ['--status', 'waiting']))[0]!.wait_reason,
    `blocked: agent 'a' failed (${a.id})`,
  );
  // still blocked at the next pass; no workspace was taken for it
  assert.is((await dispatch(repo))[0]!.action, 'blocked');
  assert.is((await numberedWorkspaces(repo)).filter((w) => w.run === b.id).length, 0);
  // on a terminal the card says it
  const card = await sase(repo, 'agent-show', ['b', '--format', 'text']);
  assert.is(card.code, 0, card.stderr);
  assert.match(card.stdout, `blocked: agent 'a' failed (${a.id})`);
  // an agent wait by run id
  const c = await detached(repo, 'say: soon', ['--wait', b.id]);
  assert.is((await ok(repo, 'agent-show', [c.id]))[0]!.wait_reason, `waiting for agent '${b.id}' (waiting)`);
});

test('the runner limit: --max, then [axe] max_agent_runners', async () => {
  const repo = await agentRepo('[axe]\nmax_agent_runners = 1\n');
  const x = await bead(repo, 'go');
  const runs: Rec[] = [];
  for (const n of ['one', 'two', 'three'])
    runs.push(await detached(repo, `say: ${n}`, ['--wait', `bead:${x}`, '--name', n]));
  await ok(repo, 'bead-close', [x]);
  const actions = (recs: Rec[]) => recs.map((r) => r.action).sort();
  // --max 1 with three ready runs: the oldest starts (the order they were made in, even within one second)
  let d = await dispatch(repo, ['--max', '1']);
  assert.equal(
    d.map((r) => r.id),
    runs.map((r) => r.id),
  );
  assert.equal(actions(d), ['limit', 'limit', 'started']);
  assert.is(d[0]!.action, 'started');
  for (const held of d.slice(1)) {
    assert.is(held.reason, 'ready; waiting for a runner (1 running or queued, at most 1)');
    assert.is(held.run.status, 'waiting');
    assert.is(held.run.wait_reason, held.reason);
  }
  await waitForRun(repo, d[0]!.id);
  // a ready run held back is ready to agent-show
  assert.is(
    (await ok(repo, 'agent-show', [d[1]!.id]))[0]!.wait_reason,
    "ready: starts at the next 'sase agent dispatch'",
  );
  // the config's limit (1): one more starts
  d = await dispatch(repo);
  assert.equal(actions(d), ['limit', 'started']);
  // --max overrides it
  d = await dispatch(repo, ['--max', '5']);
  assert.equal(actions(d), ['started']);
  for (const r of runs) assert.is((await waitForRun(repo, r.id)).status, 'done');
});

test('%wait: in the prompt works like --wait', async () => {
  const repo = await agentRepo();
  const x = await bead(repo, 'first');
  const run = await detached(repo, script(`%wait:bead:${x}`, 'create w.txt: w', 'commit: add w'), ['--name', 'w']);
  assert.is(run.status, 'waiting');
  assert.equal(run.waits, [{ bead: x }]);
  // the directive is not in the stored prompt
  const prompt = (await ok(repo, 'agent-show', [run.id, '--prompt']))[0]!.prompt;
  assert.not.match(prompt, '%wait');
  assert.is((await dispatch(repo))[0]!.reason, `waiting for bead:${x} (open)`);
  await ok(repo, 'bead-close', [x]);
  assert.is((await dispatch(repo))[0]!.action, 'started');
  const end = await waitForRun(repo, run.id);
  assert.is(end.status, 'done', end.error);
  assert.is(end.commits.length, 1);
});

test('bad values are usage errors that write nothing', async () => {
  const repo = await agentRepo();
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--detach', '--wait', 'Not An Agent!', 'say: hi']),
    129,
    "error: 'Not An Agent!' names no agent (a run id, a run name, or bead:<id>)",
  );
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--detach', '--wait', 'bead:', 'say: hi']),
    129,
    "error: 'bead:' is not bead:<id>",
  );
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--detach', 'say: hi\n%wait:Bad/Name']),
    129,
    "error: 'Bad/Name' names no agent (a run id, a run name, or bead:<id>)",
  );
  fails(
    await sase(repo, 'agent-dispatch', ['--max', '0']),
    129,
    'error: --max must be a whole number of at least 1 (got 0)',
  );
  fails(await sase(repo, 'agent-dispatch', ['extra']), 129, "error: unexpected argument 'extra'");
  assert.is(stateTip(repo), tip);
  assert.is((await numberedWorkspaces(repo)).length, 0);
  // a broken limit in config is fatal
  repo.write('.sase/config.toml', '[axe]\nmax_agent_runners = "many"\n');
  fails(
    await sase(repo, 'agent-dispatch'),
    128,
    `fatal: config: 'axe.max_agent_runners' must be a whole number of at least 1 (got "many")`,
  );
});

test('--dry-run says what would start and writes nothing', async () => {
  const repo = await agentRepo();
  const x = await bead(repo, 'ready');
  const ready = await detached(repo, 'say: hi', ['--wait', `bead:${x}`, '--name', 'ready']);
  const later = await detached(repo, 'say: later', ['--wait', 'ready', '--name', 'later']);
  await ok(repo, 'bead-close', [x]);
  const tip = stateTip(repo);
  const d = byName(await dispatch(repo, ['--dry-run']));
  assert.is(d.ready!.action, 'started');
  assert.is(d.ready!.dry_run, true);
  assert.is(d.ready!.run.status, 'queued');
  assert.is(d.later!.action, 'waiting');
  // told as it would be after the pass: its dependency queued
  assert.is(d.later!.reason, "waiting for agent 'ready' (queued)");
  assert.is(stateTip(repo), tip);
  assert.is((await numberedWorkspaces(repo)).length, 0);
  assert.is((await ok(repo, 'agent-show', [ready.id]))[0]!.status, 'waiting');
  assert.is((await ok(repo, 'agent-list', ['--all'])).find((r) => r.id === later.id)!.wait_reason, 'waiting for ready');
  // on a terminal
  const text = await sase(repo, 'agent-dispatch', ['--dry-run', '--format', 'text']);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, `would start ready (${ready.id})`);
  assert.match(text.stdout, `waiting later (${later.id}): waiting for agent 'ready' (queued)`);
  assert.is(stateTip(repo), tip);
});

for (const ws of ['a new workspace', 'workspace #1']) {
  test(`three dispatchers racing start a ready run once (${ws})`, async () => {
    const repo = await agentRepo();
    const x = await bead(repo, 'go');
    await ok(repo, 'ws-new');
    const run = await detached(repo, script('create r.txt: r', 'commit: add r'), [
      '--wait',
      `bead:${x}`,
      '--name',
      'raced',
      ...(ws === 'workspace #1' ? ['--ws', '#1'] : []),
    ]);
    await ok(repo, 'bead-close', [x]);
    const results = await Promise.all([0, 1, 2].map(() => saseProcess(repo, 'agent-dispatch')));
    for (const r of results) assert.is(r.code, 0, r.stderr);
    const recs = results.flatMap((r) => r.records);
    assert.is(recs.filter((d) => d.action === 'started').length, 1, JSON.stringify(recs));
    // the others found it no longer waiting, when they saw it at all
    for (const d of recs.filter((d) => d.action !== 'started')) assert.is(d.action, 'skipped');
    assert.is(ops(repo).filter((o) => o === 'agent.dispatch').length, 1);
    const end = await waitForRun(repo, run.id);
    assert.is(end.status, 'done', end.error);
    assert.is(end.commits.length, 1);
    // the losers gave back what they took, and nothing the winner holds
    const wss = await numberedWorkspaces(repo);
    if (ws === 'workspace #1') {
      assert.is(end.workspace.n, 1);
      assert.equal(
        wss.map((w) => [w.n, w.run, w.state]),
        [[1, run.id, 'finished']],
      );
    } else
      assert.equal(
        wss.map((w) => w.n),
        [1, end.workspace.n],
      );
  });
}

test('a ready run whose workspace is held stays waiting, says why, and the pass exits 1', async () => {
  const repo = await agentRepo();
  const x = await bead(repo, 'go');
  await ok(repo, 'ws-new', ['--for', 'r-someone0']);
  const run = await detached(repo, 'say: hi', ['--wait', `bead:${x}`, '--ws', '#1']);
  await ok(repo, 'bead-close', [x]);
  const r = await sase(repo, 'agent-dispatch');
  assert.is(r.code, 1);
  assert.is(r.stderr, `error: run '${run.id}': cannot start: workspace #1 is held by run 'r-someone0'\n`);
  const [d] = r.records;
  assert.is(d!.action, 'error');
  assert.is(d!.reason, "cannot start: workspace #1 is held by run 'r-someone0'");
  assert.is(d!.run.status, 'waiting');
  assert.is(d!.run.wait_reason, d!.reason);
  assert.equal(
    (await numberedWorkspaces(repo)).map((w) => [w.n, w.run, w.state]),
    [[1, 'r-someone0', 'busy']],
  );
});

test('--format id prints the started runs', async () => {
  const repo = await agentRepo();
  const x = await bead(repo, 'go');
  const a = await detached(repo, 'say: a', ['--wait', `bead:${x}`]);
  await detached(repo, 'say: b', ['--wait', a.id]);
  await ok(repo, 'bead-close', [x]);
  const r = await sase(repo, 'agent-dispatch', ['--format', 'id']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${a.id}\n`);
  await waitForRun(repo, a.id);
});

test.run();
