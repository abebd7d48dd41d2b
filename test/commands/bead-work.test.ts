import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo } from '../helpers/agents.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { BIN, fails, ok, sase } from '../helpers/run.ts';

interface PhaseDef {
  id: string;
  deps?: string[];
  lines: string[];
  scope?: string[];
}

/** An epic plan file whose phases' descriptions are scripts for the test agent. */
function epicFile(repo: TestRepo, title: string, phases: PhaseDef[]): string {
  const yaml = phases
    .map((p) => {
      const scope = p.scope ? `\n    scope: [${p.scope.map((s) => JSON.stringify(s)).join(', ')}]` : '';
      const desc = p.lines.map((l) => `      ${l}`).join('\n');
      return `  - id: ${p.id}\n    title: Phase ${p.id}\n    size: small\n    depends_on: [${(p.deps ?? []).join(', ')}]${scope}\n    description: |\n${desc}`;
    })
    .join('\n');
  const file = `${title.toLowerCase()}.md`;
  repo.write(file, `---\ntier: epic\ntitle: ${title}\ngoal: ${title} is worked\nphases:\n${yaml}\n---\nThe body.\n`);
  return file;
}

const work = (repo: TestRepo, args: string[], env?: Record<string, string>) =>
  sase(repo, 'bead-work', ['--provider', 'fixture', ...args], { env });
const stateTip = (repo: TestRepo) => repo.git('rev-parse', 'refs/sase/state').trim();
const runsNamed = async (repo: TestRepo) => {
  const by = new Map<string, Record<string, any>[]>();
  for (const r of await ok(repo, 'agent-list', ['--all'])) by.set(r.name, [...(by.get(r.name) ?? []), r]);
  return by;
};

const DIAMOND: PhaseDef[] = [
  { id: 'a', lines: ['create a.txt: a', 'commit: phase a'] },
  { id: 'b', deps: ['a'], lines: ['run: test -f a.txt', 'create b.txt: b', 'commit: phase b'] },
  { id: 'c', deps: ['a'], lines: ['run: test -f a.txt', 'create c.txt: c', 'commit: phase c'] },
  { id: 'd', deps: ['b', 'c'], lines: ['run: test -f b.txt && test -f c.txt', 'create d.txt: d', 'commit: phase d'] },
  { id: 'e', lines: ['create e.txt: e', 'commit: phase e'] },
];

test('a 5-phase epic with a diamond, --jobs 2: dependency order, stacked workspaces, the land change, epic and plan done, then a no-op', async () => {
  const repo = await agentRepo();
  const file = epicFile(repo, 'Diamond', DIAMOND);
  const r = await work(repo, [file, '--jobs', '2']);
  assert.is(r.code, 0, r.stderr);
  const recs = r.records;
  assert.is(recs.length, 6);
  const epic = recs[0]!.epic as string;
  const byBead = new Map(recs.map((x) => [x.bead, x]));
  assert.equal(
    recs.map((x) => x.run_status),
    ['done', 'done', 'done', 'done', 'done', 'done'],
  );
  const phase = (k: number) => byBead.get(`${epic}.${k}`)!;
  assert.equal(
    [1, 2, 3, 4, 5].map((k) => phase(k).wave),
    [1, 2, 2, 3, 1],
  );
  // every run started after its blockers ended
  const runs = new Map((await ok(repo, 'agent-list', ['--all'])).map((x) => [x.name, x]));
  for (const p of recs) {
    const run = runs.get(p.id)!;
    for (const b of p.blockers) assert.ok(run.started_at >= runs.get(b)!.ended_at, `${p.id} started before ${b} ended`);
  }
  const land = runs.get(`${epic}.land`)!;
  for (const p of recs.filter((x) => !x.land)) assert.ok(land.started_at >= runs.get(p.id)!.ended_at);
  // a dependent phase's workspace holds its blockers' commits
  const commitOf = (k: number) => runs.get(`${epic}.${k}`)!.commits[0] as string;
  const d = runs.get(`${epic}.4`)!;
  for (const k of [1, 2, 3]) repo.git('merge-base', '--is-ancestor', commitOf(k), d.workspace.branch);
  // the land run's change holds every phase's commit
  const cs = (await ok(repo, 'cs-show', [land.changespec]))[0]!;
  const shas = cs.commits.map((k: Record<string, string>) => k.sha);
  for (const k of [1, 2, 3, 4, 5]) assert.ok(shas.includes(commitOf(k)), `phase ${k}'s commit is in the change`);
  // the epic and its plan are done
  assert.is((await ok(repo, 'bead-show', [epic]))[0]!.status, 'closed');
  assert.is((await ok(repo, 'sdd-show', ['diamond']))[0]!.status, 'done');
  // again: nothing changes
  const tip = stateTip(repo);
  const again = await work(repo, [epic]);
  assert.is(again.code, 0, again.stderr);
  assert.is(stateTip(repo), tip);
  assert.equal(
    [...(await runsNamed(repo)).values()].map((v) => v.length),
    [1, 1, 1, 1, 1, 1],
  );
  assert.ok((await ok(repo, 'fsck', ['--replay']))[0]!.ok);
});

test('a failed phase keeps its dependants and the land run waiting; --retry-failed finishes the epic without duplicates', async () => {
  const repo = await agentRepo();
  const file = epicFile(repo, 'Fragile', [
    { id: 'a', lines: ['create a.txt: a', 'commit: phase a'] },
    { id: 'b', deps: ['a'], lines: ['append notes.txt: tried', 'run: test -f fixed.txt', 'commit: phase b'] },
    { id: 'c', deps: ['b'], lines: ['create c.txt: c', 'commit: phase c'] },
  ]);
  const r = await work(repo, [file]);
  assert.is(r.code, 1);
  const epic = r.records[0]!.epic as string;
  assert.match(r.stderr, `error: phase ${epic}.2 failed`);
  assert.match(r.stderr, '--retry-failed');
  const by = new Map(r.records.map((x) => [x.id, x]));
  assert.is(by.get(`${epic}.2`)!.run_status, 'failed');
  assert.is(by.get(`${epic}.3`)!.run_status, 'waiting');
  assert.is(by.get(`${epic}.land`)!.run_status, 'waiting');
  assert.is((await ok(repo, 'bead-show', [epic]))[0]!.status, 'in_progress');
  // the epic says which phase failed and why
  const epicRuns = (await ok(repo, 'bead-show', [epic]))[0]!.runs as Record<string, any>[];
  const failedRun = epicRuns.find((x) => x.name === `${epic}.2`)!;
  assert.is(failedRun.status, 'failed');
  // the agent's own reason, not only 'exit code 1'
  assert.is(failedRun.error, 'command exited 1 (exit code 1)');
  assert.match(r.stderr, `error: phase ${epic}.2 failed (${failedRun.id}): command exited 1 (exit code 1)`);
  assert.match((await sase(repo, 'bead-show', [epic, '--format', 'text'])).stdout, `${epic}.2 failed`);
  const shown = (await ok(repo, 'agent-show', [`${epic}.3`]))[0]!;
  assert.match(shown.wait_reason, `blocked: agent '${epic}.2' failed`);
  // without --retry-failed nothing moves
  assert.is((await work(repo, [epic])).code, 1);
  // fix it in the failed phase's kept workspace, then retry
  const failed = (await ok(repo, 'agent-show', [`${epic}.2`]))[0]!;
  writeFileSync(join(failed.workspace.path, 'fixed.txt'), 'yes\n');
  // without --provider: the epic's runs' provider is used again
  const again = await sase(repo, 'bead-work', [epic, '--retry-failed']);
  assert.is(again.code, 0, again.stderr);
  assert.ok(again.records.every((x) => x.run_status === 'done'));
  const names = await runsNamed(repo);
  assert.is(names.get(`${epic}.2`)!.length, 2, 'the failed phase has its attempt and its retry');
  for (const [name, list] of names) if (name !== `${epic}.2`) assert.is(list.length, 1, name);
  assert.is(
    (await ok(repo, 'bead-list', ['--parent', epic, '--status', 'open,claimed,in_progress,closed'])).length,
    3,
    'no duplicate bead',
  );
  assert.is((await ok(repo, 'bead-show', [epic]))[0]!.status, 'closed');
});

test('killing the foreground bead work halfway, then starting it again, finishes the same epic', async () => {
  const repo = await agentRepo();
  const file = epicFile(repo, 'Slow', [
    { id: 'a', lines: ['sleep 1', 'create a.txt: a', 'commit: phase a'] },
    { id: 'b', deps: ['a'], lines: ['create b.txt: b', 'commit: phase b'] },
  ]);
  const child = spawn(join(BIN, 'sase-bead-work'), ['--provider', 'fixture', file], {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}` },
    stdio: 'ignore',
  });
  // wait until the first phase runs, then kill the foreground process
  const deadline = Date.now() + 20_000;
  for (;;) {
    const running = (await sase(repo, 'agent-list', ['--status', 'running'])).records;
    if (running.length) break;
    if (Date.now() > deadline) throw new Error('no phase started');
    await new Promise((res) => setTimeout(res, 100));
  }
  child.kill('SIGKILL');
  await new Promise((res) => child.on('exit', res));
  const epic = (await ok(repo, 'agent-list', ['--all']))[0]!.name.split('.').slice(0, -1).join('.');
  const r = await work(repo, [epic]);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.records.every((x) => x.run_status === 'done'));
  assert.equal(
    [...(await runsNamed(repo)).values()].map((v) => v.length),
    [1, 1, 1],
  );
  assert.is((await ok(repo, 'bead-show', [epic]))[0]!.status, 'closed');
});

test('phases of one wave whose scopes overlap run one after the other, and the schedule says so', async () => {
  const repo = await agentRepo();
  const file = epicFile(repo, 'Scoped', [
    { id: 'a', scope: ['src/**'], lines: ['create src/a.txt: a', 'commit: phase a'] },
    { id: 'b', scope: ['src/b.txt'], lines: ['create src/b.txt: b', 'commit: phase b'] },
    { id: 'c', scope: ['docs/**'], lines: ['create docs/c.txt: c', 'commit: phase c'] },
  ]);
  await ok(repo, 'sdd-put', [file]);
  await ok(repo, 'sdd-approve', ['scoped']);
  const plan = await sase(repo, 'bead-work', ['scoped', '--dry-run']);
  assert.is(plan.code, 0, plan.stderr);
  const epic = plan.records[0]!.epic;
  const by = new Map(plan.records.map((x) => [x.bead, x]));
  assert.is(by.get(`${epic}.2`)!.after, `${epic}.1`);
  assert.is(by.get(`${epic}.3`)!.after, null);
  assert.equal(
    [1, 2, 3].map((k) => by.get(`${epic}.${k}`)!.wave),
    [1, 1, 1],
  );
  const r = await work(repo, [epic, '--jobs', '3']);
  assert.is(r.code, 0, r.stderr);
  const runs = new Map((await ok(repo, 'agent-list', ['--all'])).map((x) => [x.name, x]));
  assert.ok(runs.get(`${epic}.2`)!.started_at >= runs.get(`${epic}.1`)!.ended_at);
});

test('a budget of zero dispatches nothing and says why', async () => {
  const repo = await agentRepo('[budget]\nper_day = 0\n');
  const file = epicFile(repo, 'Thrifty', [{ id: 'a', lines: ['say: hi'] }]);
  const r = await work(repo, [file]);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'budget per_day reached: 0 spent of 0 in the last 24 hours');
  assert.ok(r.records.every((x) => x.run_status === 'waiting'));
  const run = (await ok(repo, 'agent-show', [r.records[0]!.id]))[0]!;
  assert.match(run.wait_reason, 'budget per_day reached');
});

test('--dry-run prints the schedule and writes nothing; --detach returns after the checkpoint and dispatch carries on', async () => {
  const repo = await agentRepo();
  const file = epicFile(repo, 'Later', [
    { id: 'a', lines: ['create a.txt: a', 'commit: a'] },
    { id: 'b', deps: ['a'], lines: ['create b.txt: b', 'commit: b'] },
  ]);
  await ok(repo, 'sdd-put', [file]);
  // a plan not yet approved is previewed (once refused: 'a dry run changes nothing'): the schedule it would get, nothing written
  const before = stateTip(repo);
  const preview = await sase(repo, 'bead-work', ['later', '--dry-run']);
  assert.is(preview.code, 0, preview.stderr);
  assert.equal(
    preview.records.map((x) => [x.id, x.wave, x.blockers, x.epic, x.bead, x.plan, x.run_status]),
    [
      ['a', 1, [], null, null, 'sdd/epics/later.md', null],
      ['b', 2, ['a'], null, null, 'sdd/epics/later.md', null],
      ['land', 3, [], null, null, 'sdd/epics/later.md', null],
    ],
  );
  assert.is(
    preview.stderr,
    "note: plan 'sdd/epics/later.md' is not approved yet: this is the schedule it would get; 'sase bead work later' without --dry-run approves it first\n",
  );
  assert.is(stateTip(repo), before);
  assert.is((await ok(repo, 'sdd-show', ['later']))[0]!.status, 'draft');
  // models by size from [bead_work.models], and the plan file itself previewed without being stored
  const config = readFileSync(join(repo.dir, '.sase/config.toml'), 'utf8');
  repo.write('.sase/config.toml', `${config}[bead_work.models]\nsmall = "haiku"\n`);
  const fromFile = await sase(repo, 'bead-work', [file, '--dry-run']);
  assert.is(fromFile.code, 0, fromFile.stderr);
  assert.equal(
    fromFile.records.map((x) => x.model),
    ['haiku', 'haiku', null],
  );
  assert.is(stateTip(repo), before);
  // readable on a terminal: the table, by the plan's ids
  const table = await sase(repo, 'bead-work', ['later', '--dry-run', '--format', 'text']);
  assert.match(table.stdout, /WAVE\s+PHASE\s+STATE\s+MODEL\s+AFTER/);
  assert.match(table.stdout, /2\s+b\s+planned\s+haiku\s+a\s/);
  repo.write('.sase/config.toml', config); // the test agent takes no model
  await ok(repo, 'sdd-approve', ['later']);
  const tip = stateTip(repo);
  const plan = await ok(repo, 'bead-work', ['later', '--dry-run']);
  assert.equal(
    plan.map((x) => [x.wave, x.run_status]),
    [
      [1, null],
      [2, null],
      [3, null],
    ],
  );
  assert.is(stateTip(repo), tip);
  const text = (await sase(repo, 'bead-work', ['later', '--dry-run', '--format', 'text'])).stdout;
  assert.match(text, 'WAVE  PHASE');
  const d = await work(repo, ['later', '--detach']);
  assert.is(d.code, 0, d.stderr);
  assert.equal(
    d.records.map((x) => x.run_status),
    ['waiting', 'waiting', 'waiting'],
  );
  const epic = d.records[0]!.epic;
  for (let i = 0; i < 200 && (await ok(repo, 'bead-show', [epic]))[0]!.status !== 'closed'; i++) {
    await sase(repo, 'agent-dispatch');
    await new Promise((res) => setTimeout(res, 150));
  }
  assert.is((await ok(repo, 'bead-show', [epic]))[0]!.status, 'closed');
});

test('refused: a blocker outside the epic still open; a task bead gets one run', async () => {
  const repo = await agentRepo();
  const file = epicFile(repo, 'Blocked', [{ id: 'a', lines: ['say: a'] }]);
  await ok(repo, 'sdd-put', [file]);
  const epic = (await ok(repo, 'sdd-approve', ['blocked']))[0]!.id;
  const outside = (await ok(repo, 'bead-create', ['--title', 'elsewhere']))[0]!.id;
  await ok(repo, 'bead-dep-add', [`${epic}.1`, outside]);
  fails(
    await work(repo, [epic]),
    1,
    `error: epic '${epic}' cannot be worked: phase '${epic}.1' is blocked by '${outside}' outside the epic, which is open`,
  );
  const task = (
    await ok(repo, 'bead-create', ['--title', 'a task', '--description', 'create t.txt: t\ncommit: task'])
  )[0]!.id;
  const r = await work(repo, [task]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.records[0]!.name, task);
  assert.is(r.records[0]!.status, 'done');
  assert.is((await ok(repo, 'bead-show', [task]))[0]!.status, 'closed');
  fails(await work(repo, ['no-such-thing']), 4, "error: no bead or plan 'no-such-thing'");
});

test.run();
