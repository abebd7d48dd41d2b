import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, userChop } from '../helpers/axe.ts';
import { okBin, sase } from '../helpers/run.ts';

const t = suite('axe-chop-list');

t('every chop: built-ins, a user chop, a configured command, a missing one; the real launcher', async () => {
  const repo = await axeRepo(
    `[axe.lumberjacks.extra]\ninterval = "1m"\nchops = ["mine", "cmd", "gone"]\n[axe.chops.cmd]\ncommand = "echo hi"\ntimeout = "30s"\nrun_every = "1h"\n[axe.chops.sync]\nenabled = false\n`,
  );
  const file = userChop(repo, 'mine', 'exit 0');
  const recs = okBin(repo, 'axe-chop-list');
  assert.equal(
    recs.map((c) => [c.kind, c.name, c.where, c.timeout, c.run_every, c.enabled, c.lumberjacks]),
    [
      ['chop', 'waits', 'built-in (sase-chop-waits)', '10m', null, true, ['waits']],
      ['chop', 'hooks', 'built-in (sase-chop-hooks)', '1h', null, true, ['hooks']],
      ['chop', 'reviews', 'built-in (sase-chop-reviews)', '10m', null, true, ['reviews']],
      ['chop', 'sync', 'built-in (sase-chop-sync)', '10m', null, false, ['sync']],
      ['chop', 'housekeeping', 'built-in (sase-chop-housekeeping)', '10m', null, true, ['housekeeping']],
      ['chop', 'mine', file, '10m', null, true, ['extra']],
      ['chop', 'cmd', 'echo hi', '30s', '1h', true, ['extra']],
      ['chop', 'gone', null, '10m', null, true, ['extra']],
    ],
  );
  assert.match(recs.at(-1)!.problem, "chop 'gone' not found: no .sase/axe/chops/gone");
  const text = (await sase(repo, 'axe-chop-list', ['--format', 'text'])).stdout;
  assert.match(text, 'cmd: echo hi; timeout 30s, at most every 1h; last never ran');
});

t.run();
