// What dispatch says of waiting runs, and the runner limit's check.
import { UsageError, FatalError } from '../errors.ts';

export const DEFAULT_MAX_RUNNERS = 3;

/** What a ready run not started for want of a runner says. */
export function limitReason(active: number, max: number): string {
  return `ready; waiting for a runner (${active} running or queued, at most ${max})`;
}

/** The reason shown for a waiting run whose waits are all met. */
export const READY_REASON = "ready: starts at the next 'sase agent dispatch'";

export function checkMax(value: unknown, what: string, Err: typeof UsageError | typeof FatalError): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Err(`${what} must be a whole number of at least 1 (got ${JSON.stringify(value)})`);
  return value;
}
