// Throw-away repositories for the demo.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdirOf } from '../../core/tmpdir.ts';
import { commitFilesOnBranch } from '../../git/branches.ts';
import { type GitEnv, git } from '../../git/exec.ts';
import { initRepository, openRepo } from '../../git/repo.ts';

export async function makeScratchRepo(ctx: GitEnv, name: string): Promise<{ dir: string; remove(): void }> {
  const base = mkdtempSync(join(tmpdirOf(ctx.env), 'sase-demo-'));
  const dir = join(base, name);
  await initRepository(ctx, dir);
  // the example agent commits with git commit: no signing prompt in a throw-away repository
  await git({ ...ctx, cwd: dir }, ['config', 'commit.gpgsign', 'false']);
  return { dir, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** Commits files on a branch of a scratch repository (the demo's own "work"). */
export async function commitInScratch(
  ctx: GitEnv,
  branch: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  return commitFilesOnBranch(await openRepo(ctx), branch, files, message);
}

/** What a read-only git command prints in a scratch repository (the demo shows `git log --notes=sase`). */
export async function gitInScratch(ctx: GitEnv, args: string[]): Promise<string> {
  return (await git(ctx, args)).stdout;
}
