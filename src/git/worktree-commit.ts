// Committing everything in a work tree, as an agent does at the end of a step:
// `git add -A` then `git commit`, in the folder given (the agent's workspace).

import type { GitEnv } from './exec.ts';
import { git } from './exec.ts';

/**
 * Stages every change under `ctx.cwd` and commits it with `message`; returns
 * the new commit's id, or null when there was nothing to commit.
 */
export async function commitWorkTree(ctx: GitEnv, message: string): Promise<string | null> {
  await git(ctx, ['add', '-A', '--', '.']);
  const staged = await git(ctx, ['diff', '--cached', '--quiet'], { okCodes: [1] });
  if (staged.exitCode === 0) return null;
  await git(ctx, ['commit', '--quiet', '-F', '-'], { input: message.endsWith('\n') ? message : message + '\n' });
  return (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
}
