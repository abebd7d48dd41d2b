// The list of every bead's short id in its hash form (k3f9, k3f9.2), sorted,
// one a line: what a shell's TAB on an empty word prints, and where a typed
// word's completions are one range found by bisection. One file beside the
// bead table's HEAD, so that completing reads one file, not the first line of
// a thousand shards.
//
// The file's first line is its stamp: a state tip at which the set of bead ids
// was the one listed. HEAD names the stamp its ids match (a refresh that adds
// or removes no bead keeps it), so a file stamped otherwise is for other ids:
// no file, rebuilt by the next completion of everything. A refresh that adds
// or removes beads splices the lines of the shards it changed: a shard's
// hashes start with its two-character key, so its lines are one range.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sortedUnique } from '../core/collections.ts';
import { writeFileAtomic } from '../proc/files.ts';

const FILE = 'IDS';

/** An id or short id without its prefix: ts-k3f9.2 -> k3f9.2 (a hundred thousand of them: no split) */
export function hashForm(shortId: string): string {
  const dot = shortId.indexOf('.');
  return shortId.slice(shortId.lastIndexOf('-', dot < 0 ? shortId.length : dot) + 1);
}

/** The lines of a list of short ids (of any shards): their hash forms, sorted, each once. */
export function idListLines(shortIds: string[]): string[] {
  return sortedUnique(shortIds.map(hashForm));
}

/** The list's lines (each ending in a newline) when the file is stamped `stamp`; else null. */
export function readIdList(dir: string, stamp: string): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, FILE));
  } catch {
    return null;
  }
  const nl = bytes.indexOf(10);
  if (nl !== stamp.length || bytes.toString('latin1', 0, nl) !== stamp) return null;
  // written whole by a rename, so never cut short; a damaged one is none
  if (bytes[bytes.length - 1] !== 10) return null;
  return bytes.subarray(nl + 1);
}

export function writeIdList(dir: string, stamp: string, lines: readonly string[]): void {
  writeFileAtomic(join(dir, FILE), `${stamp}\n${lines.map((l) => `${l}\n`).join('')}`);
}

/** The lines of `list` that start with `prefix`: one range, found by bisection. */
export function linesStartingWith(list: Buffer, prefix: string): Buffer {
  if (!prefix) return list;
  const from = Buffer.from(prefix);
  // a line starting with the prefix sorts below the prefix and a byte no UTF-8 text holds
  const to = Buffer.concat([from, Buffer.of(0xff)]);
  return list.subarray(firstLineFrom(list, from), firstLineFrom(list, to));
}

/** Where the first line not below `key` starts (the list's length when none). */
function firstLineFrom(list: Buffer, key: Buffer): number {
  // lo and hi are line starts; every line starting before lo is below key
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = mid === 0 ? 0 : list.lastIndexOf(10, mid - 1) + 1;
    const nl = list.indexOf(10, start);
    const end = nl < 0 ? list.length : nl;
    if (Buffer.compare(list.subarray(start, end), key) < 0) lo = end + 1;
    else hi = start;
  }
  return Math.min(lo, list.length);
}

/**
 * Rewrites the list stamped `from` as stamped `to`, each shard of `changed`
 * given its new lines (sorted; none when it is empty). False, the file left
 * as it is, when there is no list stamped `from` or a shard's key is not two
 * characters (its lines are not one range): the next completion of
 * everything makes it anew.
 */
export function spliceIdList(dir: string, from: string, to: string, changed: Map<string, string[]>): boolean {
  const list = readIdList(dir, from);
  if (!list) return false;
  const pieces: Buffer[] = [Buffer.from(`${to}\n`)];
  let at = 0;
  for (const key of [...changed.keys()].sort()) {
    if (key.length !== 2) return false;
    const range = linesStartingWith(list.subarray(at), key);
    const start = range.byteOffset - list.byteOffset;
    pieces.push(
      list.subarray(at, start),
      Buffer.from(
        changed
          .get(key)!
          .map((l) => `${l}\n`)
          .join(''),
      ),
    );
    at = start + range.length;
  }
  pieces.push(list.subarray(at));
  writeFileAtomic(join(dir, FILE), pieces);
  return true;
}
