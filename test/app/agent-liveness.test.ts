import { utimesSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { liveness, QUEUED_GRACE_MS, supervisorErrorPath } from '../../src/app/agents/runtime.ts';
import { newRun } from '../../src/core/agents/run.ts';
import { openRepo } from '../../src/git/repo.ts';
import { initedRepo } from '../helpers/fixtures.ts';

test('a run queued long after it was made (dispatched from waiting) is not dead before its supervisor starts', async () => {
  const t = await initedRepo();
  const repo = await openRepo({ cwd: t.dir, env: t.env });
  const now = Date.now();
  // made waiting ten minutes ago, dispatched (its supervisor started) just now
  const run = newRun({
    id: 'r-aaaaaaaa',
    provider: 'example',
    created_at: new Date(now - 10 * 60_000).toISOString(),
    status: 'queued',
  });
  const err = supervisorErrorPath(repo, run.id);
  writeFileSync(err, '');
  assert.is(liveness(repo, run, now), 'alive', 'once: dead, from its creation time, and reaped as failed');
  // a supervisor started longer ago than the grace and never heard of again is dead
  const long = (now - QUEUED_GRACE_MS - 5_000) / 1000;
  utimesSync(err, long, long);
  assert.is(liveness(repo, run, now), 'dead');
});

test.run();
