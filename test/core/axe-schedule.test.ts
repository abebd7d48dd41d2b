// The schedule entry's texts (core/axe/schedule.ts): cron's times for a
// period, our crontab line found, replaced and removed among others, and
// awkward paths (spaces, quotes, '$', '%') quoted so that sh and systemd read
// back the very words.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  cronLine,
  cronTimes,
  ourCronLines,
  parseEvery,
  shQuote,
  systemdService,
  type TickEntry,
  tickArgs,
  withCronLine,
  withoutCronLine,
} from '../../src/core/axe/schedule.ts';
import { which } from '../../src/proc/which.ts';
import { scratchDir } from '../helpers/gitdir.ts';

const t = suite('axe schedule');

const entry = (over: Partial<TickEntry> = {}): TickEntry => ({
  node: '/usr/bin/node',
  sase: '/opt/sase/bin/sase',
  everyMs: 60_000,
  env: [['PATH', '/usr/bin:/bin']],
  log: '/home/u/.local/state/sase/axe.log',
  ...over,
});

t('cron times and the budget of each period', () => {
  assert.is(cronTimes(60_000), '* * * * *');
  assert.is(cronTimes(15 * 60_000), '*/15 * * * *');
  assert.is(cronTimes(3_600_000), '0 * * * *');
  assert.is(cronTimes(6 * 3_600_000), '0 */6 * * *');
  assert.is(cronTimes(86_400_000), '0 0 * * *');
  for (const ms of [30_000, 7 * 60_000, 90 * 60_000, 5 * 3_600_000, 2 * 86_400_000]) assert.is(cronTimes(ms), null);
  assert.equal(tickArgs(60_000), ['axe', 'tick', '--all', '--for', '55s']);
  assert.equal(tickArgs(300_000), ['axe', 'tick', '--all', '--for', '4m55s']);
  assert.equal(tickArgs(3_600_000), ['axe', 'tick', '--all', '--for', '59m55s']);
  assert.is(parseEvery('1h30m'), 5_400_000);
  assert.throws(() => parseEvery('1500ms'), /whole seconds/);
});

t('the crontab line: found by its marker, replaced in its place, removed; other lines as they were', () => {
  const line = cronLine(entry());
  assert.is(
    line,
    '* * * * * PATH=/usr/bin:/bin /usr/bin/node /opt/sase/bin/sase axe tick --all --for 55s >> /home/u/.local/state/sase/axe.log 2>&1 # sase-axe',
  );
  const others = 'MAILTO=x\n\n# a comment # sase-axe\n0 1 * * * job\n';
  assert.is(withCronLine('', line), `${line}\n`);
  assert.is(withCronLine(others, line), `${others}${line}\n`);
  assert.is(withCronLine('0 1 * * * job', line), `0 1 * * * job\n${line}\n`, 'a table without a last new line');
  const old = '*/5 * * * * old-sase # sase-axe';
  assert.is(withCronLine(`a\n${old}\nb\n${old}\n`, line), `a\n${line}\nb\n`, 'in its place, once');
  assert.equal(ourCronLines(`${others}${line}\n`), [line]);
  assert.is(withoutCronLine(`${others}${line}\n`), others);
  assert.is(withoutCronLine(`${line}\n`), '');
  assert.is(withoutCronLine(others), others);
  assert.throws(() => cronLine(entry({ log: '/home/100%/axe.log' })), /'%'/);
  assert.throws(() => cronLine(entry({ everyMs: 7 * 60_000 })), /cannot run a tick every 7m evenly/);
});

t('awkward paths come through sh and systemd as the same words', () => {
  const words = ["/home/o'brien/my node", 'a$HOME', 'x;y', '"q"', 'back\\slash', 'plain/path-1.2'];
  const out = execFileSync('sh', ['-c', `printf '%s\\n' ${words.map(shQuote).join(' ')}`], { encoding: 'utf8' });
  assert.equal(out.split('\n').slice(0, -1), words);

  const dir = scratchDir();
  const odd = join(dir, 'a $dir 100%');
  mkdirSync(odd);
  const node = join(odd, 'node');
  writeFileSync(node, '#!/bin/sh\n', { mode: 0o755 });
  const text = systemdService(
    entry({ node, sase: join(odd, "o'brien", 'sase'), env: [['PATH', `${odd}:/usr/bin`]], log: join(odd, 'axe.log') }),
  );
  const sase = `"${join(odd, "o'brien", 'sase').replace('$', '$$$$').replace('%', '%%')}"`;
  assert.match(text, `ExecStart="${odd.replace('%', '%%')}/node" ${sase} axe tick`);
  assert.match(text, `Environment="PATH=${odd.replace('%', '%%')}:/usr/bin"\n`, "'$' is no variable in Environment=");
  assert.match(text, `StandardOutput=append:${odd.replace('%', '%%')}/axe.log\n`);
  assert.throws(() => systemdService(entry({ node: "/o'brien/node" })), /holds a quote or backslash/);
  if (which('systemd-analyze', process.env)) {
    const unit = join(dir, 'sase-axe.service');
    writeFileSync(unit, text);
    const v = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    assert.is(v.status, 0, v.stderr);
  }
});

t.run();
