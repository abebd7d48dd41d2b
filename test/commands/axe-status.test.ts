import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, DEFAULTS_OFF, tick, userChop } from '../helpers/axe.ts';
import { sase, saseBin } from '../helpers/run.ts';

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
  assert.match(text.stdout, 'check every 1h: check; last failed at');
});

t(
  'registered and ticking with no problem is healthy only with a schedule entry; a registry line alone is not enough',
  async () => {
    const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.check]\ninterval = "1h"\nchops = ["check"]\n`);
    userChop(repo, 'check', 'exit 0');
    const dir = join(repo.home, '.config', 'sase');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'repos'), `${repo.dir}\n`);
    await tick(repo);
    const r = await sase(repo, 'axe-status');
    const s = r.records[0]!;
    assert.is(s.registered, true);
    assert.equal(s.problems.slice(0, 1), ["no schedule entry runs the Axe ('sase axe install' writes one)"]);
    assert.is(r.code, 2);
  },
);

t.run();
