// git's own configuration: remotes and their fetch refspecs, and who is acting.
import { FatalError, withHint } from '../core/errors.ts';
import { git } from './exec.ts';
import type { Identity } from './objects.ts';
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

/**
 * Who is acting, as git would sign a commit: GIT_AUTHOR_NAME/EMAIL, else what
 * `git var GIT_AUTHOR_IDENT` says (user.name/user.email, EMAIL, ...). With
 * no identity git refuses to commit, and so does every write of sase: a
 * stand-in name would make the claims of different people look like one.
 */
export async function authorIdentity(repo: Repo): Promise<Identity> {
  const name = repo.env.GIT_AUTHOR_NAME;
  const email = repo.env.GIT_AUTHOR_EMAIL;
  if (name && email) return { name, email };
  const res = await git(repo, ['var', 'GIT_AUTHOR_IDENT'], { okCodes: [128, 1] });
  const m = /^(.*) <(.*)> \d+ [+-]\d{4}$/.exec(res.stdout.trim());
  if (res.exitCode === 0 && m && m[2]) return { name: m[1] || m[2], email: m[2] };
  throw noIdentity();
}

/** git's refusal, as `git commit` words it, with its two ways out. */
export function noIdentity(): FatalError {
  return withHint(
    new FatalError('author identity unknown: please tell me who you are'),
    'git config --global user.email "you@example.com"\ngit config --global user.name "Your Name"',
  );
}
