// Tree bytes: the entries that differ between two versions of a tree are
// those a parse of both finds different, found without decoding the rest.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { changedEntries, parseTree, serializeTree, type TreeEntry } from '../../src/git/objects.ts';

const t = suite('git objects');

t('changedEntries: the entries added, removed or changed, as a parse of both gives them', () => {
  let seed = 11;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const oid = () => Array.from({ length: 40 }, () => '0123456789abcdef'[rand(16)]).join('');
  const names = ['a', 'ab', 'b', 'é', 'x.json', 'zz', 'a-b', 'c'];
  const modes = ['40000', '100644', '100755'];
  const tree = () =>
    names.filter(() => rand(3) > 0).map((name): TreeEntry => ({ name, mode: modes[rand(3)]!, oid: oid() }));
  for (let n = 0; n < 300; n++) {
    const before = tree();
    // the next version keeps some entries as they were
    const after = tree().map((e) => before.find((b) => b.name === e.name && rand(2)) ?? e);
    const x = serializeTree(before);
    const y = serializeTree(after);
    const oracle = new Map<string, { before: TreeEntry | null; after: TreeEntry | null }>();
    for (const e of parseTree(x, 20)) oracle.set(e.name, { before: e, after: null });
    for (const e of parseTree(y, 20)) {
      const b = oracle.get(e.name)?.before ?? null;
      if (b && b.mode === e.mode && b.oid === e.oid) oracle.delete(e.name);
      else oracle.set(e.name, { before: b, after: e });
    }
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
    assert.equal(
      changedEntries(x, y, 20).sort(byName),
      [...oracle].map(([name, v]) => ({ name, ...v })).sort(byName),
      `round ${n}`,
    );
  }
});

t(
  'changedEntries over trees of two-character directories (beads/), walked in step, as a parse of both gives them',
  () => {
    let seed = 5;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const oid = () => Array.from({ length: 40 }, () => '0123456789abcdef'[rand(16)]).join('');
    const names = ['0a', '0b', '1z', 'a0', 'ab', 'zz', 'é'];
    for (let n = 0; n < 200; n++) {
      const before = names.filter(() => rand(4) > 0).map((name): TreeEntry => ({ name, mode: '40000', oid: oid() }));
      const after = names
        .filter(() => rand(4) > 0)
        .map(
          (name): TreeEntry =>
            before.find((b) => b.name === name && rand(3) > 0) ?? { name, mode: '40000', oid: oid() },
        );
      const want = new Map<string, { before: TreeEntry | null; after: TreeEntry | null }>();
      for (const e of before) want.set(e.name, { before: e, after: null });
      for (const e of after) {
        const b = want.get(e.name)?.before ?? null;
        if (b && b.oid === e.oid) want.delete(e.name);
        else want.set(e.name, { before: b, after: e });
      }
      const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
      assert.equal(
        changedEntries(serializeTree(before), serializeTree(after), 20).sort(byName),
        [...want].map(([name, v]) => ({ name, ...v })).sort(byName),
        `round ${n}`,
      );
    }
  },
);

t.run();
