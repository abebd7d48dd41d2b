// The ASCII lines of a list packed into one byte array, and fzf's v1 fuzzy
// match over it: the term most often typed, scored over every line at each
// keystroke. A loop over one contiguous array reads memory in order, where
// the same loop over 100,000 separate strings (./fuzzy.ts) takes twice as
// long; the scores are the same, held to fuzzy.ts by a test. Pure.
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

/**
 * Line i is bytes[start[i], start[i + 1]), a byte for each UTF-16 unit; only
 * the lines marked in `ascii` are scored here (the others as strings).
 */
export interface PackedLines {
  bytes: Uint8Array;
  start: Int32Array;
  /** 1 where the line is ASCII */
  ascii: Uint8Array;
}

const NOT_ASCII = /[^\x00-\x7f]/g;

/** Packs the lines: one string joined and written once (a write a line costs more than its bytes), its ASCII lines found in one pass. */
export function packLines(lines: readonly string[]): PackedLines {
  const start = new Int32Array(lines.length + 1);
  for (let i = 0; i < lines.length; i++) start[i + 1] = start[i]! + lines[i]!.length;
  const joined = lines.join('');
  const ascii = new Uint8Array(lines.length).fill(1);
  // (a string is ASCII when its UTF-8 takes a byte a unit: most lists are, and need no search for the others)
  if (Buffer.byteLength(joined, 'utf8') !== joined.length) {
    let line = 0;
    for (let m = NOT_ASCII.exec(joined); m; m = NOT_ASCII.exec(joined)) {
      while (start[line + 1]! <= m.index) line++;
      ascii[line] = 0;
      NOT_ASCII.lastIndex = start[line + 1]!;
    }
    NOT_ASCII.lastIndex = 0;
  }
  const bytes = Buffer.from(joined, 'latin1');
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), start, ascii };
}

// a byte as a case-insensitive term compares it, and its class (charClass)
const LOWER = Uint8Array.from({ length: 128 }, (_, c) => (c >= 65 && c <= 90 ? c + 32 : c));
const SAME = Uint8Array.from({ length: 128 }, (_, c) => c);
const CLASS = Uint8Array.from({ length: 128 }, (_, c) => charClass(c));
// bonusFor by the two classes, prev * 8 + cur
const BONUS = Int8Array.from({ length: 64 }, (_, k) => bonusFor(k >> 3, k & 7));

/** Each term's text as bytes (termBytes), by set and term. */
export function setsBytes(sets: TermSets): Array<Array<Uint8Array | null>> {
  return sets.map((set) => set.map(termBytes));
}

/** A fuzzy term's text as bytes, or null when it holds a character no ASCII line has. */
export function termBytes(term: Term): Uint8Array | null {
  const out = new Uint8Array(term.text.length);
  for (let k = 0; k < term.text.length; k++) {
    const c = term.text.charCodeAt(k);
    if (c > 127) return null;
    out[k] = c;
  }
  return out;
}

/**
 * fuzzyScore (fuzzy.ts) of packed line `i` for a fuzzy term given as
 * termBytes: the first match of the pattern's characters in order, shortened
 * from its end, scored as fzf scores it; NO_MATCH when the line lacks it.
 */
export function packedFuzzyScore(lines: PackedLines, i: number, term: Term, pat: Uint8Array | null): number {
  if (pat === null) return NO_MATCH;
  const text = lines.bytes;
  const s = lines.start[i]!;
  const e = lines.start[i + 1]!;
  const fold = term.caseSensitive ? SAME : LOWER;
  const m = pat.length;
  let idx = s - 1;
  let sidx = -1;
  for (let k = 0; k < m; k++) {
    const c = pat[k]!;
    idx++;
    while (idx < e && fold[text[idx]!] !== c) idx++;
    if (idx >= e) return NO_MATCH;
    if (k === 0) sidx = idx;
  }
  const eidx = idx + 1;
  // back from the end to the latest start
  for (let pidx = m - 1, j = eidx - 1; j >= sidx; j--) {
    if (fold[text[j]!] === pat[pidx] && --pidx < 0) {
      sidx = j;
      break;
    }
  }
  // calculateScore (fuzzy.ts) over the window
  let score = 0;
  let consecutive = 0;
  let firstBonus = 0;
  let last = sidx - 1;
  for (let pidx = 0; pidx < m; pidx++) {
    const c = pat[pidx]!;
    let j = last + 1;
    while (j < eidx && fold[text[j]!] !== c) j++;
    if (j >= eidx) break;
    const gap = j - last - 1;
    if (gap > 0) {
      score += SCORE_GAP_START + SCORE_GAP_EXTENSION * (gap - 1);
      consecutive = 0;
      firstBonus = 0;
    }
    score += SCORE_MATCH;
    let bonus = BONUS[(j > s ? CLASS[text[j - 1]!]! : 0) * 8 + CLASS[text[j]!]!]!;
    if (consecutive === 0) firstBonus = bonus;
    else {
      if (bonus === BONUS_BOUNDARY) firstBonus = bonus;
      bonus = Math.max(bonus, firstBonus, BONUS_CONSECUTIVE);
    }
    score += pidx === 0 ? bonus * BONUS_FIRST_CHAR_MULTIPLIER : bonus;
    consecutive++;
    last = j;
  }
  const trailing = eidx - 1 - last;
  if (trailing > 0) score += SCORE_GAP_START + SCORE_GAP_EXTENSION * (trailing - 1);
  return score;
}
