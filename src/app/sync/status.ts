// Where a clone stands against its remote: operations ahead and behind (as of
// the last fetch, or a new one), and when it last synced.

import { readFileSync } from 'node:fs';
import { mergeBase } from '../../git/branches.ts';
import { GitError, git } from '../../git/exec.ts';
import { fetchSaseRefs, readRemoteSaseRefs } from '../../git/remote.ts';
import { localDir, localPath, type Repo } from '../../git/repo.ts';
import { writeFileAtomic } from '../../proc/files.ts';
import type { Store } from '../../store/store.ts';
import type { SyncStatusFacts } from '../../wire/sync.ts';
import { unreachable } from './unreachable.ts';

function lastSyncPath(repo: Repo, remote: string): string {
  return localPath(repo, 'sync', `${encodeURIComponent(remote)}.json`);
}

/** Remembers when `remote` was last synced with (machine-local: $GIT_DIR/sase/sync/). */
export function recordSync(repo: Repo, remote: string, at: string, tip: string | null): void {
  localDir(repo, 'sync');
  writeFileAtomic(lastSyncPath(repo, remote), `${JSON.stringify({ at, tip })}\n`);
}

function lastSync(repo: Repo, remote: string): string | null {
  try {
    const at = JSON.parse(readFileSync(lastSyncPath(repo, remote), 'utf8')).at;
    return typeof at === 'string' ? at : null;
  } catch {
    return null;
  }
}

async function countBetween(repo: Repo, from: string | null, to: string): Promise<number> {
  const r = await git(repo, ['rev-list', '--count', from ? `${from}..${to}` : to, '--']);
  return Number(r.stdout.trim());
}

export async function syncStatus(store: Store, remote: string, fetch: boolean): Promise<SyncStatusFacts> {
  let refs: { state: string | null };
  try {
    refs = fetch ? await fetchSaseRefs(store.repo, remote) : await readRemoteSaseRefs(store.repo, remote);
  } catch (err) {
    if (err instanceof GitError) throw unreachable(remote, err);
    throw err;
  }
  const tip = await store.tip();
  const theirs = refs.state;
  const base = tip && theirs ? await mergeBase(store.repo, tip, theirs) : null;
  const related = !(tip && theirs) || base !== null;
  return {
    remote,
    tip,
    remoteTip: theirs,
    related,
    ahead: tip && related ? await countBetween(store.repo, theirs, tip) : 0,
    behind: theirs && related ? await countBetween(store.repo, tip, theirs) : 0,
    fetched: fetch,
    lastSync: lastSync(store.repo, remote),
  };
}
