// Claims across machines: with a shared remote, a claim counts only once it
// is on the remote. The claim is made here first (a compare-and-swap on our
// ref, as ever), then synced; if the remote held a conflicting claim, the
// replay leaves ours out and the claimer is told who holds the bead.

import { ConflictError, SaseError } from '../../core/errors.ts';
import { readBeads } from '../../store/beads.ts';
import type { Store } from '../../store/store.ts';
import { sync } from './sync.ts';

/**
 * Makes the claim in `commit` (of `ids`) count on `remote`: syncs, and throws
 * ConflictError naming the holders when the remote had them claimed first (our
 * claim is then gone from our state too). When the remote cannot be reached,
 * `undo` takes our claim back before the error goes on: a claim that is not on
 * the remote is no claim.
 */
export async function confirmClaim(
  store: Store,
  remote: string,
  commit: string,
  ids: readonly string[],
  undo: () => Promise<void>,
): Promise<void> {
  let report: Awaited<ReturnType<typeof sync>>;
  try {
    report = await sync(store, { remote, push: true, dryRun: false });
  } catch (err) {
    if (err instanceof SaseError) await undo();
    throw err;
  }
  if (!report.leftOut.some((l) => l.commit === commit)) return;
  const holders = await readBeads(await store.snapshot(), [...ids]);
  const said = holders.map((b) => `'${b.id}' (${b.assignee ? `held by '${b.assignee}'` : b.status})`).join(', ');
  throw new ConflictError(`remote '${remote}' had it claimed first: ${said}; our claim was dropped`);
}
