import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo } from '../helpers/axe.ts';
import { remoteTip, remoteWithState } from '../helpers/remote.ts';
import { ok, okBin } from '../helpers/run.ts';
import { stateTip } from '../helpers/state.ts';

const t = suite('chop-sync');

t(
  'no remote chosen: no_op; with [sync] remote: pushes what is new; the tick runs it in a process of its own',
  async () => {
    const { remote, a } = await remoteWithState(() => axeRepo());
    const none = okBin(a, 'chop-sync');
    assert.equal(
      [none[0]!.status, none[0]!.summary],
      ['no_op', 'no remote to sync with ([sync] remote, or [sync] auto = true)'],
    );
    a.write(
      '.sase/config.toml',
      `${readFileSync(join(a.dir, '.sase/config.toml'), 'utf8')}[sync]\nremote = "origin"\n`,
    );
    await ok(a, 'bead-create', ['--title', 'shared']);
    assert.not.equal(remoteTip(remote), stateTip(a));
    const [r] = okBin(a, 'chop-sync');
    assert.equal([r!.status, r!.counters.pushed], ['ok', 1]);
    assert.is(remoteTip(remote), stateTip(a));
    await ok(a, 'bead-create', ['--title', 'more']);
    const tick = (await ok(a, 'axe-tick', ['--only', 'sync']))[0]!;
    assert.equal(
      tick.chops.map((c: Record<string, any>) => [c.chop, c.status, c.how]),
      [['sync', 'ok', 'process']],
    );
    assert.is(remoteTip(remote), stateTip(a));
  },
);

t.run();
