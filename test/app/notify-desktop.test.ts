// Desktop delivery ([notify] desktop = true) through a stand-in notify-send
// on PATH that records its arguments, one JSON line a call.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deliverDesktop } from '../../src/app/notify/desktop.ts';
import { machineClock, machineRandom } from '../../src/cli/context.ts';
import type { Notification } from '../../src/core/notifications/model.ts';
import { openStore } from '../../src/store/store.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { scratchDir, type TestRepo } from '../helpers/gitdir.ts';
import { notificationRecord } from '../helpers/notifications.ts';
import { fails, sase } from '../helpers/run.ts';

const t = suite('notify-desktop');

/** A folder holding a notify-send that appends its arguments to calls.ndjson (and then runs `then`). */
function standIn(then = ''): { bin: string; calls: () => string[][] } {
  const bin = scratchDir('sase-desktop-');
  const log = join(bin, 'calls.ndjson');
  writeFileSync(
    join(bin, 'notify-send'),
    `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n${then}\n`,
  );
  chmodSync(join(bin, 'notify-send'), 0o755);
  const calls = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  return { bin, calls };
}

async function deliver(repo: TestRepo, path: string, made: Notification[]): Promise<void> {
  const env = { ...repo.env, PATH: path };
  const store = await openStore({ cwd: repo.dir, env }, { clock: machineClock(env), random: machineRandom });
  try {
    await deliverDesktop(store, made);
  } finally {
    store.close();
  }
}

const failed = notificationRecord('n-aaaa0001', {
  title: '-v phase ts-k3f9.2 failed',
  severity: 'error',
  body: '\nexit 1: tests failed\nmore',
  action: { verb: 'retry', target: 'r-abcdefgh' },
});
const waiting = notificationRecord('n-aaaa0002', { type: 'plan.waiting', title: 'plan x waits', severity: 'info' });

t('configured: each new notification shown with notify-send, its title and severity as arguments', async () => {
  const repo = await initedRepo();
  repo.write('.sase/config.toml', '[notify]\ndesktop = true\n');
  const { bin, calls } = standIn();
  await deliver(repo, `${bin}:${repo.env.PATH}`, [failed, waiting]);
  assert.equal(calls(), [
    [
      '--app-name=sase',
      '--urgency=critical',
      '--',
      'sase: -v phase ts-k3f9.2 failed',
      'error: run.failed (sase notify act n-aaaa0001)\nexit 1: tests failed',
    ],
    ['--app-name=sase', '--urgency=normal', '--', 'sase: plan x waits', 'info: plan.waiting'],
  ]);
});

t('many at once: five shown, and one more that counts the rest', async () => {
  const repo = await initedRepo();
  repo.write('.sase/config.toml', '[notify]\ndesktop = true\n');
  const { bin, calls } = standIn();
  const made = Array.from({ length: 8 }, (_, i) => notificationRecord(`n-bbbb000${i}`));
  await deliver(repo, `${bin}:${repo.env.PATH}`, made);
  const got = calls();
  assert.is(got.length, 6);
  assert.equal(got[5], [
    '--app-name=sase',
    '--urgency=critical',
    '--',
    'sase: 3 more notifications',
    "'sase notify list' lists them",
  ]);
});

t('not configured, false, nothing new, or no program: nothing shown, no error', async () => {
  const repo = await initedRepo();
  const { bin, calls } = standIn();
  await deliver(repo, `${bin}:${repo.env.PATH}`, [failed]);
  repo.write('.sase/config.toml', '[notify]\ndesktop = false\n');
  await deliver(repo, `${bin}:${repo.env.PATH}`, [failed]);
  repo.write('.sase/config.toml', '[notify]\ndesktop = true\n');
  await deliver(repo, `${bin}:${repo.env.PATH}`, []);
  assert.equal(calls(), []);
  // neither notify-send nor osascript on PATH
  await deliver(repo, scratchDir('sase-empty-path-'), [failed]);
});

t('a notify-send that fails or hangs never fails the caller (a hung one is stopped, and the rest left)', async () => {
  const repo = await initedRepo();
  repo.write('.sase/config.toml', '[notify]\ndesktop = true\n');
  const failing = standIn('process.exit(3);');
  await deliver(repo, `${failing.bin}:${repo.env.PATH}`, [failed, waiting]);
  assert.is(failing.calls().length, 2, 'the next is still tried');
  const hanging = standIn('setTimeout(() => {}, 60_000);');
  await deliver(repo, `${hanging.bin}:${repo.env.PATH}`, [failed, waiting]);
  assert.is(hanging.calls().length, 1, 'after one that did not answer, the rest are left');
});

t("[notify] desktop must be a boolean: the configuration's error, which delivery swallows", async () => {
  const repo = await initedRepo();
  repo.write('.sase/config.toml', '[notify]\ndesktop = "yes"\n');
  const { bin, calls } = standIn();
  await deliver(repo, `${bin}:${repo.env.PATH}`, [failed]);
  assert.equal(calls(), []);
  const config = join(repo.dir, '.sase', 'config.toml');
  // a command that reads the configuration says it
  fails(
    await sase(repo, 'agent-run', ['--provider', 'example', 'say: hi']),
    128,
    `fatal: ${config}: 'notify.desktop' must be true or false (got "yes")`,
  );
  repo.write('.sase/config.toml', '[notify]\nsound = true\n');
  fails(
    await sase(repo, 'agent-run', ['--provider', 'example', 'say: hi']),
    128,
    `fatal: ${config}: unknown key 'notify.sound'`,
  );
});

t.run();
