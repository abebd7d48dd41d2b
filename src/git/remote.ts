// sase's refs on a remote: fetched explicitly (a clone copies neither custom
// refs nor notes) into refs/sase-remotes/<remote>/, the same place the fetch
// refspecs `sase init` adds put them, so a plain `git fetch` and a sync agree.

import { remoteRefspecs } from '../core/sync/refspecs.ts';
import { git } from './exec.ts';
import { type Repo, readRef } from './repo.ts';

export interface RemoteSaseRefs {
  /** the remote's refs/sase/state as fetched, or null when it has none */
  state: string | null;
  /** the remote's refs/notes/sase as fetched, or null */
  notes: string | null;
}

/** Where a fetch of `remote` keeps its copy of the state ref and of the notes. */
export function remoteTracking(remote: string): { state: string; notes: string } {
  return { state: `refs/sase-remotes/${remote}/state`, notes: `refs/sase-remotes/${remote}/notes` };
}

/**
 * Fetches the remote's state ref and notes (wildcard refspecs: a remote with
 * no sase data yet is no failure) and prunes copies of refs it no longer has.
 * A GitError when the remote cannot be reached.
 */
export async function fetchSaseRefs(repo: Repo, remote: string): Promise<RemoteSaseRefs> {
  await git(repo, [
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-write-fetch-head',
    '--prune',
    '--no-recurse-submodules',
    '--end-of-options',
    remote,
    ...remoteRefspecs(remote),
  ]);
  return readRemoteSaseRefs(repo, remote);
}

/** The copies of the remote's refs the last fetch left, without fetching. */
export async function readRemoteSaseRefs(repo: Repo, remote: string): Promise<RemoteSaseRefs> {
  const t = remoteTracking(remote);
  const [state, notes] = await Promise.all([readRef(repo, t.state), readRef(repo, t.notes)]);
  return { state, notes };
}
