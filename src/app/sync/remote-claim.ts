// Claims across machines: with a shared remote, a claim counts only once it
// is on the remote. The claim is made here first (a compare-and-swap on our
// ref, as ever), then synced; if the remote held a conflicting claim, the
// replay leaves ours out and the claimer is told who holds the bead. The sync
// runs as sase-sync, a process of its own: a claim's own bundle (sase bead
// claim starts often) stays free of the sync's code.

import { ConflictError, FatalError } from '../../core/errors.ts';
import { runOwnCommand } from '../../proc/own-command.ts';
import { readBeads } from '../../store/beads.ts';
import type { Store } from '../../store/store.ts';

/**
 * Makes the claim in `commit` (of `ids`) count on `remote` (null: the one sase
 * sync picks): syncs, and throws
 * ConflictError naming the holders when the remote had them claimed first (our
 * claim is then gone from our state too). When the sync fails (the remote
 * cannot be reached), `undo` takes our claim back before the error goes on: a
 * claim that is not on the remote is no claim.
 */
export async function confirmClaim(
  store: Store,
  remote: string | null,
  commit: string,
  ids: readonly string[],
  undo: () => Promise<void>,
): Promise<void> {
  const cwd = store.repo.topLevel ?? store.repo.gitDir;
  const args = ['--json', ...(remote ? ['--', remote] : [])];
  const r = await runOwnCommand('sase-sync', args, cwd, store.repo.env, { stdout: true });
  const report = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind?: string; remote?: string; left_out?: Array<{ commit: string }> })
    .find((x) => x.kind === 'sync');
  if (!report) {
    await undo();
    const said = r.stderr.split('\n').find((l) => l.startsWith('fatal: ') || l.startsWith('error: '));
    throw new FatalError(said ? said.replace(/^(fatal|error): /, '') : `sase sync exited ${r.code}`);
  }
  if (!report.left_out?.some((l) => l.commit === commit)) return;
  const holders = await readBeads(await store.snapshot(), [...ids]);
  const said = holders.map((b) => `'${b.id}' (${b.assignee ? `held by '${b.assignee}'` : b.status})`).join(', ');
  throw new ConflictError(`remote '${report.remote}' had it claimed first: ${said}; our claim was dropped`);
}
