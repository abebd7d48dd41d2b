// Which git is installed: `git --version`, read as numbers for comparing.
import { type GitEnv, GitMissingError, git } from './exec.ts';

export interface GitVersion {
  /** what git printed: 'git version 2.43.0' */
  text: string;
  /** [major, minor, patch] */
  parts: [number, number, number];
}

/** The installed git's version, or null when git is not on PATH. */
export async function gitVersion(ctx: GitEnv): Promise<GitVersion | null> {
  let out: string;
  try {
    out = (await git(ctx, ['--version'])).stdout.trim();
  } catch (err) {
    if (err instanceof GitMissingError || (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(out);
  return { text: out, parts: m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0] };
}
