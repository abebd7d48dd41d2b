import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, DEFAULTS_OFF, tick, userChop } from '../helpers/axe.ts';
import { fails, okBin, sase } from '../helpers/run.ts';

const t = suite('axe-lumberjack-run');

t('runs a lumberjack now, due or not, disabled or not; --dry-run reaches its chops; the real launcher', async () => {
  const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.daily]\ninterval = "1d"\nchops = ["count"]\n`);
  userChop(repo, 'count', `echo "dry=$SASE_DRY_RUN" >> "$PWD/.count"`);
  await tick(repo);
  assert.equal((await tick(repo))[0]!.chops, [], 'not due again for a day');
  const r = okBin(repo, 'axe-lumberjack-run', ['daily']);
  assert.equal(
    r[0]!.chops.map((c: Record<string, any>) => [c.chop, c.status]),
    [['count', 'ok']],
  );
  await sase(repo, 'axe-lumberjack-run', ['daily', '--dry-run']);
  const hooks = await sase(repo, 'axe-lumberjack-run', ['hooks']);
  assert.equal(hooks.records[0]!.lumberjacks, ['hooks'], 'a disabled lumberjack runs when named');
  assert.equal(readFileSync(join(repo.dir, '.count'), 'utf8').trim().split('\n'), ['dry=0', 'dry=0', 'dry=1']);
  fails(
    await sase(repo, 'axe-lumberjack-run', ['nope']),
    129,
    "error: no lumberjack 'nope' (there are: waits, hooks, reviews, sync, housekeeping, daily)",
  );
  fails(await sase(repo, 'axe-lumberjack-run', []), 129, 'error: missing <name>');
});

t.run();
