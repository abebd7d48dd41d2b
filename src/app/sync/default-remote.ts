// Which remote holds the state a clone shares, when none is named: [sync]
// remote in the configuration, else the remote of the current branch's
// upstream, else origin, else the only remote. Null when there is no remote,
// or several and nothing picks one.
import { listRemotes, upstreamRemote } from '../../git/config.ts';
import type { Repo } from '../../git/repo.ts';

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
