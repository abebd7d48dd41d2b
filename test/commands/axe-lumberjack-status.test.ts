import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, DEFAULTS_OFF, userChop } from '../helpers/axe.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('axe-lumberjack-status');

t(
  "a lumberjack with its chops' last results; exit 1 when it last failed; unknown names; the real launcher",
  async () => {
    const repo = await axeRepo(`${DEFAULTS_OFF}[axe.lumberjacks.pair]\ninterval = "1h"\nchops = ["good", "bad"]\n`);
    userChop(repo, 'good', `printf '{"v":1,"status":"ok","summary":"fine"}' > "$SASE_CHOP_RESULT_FILE"`);
    userChop(repo, 'bad', 'echo broken >&2; exit 2');
    const before = okBin(repo, 'axe-lumberjack-status', ['pair']);
    assert.equal(
      before.map((r) => [r.kind, r.name, r.last_status]),
      [
        ['lumberjack', 'pair', null],
        ['chop', 'good', null],
        ['chop', 'bad', null],
      ],
    );
    await sase(repo, 'axe-tick');
    const r = await sase(repo, 'axe-lumberjack-status', ['pair']);
    assert.is(r.code, 1);
    assert.equal(
      r.records.map((x) => [x.name, x.last_status, x.last_summary]),
      [
        ['pair', 'failed', 'good: fine; bad: broken'],
        ['good', 'ok', 'fine'],
        ['bad', 'failed', 'broken'],
      ],
    );
    assert.is((await ok(repo, 'axe-lumberjack-status', ['waits'])).length, 2);
    fails(
      await sase(repo, 'axe-lumberjack-status', ['nope']),
      129,
      "error: no lumberjack 'nope' (there are: waits, hooks, reviews, sync, housekeeping, pair)",
    );
  },
);

t.run();
