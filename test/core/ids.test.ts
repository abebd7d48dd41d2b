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
import { prng } from '../helpers/kill.ts';

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

// The forms before shortIds and naturalIdOrder were rewritten to make fewer
// strings, kept as oracles for random ids: the same output, to the value.
function oldSplitId(id: string) {
  const dot = id.indexOf('.');
  const top = dot < 0 ? id : id.slice(0, dot);
  const dash = top.lastIndexOf('-');
  return { prefix: top.slice(0, dash), hash: top.slice(dash + 1), suffix: dot < 0 ? '' : id.slice(dot) };
}

function oldShortIds(ids: string[], shardHashes: Iterable<string>): Map<string, string> {
  const common = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const sorted = [...new Set(shardHashes)].sort();
  const out = new Map<string, string>();
  for (const id of ids) {
    const { prefix, hash, suffix } = oldSplitId(id);
    let need = MIN_SHORT;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    for (const j of [lo - 1, lo, lo + 1]) {
      const other = sorted[j];
      if (other === undefined || other === hash) continue;
      need = Math.max(need, common(hash, other) + 1);
    }
    out.set(id, `${prefix}-${hash.slice(0, Math.min(need, hash.length))}${suffix}`);
  }
  return out;
}

function oldNaturalIdOrder(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  if (pa[0] !== pb[0]) return pa[0]! < pb[0]! ? -1 : 1;
  for (let i = 1; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const d = Number(pa[i]) - Number(pb[i]);
    if (d) return d;
  }
  return 0;
}

const TOPS = [
  'ts-a',
  'ts-b',
  'ts-ab',
  'ts-a0',
  'a',
  '',
  '-',
  'ts-',
  'bd-wisp-ab',
  'ts-a_b',
  'ts-\u00ff',
  'ts-A',
  'ts-ab-',
];
const PARTS = ['1', '2', '10', '01', '001', '', '0', 'x', ' 3', '1e2', '0x1f', '-1', '+2', 'Infinity', 'NaN', '9'];
const LONG_PARTS = ['123456789012345', '1234567890123456', '99999999999999999999', '000000000000000001'];

function randomId(rnd: () => number): string {
  let id = TOPS[Math.floor(rnd() * TOPS.length)]!;
  if (rnd() < 0.3) id += 'bcdefgh'.slice(0, Math.floor(rnd() * 7));
  const parts = rnd() < 0.4 ? 0 : Math.floor(rnd() * 4);
  for (let i = 0; i < parts; i++) {
    const r = rnd();
    id += `.${r < 0.1 ? LONG_PARTS[Math.floor(rnd() * LONG_PARTS.length)] : PARTS[Math.floor(rnd() * PARTS.length)]}`;
  }
  return id;
}

t('naturalIdOrder gives what comparing the split ids gave, to the value, on random ids', () => {
  const rnd = prng(7);
  for (let k = 0; k < 20000; k++) {
    const a = randomId(rnd);
    const b = rnd() < 0.2 ? a : rnd() < 0.5 ? `${a}.${PARTS[Math.floor(rnd() * PARTS.length)]}` : randomId(rnd);
    const got = naturalIdOrder(a, b);
    const want = oldNaturalIdOrder(a, b);
    assert.ok(Object.is(got, want), `${JSON.stringify(a)} vs ${JSON.stringify(b)}: ${got}, not ${want}`);
    assert.ok(Object.is(naturalIdOrder(b, a), oldNaturalIdOrder(b, a)), `${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
  }
  const ids = Array.from({ length: 3000 }, () => randomId(rnd));
  assert.equal([...ids].sort(naturalIdOrder), [...ids].sort(oldNaturalIdOrder));
});

t('shortIds gives what it gave before, on random shards (collisions, duplicates, odd ids)', () => {
  const rnd = prng(11);
  const hashOf = () => {
    let h = '';
    const n = rnd() < 0.1 ? Math.floor(rnd() * 4) : 4 + Math.floor(rnd() * 6);
    for (let i = 0; i < n; i++) h += 'ab0z'[Math.floor(rnd() * (rnd() < 0.8 ? 2 : 4))];
    return h;
  };
  for (let k = 0; k < 3000; k++) {
    const hashes = Array.from({ length: Math.floor(rnd() * 12) }, hashOf);
    const ids = Array.from({ length: Math.floor(rnd() * 10) }, () => {
      const r = rnd();
      const hash = r < 0.7 && hashes.length ? hashes[Math.floor(rnd() * hashes.length)]! : hashOf();
      const prefix = ['ts-', 'bd-wisp-', '', '-', 'a_b-'][Math.floor(rnd() * 5)]!;
      const suffix = ['', '', '.1', '.2.10', '.', '.x'][Math.floor(rnd() * 6)]!;
      return rnd() < 0.05 ? randomId(rnd) : `${prefix}${hash}${suffix}`;
    });
    const shard = rnd() < 0.3 ? [...hashes, ...hashes.slice(0, 3)] : hashes;
    assert.equal([...shortIds(ids, shard)], [...oldShortIds(ids, shard)], JSON.stringify({ ids, shard }));
    assert.equal([...shortIds(ids, new Set(shard))], [...oldShortIds(ids, new Set(shard))]);
  }
});

t.run();
