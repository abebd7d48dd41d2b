// What every list command does to its rows the same way: --grep (a text
// search, ignoring case), --sort (fields, '-' for descending) and --limit.
// A list describes its rows once (a ListShape); the rows are the records it
// prints, or anything with the same field names.

import { UsageError } from './errors.ts';

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

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      // leading zeros aside, the longer run is the larger number
      const da = a.slice(i, ei).replace(/^0+(?=\d)/, '');
      const db = b.slice(j, ej).replace(/^0+(?=\d)/, '');
      if (da.length !== db.length) return da.length - db.length;
      if (da !== db) return da < db ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

/** A comparator of rows by sort keys, reading each field by name. */
export function comparator<R>(keys: readonly SortKey[]): (a: R, b: R) => number {
  return (a, b) => {
    for (const k of keys) {
      const va = (a as Record<string, SortValue>)[k.field];
      const vb = (b as Record<string, SortValue>)[k.field];
      const c = compareValues(va, vb);
      // absent values stay last whichever the direction
      if (c) return k.desc && va !== null && va !== undefined && vb !== null && vb !== undefined ? -c : c;
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

/** Rows searched (--grep), sorted (--sort or the list's default), then cut (--limit). */
export function applyListOps<R>(rows: readonly R[], shape: ListShape<R>, ops: ListOps): R[] {
  const keys = sortKeys(shape, ops.sort);
  let out = ops.grep ? rows.filter((r) => matchesText(ops.grep!, shape.text(r))) : [...rows];
  if (keys.length) out.sort(comparator(keys));
  if (ops.limit !== undefined) out = out.slice(0, ops.limit);
  return out;
}
