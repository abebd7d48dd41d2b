// fzf's extended search as the fzf package (0.5.2) does it with its v1
// algorithm, over strings: the same terms ('exact, ^prefix, suffix$, !not,
// a | b, smart case, Latin letters matched without their accents), the same
// matches, scores and positions; test/core/ace-fuzzy.test.ts holds it to the
// package. The package itself keeps every line as an array of code units and
// makes objects and sets for every match: 33 MB and 0.2-1.4 s a query at
// 100,000 lines, where this takes a few ms. Pure.

import { type PackedLines, packedFuzzyScore } from './packed.ts';
import {
  BONUS_BOUNDARY,
  BONUS_CONSECUTIVE,
  BONUS_FIRST_CHAR_MULTIPLIER,
  bonusFor,
  charClass,
  NO_MATCH,
  SCORE_GAP_EXTENSION,
  SCORE_GAP_START,
  SCORE_MATCH,
  type Term,
  type TermSets,
} from './score.ts';

export { NO_MATCH, type Term, type TermSets };

const NONE = NO_MATCH;

const FUZZY = 0;
const EXACT = 1;
const PREFIX = 2;
const SUFFIX = 3;
const EQUAL = 4;

// Letters fzf matches without their marks: its table of letters that do not
// decompose (pairs of a letter and what it matches), then every ASCII letter
// with one combining mark, then the Vietnamese letters with two.
const UNDECOMPOSED =
  'ØOßsøođdħhıiŀlłlŧtſsƀbƁBƃbƆOƈcƉDƊDƌdƎEƐEƒfƓGƗIƙkƚlƜMƝNƞnƟOƥpƫtƭtƮTƲVƴyƶzǝeǥgȠNȡdȥzȴlȵnȶtȷjȺAȻCȼcȽLȾTȿsɀzɃBɄUɅVɆEɇeɈJɉjɊQɋqɌRɍrɎYɏyɐaɑaɓbɔoɕcɖdɗdɘeɛeɜeɝeɞeɟjɠgɡgɢGɥhɦhɨiɪIɫlɬlɭlɯmɰmɱmɲnɳnɴNɵoɹrɺrɻrɼrɽrɾrɿrʀRʁRʂsʇtʈtʉuʋvʌvʍwʎyʏYʐzʑzʗcʙBʚeʛGʜHʝjʞkʟLʠqʮhͣaͤeͥiͦoͧuͨcͩdͪhͫmͬrͭtͮvͯxᴀAᴃBᴄCᴅDᴇEᴈeᴉiᴊJᴋKᴌLᴍMᴎNᴏOᴐOᴑoᴒoᴓoᴖoᴗoᴘPᴙRᴚRᴛTᴜUᴝuᴞuᴟmᴠVᴡWᴢZᵢiᵣrᵤuᵥvẚaẛsⁱiₕhₖkₗlₘmₙnₚpₛsₜtↄc';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
let normalized: Map<number, number> | null = null;

function normalizedTable(): Map<number, number> {
  if (normalized) return normalized;
  const t = new Map<number, number>();
  for (let i = 0; i < UNDECOMPOSED.length; i += 2) t.set(UNDECOMPOSED.charCodeAt(i), UNDECOMPOSED.charCodeAt(i + 1));
  for (let mark = 0x300; mark <= 0x36f; mark++) {
    for (const letter of LETTERS) {
      const c = (letter + String.fromCharCode(mark)).normalize().codePointAt(0)!;
      if (c > 126) t.set(c, letter.charCodeAt(0));
    }
  }
  const ranges: Array<[string, number, number]> = [
    ['a', 7844, 7863],
    ['e', 7870, 7879],
    ['o', 7888, 7907],
    ['u', 7912, 7921],
  ];
  for (const [lower, from, to] of ranges)
    for (let c = from; c <= to; c++) t.set(c, (c % 2 === 0 ? lower.toUpperCase() : lower).charCodeAt(0));
  normalized = t;
  return t;
}

function normalizeUnit(c: number): number {
  return c < 192 || c > 8580 ? c : (normalizedTable().get(c) ?? c);
}

function lowerUnit(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  return c > 127 ? String.fromCharCode(c).toLowerCase().charCodeAt(0) : c;
}

function mapUnits(s: string, f: (c: number) => number): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(f(s.charCodeAt(i)));
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

export function isAscii(s: string): boolean {
  return ASCII.test(s);
}

/** A line lower-cased and without accents, unit for unit: what lower-case terms are matched against. */
export function foldLine(line: string): string {
  return isAscii(line) ? line.toLowerCase() : mapUnits(line, (c) => normalizeUnit(lowerUnit(c)));
}

/** The line as a term compares it: lower-cased unless case-sensitive, without accents when it normalizes. */
function textFor(raw: string, fold: string, ascii: boolean, cs: boolean, nz: boolean): string {
  if (!cs && (nz || ascii)) return fold;
  if (cs && (!nz || ascii)) return raw;
  return mapUnits(raw, cs ? normalizeUnit : lowerUnit);
}

const WHITESPACE = new Set(
  [...' \f\n\r\t\v\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff'].map((c) => c.charCodeAt(0)),
);
for (let c = 0x2000; c <= 0x200a; c++) WHITESPACE.add(c);

/** Parses fzf's extended search syntax (fuzzy, smart case, normalized), as the package does. */
export function parseExtended(query: string): TermSets {
  let str = query.normalize().trimStart();
  const right = str.trimEnd();
  str = right.endsWith('\\') && str[right.length] === ' ' ? `${right} ` : right;
  const sets: TermSets = [];
  let set: Term[] = [];
  let switchSet = false;
  let afterBar = false;
  for (const token of str.replace(/\\ /g, '\t').split(/ +/)) {
    let typ = FUZZY;
    let inv = false;
    let text = token.replace(/\t/g, ' ');
    const lower = text.toLowerCase();
    const caseSensitive = text !== lower;
    const normalize = lower === mapUnits(lower, normalizeUnit);
    if (!caseSensitive) text = lower;
    if (set.length > 0 && !afterBar && text === '|') {
      switchSet = false;
      afterBar = true;
      continue;
    }
    afterBar = false;
    if (text.startsWith('!')) {
      inv = true;
      typ = EXACT;
      text = text.slice(1);
    }
    if (text !== '$' && text.endsWith('$')) {
      typ = SUFFIX;
      text = text.slice(0, -1);
    }
    if (text.startsWith("'")) {
      typ = inv ? FUZZY : EXACT;
      text = text.slice(1);
    } else if (text.startsWith('^')) {
      typ = typ === SUFFIX ? EQUAL : PREFIX;
      text = text.slice(1);
    }
    if (text.length > 0) {
      if (switchSet) {
        sets.push(set);
        set = [];
      }
      set.push({ typ, inv, text: normalize ? mapUnits(text, normalizeUnit) : text, caseSensitive, normalize });
      switchSet = true;
    }
  }
  if (set.length > 0) sets.push(set);
  return sets;
}

function bonusAt(raw: string, idx: number): number {
  return idx === 0 ? BONUS_BOUNDARY : bonusFor(charClass(raw.charCodeAt(idx - 1)), charClass(raw.charCodeAt(idx)));
}

/**
 * fzf's score of the pattern matched greedily in raw[sidx, eidx); the places
 * matched pushed into `pos`. fzf walks every character of the window; only
 * the matched ones and the gaps' lengths count, so this jumps from match to
 * match (indexOf) and adds each gap's cost at once.
 */
function calculateScore(raw: string, text: string, pattern: string, sidx: number, eidx: number, pos: number[] | null) {
  let score = 0;
  let consecutive = 0;
  let firstBonus = 0;
  let last = sidx - 1;
  for (let pidx = 0; pidx < pattern.length; pidx++) {
    const c = pattern.charCodeAt(pidx);
    let idx = last + 1;
    while (idx < eidx && text.charCodeAt(idx) !== c) idx++;
    if (idx >= eidx) break;
    const gap = idx - last - 1;
    if (gap > 0) {
      score += SCORE_GAP_START + SCORE_GAP_EXTENSION * (gap - 1);
      consecutive = 0;
      firstBonus = 0;
    }
    pos?.push(idx);
    score += SCORE_MATCH;
    let bonus = bonusFor(idx > 0 ? charClass(raw.charCodeAt(idx - 1)) : 0, charClass(raw.charCodeAt(idx)));
    if (consecutive === 0) firstBonus = bonus;
    else {
      if (bonus === BONUS_BOUNDARY) firstBonus = bonus;
      bonus = Math.max(bonus, firstBonus, BONUS_CONSECUTIVE);
    }
    score += pidx === 0 ? bonus * BONUS_FIRST_CHAR_MULTIPLIER : bonus;
    consecutive++;
    last = idx;
  }
  const trailing = eidx - 1 - last;
  if (trailing > 0) score += SCORE_GAP_START + SCORE_GAP_EXTENSION * (trailing - 1);
  return score;
}

function range(pos: number[] | null, from: number, to: number): void {
  if (pos) for (let i = from; i < to; i++) pos.push(i);
}

/** fzf's v1: the first match of the pattern's characters in order, shortened from its end. */
function fuzzyV1(raw: string, fold: string, ascii: boolean, term: Term, pos: number[] | null): number {
  const p = term.text;
  const text =
    !term.caseSensitive && term.normalize ? fold : textFor(raw, fold, ascii, term.caseSensitive, term.normalize);
  // (loops over char codes: the lines are short, and a call of indexOf costs more than a few characters)
  const len = text.length;
  let idx = -1;
  let sidx = -1;
  for (let k = 0; k < p.length; k++) {
    const c = p.charCodeAt(k);
    idx++;
    while (idx < len && text.charCodeAt(idx) !== c) idx++;
    if (idx >= len) return NONE;
    if (k === 0) sidx = idx;
  }
  const eidx = idx + 1;
  // back from the end to the latest start (as the package, comparing the line lower-cased but with its accents)
  const back = term.normalize && !ascii ? textFor(raw, fold, ascii, term.caseSensitive, false) : text;
  for (let pidx = p.length - 1, i = eidx - 1; i >= sidx; i--) {
    if (back.charCodeAt(i) === p.charCodeAt(pidx) && --pidx < 0) {
      sidx = i;
      break;
    }
  }
  return calculateScore(raw, text, p, sidx, eidx, pos);
}

/** fzf's exact match: the occurrence whose start has the best bonus (the first such). */
function exactMatch(raw: string, fold: string, ascii: boolean, term: Term, pos: number[] | null): number {
  const p = term.text;
  const text = textFor(raw, fold, ascii, term.caseSensitive, term.normalize);
  let best = -1;
  let bestBonus = -1;
  for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) {
    const bonus = bonusAt(raw, at);
    if (bonus > bestBonus) {
      best = at;
      bestBonus = bonus;
    }
    if (bonus === BONUS_BOUNDARY) break;
  }
  if (best < 0) return NONE;
  range(pos, best, best + p.length);
  return calculateScore(raw, text, p, best, best + p.length, null);
}

function leadingSpace(raw: string): number {
  let n = 0;
  while (n < raw.length && WHITESPACE.has(raw.charCodeAt(n))) n++;
  return n;
}

function trailingSpace(raw: string): number {
  let n = 0;
  while (n < raw.length && WHITESPACE.has(raw.charCodeAt(raw.length - 1 - n))) n++;
  return n;
}

function prefixMatch(raw: string, fold: string, ascii: boolean, term: Term, pos: number[] | null): number {
  const p = term.text;
  const from = WHITESPACE.has(p.charCodeAt(0)) ? 0 : leadingSpace(raw);
  if (raw.length - from < p.length) return NONE;
  const text = textFor(raw, fold, ascii, term.caseSensitive, term.normalize);
  if (!text.startsWith(p, from)) return NONE;
  range(pos, from, from + p.length);
  return calculateScore(raw, text, p, from, from + p.length, null);
}

function suffixMatch(raw: string, fold: string, ascii: boolean, term: Term, pos: number[] | null): number {
  const p = term.text;
  const end = raw.length - (WHITESPACE.has(p.charCodeAt(p.length - 1)) ? 0 : trailingSpace(raw));
  const from = end - p.length;
  if (from < 0) return NONE;
  const text = textFor(raw, fold, ascii, term.caseSensitive, term.normalize);
  if (!text.startsWith(p, from)) return NONE;
  range(pos, from, end);
  return calculateScore(raw, text, p, from, end, null);
}

function equalMatch(raw: string, fold: string, ascii: boolean, term: Term, pos: number[] | null): number {
  const p = term.text;
  const from = WHITESPACE.has(p.charCodeAt(0)) ? 0 : leadingSpace(raw);
  const endSpace = WHITESPACE.has(p.charCodeAt(p.length - 1)) ? 0 : trailingSpace(raw);
  if (raw.length - from - endSpace !== p.length) return NONE;
  const text = textFor(raw, fold, ascii, term.caseSensitive, term.normalize);
  if (!text.startsWith(p, from)) return NONE;
  range(pos, from, from + p.length);
  return (SCORE_MATCH + BONUS_BOUNDARY) * p.length + (BONUS_FIRST_CHAR_MULTIPLIER - 1) * BONUS_BOUNDARY;
}

const MATCHERS = [fuzzyV1, exactMatch, prefixMatch, suffixMatch, equalMatch];

/**
 * The line's score for the query, or null when it does not match. `fold` is
 * foldLine(raw), `ascii` isAscii(raw). With `pos`, the places that matched
 * are pushed into it (unsorted, perhaps repeated).
 */
export function scoreLine(
  raw: string,
  fold: string,
  ascii: boolean,
  sets: TermSets,
  pos: number[] | null = null,
): number | null {
  const s = lineScore(raw, fold, ascii, sets, pos);
  return s === NONE ? null : s;
}

/**
 * scoreLine's score, NO_MATCH when the line does not match (no null: the
 * search loop sees integers only). With `packed`, the line is ASCII and line
 * `i` there: its fuzzy terms are scored over the bytes, each term's text
 * given in `pats` (packed.ts, setsBytes).
 */
export function lineScore(
  raw: string,
  fold: string,
  ascii: boolean,
  sets: TermSets,
  pos: number[] | null,
  packed: PackedLines | null = null,
  i = 0,
  pats: ReadonlyArray<ReadonlyArray<Uint8Array | null>> | null = null,
): number {
  let total = 0;
  for (let si = 0; si < sets.length; si++) {
    const set = sets[si]!;
    let matched = false;
    let score = 0;
    for (let ti = 0; ti < set.length; ti++) {
      const term = set[ti]!;
      const s =
        packed !== null && term.typ === FUZZY
          ? packedFuzzyScore(packed, i, term, pats![si]![ti]!)
          : MATCHERS[term.typ]!(raw, fold, ascii, term, term.inv ? null : pos);
      if (s !== NONE) {
        if (term.inv) continue;
        score = s;
        matched = true;
        break;
      }
      if (term.inv) {
        score = 0;
        matched = true;
      }
    }
    if (!matched) return NONE;
    total += score;
  }
  return total;
}

/** Whether every term is fuzzy (negated or not): lineScore with a packed line then reads its bytes alone, never `fold`. */
export function onlyFuzzy(sets: TermSets): boolean {
  return sets.every((set) => set.every((t) => t.typ === FUZZY));
}

/** The query's one term when it is a single fuzzy word (what is typed most): scored by scoreFuzzy without the general loop. */
export function singleFuzzy(sets: TermSets): Term | null {
  const t = sets.length === 1 && sets[0]!.length === 1 ? sets[0]![0]! : null;
  return t && t.typ === FUZZY && !t.inv ? t : null;
}

/** scoreLine for a query of one fuzzy term (singleFuzzy's): the same score, or null. */
export function scoreFuzzy(raw: string, fold: string, ascii: boolean, term: Term): number | null {
  const s = fuzzyV1(raw, fold, ascii, term, null);
  return s === NONE ? null : s;
}

/** scoreFuzzy's score, NO_MATCH when the line does not match. */
export function fuzzyScore(raw: string, fold: string, ascii: boolean, term: Term): number {
  return fuzzyV1(raw, fold, ascii, term, null);
}
