import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, tick } from '../helpers/axe.ts';
import { ok, okBin } from '../helpers/run.ts';

const t = suite('axe-maintenance-exit');

t('ends maintenance: the next tick runs; ending it twice is no error; the real launcher', async () => {
  const repo = await axeRepo();
  await ok(repo, 'axe-maintenance-enter', ['--reason', 'r', '--owner', String(process.pid)]);
  assert.is((await tick(repo))[0]!.action, 'maintenance');
  const [m] = okBin(repo, 'axe-maintenance-exit');
  assert.equal([m!.kind, m!.active], ['axe_maintenance', false]);
  assert.is((await tick(repo))[0]!.action, 'ticked');
  assert.is((await ok(repo, 'axe-maintenance-exit'))[0]!.active, false);
});

t.run();
