import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { localTime } from '../../src/cli/time.ts';
import { axeRepo, DEFAULTS_OFF, tick, userChop } from '../helpers/axe.ts';
import { ok, sase, saseBin } from '../helpers/run.ts';
import { sched } from '../helpers/scheduler.ts';

const t = suite('axe-status');

t('not installed until registered (exit 2); degraded by a failing chop (exit 1); the real launcher', async () => {
  const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.check]\ninterval = "1h"\nchops = ["check"]\n`);
  userChop(repo, 'check', 'exit 3');
  const r = saseBin(repo, 'axe-status');
  assert.is(r.code, 2);
  const s = r.records[0]!;
  assert.equal([s.kind, s.health, s.registered, s.scheduler], ['axe_status', 'not_installed', false, null]);
  assert.match(s.problems[0], 'not registered');
  assert.equal(
    s.lumberjacks.map((l: Record<string, any>) => [l.name, l.enabled, l.last_run_at]),
    [
      ['waits', false, null],
      ['hooks', false, null],
      ['reviews', false, null],
      ['sync', false, null],
      ['housekeeping', false, null],
      ['check', true, null],
    ],
  );
  await sase(repo, 'axe-tick');
  const after = (await sase(repo, 'axe-status')).records[0]!;
  const check = after.lumberjacks.find((l: Record<string, any>) => l.name === 'check');
  assert.is(check.last_status, 'failed');
  assert.ok(check.next_due_at > check.last_run_at);
  assert.ok(after.problems.some((p: string) => p.startsWith("chop 'check' failed")));
  assert.is(after.last_tick.ran[0], 'check');
  const text = await sase(repo, 'axe-status', ['--format', 'text']);
  assert.match(text.stdout, 'axe: not installed');
  assert.match(text.stdout, /check every 1h: check; last failed (just now|\d+ s ago); next in (59 min|1 h)/);
});

t('on a terminal, times as people read them (local with the zone, or how long ago); records keep ISO UTC', async () => {
  const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.check]\ninterval = "1h"\nchops = ["check"]\n`);
  userChop(repo, 'check', 'exit 0');
  await tick(repo);
  await ok(repo, 'axe-maintenance-enter', ['--reason', 'upgrading', '--owner', String(process.pid)]);
  const env = { TZ: 'Asia/Tokyo' };
  const s = (await sase(repo, 'axe-status', [], { env })).records[0]!;
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
  const lastRun = s.lumberjacks.find((l: Record<string, any>) => l.name === 'check').last_run_at;
  for (const at of [s.last_tick.started_at, s.maintenance.since, lastRun]) assert.match(at, iso);

  const r = await sase(repo, 'axe-status', ['--no-color'], { env, terminal: true });
  assert.match(r.stdout, `last tick: ${localTime(s.last_tick.started_at, env)} ran check`);
  assert.match(r.stdout, / \+0900 ran check/);
  assert.match(r.stdout, `in maintenance since ${localTime(s.maintenance.since, env)}: upgrading`);
  assert.match(r.stdout, /check every 1h: check; last ok (just now|\d+ s ago); next in (59 min|1 h)/);
  assert.match(r.stdout, /check: .*; timeout .*; last ok (just now|\d+ s ago)/);
  assert.not.match(r.stdout, /\d\dT\d\d:\d\d:\d\dZ/, 'no ISO time on the terminal');
  const m = await sase(repo, 'axe-maintenance-status', ['--no-color'], { env, terminal: true });
  assert.match(m.stdout, `in maintenance since ${localTime(s.maintenance.since, env)}: upgrading`);
});

t('installed, ticking, nothing failing: healthy (exit 0); a tick long ago makes it degraded (exit 1)', async () => {
  const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.check]\ninterval = "1h"\nchops = ["check"]\n`);
  userChop(repo, 'check', 'exit 0');
  const s = sched(repo);
  await ok(repo, 'axe-install', ['--cron'], { env: s.env });
  await sase(repo, 'axe-tick', [], { env: s.env });
  const r = await sase(repo, 'axe-status', [], { env: s.env });
  assert.is(r.code, 0, JSON.stringify(r.records[0]!.problems));
  assert.equal([r.records[0]!.health, r.records[0]!.scheduler, r.records[0]!.problems], ['healthy', 'cron', []]);
  // the last tick ten minutes ago: three periods of the schedule (a minute at least) have passed
  const file = join(repo.dir, '.git', 'sase', 'axe', 'state.json');
  const st = JSON.parse(readFileSync(file, 'utf8'));
  st.last_tick.ended_at = new Date(Date.now() - 600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  writeFileSync(file, JSON.stringify(st));
  const late = await sase(repo, 'axe-status', [], { env: s.env });
  assert.is(late.code, 1);
  assert.match(late.records[0]!.problems[0], /^no tick since /);
});

t.run();
