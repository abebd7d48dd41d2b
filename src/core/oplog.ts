// The operation log's commits: a state commit's message is a human first
// line (`sase: close sase-k3f9`) and the operation as one JSON line after the
// trailer `Sase-Op: `, which replay and the log read back.

import { FatalError } from './errors.ts';

/** An operation as recorded: its name and its arguments. */
export interface Op {
  op: string;
  [key: string]: unknown;
}

export const OP_TRAILER = 'Sase-Op: ';

/** The commit message of an operation. */
export function opMessage(summary: string, op: Op): string {
  return `sase: ${summary}\n\n${OP_TRAILER}${JSON.stringify(op)}\n`;
}

/** The summary a commit message gives: its first line without 'sase: '. */
export function messageSummary(message: string): string {
  return message.split('\n')[0]!.replace(/^sase: /, '');
}

/** Reads the operation recorded in a state commit's message. */
export function parseOpFromMessage(message: string): Op | null {
  const line = message.split('\n').find((l) => l.startsWith(OP_TRAILER));
  if (!line) return null;
  try {
    const op = JSON.parse(line.slice(OP_TRAILER.length));
    return op && typeof op === 'object' && typeof op.op === 'string' ? op : null;
  } catch {
    return null;
  }
}

/**
 * The records an operation names: its ids (a change's comments as
 * <change>#<n>, as their records name them), else the paths it wrote, else
 * its plan, record, blocker and bead.
 */
export function opSubjects(op: Op | null): string[] {
  if (!op) return [];
  // what is neither a string nor a number is no subject (an operation read from a commit is untrusted)
  if (Array.isArray(op.ids))
    return op.ids
      .filter((x) => typeof x === 'string' || typeof x === 'number')
      .map((x) => (typeof x === 'number' && typeof op.name === 'string' ? `${op.name}#${x}` : String(x)));
  if (Array.isArray(op.paths)) return op.paths.filter((x) => typeof x === 'string');
  const out: string[] = [];
  if (typeof op.path === 'string') out.push(op.path); // a plan operation names its plan
  if (typeof op.id === 'string') out.push(op.id);
  if (typeof op.blocker === 'string') out.push(op.blocker);
  const bead = op.bead as { id?: unknown } | string | undefined;
  if (typeof bead === 'string') out.push(bead);
  else if (bead && typeof bead.id === 'string') out.push(bead.id);
  return out;
}

/** A rule an operation's field must pass: the check, and what the field should be (for the message). */
export type FieldRule = readonly [check: (value: unknown) => boolean, what: string];

/**
 * An operation read from a commit is untrusted input: each field its rules
 * name is checked before the operation is applied, and the first that fails
 * is named (`malformed operation: 'ids' is not a list of bead ids`), so a
 * bogus trailer is a clear problem, not a TypeError.
 */
export function checkOpFields<T>(op: Op, rules: Record<string, FieldRule>): T {
  for (const [key, [check, what]] of Object.entries(rules)) {
    const value = Object.hasOwn(op, key) ? op[key] : undefined;
    if (!check(value)) throw new FatalError(`malformed operation: '${key}' is not ${what}`);
  }
  return op as unknown as T;
}

/** An operation whose name none of the rule tables knows. */
export function unknownOp(op: Op): FatalError {
  return new FatalError(`unknown operation '${op.op.length > 100 ? `${op.op.slice(0, 100)}...` : op.op}'`);
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isStringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
export const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const oneOf =
  (choices: readonly string[]) =>
  (v: unknown): boolean =>
    typeof v === 'string' && choices.includes(v);
