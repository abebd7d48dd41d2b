// fzf's scoring (v1, as the fzf package 0.5.2 has it): the points for a
// match, a gap and a bonus, the classes of characters the bonus follows, and
// the terms a query is parsed into; shared by the matcher over strings
// (./fuzzy.ts) and over bytes (./packed.ts). Pure.

export const SCORE_MATCH = 16;
export const SCORE_GAP_START = -3;
export const SCORE_GAP_EXTENSION = -1;
export const BONUS_BOUNDARY = SCORE_MATCH / 2;
const BONUS_NON_WORD = SCORE_MATCH / 2;
const BONUS_CAMEL_123 = BONUS_BOUNDARY + SCORE_GAP_EXTENSION;
export const BONUS_CONSECUTIVE = -(SCORE_GAP_START + SCORE_GAP_EXTENSION);
export const BONUS_FIRST_CHAR_MULTIPLIER = 2;

/**
 * What a matcher answers for a line a term is not in (a match's score may be
 * below zero): a small integer, so scores stay small integers to the JIT (an
 * infinity made them doubles, and code optimised for one deoptimised on the other).
 */
export const NO_MATCH = -0x3fffffff;

// 0 other, 1 lower, 2 upper, 3 letter, 4 number
const nonAsciiClass = new Int8Array(65536).fill(-1);

export function charClass(c: number): number {
  if (c <= 127) {
    if (c >= 97 && c <= 122) return 1;
    if (c >= 65 && c <= 90) return 2;
    if (c >= 48 && c <= 57) return 4;
    return 0;
  }
  let k = nonAsciiClass[c]!;
  if (k < 0) {
    const ch = String.fromCharCode(c);
    if (ch !== ch.toUpperCase()) k = 1;
    else if (ch !== ch.toLowerCase()) k = 2;
    else if (/\p{Number}/u.test(ch)) k = 4;
    else if (/\p{Letter}/u.test(ch)) k = 3;
    else k = 0;
    nonAsciiClass[c] = k;
  }
  return k;
}

export function bonusFor(prev: number, cur: number): number {
  if (prev === 0 && cur !== 0) return BONUS_BOUNDARY;
  if ((prev === 1 && cur === 2) || (prev !== 4 && cur === 4)) return BONUS_CAMEL_123;
  if (cur === 0) return BONUS_NON_WORD;
  return 0;
}

export interface Term {
  typ: number;
  inv: boolean;
  /** what the term looks for: lower-cased unless case-sensitive, without accents when `normalize` */
  text: string;
  caseSensitive: boolean;
  normalize: boolean;
}

/** A query: every set must match; a set matches when any of its terms does ('a | b'). */
export type TermSets = Term[][];
