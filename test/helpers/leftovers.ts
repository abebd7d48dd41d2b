// What killed commands leave behind, made by hand: a workspace whose `sase ws
// new` was killed (its registry entry still marked as being created by a
// process that is gone, with or without its half-made worktree and branch),
// and a registry lock whose holder is gone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRepo } from './gitdir.ts';

/** The id of a process that has ended. */
export function deadPid(): number {
  return spawnSync('true').pid!;
}

export const registryFile = (repo: TestRepo) => join(repo.dir, '.git', 'sase', 'workspaces.json');

export function readRegistry(repo: TestRepo): { v: 1; workspaces: any[] } {
  try {
    return JSON.parse(readFileSync(registryFile(repo), 'utf8'));
  } catch {
    return { v: 1, workspaces: [] };
  }
}

/**
 * Workspace #n as a `sase ws new` killed while making it leaves it: its
 * registry entry marked as being created by a process that is gone, and,
 * as far as the kill let it get, its branch sase/ws/<n> (`branch`) and its
 * worktree (`worktree`: 'whole', or 'half': git's own lock 'initializing'
 * still on it and most of the checkout missing).
 */
export function interruptedWorkspace(
  repo: TestRepo,
  n: number,
  opts: { branch?: boolean; worktree?: 'whole' | 'half' | 'entry-only' | null; pid?: number; run?: string } = {},
): { path: string; branch: string; pid: number } {
  const path = join(repo.dir, '.git', 'sase', 'workspaces', String(n));
  const branch = `sase/ws/${n}`;
  const pid = opts.pid ?? deadPid();
  const base = repo.git('rev-parse', 'HEAD').trim();
  const reg = readRegistry(repo);
  reg.workspaces.push({
    n,
    path,
    branch,
    base,
    run: opts.run ?? null,
    state: opts.run ? 'busy' : 'free',
    created_at: '2026-01-01T00:00:00Z',
    source: 'new',
    ref: null,
    own_branch: true,
    creating: { pid, at: Date.now() },
  });
  mkdirSync(join(repo.dir, '.git', 'sase'), { recursive: true });
  writeFileSync(registryFile(repo), `${JSON.stringify(reg, null, 1)}\n`);
  const worktree = opts.worktree ?? null;
  if (worktree) {
    repo.git('worktree', 'add', '--quiet', '-b', branch, path, base);
    if (worktree === 'entry-only') {
      // git killed inside 'worktree add': its entry made, its commondir not yet written
      writeFileSync(join(repo.dir, '.git', 'worktrees', String(n), 'commondir'), '');
      rmSync(path, { recursive: true, force: true });
    }
    if (worktree === 'half') {
      repo.git('worktree', 'lock', '--reason', 'initializing', path);
      for (const f of readdirSync(path)) if (f !== '.git') rmSync(join(path, f), { recursive: true, force: true });
      rmSync(join(repo.dir, '.git', 'worktrees', String(n), 'index'), { force: true });
    }
  } else if (opts.branch) repo.git('branch', branch, base);
  return { path, branch, pid };
}

/** The registry lock as a holder killed while it held it leaves it; returns its path. */
export function staleRegistryLock(repo: TestRepo, pid = deadPid()): string {
  const lock = `${registryFile(repo)}.lock`;
  mkdirSync(join(repo.dir, '.git', 'sase'), { recursive: true });
  writeFileSync(lock, `${pid}\n`);
  return lock;
}
