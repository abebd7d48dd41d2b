// Import: NDJSON records (ours, or bd's issues.jsonl) -> beads to store.
// Each record is recognised on its own (ours carry kind "bead"), mapped,
// checked like any stored bead, and either accepted or skipped with a reason.
// Deciding what is new, changed or unchanged needs the store: see
// store/bead-import.ts. Pure.
import { BAD_ID, bdToBead } from './bd.ts';
import {
  beadProblem,
  type Incoming,
  isSkip,
  type Mapped,
  normalizeTime,
  quoteUntrusted,
  type Skip,
} from './incoming.ts';
import { type Bead, isValidId, newBead } from './model.ts';

/** How an import fares: the ids it creates, updates and leaves as they are, what it warns of, its commit. */
export interface ImportOutcome {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** records naming ids (parent or dependency) that are neither imported nor stored */
  dangling: Array<{ id: string; line: number; missing: string[] }>;
  /** dependency cycles among the imported beads */
  cycles: string[][];
  /** the new state commit, or null when nothing changed (or a dry run) */
  commit: string | null;
}

export interface Prepared {
  /** accepted records, one per id (the last line naming an id wins) */
  incoming: Incoming[];
  skipped: Skip[];
}

/** Every stored field of a bead: a wire record's derived fields (short_id, blocked, ...) are left out. */
const STORED_KEYS = Object.keys(newBead({ id: 'x-0', title: 'x', created_at: '' })) as Array<keyof Bead>;

/** One of our own records (as sase-bead-export or -show print them). */
export function oursToBead(rec: Record<string, unknown>, at: string): Mapped {
  const id = typeof rec.id === 'string' && rec.id !== '' ? rec.id : null;
  if (id === null) return { id: null, reason: 'record has no id', invalid: true };
  if (!isValidId(id)) return { id, reason: BAD_ID, invalid: true };
  if (rec.v !== 1) return { id, reason: `unsupported version ${quoteUntrusted(rec.v)}`, invalid: true };
  const picked: Record<string, unknown> = {};
  for (const k of STORED_KEYS) if (Object.hasOwn(rec, k)) picked[k] = rec[k];
  const created = normalizeTime(picked.created_at);
  const fields = { ...picked, id, created_at: created ?? at } as Partial<Bead> &
    Pick<Bead, 'id' | 'title' | 'created_at'>;
  const bead = newBead(fields);
  // timestamps in another zone or precision are brought to sase's form; junk stays and is refused below
  for (const key of ['updated_at', 'closed_at'] as const) {
    const t = normalizeTime(bead[key]);
    if (t) bead[key] = t;
  }
  return { bead, phaseIfEpicParent: false, untimed: created === null, warnings: [] };
}

/** Which reader a record needs: ours, bd's, or neither (skipped, not invalid). */
function mapRecord(rec: Record<string, unknown>, at: string): Mapped {
  if (rec.kind === 'bead') return oursToBead(rec, at);
  const id = typeof rec.id === 'string' ? rec.id : null;
  if (typeof rec.kind === 'string')
    return { id, reason: `a record of kind ${quoteUntrusted(rec.kind)}, not a bead`, invalid: false };
  if (rec._type !== undefined && rec._type !== 'issue')
    return { id, reason: `a bd record of _type ${quoteUntrusted(rec._type)}, not an issue`, invalid: false };
  return bdToBead(rec, at);
}

/**
 * Maps and checks every record. `at` is the import time, standing in for a
 * missing creation time. A later record with the same id replaces an earlier one.
 */
export function prepareImport(records: Array<{ line: number; value: Record<string, unknown> }>, at: string): Prepared {
  const skipped: Skip[] = [];
  const byId = new Map<string, Incoming>();
  for (const { line, value } of records) {
    const m = mapRecord(value, at);
    if (isSkip(m)) {
      skipped.push({ ...m, line });
      continue;
    }
    const problem = beadProblem(m.bead);
    if (problem) {
      skipped.push({ id: m.bead.id, line, reason: problem, invalid: true });
      continue;
    }
    const earlier = byId.get(m.bead.id);
    if (earlier) {
      skipped.push({
        id: earlier.bead.id,
        line: earlier.line,
        reason: `replaced by line ${line} (same id)`,
        invalid: false,
      });
      byId.delete(m.bead.id); // keep input order: the survivor sits where it was last seen
    }
    byId.set(m.bead.id, { ...m, line });
  }
  skipped.sort((a, b) => a.line - b.line);
  return { incoming: [...byId.values()], skipped };
}
