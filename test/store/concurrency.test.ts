// Many processes writing one state ref at once: the compare-and-swap with
// retries must keep every write (no lost update) and let exactly one of many
// racing claims win.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { okBin, type RunResult, saseProcess } from '../helpers/run.ts';
import { assertFsckOk, commitCount, opsInLog } from '../helpers/state.ts';

const t = suite('store concurrency');

function explain(rs: RunResult[]): string {
  return rs.map((r, i) => `#${i} exit ${r.code}: ${r.stderr.trim()}`).join('\n');
}

t('30 creates started at once all land, each in its own commit', async () => {
  const repo = await initedRepo();
  const before = commitCount(repo);
  const runs = await Promise.all(
    Array.from({ length: 30 }, (_, i) => saseProcess(repo, 'bead-create', ['--title', `racer ${i}`])),
  );
  assert.ok(
    runs.every((r) => r.code === 0),
    `every create exits 0:\n${explain(runs)}`,
  );
  const created = runs.map((r) => r.records[0]!.id as string);
  assert.is(new Set(created).size, 30, 'thirty distinct ids');

  const listed = okBin(repo, 'bead-list', ['--status', 'all']);
  assert.is(listed.length, 30);
  assert.equal(listed.map((b) => b.id).sort(), [...created].sort());
  assert.equal(listed.map((b) => b.title).sort(), Array.from({ length: 30 }, (_, i) => `racer ${i}`).sort());

  const creates = okBin(repo, 'log', ['--op', 'bead.create']);
  assert.is(creates.length, 30);
  assert.equal(creates.map((o) => o.subjects[0]).sort(), [...created].sort());
  assert.is(commitCount(repo), before + 30, 'one commit per create, nothing else');
  // a linear chain: no merges, every commit's parent is the one before it
  assert.is(repo.git('rev-list', '--merges', '--count', 'refs/sase/state').trim(), '0');
  await assertFsckOk(repo);
});

t('of 10 racing claims of one bead exactly one wins; the others exit 3 naming the bead', async () => {
  const repo = await initedRepo();
  const [bead] = okBin(repo, 'bead-create', ['--title', 'the prize']);
  const id = bead!.id as string;
  const runs = await Promise.all(
    Array.from({ length: 10 }, (_, i) => saseProcess(repo, 'bead-claim', [id, '--as', `worker-${i}`])),
  );
  const winners = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.code === 0);
  assert.is(winners.length, 1, `exactly one winner:\n${explain(runs)}`);
  const winner = `worker-${winners[0]!.i}`;
  assert.is(winners[0]!.r.records[0]!.assignee, winner);
  for (const [i, r] of runs.entries()) {
    if (r.code === 0) continue;
    assert.is(r.code, 3, `loser #${i} exits 3:\n${explain(runs)}`);
    assert.is(r.stdout, '', 'a loser prints no record');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    assert.is(errors.length, 1, `one error line: ${r.stderr}`);
    assert.ok(errors[0]!.includes(`'${id}'`), `the error names the bead: ${errors[0]}`);
    assert.not.match(r.stderr, /BUG:|\n\s+at /);
  }
  const [shown] = okBin(repo, 'bead-show', [id]);
  assert.is(shown!.status, 'claimed');
  assert.is(shown!.assignee, winner);
  assert.is(opsInLog(repo).filter((o) => o === 'bead.claim').length, 1, 'one bead.claim commit');
  assert.is(okBin(repo, 'log', ['--op', 'bead.claim']).length, 1);
  await assertFsckOk(repo);
});

t(
  'identical claims racing (same bead, assignee, time and identity: the same commit) make exactly one commit',
  async () => {
    // git fast-import refuses only a non-fast-forward, so two writers building
    // the very same commit both "succeeded"; an exact compare-and-swap on the
    // old value lets one move the ref and sends the other back to try again
    const repo = await initedRepo();
    const [bead] = okBin(repo, 'bead-create', ['--title', 'the prize']);
    const id = bead!.id as string;
    const same = { env: { SASE_NOW: '2026-01-01T00:00:00Z' } };
    for (let round = 0; round < 3; round++) {
      const runs = await Promise.all(
        Array.from({ length: 8 }, () => saseProcess(repo, 'bead-claim', [id, '--as', 'twin'], same)),
      );
      // one moves the ref; the others, sent back, find the bead held by the same claimant: a no-op, not a conflict
      for (const r of runs) assert.is(r.code, 0, explain(runs));
      assert.is(opsInLog(repo).filter((o) => o === 'bead.claim').length, 1, 'one bead.claim commit');
    }
    await assertFsckOk(repo);
  },
);

t('racing writes to different beads both land (no lost update)', async () => {
  const repo = await initedRepo();
  const rounds = 6;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < rounds; i++) {
    const [a] = okBin(repo, 'bead-create', ['--title', `a${i}`]);
    const [b] = okBin(repo, 'bead-create', ['--title', `b${i}`]);
    pairs.push([a!.id, b!.id]);
  }
  const before = commitCount(repo);
  // each round: a close against an update, or two updates of different fields
  const runs = await Promise.all(
    pairs.flatMap(([a, b], i) =>
      i % 2 === 0
        ? [
            saseProcess(repo, 'bead-close', [a, '--reason', `done ${i}`]),
            saseProcess(repo, 'bead-update', [b, '--priority', '0', '--add-label', 'hot']),
          ]
        : [
            saseProcess(repo, 'bead-update', [a, '--title', `renamed a${i}`]),
            saseProcess(repo, 'bead-close', [b, '--resolution', 'canceled', '--reason', 'dup']),
          ],
    ),
  );
  assert.ok(
    runs.every((r) => r.code === 0),
    `every write exits 0:\n${explain(runs)}`,
  );
  assert.is(commitCount(repo), before + rounds * 2, 'every write made its own commit');
  for (const [i, [a, b]] of pairs.entries()) {
    const [ba] = okBin(repo, 'bead-show', [a]);
    const [bb] = okBin(repo, 'bead-show', [b]);
    if (i % 2 === 0) {
      assert.is(ba!.status, 'closed');
      assert.is(ba!.close_reason, `done ${i}`);
      assert.is(bb!.priority, 0);
      assert.equal(bb!.labels, ['hot']);
      assert.is(bb!.status, 'open');
    } else {
      assert.is(ba!.title, `renamed a${i}`);
      assert.is(ba!.status, 'open');
      assert.is(bb!.status, 'closed');
      assert.is(bb!.resolution, 'canceled');
    }
  }
  await assertFsckOk(repo);
});

t('two updates of different fields of one bead, racing, both land', async () => {
  const repo = await initedRepo();
  const [b] = okBin(repo, 'bead-create', ['--title', 'shared']);
  const runs = await Promise.all([
    saseProcess(repo, 'bead-update', [b!.id, '--priority', '4']),
    saseProcess(repo, 'bead-update', [b!.id, '--title', 'renamed']),
    saseProcess(repo, 'bead-note', [b!.id, 'a note']),
  ]);
  assert.ok(
    runs.every((r) => r.code === 0),
    explain(runs),
  );
  const [shown] = okBin(repo, 'bead-show', [b!.id]);
  assert.is(shown!.priority, 4);
  assert.is(shown!.title, 'renamed');
  assert.match(shown!.notes, /a note$/);
  await assertFsckOk(repo);
});

t.run();
