// sase's refs on a remote: fetched explicitly (a clone copies neither custom
// refs nor notes) into refs/sase-remotes/<remote>/, the same place the fetch
// refspecs `sase init` adds put them, so a plain `git fetch` and a sync agree.

import { createHash } from 'node:crypto';
import { remoteRefspecs } from '../core/sync/refspecs.ts';
import { GitError, git } from './exec.ts';
import { type Repo, readRef } from './repo.ts';

export interface RemoteSaseRefs {
  /** the remote's refs/sase/state as fetched, or null when it has none */
  state: string | null;
  /** the remote's refs/notes/sase as fetched, or null */
  notes: string | null;
}

/**
 * The name a remote's copies go under: a configured remote's own name, or for
 * a URL or path given as is, one made from it (a ref name cannot hold it).
 */
export function trackingName(remote: string): string {
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(remote) && !remote.includes('..') && !remote.endsWith('.lock'))
    return remote;
  return `url-${createHash('sha1').update(remote).digest('hex').slice(0, 16)}`;
}

/** Where a fetch of `remote` keeps its copy of the state ref and of the notes. */
export function remoteTracking(remote: string): { state: string; notes: string } {
  const name = trackingName(remote);
  return { state: `refs/sase-remotes/${name}/state`, notes: `refs/sase-remotes/${name}/notes` };
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
    ...remoteRefspecs(trackingName(remote)),
  ]);
  return readRemoteSaseRefs(repo, remote);
}

/** The copies of the remote's refs the last fetch left, without fetching. */
export async function readRemoteSaseRefs(repo: Repo, remote: string): Promise<RemoteSaseRefs> {
  const t = remoteTracking(remote);
  const [state, notes] = await Promise.all([readRef(repo, t.state), readRef(repo, t.notes)]);
  return { state, notes };
}

export interface LeasedUpdate {
  /** the commit to push, or null to delete */
  src: string | null;
  /** the remote's ref */
  dst: string;
  /** what the remote's ref must still name (null: must not exist) */
  expect: string | null;
}

/**
 * Pushes every update in one atomic push, each only if the remote's ref still
 * names what it expects (a lease): 'rejected' when one did not (another clone
 * pushed first: fetch and try again). A GitError when the remote cannot be
 * reached or refuses for another reason.
 */
export async function pushLeased(repo: Repo, remote: string, updates: LeasedUpdate[]): Promise<'pushed' | 'rejected'> {
  if (!updates.length) return 'pushed';
  const r = await git(
    repo,
    [
      'push',
      '--porcelain',
      '--atomic',
      '--no-verify',
      ...updates.map((u) => `--force-with-lease=${u.dst}:${u.expect ?? ''}`),
      '--end-of-options',
      remote,
      ...updates.map((u) => `${u.src ?? ''}:${u.dst}`),
    ],
    { okCodes: [1] },
  );
  if (r.exitCode === 0) return 'pushed';
  // porcelain: a line per ref, '!' for one refused; a lease that failed says 'stale info' or 'fetch first'
  const refused = r.stdout.split('\n').filter((l) => l.startsWith('!'));
  // (a push racing another on the same ref may also find it locked, or its old value gone)
  const lost = /stale info|fetch first|non-fast-forward|atomic|lock|incorrect old value|failed to update ref/;
  if (refused.length && refused.every((l) => lost.test(l))) return 'rejected';
  throw new GitError(['push'], r.exitCode, r.stderr || r.stdout);
}
