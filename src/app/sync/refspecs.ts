// Making plain `git fetch` carry sase's refs: clones do not copy custom refs
// or notes, so each remote gets wildcard refspecs that never fail while the
// remote has no sase data yet.

import { remoteRefspecs } from '../../core/sync/refspecs.ts';
import { addConfigValue, listRemotes } from '../../git/config.ts';
import type { Repo } from '../../git/repo.ts';

export async function addRemoteRefspecs(repo: Repo): Promise<string[]> {
  const added: string[] = [];
  for (const remote of await listRemotes(repo)) {
    for (const spec of remoteRefspecs(remote))
      if (await addConfigValue(repo, `remote.${remote}.fetch`, spec)) added.push(`${remote}: ${spec}`);
  }
  return added;
}
