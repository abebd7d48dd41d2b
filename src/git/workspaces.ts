// Numbered workspaces, the git side: worktrees on their own branch (or on an
// existing branch, checked out, never detached), what is checked out where,
// whether a checkout has work that removing it would lose, and removal.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type GitEnv, git } from './exec.ts';
import type { Repo } from './repo.ts';
import { removeTempWorktree, worktreeEnv } from './worktree.ts';

/** The environment for git run inside the checkout at `dir`. */
export const inFolder = worktreeEnv;

/** A new worktree at `dir` on a new branch `branch` starting at `base` (a commit id). The repository's hooks do not run. */
export async function addBranchWorktree(repo: Repo, dir: string, branch: string, base: string): Promise<void> {
  await git(repo, ['-c', 'core.hooksPath=/dev/null', 'worktree', 'add', '--quiet', '-b', branch, '--', dir, base]);
}

/** A new worktree at `dir` with the existing branch `branch` checked out (git refuses one checked out elsewhere). */
export async function addExistingBranchWorktree(repo: Repo, dir: string, branch: string): Promise<void> {
  await git(repo, ['-c', 'core.hooksPath=/dev/null', 'worktree', 'add', '--quiet', '--', dir, branch]);
}

export interface WorktreeEntry {
  path: string;
  head: string | null;
  /** the short branch name, or null when detached */
  branch: string | null;
  /** why git keeps it locked ('initializing' while 'git worktree add' makes it; '' with no reason), or null */
  locked: string | null;
}

/** Every checkout of the repository, the main one first. */
export async function listWorktrees(repo: Repo): Promise<WorktreeEntry[]> {
  const out = (await git(repo, ['worktree', 'list', '--porcelain', '-z'])).stdout;
  const entries: WorktreeEntry[] = [];
  let cur: WorktreeEntry | null = null;
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) {
      cur = { path: field.slice(9), head: null, branch: null, locked: null };
      entries.push(cur);
    } else if (cur && field.startsWith('HEAD ')) cur.head = field.slice(5);
    else if (cur && field.startsWith('branch ')) cur.branch = field.slice(7).replace(/^refs\/heads\//, '');
    else if (cur && (field === 'locked' || field.startsWith('locked '))) cur.locked = field.slice(7);
  }
  return entries;
}

/** The branch checked out at `dir`, or null when detached or not a checkout. */
export async function checkedOutBranch(repo: GitEnv, dir: string): Promise<string | null> {
  const r = await git(inFolder(repo, dir), ['symbolic-ref', '--quiet', '--short', 'HEAD'], { okCodes: [1, 128] });
  return r.exitCode === 0 ? r.stdout.trim() || null : null;
}

/** Whether `dir` is a checkout with uncommitted changes (untracked files included); null when it is not a checkout. */
export async function hasUncommittedWork(repo: GitEnv, dir: string): Promise<boolean | null> {
  const r = await git(inFolder(repo, dir), ['status', '--porcelain', '--untracked-files=normal'], { okCodes: [128] });
  return r.exitCode === 0 ? r.stdout.trim() !== '' : null;
}

/**
 * How many commits of the checkout at `dir` no other branch (nor tag, nor
 * remote-tracking branch) holds: what removing it and its branch would lose.
 * For a clone that is removed whole, only its remote-tracking branches count.
 */
export async function commitsOnlyHere(
  repo: GitEnv,
  dir: string,
  branch: string | null,
  clone = false,
): Promise<number> {
  const here = inFolder(repo, dir);
  const head = await git(here, ['rev-parse', '--verify', '--quiet', 'HEAD'], { okCodes: [1, 128] });
  if (head.exitCode !== 0) return 0;
  // --exclude patterns for --branches are written without refs/heads/
  const exclude = branch ? [`--exclude=${branch}`] : [];
  const others = clone ? ['--remotes'] : [...exclude, '--branches', '--tags', '--remotes'];
  const r = await git(here, ['rev-list', '--count', head.stdout.trim(), '--not', ...others]);
  return Number(r.stdout.trim()) || 0;
}

/** Removes a worktree whatever state it is in (see removeTempWorktree); returns what could not be cleaned. */
export function removeWorktree(repo: Repo, dir: string): Promise<string | null> {
  return removeTempWorktree(repo, dir);
}

/** Deletes a local branch if it still points where it did; never throws. */
export async function deleteBranch(repo: Repo, branch: string): Promise<boolean> {
  const r = await git(repo, ['branch', '-D', '--', branch], { okCodes: [1, 128] }).catch(() => null);
  return r?.exitCode === 0;
}

/** Whether a local branch exists. */
export async function branchExists(repo: Repo, branch: string): Promise<boolean> {
  const r = await git(repo, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { okCodes: [1] });
  return r.exitCode === 0;
}

/** Prunes the worktree list of checkouts whose folder is gone. */
export async function pruneWorktrees(repo: Repo): Promise<void> {
  await git(repo, ['worktree', 'prune'], { okCodes: [1, 128] }).catch(() => {});
}

/** The commit checked out at `dir`, or null (an unborn branch, or not a checkout). */
export async function headOf(repo: GitEnv, dir: string): Promise<string | null> {
  const r = await git(inFolder(repo, dir), ['rev-parse', '--verify', '--quiet', 'HEAD'], { okCodes: [1, 128] });
  return r.exitCode === 0 ? r.stdout.trim() || null : null;
}

/** The commits of the checkout at `dir` above `base`, oldest first (all of HEAD's history when base is null). */
export async function commitsSince(repo: GitEnv, dir: string, base: string | null): Promise<string[]> {
  const head = await headOf(repo, dir);
  if (!head || head === base) return [];
  const r = await git(inFolder(repo, dir), ['rev-list', '--reverse', head, ...(base ? ['--not', base] : [])], {
    okCodes: [128],
  });
  return r.exitCode === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

/**
 * Brings the checkout at `dir` up to its branch's tip when the branch was
 * moved from outside (a rebase, an update-ref): its index then still holds
 * the tree of an earlier tip, and a commit made there would undo the move.
 * The switch is git's two-tree merge (read-tree -m -u), which keeps local
 * changes that do not clash with it and, when some do, changes nothing. An
 * index holding staged work of its own (not an earlier tip's tree) is left
 * as it is.
 */
export async function catchUpCheckout(
  repo: GitEnv,
  dir: string,
  branch: string,
): Promise<'current' | 'updated' | 'clash'> {
  const env = inFolder(repo, dir);
  const head = await git(env, ['rev-parse', '--verify', '--quiet', 'HEAD^{tree}'], { okCodes: [1, 128] });
  if (head.exitCode !== 0) return 'current';
  const index = await git(env, ['write-tree'], { okCodes: [128] });
  if (index.exitCode !== 0) return 'current'; // unmerged entries: a conflict somebody is resolving there
  const [headTree, indexTree] = [head.stdout.trim(), index.stdout.trim()];
  if (headTree === indexTree) return 'current';
  // the trees the branch, and this checkout's HEAD, pointed at before
  const trees = new Set<string>();
  for (const ref of [`refs/heads/${branch}`, 'HEAD']) {
    const r = await git(env, ['log', '--walk-reflogs', '-n', '200', '--format=%T', ref, '--'], { okCodes: [128] });
    if (r.exitCode === 0) for (const t of r.stdout.split('\n')) trees.add(t.trim());
  }
  if (!trees.has(indexTree)) return 'current';
  const r = await git(env, ['read-tree', '-m', '-u', indexTree, 'HEAD'], { okCodes: [128] });
  return r.exitCode === 0 ? 'updated' : 'clash';
}

export interface HalfWrittenEntry {
  /** git's folder for the worktree, $GIT_COMMON_DIR/worktrees/<name> */
  dir: string;
  /** what its gitdir file names (the worktree's .git), when it got that far */
  gitdir: string | null;
}

/**
 * The worktree entries a `git worktree add` killed part way left without its
 * commondir, gitdir or HEAD: git reads no worktree of the repository while
 * one is there ("failed to read .../commondir"), and `git worktree prune`
 * leaves it.
 */
export function halfWrittenEntries(repo: Repo): HalfWrittenEntry[] {
  const root = join(repo.commonDir, 'worktrees');
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const read = (path: string): string | null => {
    try {
      return readFileSync(path, 'utf8').trim() || null;
    } catch {
      return null;
    }
  };
  const out: HalfWrittenEntry[] = [];
  for (const name of names.sort()) {
    const dir = join(root, name);
    if (['commondir', 'gitdir', 'HEAD'].some((f) => read(join(dir, f)) === null))
      out.push({ dir, gitdir: read(join(dir, 'gitdir')) });
  }
  return out;
}

/** Removes a worktree entry git cannot read (see halfWrittenEntries); its checkout folder is the caller's. */
export function removeWorktreeEntry(entry: HalfWrittenEntry): void {
  rmSync(entry.dir, { recursive: true, force: true });
}
