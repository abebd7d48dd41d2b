// The pure rules of a sync's replay: which operations are applied again by
// intent and which carry their records; what one of ours overwrote; whether a
// record merged line by line is still a record; ids renamed in an operation.

import { parseRun } from '../agents/run.ts';
import { type Bead, idFromPath, parseStoredBead } from '../beads/model.ts';
import { parseChangeSpec } from '../changes/spec.ts';
import { SaseError } from '../errors.ts';
import { parseStoredNotification } from '../notifications/model.ts';
import { parseWfRun } from '../workflows/run.ts';

// operations whose commit holds their records (an import, a plan's text, a change, a run, a workflow run)
const RECORD_OPS = new Set(['bead.import', 'sdd.put']);
const RECORD_PREFIXES = ['cs.', 'agent.', 'wf.', 'notify.'];

/** Whether an operation is replayed through its function (true) or merged as the records its commit wrote. */
export function isIntentOp(name: string): boolean {
  if (RECORD_OPS.has(name) || RECORD_PREFIXES.some((p) => name.startsWith(p))) return false;
  return name.startsWith('bead.') || name === 'sdd.approve' || name === 'sdd.status';
}

// fields that every change moves: not a value anyone chose
const BOOKKEEPING = new Set(['updated_at']);

/**
 * The fields of a bead that our replayed change sets to another value than
 * the other side gave them since the merge base: each with the other side's
 * value (JSON), which ours replaces.
 */
export function overwrittenFields(atBase: Bead | null, theirs: Bead, ours: Bead): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const t = theirs as unknown as Record<string, unknown>;
  const o = ours as unknown as Record<string, unknown>;
  const b = (atBase ?? {}) as Record<string, unknown>;
  for (const field of Object.keys({ ...t, ...o })) {
    if (BOOKKEEPING.has(field)) continue;
    const theirsValue = JSON.stringify(t[field] ?? null);
    const changedByThem = atBase !== null && theirsValue !== JSON.stringify(b[field] ?? null);
    if (changedByThem && JSON.stringify(o[field] ?? null) !== theirsValue) out.push([field, theirsValue]);
  }
  return out;
}

/** Why a record merged line by line is not one its place takes (null when it is). */
export function mergedRecordProblem(path: string, text: string): string | null {
  try {
    const id = idFromPath(path);
    if (id) {
      if (parseStoredBead(text, path).id !== id) return 'another bead';
    } else if (/^changes\/[^/]+\.cs$/.test(path)) parseChangeSpec(text, path);
    else if (/^agents\/[^/]+\/[^/]+\.json$/.test(path)) parseRun(text, path);
    else if (/^workflows\/[^/]+\.json$/.test(path)) parseWfRun(text, path);
    else if (/^notifications\/[^/]+\.json$/.test(path)) parseStoredNotification(text, path);
    else if (path.endsWith('.json')) JSON.parse(text);
    return null;
  } catch (err) {
    return err instanceof SaseError || err instanceof SyntaxError ? err.message : String(err);
  }
}

/** `value` with every string that is a renamed id (or a child of one: `<id>.<n>`) renamed. */
export function renameIds(value: unknown, renamed: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    const hit = renamed.get(value);
    if (hit) return hit;
    const dot = value.indexOf('.');
    const parent = dot > 0 ? renamed.get(value.slice(0, dot)) : undefined;
    return parent ? parent + value.slice(dot) : value;
  }
  if (Array.isArray(value)) return value.map((v) => renameIds(v, renamed));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameIds(v, renamed)]));
  return value;
}

/**
 * Two sides' edits of one record, merged field by field from where they
 * parted: a field only one side changed takes that side's value; one both
 * changed takes ours (named in `overwritten`); a list keeps the other side's
 * items, drops those ours removed and adds those ours added (a change's
 * timestamps, comments and hook runs from both sides all stay).
 */
export function mergeFields<T extends object>(base: T, ours: T, theirs: T): { merged: T; overwritten: string[] } {
  const b = base as Record<string, unknown>;
  const o = ours as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  const merged: Record<string, unknown> = {};
  const overwritten: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  for (const key of new Set([...Object.keys(t), ...Object.keys(o)])) {
    const [bv, ov, tv] = [b[key], o[key], t[key]];
    if (Array.isArray(ov) && Array.isArray(tv)) {
      const inBase = new Set((Array.isArray(bv) ? bv : []).map((x) => JSON.stringify(x)));
      const inOurs = new Set(ov.map((x) => JSON.stringify(x)));
      const kept = tv.filter((x) => !(inBase.has(JSON.stringify(x)) && !inOurs.has(JSON.stringify(x))));
      const keptKeys = new Set(kept.map((x) => JSON.stringify(x)));
      merged[key] = [...kept, ...ov.filter((x) => !inBase.has(JSON.stringify(x)) && !keptKeys.has(JSON.stringify(x)))];
    } else if (same(ov, bv)) merged[key] = tv;
    else {
      merged[key] = ov;
      if (!same(tv, bv) && !same(tv, ov)) overwritten.push(key);
    }
  }
  return { merged: merged as T, overwritten };
}
