import { chmodSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, DEFAULTS_OFF, userChop } from '../helpers/axe.ts';
import { okBin, sase } from '../helpers/run.ts';

const t = suite('axe-chop-doctor');

t(
  'healthy chops pass; a chop that is not executable, and one whose last run failed, are named; the real launcher',
  async () => {
    const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.mine]\ninterval = "1h"\nchops = ["ok", "flaky"]\n`);
    userChop(repo, 'ok', 'exit 0');
    const flaky = userChop(repo, 'flaky', 'exit 1');
    const first = okBin(repo, 'axe-chop-doctor');
    assert.ok(first.every((c) => c.kind === 'chop'));
    await sase(repo, 'axe-tick');
    const r = await sase(repo, 'axe-chop-doctor');
    assert.is(r.code, 1);
    assert.match(r.stderr, "error: chop 'flaky' failed at ");
    chmodSync(flaky, 0o644);
    const again = await sase(repo, 'axe-chop-doctor');
    assert.is(again.code, 1);
    assert.match(again.stderr, 'is not an executable file');
  },
);

t.run();
