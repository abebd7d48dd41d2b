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
 * The record a state path belongs to, as people name it: a bead's, a run's or
 * a notification's id, a workflow run's id (its step logs included), a
 * change's name (its hook logs included); a plan or prompt is its path. The
 * log names an operation's subjects this way, whether the operation listed
 * ids or only the paths it wrote.
 */
export function recordOfPath(path: string): string {
  const parts = path.split('/');
  const [top] = parts;
  const base = (name: string) => name.replace(/\.(json|prompt\.md|log|cs)$/, '');
  if (top === 'beads' && parts.length === 3) return base(parts[2]!);
  if (top === 'agents' && parts.length === 3) return base(parts[2]!);
  if ((top === 'workflows' || top === 'changes') && parts.length >= 2) return base(parts[1]!);
  if (top === 'notifications' && parts.length === 2) return base(parts[1]!);
  return path;
}

/**
 * The records an operation names, each once: its plan, its ids (a change's
 * comments as <change>#<n>, as their records name them), its record, blocker
 * and bead, then the records of the paths it wrote (a run's end names the
 * bead it closed only by its path). Records are named by id (or a change's
 * name, a plan's path), never by the file that holds them.
 */
export function opSubjects(op: Op | null): string[] {
  if (!op) return [];
  const out = new Set<string>();
  // what is neither a string nor a number is no subject (an operation read from a commit is untrusted)
  if (typeof op.path === 'string') out.add(op.path); // a plan operation names its plan
  if (Array.isArray(op.ids))
    for (const x of op.ids) {
      if (typeof x === 'string') out.add(x);
      else if (typeof x === 'number') out.add(typeof op.name === 'string' ? `${op.name}#${x}` : String(x));
    }
  if (typeof op.id === 'string') out.add(op.id);
  if (typeof op.blocker === 'string') out.add(op.blocker);
  const bead = op.bead as { id?: unknown } | string | undefined;
  if (typeof bead === 'string') out.add(bead);
  else if (bead && typeof bead.id === 'string') out.add(bead.id);
  if (Array.isArray(op.paths)) for (const p of op.paths) if (typeof p === 'string') out.add(recordOfPath(p));
  return [...out];
}

/**
 * Whether a subject is the record a person named: the same id, or one that
 * starts with it (a bead's children), with or without its prefix (`k3f9`
 * for `ts-k3f9abcd`). The full id and a short form thus find the same
 * operations.
 */
export function subjectMatches(subject: string, want: string): boolean {
  if (subject === want || subject.startsWith(want)) return true;
  const dash = subject.lastIndexOf('-');
  return dash > 0 && subject.slice(dash + 1).startsWith(want);
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
