// sase's fzf matcher against the fzf package it follows: on random lines and
// random queries in fzf's syntax, the same lines match, with the same scores,
// in the same order, with the same positions highlighted.
import { extendedMatch, Fzf } from 'fzf';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  foldLine,
  isAscii,
  lineScore,
  onlyFuzzy,
  parseExtended,
  scoreFuzzy,
  scoreLine,
  singleFuzzy,
} from '../../src/core/ace/fuzzy.ts';
import { packedFuzzyScore, packLines, setsBytes, termBytes } from '../../src/core/ace/packed.ts';
import { prng } from '../helpers/kill.ts';

const t = suite('ace fuzzy');

const WORDS = [
  'cache',
  'Cache',
  'ready',
  'queue-tip',
  'epic_2',
  'notes/refs',
  'ImportBead',
  'blob',
  'tree',
  'hook42',
  '缓存',
  '全角テキスト',
  'café',
  'Ærø',
  'naïve',
  'São',
  'x',
  '  ',
  '$5',
  'a|b',
];
const PIECES = [
  'c',
  'ca',
  'che',
  'Ca',
  'i',
  'b',
  'tr',
  'ee',
  '缓',
  'cafe',
  'café',
  'ae',
  'ro',
  'ø',
  'naive',
  '2',
  '/',
  '-',
  'q t',
  'X',
  'sao',
];

function lines(n: number, rnd: () => number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => WORDS[Math.floor(rnd() * WORDS.length)]);
    const pad = rnd() < 0.1 ? ' ' : '';
    return `${pad}b-${i.toString(36)} ${words.join(rnd() < 0.8 ? ' ' : '')}${pad}`.normalize();
  });
}

function query(rnd: () => number): string {
  const terms = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
    const p = PIECES[Math.floor(rnd() * PIECES.length)]!;
    const r = rnd();
    if (r < 0.1) return `'${p}`;
    if (r < 0.2) return `^${p}`;
    if (r < 0.3) return `${p}$`;
    if (r < 0.4) return `!${p}`;
    if (r < 0.45) return `^${p}$`;
    if (r < 0.5) return `!'${p}`;
    if (r < 0.6) return `${p} | ${PIECES[Math.floor(rnd() * PIECES.length)]}`;
    return p;
  });
  return terms.join(' ');
}

t('matches, scores, order and positions are the fzf package v1 ones', () => {
  const rnd = prng(11);
  const list = lines(600, rnd);
  const fzf = new Fzf(list, { match: extendedMatch, fuzzy: 'v1', casing: 'smart-case' });
  let compared = 0;
  for (let k = 0; k < 400; k++) {
    const q = query(rnd);
    const theirs = (fzf.find(q) as Array<{ item: string; score: number; positions: Set<number> }>).map((r) => [
      r.item,
      r.score,
      [...r.positions].sort((a, b) => a - b),
    ]);
    const sets = parseExtended(q);
    const ours = list
      .map((line, i) => {
        const pos: number[] = [];
        const score = scoreLine(line, foldLine(line), isAscii(line), sets, pos);
        return { line, i, score, pos: [...new Set(pos)].sort((a, b) => a - b) };
      })
      .filter((x) => x.score !== null)
      .sort((a, b) => b.score! - a.score! || a.i - b.i)
      .map((x) => [x.line, x.score, x.pos]);
    assert.equal(ours, theirs, `query ${JSON.stringify(q)}`);
    compared += theirs.length;
  }
  assert.ok(compared > 10000, `the queries matched lines (${compared})`);
});

t('a single fuzzy word scores through its own path exactly as through the general one', () => {
  const rnd = prng(23);
  const list = lines(400, rnd);
  let compared = 0;
  for (const q of PIECES) {
    const sets = parseExtended(q);
    const term = singleFuzzy(sets);
    if (!term) continue;
    for (const line of list) {
      const fold = foldLine(line);
      assert.is(
        scoreFuzzy(line, fold, isAscii(line), term),
        scoreLine(line, fold, isAscii(line), sets),
        `${q} on ${line}`,
      );
      compared++;
    }
  }
  assert.ok(compared > 5000);
  assert.is(singleFuzzy(parseExtended("'exact")), null);
  assert.is(singleFuzzy(parseExtended('a b')), null);
  assert.is(singleFuzzy(parseExtended('!a')), null);
});

t('ASCII lines packed into bytes score as the same lines as strings, for every kind of query', () => {
  const rnd = prng(31);
  // ASCII lines and others mixed, so that the packed lines sit at places the others leave empty
  const list = lines(500, rnd).map((l, i) => (i % 3 === 0 ? l : l.replace(/[^\x00-\x7f]/g, 'Q')));
  const packed = packLines(list);
  const ascii = packed.ascii;
  assert.equal(
    [...ascii],
    list.map((l) => (isAscii(l) ? 1 : 0)),
  );
  assert.equal(
    [...packLines(list.filter(isAscii)).ascii],
    list.filter(isAscii).map(() => 1),
  );
  let compared = 0;
  const queries = [...PIECES, ...Array.from({ length: 300 }, () => query(rnd))];
  for (const q of queries) {
    const sets = parseExtended(q);
    const pats = setsBytes(sets);
    const single = singleFuzzy(sets);
    list.forEach((line, i) => {
      if (!ascii[i]) return;
      const fold = foldLine(line);
      const want = lineScore(line, fold, true, sets, null);
      assert.is(lineScore(line, fold, true, sets, null, packed, i, pats), want, `${q} on ${line}`);
      if (onlyFuzzy(sets)) assert.is(lineScore(line, '', true, sets, null, packed, i, pats), want, `${q} on ${line}`);
      if (single) assert.is(packedFuzzyScore(packed, i, single, termBytes(single)), want, `${q} on ${line}`);
      compared++;
    });
  }
  assert.ok(compared > 50000, `lines compared (${compared})`);
  assert.ok(ascii.includes(0) && ascii.includes(1));
});

t('accents: a term without them finds letters with them; a term with them only those', () => {
  const l = 'Café Ærø naïve'.normalize();
  const m = (q: string) => scoreLine(l, foldLine(l), isAscii(l), parseExtended(q)) !== null;
  assert.ok(m('cafe'));
  assert.ok(m('aero'));
  assert.ok(m('naive'));
  assert.ok(m('café'));
  assert.not.ok(m('cafè'));
  assert.not.ok(m('cafe'.toUpperCase()), 'a capital makes the term case-sensitive');
});

t.run();
