import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo } from '../helpers/axe.ts';
import { ok, sase, saseBin } from '../helpers/run.ts';

const t = suite('axe-maintenance-status');

t('exit 0 when ticks run, 1 in maintenance; a marker over a day old clears itself; the real launcher', async () => {
  const repo = await axeRepo();
  const off = saseBin(repo, 'axe-maintenance-status');
  assert.equal([off.code, off.records[0]!.active], [0, false]);
  await ok(repo, 'axe-maintenance-enter', ['--reason', 'r', '--owner', String(process.pid)]);
  const on = await sase(repo, 'axe-maintenance-status');
  assert.equal([on.code, on.records[0]!.active, on.records[0]!.reason], [1, true, 'r']);
  writeFileSync(
    join(repo.dir, '.git', 'sase', 'axe', 'maintenance.json'),
    JSON.stringify({ reason: 'old', since: '2020-01-01T00:00:00Z', owner: null }),
  );
  const old = await sase(repo, 'axe-maintenance-status');
  assert.equal(
    [old.code, old.records[0]!.active, old.records[0]!.cleared],
    [0, false, "maintenance 'old' cleared itself: older than 24 hours"],
  );
});

t.run();
