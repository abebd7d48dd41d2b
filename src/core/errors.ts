// Typed failures. Each carries the exit code that CONVENTIONS.md assigns it;
// src/cli/main.ts is the one place that turns them into messages and exits.

export abstract class SaseError extends Error {
  abstract readonly exitCode: number;
  /** the git-style prefix of the message line */
  readonly prefix: 'error' | 'fatal' = 'error';
  hint?: string;
}

/** A negative answer: the request was understood and refused (exit 1). */
export class RefusedError extends SaseError {
  readonly exitCode = 1;
}

/** A conflict: a claim was lost, or the state kept moving (exit 3, safe to retry). */
export class ConflictError extends SaseError {
  readonly exitCode = 3;
}

/** No such record (exit 4). */
export class NotFoundError extends SaseError {
  readonly exitCode = 4;
}

/** Corrupt state, malformed input data, not a repository (exit 128). */
export class FatalError extends SaseError {
  readonly exitCode = 128;
  override readonly prefix = 'fatal';
}

/** Bad usage: unknown option, missing argument, bad value (exit 129). */
export class UsageError extends SaseError {
  readonly exitCode = 129;
}

/** An abbreviated id that matches more than one record: a bad value (exit 129). */
export class AmbiguousError extends UsageError {
  constructor(
    readonly input: string,
    readonly candidates: string[],
  ) {
    super(
      `short id '${input}' is ambiguous: ${candidates.slice(0, 10).join(', ')}${candidates.length > 10 ? ', ...' : ''}`,
    );
  }
}

export function withHint<E extends SaseError>(err: E, hint: string): E {
  err.hint = hint;
  return err;
}

/**
 * A place of the state that is not what it should be (fatal, 128), naming its
 * path: `problem` reads after the path ("is in the wrong shard for 'x'").
 */
export function stateError(path: string, problem: string): FatalError {
  return withHint(new FatalError(`state: '${path}' ${problem}`), "'sase fsck' lists every problem of the state");
}

/** Why a record read from its place is not the one the place names (read after its path), or null. */
export function identityProblem(holds: string, named: string | null): string | null {
  return holds === named ? null : `holds the record of '${holds}', not of '${named ?? '?'}'`;
}

/** Refuses a record that holds another record: an id or name that is not the one its path names. */
export function checkIdentity(path: string, holds: string, named: string | null): void {
  const problem = identityProblem(holds, named);
  if (problem) throw stateError(path, problem);
}

/**
 * `value` when it is at most `max` characters; a usage error naming `field`
 * otherwise. For a filter: one longer than anything it could match is a bad
 * value, refused before a pattern or a message sees it.
 */
export function checkLength(field: string, value: string, max: number): string {
  if (value.length > max) throw new UsageError(`${field} is too long (${value.length} characters, at most ${max})`);
  return value;
}
