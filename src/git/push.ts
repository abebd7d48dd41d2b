// Landing code: pushing a branch to a review ref or a remote (with a lease,
// so nothing is overwritten that was not read first), rebasing and reverting
// commits in a temporary worktree (the user's own work trees are never
// touched), and finding the work trees that have a branch checked out.
import { type GitEnv, git } from './exec.ts';
import { dropPendingRebase, rebaseDetached } from './rebase.ts';
import type { Repo } from './repo.ts';
import { addTempWorktree, removeTempWorktree, worktreeEnv } from './worktree.ts';

// sase's own rebases and reverts: no hooks of the user's, no autostash or
// autosquash, and never moving other branches (rebase.updateRefs)
const QUIET = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'rebase.updateRefs=false',
  '-c',
  'rebase.autoStash=false',
  '-c',
  'rebase.autoSquash=false',
  '-c',
  'rerere.enabled=false',
  '-c',
  'advice.detachedHead=false',
];

/** Runs `fn` in a new detached worktree at `at` (under .git/sase/worktrees), removed afterwards whatever happens. */
export async function withTempWorktree<T>(
  repo: Repo,
  at: string,
  label: string,
  fn: (wt: GitEnv) => Promise<T>,
): Promise<T> {
  const dir = await addTempWorktree(repo, at, label);
  try {
    return await fn(worktreeEnv(repo, dir));
  } finally {
    await removeTempWorktree(repo, dir);
  }
}

export type Landing = { ok: true; tip: string } | { ok: false; conflicts: string[]; message: string };

async function conflicted(wt: GitEnv): Promise<string[]> {
  const r = await git(wt, ['-c', 'core.quotePath=false', 'diff', '--name-only', '--diff-filter=U', '-z'], {
    okCodes: [1, 128],
  });
  return r.stdout.split('\0').filter(Boolean);
}

async function head(wt: GitEnv): Promise<string> {
  return (await git(wt, ['rev-parse', 'HEAD'])).stdout.trim();
}

/**
 * The commits upstream..tip replayed onto `onto` (the rebase of
 * sase cs rebase, in a temporary worktree); no branch moves. A conflict is
 * not left for the user here: the worktree is dropped and the conflict reported.
 */
export async function rebaseOnto(repo: Repo, onto: string, upstream: string, tip: string): Promise<Landing> {
  const out = await rebaseDetached(repo, { tip, upstream, onto, about: {} }, 'land');
  if (out.status === 'done') return { ok: true, tip: out.tip };
  await dropPendingRebase(repo, out.dir);
  return { ok: false, conflicts: out.conflicts, message: out.output.trim().split('\n')[0] ?? '' };
}

/** Reverts the commits base..newest on top of `at` (git revert, one revert commit each, newest first). */
export async function revertRange(repo: Repo, at: string, base: string, newest: string): Promise<Landing> {
  return withTempWorktree(repo, at, 'revert', async (wt) => {
    const r = await git(wt, [...QUIET, 'revert', '--no-edit', `${base}..${newest}`], { okCodes: [1, 128] });
    if (r.exitCode !== 0) {
      const conflicts = await conflicted(wt);
      await git(wt, ['revert', '--abort'], { okCodes: [1, 128] });
      return { ok: false, conflicts, message: (r.stderr || r.stdout).trim().split('\n')[0] ?? '' };
    }
    return { ok: true, tip: await head(wt) };
  });
}

/** What `ref` names on `remote`, or null when it has no such ref. */
export async function remoteRef(repo: Repo, remote: string, ref: string): Promise<string | null> {
  const r = await git(repo, ['ls-remote', '--end-of-options', remote, ref]);
  for (const line of r.stdout.split('\n')) {
    const [sha, name] = line.split('\t');
    if (name === ref && sha) return sha;
  }
  return null;
}

/**
 * Pushes `src` to `dst` on `remote` only if `dst` there still names `expect`
 * (null: does not exist), or deletes it with `src` null.
 */
export async function pushWithLease(
  repo: Repo,
  remote: string,
  src: string | null,
  dst: string,
  expect: string | null,
): Promise<void> {
  await git(repo, [
    'push',
    '--quiet',
    '--porcelain',
    '--no-verify',
    `--force-with-lease=${dst}:${expect ?? ''}`,
    '--end-of-options',
    remote,
    `${src ?? ''}:${dst}`,
  ]);
}

export interface Worktree {
  path: string;
  head: string | null;
  branch: string | null;
}

/** The repository's work trees (git worktree list), without the prunable ones. */
export async function worktrees(repo: Repo): Promise<Worktree[]> {
  const out = (await git(repo, ['worktree', 'list', '--porcelain', '-z'])).stdout;
  const list: Worktree[] = [];
  let cur: (Worktree & { prunable?: boolean; bare?: boolean }) | null = null;
  for (const field of out.split('\0')) {
    if (field === '') {
      if (cur && !cur.prunable && !cur.bare) list.push(cur);
      cur = null;
      continue;
    }
    if (field.startsWith('worktree ')) cur = { path: field.slice(9), head: null, branch: null };
    else if (!cur) continue;
    else if (field.startsWith('HEAD ')) cur.head = field.slice(5);
    else if (field.startsWith('branch ')) cur.branch = field.slice(7);
    else if (field.startsWith('prunable')) cur.prunable = true;
    else if (field === 'bare') cur.bare = true;
  }
  if (cur && !cur.prunable && !cur.bare) list.push(cur);
  return list;
}

/** Tracked files with changes (staged or not) or an operation in progress, in the work tree at `path`. */
export async function worktreeChanges(repo: Repo, path: string): Promise<string[]> {
  const r = await git({ cwd: path, env: repo.env }, [
    '-c',
    'core.quotePath=false',
    'status',
    '--porcelain',
    '--untracked-files=no',
    '-z',
  ]);
  return r.stdout
    .split('\0')
    .filter(Boolean)
    .map((l) => l.slice(3));
}

/** Fast-forwards the branch checked out at `path` to `sha` with git's own porcelain (the work tree follows). */
export async function mergeFastForward(
  repo: Repo,
  path: string,
  sha: string,
): Promise<{ ok: boolean; message: string }> {
  const r = await git({ cwd: path, env: repo.env }, ['merge', '--ff-only', '--quiet', '--no-edit', sha], {
    okCodes: [1, 128],
  });
  return { ok: r.exitCode === 0, message: (r.stderr || r.stdout).trim().split('\n')[0] ?? '' };
}

/** Moves the branch checked out at `path` back to `sha`, keeping local changes (git reset --keep). */
export async function resetKeep(repo: Repo, path: string, sha: string): Promise<boolean> {
  return (
    (await git({ cwd: path, env: repo.env }, ['reset', '--keep', '--quiet', sha], { okCodes: [1, 128] })).exitCode === 0
  );
}
