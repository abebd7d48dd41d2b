// One tick at a time in a repository: $GIT_COMMON_DIR/sase/axe/tick.lock
// holds the owner's pid, its start token and host. A lock whose owner is gone
// (or whose pid now names another process) is taken over; a held one makes
// the next tick step aside. It guards ticks only: state writes stay
// compare-and-swap, so a person's command never waits on it.
import { mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from '../../git/repo.ts';
import { axeDir } from './history.ts';
import { ownerAlive, type ProcessOwner, processOwner } from './owner.ts';

export interface LockOwner extends ProcessOwner {
  since: string;
}

export type LockAttempt =
  | { held: true; release(): void; tookOver: LockOwner | null }
  | { held: false; owner: LockOwner | null; reason: string };

export function lockPath(repo: Pick<Repo, 'commonDir'>): string {
  return join(axeDir(repo), 'tick.lock');
}

export function readLockOwner(file: string): LockOwner | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return v && Number.isSafeInteger(v.pid) && v.pid > 0 ? v : null;
  } catch {
    return null;
  }
}

const GUARD_STALE_MS = 10_000;

/** Takes the tick lock, or says who holds it. */
export function acquireTickLock(repo: Pick<Repo, 'commonDir'>, since: string, nowMs: number): LockAttempt {
  const file = lockPath(repo);
  const me: LockOwner = { ...processOwner(process.pid), since };
  const text = `${JSON.stringify(me)}\n`;
  let tookOver: LockOwner | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, text, { flag: 'wx' });
      return { held: true, tookOver, release: () => releaseIfOurs(file, text) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readLockOwner(file);
    if (owner && ownerAlive(owner))
      return {
        held: false,
        owner,
        reason: `a tick is running (pid ${owner.pid} on ${owner.host} since ${owner.since})`,
      };
    // the owner is gone: take the lock over, one taker at a time (a guard folder), so two takers never both win
    const guard = `${file}.takeover`;
    try {
      mkdirSync(guard);
    } catch {
      try {
        if (nowMs - statSync(guard).mtimeMs > GUARD_STALE_MS) rmdirSync(guard);
      } catch {
        // gone already
      }
      return { held: false, owner, reason: 'another tick is taking over a stale lock' };
    }
    try {
      const again = readLockOwner(file);
      if (JSON.stringify(again) === JSON.stringify(owner)) {
        try {
          unlinkSync(file);
        } catch {
          // removed meanwhile
        }
        tookOver = owner;
      }
    } finally {
      rmdirSync(guard);
    }
  }
  return { held: false, owner: readLockOwner(file), reason: 'the lock kept changing hands' };
}

function releaseIfOurs(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) unlinkSync(file);
  } catch {
    // gone already
  }
}

/** Who holds the lock now, and whether that owner is alive (for status). */
export function lockState(repo: Pick<Repo, 'commonDir'>): { owner: LockOwner; alive: boolean } | null {
  const owner = readLockOwner(lockPath(repo));
  return owner ? { owner, alive: ownerAlive(owner) } : null;
}
