// A bead arriving from outside (an import): the checks a record must pass
// before it is stored, and timestamps brought to sase's form. Pure.

import { isoSeconds } from '../clock.ts';
import { UsageError } from '../errors.ts';
import { type Bead, checkLine, checkText, LIMITS, validateBead } from './model.ts';

/** A record accepted for import. */
export interface Incoming {
  line: number;
  bead: Bead;
  /** a bd record whose type becomes `phase` when its parent turns out to be an epic */
  phaseIfEpicParent: boolean;
  /** the record had no creation time: the stored bead's (or the import time) is used */
  untimed: boolean;
  /** things worth telling the user about this record (it is imported anyway) */
  warnings: string[];
}

/** A record left out, and why. `invalid` ones make the import a partial failure (exit 1). */
export interface Skip {
  id: string | null;
  line: number;
  reason: string;
  invalid: boolean;
}

export type Mapped = Omit<Incoming, 'line'> | Omit<Skip, 'line'>;

export function isSkip(m: Mapped): m is Omit<Skip, 'line'> {
  return 'reason' in m;
}

const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ANY_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * ISO 8601 UTC to the second, as sase writes it (so string order is time
 * order), or null when `value` is no timestamp. A time without a zone is UTC.
 */
export function normalizeTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (CANONICAL_TIME.test(value)) return value; // the common case, kept fast
  const m = ANY_TIME.exec(value.trim());
  if (!m) return null;
  const text = value.trim().replace(' ', 'T');
  const t = Date.parse(m[1] || !text.includes('T') ? text : text + 'Z');
  if (Number.isNaN(t)) return null;
  return isoSeconds(t);
}

/** Shows an untrusted string in a message: bounded, control characters escaped. */
export function quoteUntrusted(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const short = s.length > 80 ? s.slice(0, 77) + '...' : s;
  return `'${short.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

function optionalName(field: string, value: string | null): void {
  if (value !== null) checkLine(field, value, LIMITS.name);
}

/**
 * Everything a stored bead must satisfy, the structure (validateBead) and the
 * content rules that commands enforce (one-line title, no control characters,
 * bounded sizes). Returns the first problem, or null.
 */
export function beadProblem(b: Bead): string | null {
  try {
    validateBead(b, 'record');
    checkLine('title', b.title, LIMITS.title);
    checkText('description', b.description);
    checkText('notes', b.notes);
    if (b.design !== null) checkLine('design', b.design, LIMITS.name);
    optionalName('assignee', b.assignee);
    optionalName('owner', b.owner);
    optionalName('created_by', b.created_by);
    optionalName('model', b.model);
    if (b.close_reason !== null) checkText('close_reason', b.close_reason);
    for (const l of b.labels) {
      if (typeof l !== 'string') throw new UsageError('a label is not a string');
      checkLine('label', l, LIMITS.label);
    }
    for (const l of b.links) {
      if (!l || typeof l.kind !== 'string' || typeof l.target !== 'string')
        throw new UsageError('a link is not {kind, target}');
      checkLine('link kind', l.kind, LIMITS.label);
      checkLine('link target', l.target, LIMITS.name);
    }
    for (const d of b.dependencies) {
      if (normalizeTime(d.created_at) !== d.created_at)
        throw new UsageError(`a dependency's created_at is not a timestamp`);
      if (d.created_by !== null && typeof d.created_by !== 'string')
        throw new UsageError(`a dependency's created_by is not a string`);
    }
    for (const x of b.satisfied ?? []) {
      if (normalizeTime(x.satisfied_at) !== x.satisfied_at)
        throw new UsageError(`a satisfied mark's satisfied_at is not a timestamp`);
      optionalName('satisfied_by', x.satisfied_by);
    }
    if (b.issue_type === 'plan' && !b.tier) throw new UsageError('a plan needs a tier');
    if (b.issue_type !== 'plan' && b.tier) throw new UsageError(`only a plan has a tier; '${b.issue_type}' does not`);
    for (const key of ['created_at', 'updated_at'] as const) {
      if (normalizeTime(b[key]) !== b[key]) throw new UsageError(`${key} is not a timestamp`);
    }
    if (b.closed_at !== null && normalizeTime(b.closed_at) !== b.closed_at)
      throw new UsageError('closed_at is not a timestamp');
    return null;
  } catch (err) {
    if (err instanceof Error) return err.message.replace(/^record: /, '');
    throw err;
  }
}
