import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, axeState, DEFAULTS_OFF, defaultsOffExcept, ran, tick, userChop } from '../helpers/axe.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { BIN, fails, ok, okBin, sase, saseProcess } from '../helpers/run.ts';
import { assertFsckOk, stateTip } from '../helpers/state.ts';

const t = suite('axe-tick');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An epic plan whose phases are scripts for the test agent. */
function epicFile(repo: TestRepo, title: string, phases: Array<{ id: string; deps?: string[]; lines: string[] }>) {
  const yaml = phases
    .map(
      (p) =>
        `  - id: ${p.id}\n    title: Phase ${p.id}\n    size: small\n    depends_on: [${(p.deps ?? []).join(', ')}]\n    description: |\n${p.lines.map((l) => `      ${l}`).join('\n')}`,
    )
    .join('\n');
  const file = `${title.toLowerCase()}.md`;
  repo.write(file, `---\ntier: epic\ntitle: ${title}\ngoal: ${title} is worked\nphases:\n${yaml}\n---\nThe body.\n`);
  return file;
}

const QUICK_WAITS = defaultsOffExcept('waits');

t('a tick with nothing to do changes nothing; the next one finds nothing due; the real launcher', async () => {
  const repo = await axeRepo();
  const tip = stateTip(repo);
  const first = okBin(repo, 'axe-tick');
  assert.equal(first.length, 1);
  assert.is(first[0]!.kind, 'axe_tick');
  assert.is(first[0]!.action, 'ticked');
  assert.equal(first[0]!.lumberjacks, ['waits', 'hooks', 'reviews', 'sync', 'housekeeping']);
  assert.ok(
    first[0]!.chops.every((c: Record<string, any>) => c.status === 'no_op'),
    JSON.stringify(first[0]!.chops),
  );
  // a built-in chop with nothing to do answers in the tick's own process
  assert.ok(first[0]!.chops.every((c: Record<string, any>) => c.how === 'in-process'));
  assert.is(stateTip(repo), tip, 'an idle tick writes nothing to the state');
  const second = await tick(repo);
  assert.equal(second[0]!.chops, [], 'nothing due yet');
  assert.is(stateTip(repo), tip);
  const st = axeState(repo);
  assert.ok(st.last_tick.ended_at);
  assert.equal(Object.keys(st.lumberjacks).sort(), ['hooks', 'housekeeping', 'reviews', 'sync', 'waits']);
  // each chop's run is kept with its context and result
  const dir = first[0]!.chops[0].dir as string;
  const context = JSON.parse(readFileSync(join(dir, 'context.json'), 'utf8'));
  assert.equal([context.v, context.chop, context.lumberjack, context.dry_run], [1, 'waits', 'waits', false]);
  assert.is(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).status, 'no_op');
});

t('end to end with no foreground: bead work --detach, then only ticks carry the epic to its land run', async () => {
  const repo = await axeRepo(QUICK_WAITS);
  const file = epicFile(repo, 'Nightly', [
    { id: 'a', lines: ['create a.txt: a', 'commit: phase a'] },
    { id: 'b', deps: ['a'], lines: ['run: test -f a.txt', 'create b.txt: b', 'commit: phase b'] },
    { id: 'c', deps: ['a'], lines: ['run: test -f a.txt', 'create c.txt: c', 'commit: phase c'] },
  ]);
  const d = await sase(repo, 'bead-work', ['--provider', 'fixture', file, '--detach']);
  assert.is(d.code, 0, d.stderr);
  const epic = d.records[0]!.epic as string;
  const started = new Map<string, number>();
  for (let i = 0; i < 300; i++) {
    for (const r of await tick(repo))
      for (const c of r.chops)
        for (const name of /started (.*)$/.exec(c.summary)?.[1]?.split(', ') ?? [])
          started.set(name, (started.get(name) ?? 0) + 1);
    if ((await ok(repo, 'bead-show', [epic]))[0]!.status === 'closed') break;
    await sleep(120);
  }
  assert.is((await ok(repo, 'bead-show', [epic]))[0]!.status, 'closed', 'the epic ends done');
  assert.equal([...started.values()], [1, 1, 1, 1], `each run started once: ${JSON.stringify([...started])}`);
  const runs = await ok(repo, 'agent-list', ['--all']);
  const land = runs.find((r) => r.name === `${epic}.land`)!;
  assert.is(land.status, 'done');
  assert.ok(land.changespec, 'the land change is made');
  const plan = (await ok(repo, 'sdd-show', ['nightly']))[0]!;
  assert.is(plan.status, 'done');
  // two more ticks: nothing happens twice
  const tip = stateTip(repo);
  await sleep(150);
  assert.equal(ran(await tick(repo)), [['waits', 'no_op']]);
  assert.is(stateTip(repo), tip);
  await assertFsckOk(repo, 'after the epic');
});

t(
  'a failed phase notifies once and holds its dependants; a waiting run starts on the tick after its waits are met',
  async () => {
    const repo = await axeRepo(QUICK_WAITS);
    const file = epicFile(repo, 'Broken', [
      { id: 'a', lines: ['fail: the tests do not pass'] },
      { id: 'b', deps: ['a'], lines: ['create b.txt: b', 'commit: b'] },
    ]);
    const d = await sase(repo, 'bead-work', ['--provider', 'fixture', file, '--detach']);
    const epic = d.records[0]!.epic as string;
    let notes: Record<string, any>[] = [];
    for (let i = 0; i < 200 && !notes.length; i++) {
      await tick(repo);
      notes = (await ok(repo, 'notify-list')).filter((n) => n.type === 'phase.failed');
      await sleep(120);
    }
    assert.is(notes.length, 1);
    assert.equal(notes[0]!.action, { verb: 'retry', target: notes[0]!.about[0].id });
    assert.ok(notes[0]!.about.some((a: Record<string, any>) => a.kind === 'bead' && a.id === `${epic}.1`));
    await sleep(150);
    await tick(repo);
    assert.is((await ok(repo, 'notify-list')).filter((n) => n.type === 'phase.failed').length, 1, 'told once');
    const b = (await ok(repo, 'agent-list', ['--all'])).find((r) => r.name === `${epic}.2`)!;
    assert.is(b.status, 'waiting', 'its dependant waits');

    // a run waiting on a bead starts on the first tick after the bead is closed
    const bead = (await ok(repo, 'bead-create', ['--title', 'gate']))[0]!.id;
    const waiting = (
      await ok(repo, 'agent-run', ['--provider', 'fixture', '--detach', '--wait', `bead:${bead}`, '-'], {
        input: 'say: hi\n',
      })
    )[0]!;
    assert.is(waiting.status, 'waiting');
    await sleep(150);
    await tick(repo);
    assert.is((await ok(repo, 'agent-show', [waiting.id]))[0]!.status, 'waiting');
    await ok(repo, 'bead-close', [bead]);
    await sleep(150);
    const r = await tick(repo);
    assert.match(r[0]!.chops[0].summary, /started /, JSON.stringify(r[0]!.chops));
    assert.is((await ok(repo, 'agent-show', [waiting.id]))[0]!.status === 'waiting', false);
  },
);

t(
  'a user chop: context and result contract, launches deduplicated by key, invalid JSON, a hang, a missing chop',
  async () => {
    const repo = await axeRepo(
      `${DEFAULTS_OFF}[axe.lumberjacks.mine]\ninterval = "100ms"\nchops = ["propose", "garbage", "hang", "nowhere"]\n[axe.chops.hang]\ntimeout = "1s"\n`,
    );
    userChop(
      repo,
      'propose',
      `cat "$2" > "$PWD/.ctx.json"
printf '{"v":1,"status":"ok","summary":"proposed","counters":{"n":1},"launches":[{"prompt":"say: from a chop","provider":"fixture","dedupe_key":"nightly-check"}]}' > "$SASE_CHOP_RESULT_FILE"`,
    );
    userChop(repo, 'garbage', `echo 'not json' > "$SASE_CHOP_RESULT_FILE"`);
    userChop(repo, 'hang', `echo started; sleep 30 & wait`);
    const first = await sase(repo, 'axe-tick');
    assert.is(first.code, 1, 'a failing chop makes the exit 1');
    const byChop = new Map(first.records[0]!.chops.map((c: Record<string, any>) => [c.chop, c]));
    const propose = byChop.get('propose') as Record<string, any>;
    assert.equal([propose.status, propose.summary, propose.counters], ['ok', 'proposed', { n: 1 }]);
    assert.is(propose.launched[0].action, 'launched');
    const ctx = JSON.parse(readFileSync(join(repo.dir, '.ctx.json'), 'utf8'));
    assert.equal([ctx.chop, ctx.lumberjack, ctx.previous, ctx.repository], ['propose', 'mine', null, repo.dir]);
    const garbage = byChop.get('garbage') as Record<string, any>;
    assert.is(garbage.status, 'check_error');
    assert.match(garbage.summary, "chop 'garbage' wrote an invalid result: result is not JSON");
    const hang = byChop.get('hang') as Record<string, any>;
    assert.is(hang.status, 'failed');
    assert.match(hang.summary, 'timed out after 1s');
    assert.ok(hang.seconds < 10, 'killed at its timeout, not waited for');
    const nowhere = byChop.get('nowhere') as Record<string, any>;
    assert.is(nowhere.status, 'check_error');
    assert.match(nowhere.summary, "chop 'nowhere' not found");
    // the second run sees its previous result, and does not launch the same key again
    await sleep(150);
    const second = await sase(repo, 'axe-tick');
    const again = second.records[0]!.chops.find((c: Record<string, any>) => c.chop === 'propose');
    assert.is(again.launched[0].action, 'deduped');
    assert.is(again.launched[0].run, propose.launched[0].run);
    const ctx2 = JSON.parse(readFileSync(join(repo.dir, '.ctx.json'), 'utf8'));
    assert.is(ctx2.previous.result.summary, 'proposed');
    const runs = (await ok(repo, 'agent-list', ['--all'])).filter((r) => r.name === 'axe.propose.nightly-check');
    assert.is(runs.length, 1);
    // the doctor and the status name the missing chop
    const doc = await sase(repo, 'axe-chop-doctor');
    assert.is(doc.code, 1);
    assert.match(doc.stderr, "error: chop 'nowhere' not found");
    const st = await sase(repo, 'axe-status');
    assert.ok(st.records[0]!.problems.some((p: string) => p.startsWith("chop 'nowhere' not found")));
  },
);

t('bad configuration is refused before anything runs, a line per problem', async () => {
  const repo = await axeRepo(
    `[axe.lumberjacks.waits]\ninterval = "soon"\n[axe.lumberjacks.extra]\nchops = ["x"]\n[axe.chops.x]\ntimeout = 5\nbogus = 1\n`,
  );
  const r = await sase(repo, 'axe-tick');
  assert.is(r.code, 128);
  assert.is(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.slice(0, -1), [
    `error: .sase/config.toml: 'axe.lumberjacks.waits.interval' must be a duration such as "500ms", "10s", "2m", "1h30m" or "7d" (got "soon")`,
    `error: .sase/config.toml: 'axe.lumberjacks.extra.interval' is missing (a new lumberjack needs its interval)`,
    `error: .sase/config.toml: unknown key 'axe.chops.x.bogus'`,
    `error: .sase/config.toml: 'axe.chops.x.timeout' must be a duration such as "500ms", "10s", "2m", "1h30m" or "7d" (got 5)`,
  ]);
  assert.is(lines.at(-1), "fatal: 4 problems in the Axe's configuration; nothing ran");
  assert.not.ok(existsSync(join(repo.dir, '.git', 'sase', 'axe', 'state.json')), 'no tick was recorded');
  fails(
    await sase(repo, 'axe-tick', ['--for', 'ever']),
    129,
    "error: --for 'ever' is not a duration (such as 55s, 2m or 1h30m)",
  );
});

t(
  'two ticks at once: one works, the other exits at once; a tick killed with SIGKILL leaves a lock the next takes over',
  async () => {
    const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.slow]\ninterval = "100ms"\nchops = ["slow"]\n`);
    userChop(repo, 'slow', `echo "$$" >> "$PWD/.slow-runs"; sleep 2`);
    const [a, b] = await Promise.all([
      saseProcess(repo, 'axe-tick'),
      sleep(300).then(() => saseProcess(repo, 'axe-tick')),
    ]);
    const actions = [a, b].map((r) => r.records[0]!.action).sort();
    assert.equal(actions, ['locked', 'ticked']);
    assert.equal([a.code, b.code], [0, 0]);
    const locked = [a, b].find((r) => r.records[0]!.action === 'locked')!;
    assert.match(locked.records[0]!.reason, 'a tick is running (pid ');
    assert.is(readFileSync(join(repo.dir, '.slow-runs'), 'utf8').trim().split('\n').length, 1);

    // SIGKILL in the middle of a chop: the lock stays, naming a dead owner
    const child = spawn(join(BIN, 'sase-axe-tick'), [], {
      cwd: repo.dir,
      env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}` },
    });
    const lock = join(repo.dir, '.git', 'sase', 'axe', 'tick.lock');
    for (let i = 0; i < 100 && !existsSync(lock); i++) await sleep(50);
    await sleep(700);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    assert.ok(existsSync(lock), 'the killed tick left its lock');
    const st = await sase(repo, 'axe-status');
    assert.ok(st.records[0]!.problems.some((p: string) => p.startsWith('stale lock')));
    await sleep(150);
    const next = await tick(repo);
    assert.is(next[0]!.action, 'ticked');
    assert.match(next[0]!.notes[0], 'took over the lock of a tick that is gone');
    assert.not.ok(existsSync(lock), 'released at the end');
  },
);

t(
  '--for keeps ticking, sleeping until the next lumberjack is due; SIGTERM stops it and releases the lock',
  async () => {
    const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.beat]\ninterval = "400ms"\nchops = ["beat"]\n`);
    userChop(repo, 'beat', `echo x >> "$PWD/.beats"`);
    const r = await sase(repo, 'axe-tick', ['--for', '1500ms']);
    assert.is(r.code, 0, r.stderr);
    const beats = readFileSync(join(repo.dir, '.beats'), 'utf8').trim().split('\n').length;
    assert.ok(beats >= 3 && beats <= 5, `${beats} beats in 1.5s at 400ms`);
    const child = spawn(join(BIN, 'sase-axe-tick'), ['--for', '1m'], {
      cwd: repo.dir,
      env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}` },
    });
    await sleep(1500);
    child.kill('SIGTERM');
    const code = await new Promise((res) => child.on('close', res));
    assert.is(code, 0);
    assert.not.ok(existsSync(join(repo.dir, '.git', 'sase', 'axe', 'tick.lock')));
  },
);

t(
  '--all ticks every registered repository; maintenance makes a tick do nothing; --dry-run writes nothing',
  async () => {
    const a = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.beat]\ninterval = "1h"\nchops = ["beat"]\n`);
    const b = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.beat]\ninterval = "1h"\nchops = ["beat"]\n`);
    for (const repo of [a, b]) userChop(repo, 'beat', `echo x >> "$PWD/.beats"`);
    const home = { XDG_CONFIG_HOME: join(a.home, '.config') };
    const reg = join(a.home, '.config', 'sase');
    (await import('node:fs')).mkdirSync(reg, { recursive: true });
    writeFileSync(join(reg, 'repos'), `${a.dir}\n${b.dir}\n/nowhere/at/all\n`);
    const r = await sase(a, 'axe-tick', ['--all'], { env: home });
    assert.is(r.code, 1, 'a registered repository that is gone is an error, the others still tick');
    assert.match(r.stderr, 'error: /nowhere/at/all: ');
    assert.equal(
      r.records.map((x) => x.repository),
      [a.dir, b.dir],
    );
    for (const repo of [a, b]) assert.ok(existsSync(join(repo.dir, '.beats')));

    await ok(b, 'axe-maintenance-enter', ['--reason', 'upgrading', '--owner', String(process.pid)]);
    const m = await tick(b, ['--only', 'beat']);
    assert.is(m[0]!.action, 'maintenance');
    assert.match(m[0]!.reason, 'upgrading');
    await ok(b, 'axe-maintenance-exit');

    const tip = stateTip(a);
    const dry = await tick(a, ['--dry-run']);
    assert.is(dry[0]!.action, 'ticked');
    assert.is(stateTip(a), tip);
    fails(
      await sase(a, 'axe-tick', ['--only', 'nope']),
      129,
      "error: no lumberjack 'nope' (there are: waits, hooks, reviews, sync, housekeeping, beat)",
    );
  },
);

t.run();
