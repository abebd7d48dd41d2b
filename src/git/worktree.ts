// Temporary worktrees: a detached checkout of one commit under
// $GIT_COMMON_DIR/sase/worktrees/, for running a hook away from the user's
// own work tree, HEAD and branches; removed by force however it was left.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GitEnv } from './exec.ts';
import { git } from './exec.ts';
import type { Repo } from './repo.ts';
import { localPath } from './repo.ts';

/** How git finds a repository: commands (and hooks) run in a worktree must find the worktree's own. */
export const GIT_LOCATION_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_PREFIX',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
];

/** An environment without git's location variables (and without unset ones), so git finds the checkout it runs in. */
export function unlocatedEnv(base: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !GIT_LOCATION_ENV.includes(k)) out[k] = v;
  return out;
}

/** The environment for git commands (or anything that runs git) inside the checkout at `dir`. */
export function worktreeEnv(repo: GitEnv, dir: string): GitEnv {
  return { cwd: dir, env: unlocatedEnv(repo.env) };
}

export function worktreesDir(repo: Repo): string {
  return localPath(repo, 'worktrees');
}

/**
 * Checks `commit` out, detached, in a new directory named after `label`
 * (letters, digits, '_' and '-'); returns its path. The repository's own
 * hooks do not run for it (core.hooksPath is pointed at nothing).
 */
export async function addTempWorktree(repo: Repo, commit: string, label: string): Promise<string> {
  const safe = label.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  mkdirSync(worktreesDir(repo), { recursive: true });
  // a new empty folder of its own, which git worktree add fills
  const dir = mkdtempSync(join(worktreesDir(repo), `${safe}-`));
  try {
    await git(repo, ['-c', 'core.hooksPath=/dev/null', 'worktree', 'add', '--detach', '--quiet', '--', dir, commit]);
  } catch (err) {
    await removeTempWorktree(repo, dir);
    throw err;
  }
  return dir;
}

/**
 * Removes a temporary worktree whatever state its hook left it in (files
 * changed, the directory deleted or made unreadable): `git worktree remove
 * --force`, the directory deleted, then `git worktree prune`. Never throws;
 * returns what could not be cleaned, if anything.
 */
export async function removeTempWorktree(repo: Repo, dir: string): Promise<string | null> {
  let problem: string | null = null;
  await git(repo, ['worktree', 'remove', '--force', '--force', '--', dir], { okCodes: [1, 128] }).catch(() => {});
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch (err) {
    problem = `cannot remove '${dir}': ${(err as Error).message}`;
  }
  await git(repo, ['worktree', 'prune'], { okCodes: [1, 128] }).catch((err: Error) => {
    problem ??= `git worktree prune failed: ${err.message}`;
  });
  return problem;
}
