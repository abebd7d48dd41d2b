import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  HASH_LENGTH,
  MIN_SHORT,
  mintId,
  naturalIdOrder,
  parseIdInput,
  resolveAgainst,
  shortIds,
  sortIdsNaturally,
} from '../../src/core/beads/ids.ts';
import { isValidId } from '../../src/core/beads/model.ts';
import { AmbiguousError, NotFoundError, UsageError } from '../../src/core/errors.ts';

const t = suite('core/ids');

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

t('mintId: <prefix>-<8 base36 characters>, byte i picks character i', () => {
  assert.is(HASH_LENGTH, 8);
  assert.is(mintId('ts', Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7])), 'ts-01234567');
  assert.is(mintId('ts', Uint8Array.from([10, 35, 36, 71, 255, 0, 0, 0])), 'ts-az0z3000');
  assert.is(mintId('my-proj', Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 9, 9])), 'my-proj-11111111');
});

t('mintId: every byte value maps into the base36 alphabet, and every character is reachable', () => {
  const seen = new Set<string>();
  for (let b = 0; b < 256; b += 8) {
    const bytes = Uint8Array.from({ length: 8 }, (_, i) => b + i);
    const id = mintId('ts', bytes);
    assert.match(id, /^ts-[0-9a-z]{8}$/);
    assert.ok(isValidId(id), id);
    for (const c of id.slice(3)) seen.add(c);
  }
  assert.is(seen.size, 36);
});

t('shortIds: at least 4 characters of the hash when no neighbour shares them', () => {
  assert.is(MIN_SHORT, 4);
  const m = shortIds(['ts-abcdefgh', 'ts-zz000000'], ['abcdefgh', 'abzzzzzz', 'zz000000']);
  assert.is(m.get('ts-abcdefgh'), 'ts-abcd');
  assert.is(m.get('ts-zz000000'), 'ts-zz00');
});

t('shortIds: longer when a neighbour shares the prefix, on either side', () => {
  const hashes = ['abcdefgh', 'abcdexyz', 'abcdefgz', 'abcd0000'];
  const m = shortIds(['ts-abcdefgh', 'ts-abcdexyz', 'ts-abcd0000'], hashes);
  assert.is(m.get('ts-abcdefgh'), 'ts-abcdefgh'); // shares 7 with abcdefgz
  assert.is(m.get('ts-abcdexyz'), 'ts-abcdex'); // shares 5 with abcdefgh
  assert.is(m.get('ts-abcd0000'), 'ts-abcd0'); // shares 4 with abcdefgh
});

t('shortIds: the hash may be missing from the shard list; duplicates are ignored', () => {
  const m = shortIds(['ts-abcdefgh'], ['abcdefgh', 'abcdefgh', 'abcdeqqq']);
  assert.is(m.get('ts-abcdefgh'), 'ts-abcdef');
  const n = shortIds(['ts-abcdefgh'], ['abcdeqqq']);
  assert.is(n.get('ts-abcdefgh'), 'ts-abcdef');
});

t('shortIds: a dotted child keeps its suffix and the prefix may hold dashes', () => {
  const m = shortIds(['ts-abcdefgh.2', 'ts-abcdefgh.1.3', 'bd-wisp-0385zqqq'], ['abcdefgh', '0385zqqq', '0385aaaa']);
  assert.is(m.get('ts-abcdefgh.2'), 'ts-abcd.2');
  assert.is(m.get('ts-abcdefgh.1.3'), 'ts-abcd.1.3');
  assert.is(m.get('bd-wisp-0385zqqq'), 'bd-wisp-0385z');
});

t('shortIds: never longer than the hash itself', () => {
  const m = shortIds(['ts-1', 'ts-abcd'], ['1', 'abcd', 'abcd']);
  assert.is(m.get('ts-1'), 'ts-1');
  assert.is(m.get('ts-abcd'), 'ts-abcd');
});

const CANDS = ['ts-abcdefgh', 'ts-abcdefgh.1', 'ts-abcdefgh.2', 'ts-abxyzzzz', 'ts-abcd', 'xy-abqqqqqq'];

t('resolveAgainst: an exact id wins over longer ids it is a prefix of', () => {
  assert.is(resolveAgainst('ts-abcd', CANDS), 'ts-abcd');
  assert.is(resolveAgainst('abcd', CANDS), 'ts-abcd'); // exact hash wins too
  assert.is(resolveAgainst('ts-abcdefgh', CANDS), 'ts-abcdefgh');
  assert.is(resolveAgainst('ts-abcdefgh.2', CANDS), 'ts-abcdefgh.2');
});

t('resolveAgainst: a unique prefix of the hash, with or without the prefix', () => {
  assert.is(resolveAgainst('abcde', CANDS), 'ts-abcdefgh');
  assert.is(resolveAgainst('ts-abcde', CANDS), 'ts-abcdefgh');
  assert.is(resolveAgainst('abx', CANDS), 'ts-abxyzzzz');
  assert.is(resolveAgainst('ts-abx', CANDS), 'ts-abxyzzzz');
  assert.is(resolveAgainst('abq', CANDS), 'xy-abqqqqqq');
  assert.is(resolveAgainst('xy-abq', CANDS), 'xy-abqqqqqq');
  assert.is(resolveAgainst('  TS-ABX  ', CANDS), 'ts-abxyzzzz');
});

t('resolveAgainst: children as <short>.<n>', () => {
  assert.is(resolveAgainst('abcde.1', CANDS), 'ts-abcdefgh.1');
  assert.is(resolveAgainst('ts-abcdef.2', CANDS), 'ts-abcdefgh.2');
  const err = thrown(() => resolveAgainst('abcde.9', CANDS));
  assert.instance(err, NotFoundError);
  assert.is((err as NotFoundError).message, "no bead 'abcde.9'");
});

t('resolveAgainst: an ambiguous prefix throws AmbiguousError listing the candidates', () => {
  const err = thrown(() => resolveAgainst('ab', CANDS)) as AmbiguousError;
  assert.instance(err, AmbiguousError);
  assert.instance(err, UsageError);
  assert.is(err.exitCode, 129);
  assert.is(err.input, 'ab');
  assert.equal(err.candidates, ['ts-abcd', 'ts-abcdefgh', 'ts-abxyzzzz', 'xy-abqqqqqq']);
  assert.is(err.message, "short id 'ab' is ambiguous: ts-abcd, ts-abcdefgh, ts-abxyzzzz, xy-abqqqqqq");
  // the prefix narrows it
  const ts = thrown(() => resolveAgainst('ts-ab', CANDS)) as AmbiguousError;
  assert.equal(ts.candidates, ['ts-abcd', 'ts-abcdefgh', 'ts-abxyzzzz']);
  assert.is(resolveAgainst('xy-ab', CANDS), 'xy-abqqqqqq');
});

t('resolveAgainst: more than ten candidates are cut short in the message', () => {
  const many = Array.from({ length: 12 }, (_, i) => `ts-aa${String(i).padStart(6, '0')}`);
  const err = thrown(() => resolveAgainst('aa', many)) as AmbiguousError;
  assert.is(err.candidates.length, 12);
  assert.match(err.message, /ts-aa000009, \.\.\.$/);
});

t('resolveAgainst: no match is NotFoundError (exit 4) with a hint', () => {
  for (const input of ['zzz', 'ts-zzz', 'qq-abc', 'abcdefghi']) {
    const err = thrown(() => resolveAgainst(input, CANDS)) as NotFoundError;
    assert.instance(err, NotFoundError);
    assert.is(err.exitCode, 4);
    assert.is(err.message, `no bead '${input}'`);
    assert.is(err.hint, "try 'sase bead list'");
  }
  assert.instance(
    thrown(() => resolveAgainst('abc', [])),
    NotFoundError,
  );
});

t('resolveAgainst / parseIdInput: malformed input is a usage error', () => {
  for (const input of [
    '',
    '   ',
    '../x',
    'a/b',
    'ts-abc.x',
    'ts-abc.',
    '-abc',
    'abc-',
    'ab cd',
    'ts-ab\u0000',
    'ts_ab*',
  ]) {
    const err = thrown(() => resolveAgainst(input, CANDS));
    assert.instance(err, UsageError, JSON.stringify(input));
    assert.not.instance(err, AmbiguousError);
    assert.is((err as UsageError).exitCode, 129);
    assert.is((err as UsageError).message, `'${input}' is not a bead id`);
  }
});

t('parseIdInput: splits prefix, hash prefix and suffix', () => {
  assert.equal(parseIdInput('k3f9'), { prefix: null, hashPrefix: 'k3f9', suffix: '' });
  assert.equal(parseIdInput('sase-k3f9.2'), { prefix: 'sase', hashPrefix: 'k3f9', suffix: '.2' });
  assert.equal(parseIdInput('bd-wisp-03.1.4'), { prefix: 'bd-wisp', hashPrefix: '03', suffix: '.1.4' });
});

t('sortIdsNaturally sorts as naturalIdOrder does: parents first, child numbers as numbers', () => {
  const ids = [
    'sase-b',
    'sase-a.10',
    'sase-a',
    'sase-a.2',
    'sase-a.2.1',
    'sase-a.1',
    'sase-ab',
    'sase-a.2.10',
    'sase-a.2.9',
    'x-1',
  ];
  assert.equal(sortIdsNaturally([...ids]), [...ids].sort(naturalIdOrder));
  assert.equal(sortIdsNaturally([...ids]).slice(0, 5), ['sase-a', 'sase-a.1', 'sase-a.2', 'sase-a.2.1', 'sase-a.2.9']);
});

t.run();
