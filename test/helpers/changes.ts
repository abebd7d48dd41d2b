// Changes for tests: a code commit on a change's branch, and the stored text.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestRepo } from './gitdir.ts';

/**
 * Commits files on a branch without touching the work tree or HEAD
 * (through a temporary index), and moves the branch; returns the commit.
 */
export function commitOn(
  repo: TestRepo,
  branch: string,
  files: Record<string, string | null>,
  message: string,
): string {
  const index = join(repo.dir, '.git', `test-index-${Math.random().toString(36).slice(2)}`);
  const env = { ...repo.env, GIT_INDEX_FILE: index };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, env, encoding: 'utf8' }).trim();
  const parent = git('rev-parse', `refs/heads/${branch}`);
  git('read-tree', parent);
  for (const [path, content] of Object.entries(files)) {
    if (content === null) git('update-index', '--force-remove', path);
    else {
      const tmp = join(repo.dir, '.git', 'test-blob');
      mkdirSync(dirname(tmp), { recursive: true });
      writeFileSync(tmp, content);
      const blob = git('hash-object', '-w', tmp);
      git('update-index', '--add', '--cacheinfo', `100644,${blob},${path}`);
    }
  }
  const tree = git('write-tree');
  const commit = git('commit-tree', tree, '-p', parent, '-m', message);
  git('update-ref', `refs/heads/${branch}`, commit, parent);
  return commit;
}

/** The stored text of a change, or null. */
export function storedChange(repo: TestRepo, name: string): string | null {
  if (!repo.git('ls-tree', 'refs/sase/state', `changes/${name}.cs`).trim()) return null;
  return repo.git('show', `refs/sase/state:changes/${name}.cs`);
}
