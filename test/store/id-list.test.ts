// The cache's list of every short id (id-list.ts): a word's completions are
// one range of it, found by bisection; a refresh splices the ranges of the
// shards it changed; a list stamped for other ids, or damaged, is none.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  hashForm,
  idListLines,
  linesStartingWith,
  readIdList,
  spliceIdList,
  writeIdList,
} from '../../src/store/id-list.ts';

const t = suite('store id list');

const lines = (b: Buffer | null) => (b ? b.toString('utf8').split('\n').filter(Boolean) : null);

t('the lines are the hash forms of the short ids, sorted, each once', () => {
  assert.is(hashForm('ts-k3f9'), 'k3f9');
  assert.is(hashForm('my-proj-k3f9.2.10'), 'k3f9.2.10');
  assert.equal(idListLines(['ts-k3f9.2', 'ot-k3f9', 'ts-k3f9', 'ts-aa01']), ['aa01', 'k3f9', 'k3f9.2']);
});

t('the lines starting with a word are found by bisection, at every place in the list', () => {
  const all = ['a0', 'a1', 'a1.1', 'a1.10', 'a1.2', 'b', 'b.1', 'ba', 'k3f9', 'k3f9.1', 'k3m2', 'zz01'];
  const list = Buffer.from(all.map((l) => `${l}\n`).join(''));
  const words = new Set(['', 'q', '0', 'zzz', '~']);
  for (const l of all) for (let n = 1; n <= l.length; n++) words.add(l.slice(0, n));
  for (const w of words)
    assert.equal(
      lines(linesStartingWith(list, w)),
      all.filter((l) => l.startsWith(w)),
      w,
    );
  assert.equal(lines(linesStartingWith(Buffer.alloc(0), 'a')), []);
  assert.equal(lines(linesStartingWith(Buffer.from('k3\n'), 'k')), ['k3']);
});

t('a list is read only under its own stamp, and only whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sase-ids-'));
  assert.is(readIdList(dir, 'tip1'), null, 'no file');
  writeIdList(dir, 'tip1', ['aa01', 'k3f9']);
  assert.equal(lines(readIdList(dir, 'tip1')), ['aa01', 'k3f9']);
  assert.is(readIdList(dir, 'tip2'), null, 'another stamp');
  assert.is(readIdList(dir, 'tip'), null, 'a stamp that is a prefix of the file’s');
  writeFileSync(join(dir, 'IDS'), 'tip1\naa01\nk3');
  assert.is(readIdList(dir, 'tip1'), null, 'cut short');
  writeIdList(dir, 'tip1', []);
  assert.equal(lines(readIdList(dir, 'tip1')), []);
});

t("a splice replaces each changed shard's range and keeps the rest byte for byte", () => {
  const dir = mkdtempSync(join(tmpdir(), 'sase-ids-'));
  writeIdList(dir, 'one', ['aa01', 'aa02', 'bb01', 'k3f9', 'k3f9.1', 'k3m2', 'zz01']);
  const changed = new Map([
    ['k3', ['k3f9', 'k3m2', 'k3x1']], // a bead added
    ['aa', []], // the shard emptied
    ['cc', ['cc01']], // a shard new
  ]);
  assert.ok(spliceIdList(dir, 'one', 'two', changed));
  assert.is(readIdList(dir, 'one'), null, 'the old stamp is gone');
  assert.equal(lines(readIdList(dir, 'two')), ['bb01', 'cc01', 'k3f9', 'k3m2', 'k3x1', 'zz01']);
  // from a stamp the file does not have, or for a shard whose lines are no single range: nothing written
  const before = readFileSync(join(dir, 'IDS'));
  assert.not.ok(spliceIdList(dir, 'one', 'three', new Map([['bb', []]])));
  assert.not.ok(spliceIdList(dir, 'two', 'three', new Map([['k', ['k']]])));
  assert.equal(readFileSync(join(dir, 'IDS')), before);
});

t.run();
