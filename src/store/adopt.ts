// Taking a remote's state as this clone's own (sase init in a clone): the
// state ref, which must not exist yet, set to the commit fetched from the
// remote, and the notes ref too when this clone has none, in one ref
// transaction with reflogs. The remote's state is checked to be sase's (a
// commit, its VERSION, its settings) before anything moves.
import { type RefUpdate, readRef, updateRefs } from '../git/repo.ts';
import { readSettings } from './settings.ts';
import { NOTES_REF, STATE_REF, type Store } from './store.ts';

export interface AdoptFrom {
  /** the remote's state commit, fetched */
  state: string;
  /** the remote's notes commit, fetched, or null */
  notes: string | null;
}

/**
 * Sets the state ref (and the notes, when there are none here) to `from`.
 * Fatal when `from.state` is no sase state; a RefConflictError when the state
 * ref (or the notes ref) appeared meanwhile: nothing moved then.
 */
export async function adoptState(store: Store, from: AdoptFrom, message: string): Promise<void> {
  const snap = store.snapshotAt(from.state);
  await store.checkState(snap);
  await readSettings(snap);
  const updates: RefUpdate[] = [{ ref: STATE_REF, newOid: from.state, oldOid: null }];
  const notes = from.notes !== null && (await readRef(store.repo, NOTES_REF)) === null;
  if (notes) updates.push({ ref: NOTES_REF, newOid: from.notes, oldOid: null });
  await updateRefs(store.repo, updates, message);
}
