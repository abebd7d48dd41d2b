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
import { type Bead, isValidId, newBead, OPTIONAL_KEYS } from './model.ts';

/** How an import fares: the ids it creates, updates and leaves as they are, what it warns of, its commit. */
export interface ImportOutcome {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** records naming ids (parent or dependency) that are neither imported nor stored: recorded as missing */
  dangling: Array<{ id: string; line: number; missing: string[]; parent: boolean }>;
  /** edges left out because each would close a cycle (with the input's earlier edges and the stored ones) */
  cycles: Array<{ id: string; line: number; as: 'dependency' | 'parent'; target: string; cycle: string[] }>;
  /** phases whose parent is no epic (or that have none), imported as tasks */
  retyped: Array<{ id: string; line: number; parent: string | null }>;
  /** the new state commit, or null when nothing changed (or a dry run) */
  commit: string | null;
}

export interface Prepared {
  /** accepted records, one per id (the last line naming an id wins) */
  incoming: Incoming[];
  skipped: Skip[];
}

/** Every stored field of a bead: a wire record's derived fields (short_id, blocked, ...) are left out. */
const STORED_KEYS = [...Object.keys(newBead({ id: 'x-0', title: 'x', created_at: '' })), ...OPTIONAL_KEYS] as Array<
  keyof Bead
>;

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

/** A warning about one imported record, as the summary names it: '<id>' (line <n>): <message>. */
export interface ImportWarning {
  id: string;
  line: number;
  message: string;
}

/** Every warning of an import, in line order: the records' own, then what the store made of them. */
export function importWarnings(
  incoming: readonly Incoming[],
  o: Pick<ImportOutcome, 'dangling' | 'cycles' | 'retyped'>,
): ImportWarning[] {
  const out: ImportWarning[] = [];
  for (const i of incoming) for (const message of i.warnings) out.push({ id: i.bead.id, line: i.line, message });
  for (const c of o.cycles) {
    const what = c.as === 'parent' ? `its parent '${c.target}'` : `its dependency on '${c.target}'`;
    const loop = `${c.as === 'parent' ? 'parent ' : ''}cycle ${c.cycle.join(' -> ')}`;
    out.push({ id: c.id, line: c.line, message: `left out ${what}, which would close the ${loop}` });
  }
  for (const r of o.retyped)
    out.push({
      id: r.id,
      line: r.line,
      message: `is a phase, but ${r.parent === null ? 'it has no parent' : `its parent '${r.parent}' is no epic`} (a phase's parent must be an epic); imported as a task`,
    });
  for (const d of o.dangling)
    out.push({
      id: d.id,
      line: d.line,
      message: `names beads that are neither imported nor stored: ${d.missing.join(', ')}; recorded as missing, they block until imported or satisfied`,
    });
  return out.sort((a, b) => a.line - b.line); // stable: a record's own warnings first
}
