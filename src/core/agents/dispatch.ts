// What dispatch says of waiting runs, and the runner limit's check.
import type { FatalError, UsageError } from '../errors.ts';
import type { AgentRun } from './run.ts';

export const DEFAULT_MAX_RUNNERS = 3;

/**
 * What dispatch did with a waiting run: started it; left it waiting (for a
 * dependency, or blocked by one that failed); left it for want of a runner
 * (limit); found it no longer waiting when it came to start it (skipped:
 * another dispatcher started it, or it was killed); or could not start it
 * (error: its workspace or bead refused).
 */
export type DispatchAction = 'started' | 'waiting' | 'blocked' | 'limit' | 'budget' | 'skipped' | 'error';

export interface Dispatched {
  action: DispatchAction;
  /** why it did not start (null when it did) */
  reason: string | null;
  /** the record after dispatch (as it would be, in a dry run) */
  run: AgentRun;
  /** an error that is a claim the remote gave to another machine (it starts the run there) */
  lost?: boolean;
}

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
