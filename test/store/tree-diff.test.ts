// The refresh's own tree diff, read through the cat-file reader: over random
// writes (files added, changed and removed, a file made a directory and back,
// whole directories gone) it gives exactly what `git diff-tree -r` gives.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { machineClock, machineRandom } from '../../src/cli/context.ts';
import { diffTrees } from '../../src/git/history.ts';
import { openStore } from '../../src/store/store.ts';
import { diffStateTrees } from '../../src/store/tree-diff.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { writeStateCommit } from '../helpers/state.ts';

const t = suite('store tree diff');

t('gives what git diff-tree gives, and throws for a commit that is not there', async () => {
  const repo = await initedRepo();
  const store = await openStore(
    { cwd: repo.dir, env: repo.env },
    { clock: machineClock(repo.env), random: machineRandom },
  );
  try {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const names = ['a', 'b', 'c'];
    const pathAt = () => {
      const depth = 1 + rand(3);
      return Array.from({ length: depth }, () => names[rand(names.length)]).join('/');
    };
    const present = new Set<string>();
    let before = writeStateCommit(repo, { 'x/keep': 'kept' }, 'start');
    for (let step = 0; step < 40; step++) {
      const files: Record<string, string | null> = {};
      for (let k = 1 + rand(4); k > 0; k--) {
        const p = pathAt();
        if (present.has(p) && rand(2)) {
          files[p] = null;
          present.delete(p);
        } else {
          // a path where a file or a directory stood: what stood there goes first
          for (const q of [...present])
            if (q.startsWith(`${p}/`) || p.startsWith(`${q}/`)) {
              files[q] = null;
              present.delete(q);
            }
          files[p] = `content ${step} ${k}`;
          present.add(p);
        }
      }
      const ordered = Object.fromEntries(
        Object.entries(files).sort(([, x], [, y]) => (x === null ? 0 : 1) - (y === null ? 0 : 1)),
      );
      const after = writeStateCommit(repo, ordered, `step ${step}`);
      const want = (await diffTrees(store.repo, before, after)).sort((p, q) => (p.path < q.path ? -1 : 1));
      assert.equal(await diffStateTrees(store.cat, store.repo, before, after), want, `step ${step}`);
      assert.equal(
        await diffStateTrees(store.cat, store.repo, after, before),
        (await diffTrees(store.repo, after, before)).sort((p, q) => (p.path < q.path ? -1 : 1)),
        `step ${step} backwards`,
      );
      before = after;
    }
    let threw = false;
    await diffStateTrees(store.cat, store.repo, 'f'.repeat(40), before).catch(() => (threw = true));
    assert.ok(threw, 'a commit that is not there');
  } finally {
    store.close();
  }
});

t.run();
