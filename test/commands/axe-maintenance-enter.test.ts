import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, tick } from '../helpers/axe.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('axe-maintenance-enter');

t(
  'ticks do nothing while the owner lives; the marker clears itself when the owner is gone; the real launcher',
  async () => {
    const repo = await axeRepo();
    const owner = spawn('sleep', ['30']);
    const [m] = okBin(repo, 'axe-maintenance-enter', ['--reason', 'upgrading sase', '--owner', String(owner.pid)]);
    assert.equal([m!.kind, m!.active, m!.reason, m!.owner.pid], ['axe_maintenance', true, 'upgrading sase', owner.pid]);
    assert.is((await tick(repo))[0]!.action, 'maintenance');
    owner.kill('SIGKILL');
    await new Promise((r) => owner.on('close', r));
    const next = await tick(repo);
    assert.is(next[0]!.action, 'ticked');
    assert.match(next[0]!.notes[0], "maintenance 'upgrading sase' cleared itself: its owner");
    fails(
      await sase(repo, 'axe-maintenance-enter', []),
      129,
      "error: --reason is required (say why the Axe stops, e.g. --reason 'upgrading')",
    );
    fails(
      await sase(repo, 'axe-maintenance-enter', ['--reason', 'x', '--owner', '999999999']),
      129,
      'error: --owner 999999999: no such process',
    );
    // by default it lasts while the process that ran it lives (here: this test process, as the parent)
    const dflt = (await ok(repo, 'axe-maintenance-enter', ['--reason', 'default owner']))[0]!;
    assert.ok(dflt.owner.pid > 0);
  },
);

t.run();
