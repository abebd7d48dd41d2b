// git's own configuration: remotes and their fetch refspecs.
import { git } from './exec.ts';
import type { Repo } from './repo.ts';

export async function listRemotes(repo: Repo): Promise<string[]> {
  return (await git(repo, ['remote'])).stdout.split('\n').filter(Boolean);
}

export async function configValues(repo: Repo, key: string): Promise<string[]> {
  const res = await git(repo, ['config', '--get-all', key], { okCodes: [1] });
  return res.stdout.split('\n').filter(Boolean);
}

/** Adds a value to a multi-valued key unless it is there already; true when added. */
export async function addConfigValue(repo: Repo, key: string, value: string): Promise<boolean> {
  if ((await configValues(repo, key)).includes(value)) return false;
  await git(repo, ['config', '--add', key, value]);
  return true;
}

/** The remote the current branch's upstream is on, or null (detached, no upstream, or a local upstream '.'). */
export async function upstreamRemote(repo: Repo): Promise<string | null> {
  const head = await git(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { okCodes: [1, 128] });
  const branch = head.exitCode === 0 ? head.stdout.trim() : '';
  if (!branch) return null;
  const [remote] = await configValues(repo, `branch.${branch}.remote`);
  return remote && remote !== '.' ? remote : null;
}
