// Clones sharing one bare remote, for the tests of sync and of remote claims.
import { cloneRepo, gitdir, type TestRepo } from './gitdir.ts';
import { ok } from './run.ts';
import { STATE } from './state.ts';

/**
 * A bare remote, and `a` (initialised by `make`: `initedRepo()` unless given)
 * with it as origin, its main pushed there, and its state synced (`sync: false`
 * leaves the state to the test).
 */
export async function remoteWithState(
  make: () => Promise<TestRepo>,
  opts: { sync?: boolean } = {},
): Promise<{ remote: TestRepo; a: TestRepo }> {
  const remote = gitdir({ bare: true });
  const a = await make();
  a.git('remote', 'add', 'origin', remote.dir);
  a.git('push', '-q', 'origin', 'main');
  if (opts.sync !== false) await ok(a, 'sync');
  return { remote, a };
}

/** What the remote's state ref names ('' when none). */
export function remoteTip(remote: TestRepo): string {
  return remote.git('rev-parse', '--verify', '-q', STATE).trim();
}

/** A new clone of `remote` (git clone: no sase refs) whose first sync adopted the remote's state. */
export async function syncedClone(remote: TestRepo): Promise<TestRepo> {
  const clone = cloneRepo(remote.dir);
  await ok(clone, 'sync');
  return clone;
}
