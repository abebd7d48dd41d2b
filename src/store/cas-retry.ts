// What a writer does when its compare-and-swap on a ref loses: give up at
// once on a ref lock left by a killed git (fatal, with a hint), give up after
// the deadline (exit 3, safe to retry), else wait a jittered, growing while.
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, type Random, randomFraction } from '../core/clock.ts';
import { ConflictError, FatalError, withHint } from '../core/errors.ts';
import { RefConflictError, RefLockedError } from '../git/repo.ts';

/** The longest wait between two attempts. */
const MAX_BACKOFF_MS = 1000;

/** How old a ref lock file must be before it is taken as left behind. */
const STALE_LOCK_MS = 5_000;

function lockAgeMs(path: string, clock: Clock): number {
  try {
    return clock.wallMs() - statSync(path).mtimeMs;
  } catch {
    return 0; // gone: the writer finished
  }
}

/**
 * Runs `attempt` until it does not throw a RefConflictError (another writer
 * moved `ref` first).
 */
export async function retryOnRefConflict<T>(
  ref: string,
  deadlineMs: number,
  env: { clock: Clock; random: Random },
  attempt: () => Promise<T>,
): Promise<T> {
  const started = env.clock.ms();
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof RefConflictError)) throw err;
      if (err instanceof RefLockedError && lockAgeMs(err.lockPath, env.clock) > STALE_LOCK_MS) {
        // git holds a ref lock for milliseconds; an old one was left by a killed git
        throw withHint(
          new FatalError(`cannot lock '${ref}': '${err.lockPath}' exists`),
          'a git process was interrupted while writing it; if no git command is running, remove that file',
        );
      }
      if (env.clock.ms() - started > deadlineMs)
        throw new ConflictError(`'${ref}' kept moving; gave up after ${n + 1} attempts`);
      // full jitter on a growing window: the losers of one round spread out instead of meeting again
      const window = Math.min(MAX_BACKOFF_MS, 20 * 2 ** Math.min(n, 6));
      await sleep((await randomFraction(env.random)) * window);
    }
  }
}
