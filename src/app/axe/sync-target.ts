// Whether the Axe syncs this repository, and with which remote: only when a
// person said so ([sync] remote, or [sync] auto = true with the remote sase
// sync would pick). A repository that never chose to share its state is never
// pushed by a tick. When it syncs, the Axe's claims are remote claims.
import { syncConfig } from '../../core/config.ts';
import type { Repo } from '../../git/repo.ts';
import { loadConfig } from '../config/config.ts';
import { syncRemote } from '../sync/default-remote.ts';

export async function axeSyncRemote(repo: Repo): Promise<string | null> {
  const sync = syncConfig(await loadConfig(repo));
  if (sync.remote) return sync.remote;
  if (!sync.auto) return null;
  try {
    return await syncRemote(repo, undefined);
  } catch {
    return null;
  }
}
