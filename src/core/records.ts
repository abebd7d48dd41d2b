// What records of every kind share: finding one by a prefix of its id, and
// the short form of their ids that tables show.
import { shortIds } from './beads/ids.ts';
import { splitId } from './beads/model.ts';
import { AmbiguousError } from './errors.ts';

/**
 * The one record whose id starts with `prefix`: null when none does,
 * ambiguous (129, naming them and `input`, the words as typed) when several do.
 */
export function uniqueByIdPrefix<T extends { id: string }>(all: T[], prefix: string, input = prefix): T | null {
  const hits = all.filter((r) => r.id.startsWith(prefix));
  if (hits.length > 1)
    throw new AmbiguousError(
      input,
      hits.map((r) => r.id),
    );
  return hits[0] ?? null;
}

/**
 * The short id a table shows for each of `shown` (ids like r-, w- or n- and
 * a hash): the bead rule, the shortest prefix of the hash unique among
 * `all` ids of that kind and never under MIN_SHORT, so every command's
 * prefix lookup finds the record by it.
 */
export function shortRecordIds(shown: readonly string[], all: Iterable<string>): Map<string, string> {
  return shortIds(
    [...shown],
    Array.from(all, (id) => splitId(id).hash),
  );
}
