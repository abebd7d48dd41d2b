import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo } from '../helpers/axe.ts';
import { ok, okBin, sase } from '../helpers/run.ts';

const t = suite('axe-lumberjack-list');

t('the defaults, a section overriding one field by field, a new one; the real launcher', async () => {
  const repo = await axeRepo(
    `[axe.lumberjacks.waits]\ninterval = "5s"\n[axe.lumberjacks.nightly]\ninterval = "1d"\nchops = ["report"]\nenabled = false\n`,
  );
  const recs = okBin(repo, 'axe-lumberjack-list');
  assert.equal(
    recs.map((l) => [l.kind, l.name, l.interval, l.chops, l.enabled]),
    [
      ['lumberjack', 'waits', '5s', ['waits'], true],
      ['lumberjack', 'hooks', '30s', ['hooks'], true],
      ['lumberjack', 'reviews', '2m', ['reviews'], true],
      ['lumberjack', 'sync', '1m', ['sync'], true],
      ['lumberjack', 'housekeeping', '1h', ['housekeeping'], true],
      ['lumberjack', 'nightly', '1d', ['report'], false],
    ],
  );
  assert.ok(recs.every((l) => l.last_run_at === null && l.next_due_at === null));
  const text = (await sase(repo, 'axe-lumberjack-list', ['--format', 'text'])).stdout;
  assert.match(text, 'waits every 5s: waits; last never ran; next now');
  assert.match(text, 'nightly (disabled) every 1d: report');
  await ok(repo, 'axe-tick', ['--only', 'housekeeping']);
  const hk = (await ok(repo, 'axe-lumberjack-list')).find((l) => l.name === 'housekeeping')!;
  assert.is(hk.last_status, 'no_op');
  assert.is(Date.parse(hk.next_due_at) - Date.parse(hk.last_run_at), 3_600_000);
  const after = (await sase(repo, 'axe-lumberjack-list', ['--format', 'text'])).stdout;
  assert.match(after, /housekeeping every 1h: housekeeping; last no_op (just now|\d+ s ago); next in (59 min|1 h)/);
  assert.not.match(after, hk.last_run_at);
});

t.run();
