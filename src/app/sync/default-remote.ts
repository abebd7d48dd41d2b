// Which remote holds the state a clone shares, when none is named: [sync]
// remote in the configuration, else the remote of the current branch's
// upstream, else origin, else the only remote. Null when there is no remote,
// or several and nothing picks one.
import { syncConfig } from '../../core/config.ts';
import { FatalError, withHint } from '../../core/errors.ts';
import { listRemotes, upstreamRemote } from '../../git/config.ts';
import type { Repo } from '../../git/repo.ts';
import { loadConfig } from '../config/config.ts';

export interface DefaultRemote {
  /** the remote chosen, or null */
  remote: string | null;
  /** every remote the repository has */
  remotes: string[];
}

export async function defaultRemote(repo: Repo, configured: string | null): Promise<DefaultRemote> {
  const remotes = await listRemotes(repo);
  if (configured) return { remote: configured, remotes };
  if (remotes.length < 2) return { remote: remotes[0] ?? null, remotes };
  const upstream = await upstreamRemote(repo);
  if (upstream && remotes.includes(upstream)) return { remote: upstream, remotes };
  if (remotes.includes('origin')) return { remote: 'origin', remotes };
  return { remote: null, remotes };
}

/**
 * The remote a sync (or a remote claim) talks to: the one named, else the
 * default (`[sync] remote`, else the upstream's, else origin, else the only
 * one: defaultRemote); a fatal error when there is none to pick.
 */
export async function syncRemote(repo: Repo, named: string | undefined): Promise<string> {
  if (named) return named;
  const { remote, remotes } = await defaultRemote(repo, syncConfig(await loadConfig(repo)).remote);
  if (remote) return remote;
  throw withHint(
    new FatalError(
      remotes.length ? 'which remote? this repository has several and none is the default' : 'no remote to sync with',
    ),
    remotes.length
      ? `name one (sase sync <remote>) or set [sync] remote in .sase/config.toml; remotes: ${remotes.join(', ')}`
      : 'add one: git remote add origin <url>',
  );
}
