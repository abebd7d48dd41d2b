// What every list command does to its rows the same way: --grep (a text
// search, ignoring case), --sort (fields, '-' for descending) and --limit.
// A list describes its rows once (a ListShape); the rows are the records it
// prints, or anything with the same field names.

import { checkLength, UsageError } from './errors.ts';

export type SortValue = string | number | boolean | null | undefined;

export interface SortKey {
  field: string;
  desc: boolean;
}

export interface ListShape<R> {
  /** the fields --sort takes, read from the row by name */
  fields: readonly string[];
  /** the order without --sort ('priority,created_at,id'); none keeps the order the rows come in */
  defaultSort?: string;
  /** the default order as a plain function, where it has a faster form than the fields (big lists) */
  compare?: (a: R, b: R) => number;
  /** the texts --grep searches: titles and bodies */
  text: (row: R) => ReadonlyArray<string | null | undefined>;
}

export interface ListOps {
  sort?: string | undefined;
  grep?: string | undefined;
  limit?: number | undefined;
}

/** 'priority,-created_at' as sort keys; a field the list does not have is a usage error naming those it has. */
export function parseSort(text: string, fields: readonly string[]): SortKey[] {
  const keys = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => ({ field: s.replace(/^[-+]/, ''), desc: s.startsWith('-') }));
  if (!keys.length) throw new UsageError(`option '--sort' needs a field (one of ${fields.join(', ')})`);
  for (const k of keys)
    if (!fields.includes(k.field))
      throw new UsageError(`option '--sort': unknown field '${k.field}' (valid: ${fields.join(', ')})`);
  return keys;
}

/**
 * Two values in natural order: numbers as numbers, strings with their digit
 * runs as numbers (x.2 before x.10), false before true; absent values last.
 */
export function compareValues(a: SortValue, b: SortValue): number {
  const na = a === null || a === undefined;
  const nb = b === null || b === undefined;
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  if (typeof a === 'string' && typeof b === 'string') return naturalCompare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

function naturalCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let k = 0;
  while (k < n && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  if (k === n) return a.length - b.length;
  // where they differ inside digit runs that start together, the longer run is the larger number
  let s = k;
  while (s > 0 && isDigit(a.charCodeAt(s - 1))) s--;
  let ea = s;
  let eb = s;
  while (ea < a.length && isDigit(a.charCodeAt(ea))) ea++;
  while (eb < b.length && isDigit(b.charCodeAt(eb))) eb++;
  if (ea > s && eb > s && ea - s !== eb - s) return ea - s - (eb - s);
  return a.charCodeAt(k) - b.charCodeAt(k);
}

/** A comparator of rows by sort keys, reading each field by name (absent values last whichever the direction). */
export function comparator<R>(keys: readonly SortKey[]): (a: R, b: R) => number {
  const fields = keys.map((k) => k.field);
  const signs = keys.map((k) => (k.desc ? -1 : 1));
  return (a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const va = (a as Record<string, SortValue>)[fields[i]!];
      const vb = (b as Record<string, SortValue>)[fields[i]!];
      if (va === vb) continue;
      if (va === null || va === undefined) return 1;
      if (vb === null || vb === undefined) return -1;
      const c = compareValues(va, vb);
      if (c) return c * signs[i]!;
    }
    return 0;
  };
}

/** Whether any of `texts` contains `needle`, ignoring case. */
export function matchesText(needle: string, texts: ReadonlyArray<string | null | undefined>): boolean {
  const n = needle.toLowerCase();
  return texts.some((t) => typeof t === 'string' && t.toLowerCase().includes(n));
}

/** The sort keys a list uses: --sort's, else its default (none: keep the order). */
export function sortKeys(shape: Pick<ListShape<never>, 'fields' | 'defaultSort'>, sort: string | undefined): SortKey[] {
  const text = sort ?? shape.defaultSort;
  return text === undefined ? [] : parseSort(text, shape.fields);
}

/** The longest --grep: far beyond any phrase a person looks for, and no megabytes scanned per row. */
export const MAX_GREP = 1000;

/** Checks --sort and --grep before any work is done: bad ones are usage errors. */
export function checkListOps(shape: Pick<ListShape<never>, 'fields' | 'defaultSort'>, ops: ListOps): void {
  sortKeys(shape, ops.sort);
  if (ops.grep !== undefined) checkLength('--grep', ops.grep, MAX_GREP);
}

/** Rows searched (--grep), sorted (--sort or the list's default), then cut (--limit). */
export function applyListOps<R>(rows: readonly R[], shape: ListShape<NoInfer<R>>, ops: ListOps): R[] {
  checkListOps(shape, ops);
  const keys = sortKeys(shape, ops.sort);
  let out = ops.grep ? rows.filter((r) => matchesText(ops.grep!, shape.text(r))) : [...rows];
  const compare = ops.sort === undefined && shape.compare ? shape.compare : keys.length ? comparator<R>(keys) : null;
  if (compare) out.sort(compare);
  if (ops.limit !== undefined) out = out.slice(0, ops.limit);
  return out;
}
