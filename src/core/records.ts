// What records of every kind share: finding one by a prefix of its id.
import { AmbiguousError } from './errors.ts';

/** The one record whose id starts with `prefix`: null when none does, ambiguous (129, naming them) when several do. */
export function uniqueByIdPrefix<T extends { id: string }>(all: T[], prefix: string): T | null {
  const hits = all.filter((r) => r.id.startsWith(prefix));
  if (hits.length > 1)
    throw new AmbiguousError(
      prefix,
      hits.map((r) => r.id),
    );
  return hits[0] ?? null;
}
