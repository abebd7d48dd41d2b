// Bead ids: minting, the shortest unique form shown to people, and resolving
// what a person typed. Every id sharing a 4-character hash prefix also shares
// the 2-character shard, so a shard's listing is enough to decide both.
import { sortedUnique } from '../collections.ts';
import { AmbiguousError, NotFoundError, UsageError, withHint } from '../errors.ts';
import { isValidId, splitId } from './model.ts';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
export const HASH_LENGTH = 8;
export const MIN_SHORT = 4;

/** A new top-level id from random bytes (at least HASH_LENGTH of them). */
export function mintId(prefix: string, random: Uint8Array): string {
  let hash = '';
  for (let i = 0; i < HASH_LENGTH; i++) hash += BASE36[random[i]! % 36];
  return `${prefix}-${hash}`;
}

/**
 * The shortest unique form of each id, given every top-level hash that could
 * collide with it (its shard's). Returns a map from id to short id.
 */
export function shortIds(ids: string[], shardHashes: Iterable<string>): Map<string, string> {
  return shortIdsAmong(ids, sortedUnique([...shardHashes]));
}

/** As shortIds, given the hashes sorted, each once (a caller that keeps them so sorts them once). */
export function shortIdsAmong(ids: string[], sorted: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of ids) {
    // splitId's parts, without its object or strings: the hash is id[h0, h1)
    const dot = id.indexOf('.');
    const h1 = dot < 0 ? id.length : dot;
    const dash = id.lastIndexOf('-', h1 - 1);
    const h0 = dash + 1;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (isBelow(sorted[mid]!, id, h0, h1)) lo = mid + 1;
      else hi = mid;
    }
    let need = MIN_SHORT;
    need = longerFor(need, sorted[lo - 1], id, h0, h1);
    need = longerFor(need, sorted[lo], id, h0, h1);
    need = longerFor(need, sorted[lo + 1], id, h0, h1);
    const keep = Math.min(need, h1 - h0);
    let short: string;
    if (dash < 0) {
      // no dash: splitId's prefix is the top part but its last character
      short = `${id.slice(0, Math.max(h1 - 1, 0))}-${id.slice(0, keep)}${dot < 0 ? '' : id.slice(dot)}`;
    } else if (keep === h1 - h0) short = id;
    else short = dot < 0 ? id.slice(0, h0 + keep) : id.slice(0, h0 + keep) + id.slice(dot);
    out.set(id, short);
  }
  return out;
}

/** Whether `other` < id.slice(from, to), told without the slice. */
function isBelow(other: string, id: string, from: number, to: number): boolean {
  const n = Math.min(other.length, to - from);
  for (let i = 0; i < n; i++) {
    const x = other.charCodeAt(i);
    const y = id.charCodeAt(from + i);
    if (x !== y) return x < y;
  }
  return other.length < to - from;
}

/**
 * The characters the hash id.slice(from, to) needs to differ from its
 * neighbour `other` (no more when it is the same hash, or there is none).
 */
function longerFor(need: number, other: string | undefined, id: string, from: number, to: number): number {
  if (other === undefined) return need;
  let common = 0;
  while (common < other.length && from + common < to && other.charCodeAt(common) === id.charCodeAt(from + common))
    common++;
  if (common === other.length && common === to - from) return need;
  return Math.max(need, common + 1);
}

export interface ParsedRef {
  /** the prefix typed, or null when only the hash part was typed */
  prefix: string | null;
  hashPrefix: string;
  suffix: string;
}

/** Splits what a person typed; rejects anything that cannot name a bead. */
export function parseIdInput(input: string): ParsedRef {
  const text = input.trim().toLowerCase();
  const dot = text.indexOf('.');
  const top = dot < 0 ? text : text.slice(0, dot);
  const suffix = dot < 0 ? '' : text.slice(dot);
  if (!/^(\.[0-9]+)*$/.test(suffix) || !/^[a-z0-9_-]+$/.test(top) || top.startsWith('-') || top.endsWith('-')) {
    throw new UsageError(`'${input}' is not a bead id`);
  }
  const dash = top.lastIndexOf('-');
  return dash < 0
    ? { prefix: null, hashPrefix: top, suffix }
    : { prefix: top.slice(0, dash), hashPrefix: top.slice(dash + 1), suffix };
}

/**
 * Resolves typed input against the ids that could match it (every id whose
 * hash starts with the typed hash's first two characters). Exact ids win.
 */
export function resolveAgainst(input: string, candidates: Iterable<string>): string {
  const ref = parseIdInput(input);
  const all = [...candidates];
  const exact = input.trim().toLowerCase();
  if (all.includes(exact) && isValidId(exact)) return exact;
  const tops = new Set<string>();
  for (const id of all) {
    const p = splitId(id);
    if (ref.prefix !== null && p.prefix !== ref.prefix) continue;
    if (p.hash.startsWith(ref.hashPrefix)) tops.add(id.slice(0, id.length - p.suffix.length));
  }
  let matches = [...tops];
  const exactHash = matches.filter((id) => splitId(id).hash === ref.hashPrefix);
  if (exactHash.length === 1) matches = exactHash;
  if (matches.length === 0) throw notFound(input);
  if (matches.length > 1) throw new AmbiguousError(input, matches.sort());
  const full = matches[0]! + ref.suffix;
  if (ref.suffix && !all.includes(full)) throw notFound(input);
  return full;
}

export function notFound(input: string): NotFoundError {
  return withHint(new NotFoundError(`no bead '${input}'`), "try 'sase bead list'");
}

/** Sorts ids in naturalIdOrder, each id split once (a comparator splitting on every call takes 150 ms at 100,000 ids). */
export function sortIdsNaturally(ids: string[]): string[] {
  const keyed = ids.map((id) => {
    const dot = id.indexOf('.');
    return dot < 0
      ? { id, top: id, rest: [] }
      : {
          id,
          top: id.slice(0, dot),
          rest: id
            .slice(dot + 1)
            .split('.')
            .map(Number),
        };
  });
  keyed.sort((a, b) => {
    if (a.top !== b.top) return a.top < b.top ? -1 : 1;
    for (let i = 0; i < Math.max(a.rest.length, b.rest.length); i++) {
      if (i >= a.rest.length) return -1;
      if (i >= b.rest.length) return 1;
      const d = a.rest[i]! - b.rest[i]!;
      if (d) return d;
    }
    return 0;
  });
  return keyed.map((k) => k.id);
}

/** Orders ids by their top-level part, then child numbers as numbers (x.2 before x.10), parents first. */
export function naturalIdOrder(a: string, b: string): number {
  // as comparing a.split('.') with b.split('.') (the top parts as strings, the rest as Number() of
  // each, their difference returned), without making the lists
  const da = a.indexOf('.');
  const db = b.indexOf('.');
  if (da < 0 && db < 0) return a === b ? 0 : a < b ? -1 : 1;
  const ta = da < 0 ? a.length : da;
  const tb = db < 0 ? b.length : db;
  const n = Math.min(ta, tb);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < y ? -1 : 1;
  }
  if (ta !== tb) return ta < tb ? -1 : 1;
  // the child numbers: each part starts after the dot at ia (ib); none left when that is the end
  let ia = ta;
  let ib = tb;
  for (;;) {
    if (ia >= a.length) return ib >= b.length ? 0 : -1;
    if (ib >= b.length) return 1;
    let ea = a.indexOf('.', ia + 1);
    if (ea < 0) ea = a.length;
    let eb = b.indexOf('.', ib + 1);
    if (eb < 0) eb = b.length;
    const d = partNumber(a, ia + 1, ea) - partNumber(b, ib + 1, eb);
    if (d) return d;
    ia = ea;
    ib = eb;
  }
}

/** Number(s.slice(from, to)): read by hand when it is at most 15 digits (exact then), else by Number. */
function partNumber(s: string, from: number, to: number): number {
  if (to - from <= 15) {
    let n = 0;
    let i = from;
    for (; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
    }
    if (i === to) return n;
  }
  return Number(s.slice(from, to));
}
