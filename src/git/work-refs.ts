// The work of runs, shared through a remote so that a run on one machine can
// build on a run made on another (a phase on its blockers, a land run on every
// phase): each finished run's branch tip is pushed as refs/sase/work/<run-id>,
// and every machine fetches them into refs/sase-remotes/<remote>/work/.
import { git } from './exec.ts';
import { trackingName } from './remote.ts';
import { type Repo, readRef } from './repo.ts';

export function workRef(runId: string): string {
  return `refs/sase/work/${runId}`;
}

/** Where a fetch keeps a remote's copy of a run's work. */
export function trackedWorkRef(remote: string, runId: string): string {
  return `refs/sase-remotes/${trackingName(remote)}/work/${runId}`;
}

/** Fetches every run's work the remote has. A GitError when it cannot be reached. */
export async function fetchWork(repo: Repo, remote: string): Promise<void> {
  await git(repo, [
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-write-fetch-head',
    '--no-recurse-submodules',
    '--end-of-options',
    remote,
    `+refs/sase/work/*:refs/sase-remotes/${trackingName(remote)}/work/*`,
  ]);
}

/**
 * Pushes runs' work (commit ids) as refs/sase/work/<run-id>; what the remote
 * has already is skipped. Returns how many were pushed.
 */
export async function pushWork(
  repo: Repo,
  remote: string,
  work: Array<{ run: string; commit: string }>,
): Promise<number> {
  const todo: string[] = [];
  for (const w of work)
    if ((await readRef(repo, trackedWorkRef(remote, w.run))) !== w.commit) todo.push(`${w.commit}:${workRef(w.run)}`);
  if (!todo.length) return 0;
  await git(repo, ['push', '--quiet', '--force', '--no-verify', '--end-of-options', remote, ...todo]);
  await fetchWork(repo, remote);
  return todo.length;
}

/** A run's work as a remote's copy has it (any remote fetched), or null. */
export async function fetchedWork(repo: Repo, runId: string): Promise<string | null> {
  const r = await git(repo, [
    'for-each-ref',
    '--count=1',
    '--format=%(objectname)',
    `refs/sase-remotes/*/work/${runId}`,
  ]);
  return r.stdout.trim() || null;
}
