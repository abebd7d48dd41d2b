// ACE's rows of the beads, kept in the bead cache's folder for the state tip
// they were made at: a screen opening on a state it has seen reads these (a
// tenth of the table at 100,000 beads: 8 MB and small arrays) instead of the
// whole excerpt table (36 MB, some 100 MB of objects). Derived and disposable,
// like the rest of the cache: a row file for another tip, another format or
// one that does not parse is not used.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localPath } from '../git/repo.ts';
import { writeFileAtomic } from '../proc/files.ts';
import type { Store } from './store.ts';

const FORMAT = 1;

/** id, status, type, priority, parent, assignee, tier, labels, title (with its runs of white space made one space) */
export type BeadRow = [string, string, string, number, string | null, string | null, string | null, string[], string];

function rowsPath(store: Store): string {
  return join(localPath(store.repo, 'cache'), 'ace-beads.json');
}

/** The rows stored for `tip`, or null. */
export function readBeadRows(store: Store, tip: string | null): BeadRow[] | null {
  try {
    const data = readFileSync(rowsPath(store), 'utf8');
    const nl = data.indexOf('\n');
    const head = JSON.parse(data.slice(0, nl)) as { format?: number; tip?: string | null };
    if (head.format !== FORMAT || head.tip !== tip) return null;
    const rows = JSON.parse(data.slice(nl + 1)) as unknown;
    return Array.isArray(rows) ? (rows as BeadRow[]) : null;
  } catch {
    return null;
  }
}

export function writeBeadRows(store: Store, tip: string | null, rows: readonly BeadRow[]): void {
  writeFileAtomic(rowsPath(store), `${JSON.stringify({ format: FORMAT, tip })}\n${JSON.stringify(rows)}\n`);
}
