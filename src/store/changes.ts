// ChangeSpecs in the state ref: reading one or all, and committing a change's
// new text (with any files beside it, like hook logs) as one operation.
// A change operation records what was asked (cs.new, cs.set, ...) and the
// paths it wrote; its content is the commit's own, as for sdd.put.

import {
  CHANGES_DIR,
  type ChangeSpec,
  changePath,
  nameFromPath,
  parseChangeSpec,
  serializeChangeSpec,
} from '../core/changes/spec.ts';
import { checkIdentity, NotFoundError, withHint } from '../core/errors.ts';
import type { Op } from '../core/oplog.ts';
import { uniqueByIdPrefix } from '../core/records.ts';
import type { FileChange } from '../core/sdd/ops.ts';
import { relationsAt } from './bead-cache.ts';
import { SnapshotBeadReader, stateChangesToTree } from './beads.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';

/** A change as stored, or null. */
export async function readChange(snap: Snapshot, name: string): Promise<ChangeSpec | null> {
  const path = changePath(name);
  const text = await snap.readText(path);
  if (text === null) return null;
  const c = parseChangeSpec(text, path);
  checkIdentity(path, c.name, name);
  return c;
}

/** A change as stored; not found (4) otherwise. */
export async function mustReadChange(snap: Snapshot, name: string): Promise<ChangeSpec> {
  const c = await readChange(snap, name);
  if (!c) throw withHint(new NotFoundError(`no change '${name}'`), "try 'sase cs list'");
  return c;
}

/**
 * The change a person named: its name, else the one stored name it is a
 * prefix of (as a bead's short form names a bead); several are ambiguous
 * (129, naming them). A name that matches none is returned as given, for
 * the command to report as not found (or to create).
 */
export async function resolveChangeName(snap: Snapshot, input: string): Promise<string> {
  const names = await changeNames(snap);
  if (names.has(input)) return input;
  const hit = uniqueByIdPrefix(
    [...names].sort().map((id) => ({ id })),
    input,
  );
  return hit?.id ?? input;
}

/** The names of the stored changes (their files, not parsed). */
export async function changeNames(snap: Snapshot): Promise<Set<string>> {
  const entries = (await snap.tree(CHANGES_DIR)) ?? [];
  return new Set(
    entries
      .filter((e) => e.mode !== '40000')
      .map((e) => nameFromPath(`${CHANGES_DIR}/${e.name}`))
      .filter((n): n is string => n !== null),
  );
}

/** Every stored change, by name. */
export async function listChanges(snap: Snapshot): Promise<ChangeSpec[]> {
  const entries = (await snap.tree(CHANGES_DIR)) ?? [];
  const names = entries
    .filter((e) => e.mode !== '40000')
    .map((e) => nameFromPath(`${CHANGES_DIR}/${e.name}`))
    .filter((n): n is string => n !== null);
  const out = await Promise.all(names.map((n) => readChange(snap, n)));
  return out.filter((c): c is ChangeSpec => c !== null).sort((a, b) => (a.name < b.name ? -1 : 1));
}

export interface ChangeWrite<T> {
  /** the operation's name and arguments, e.g. {op: 'cs.set', status: 'Ready'} */
  op: Op | null;
  /** the changes' new texts (null deletes); other files beside them */
  changes?: ChangeSpec[];
  files?: FileChange[];
  result: T;
}

/**
 * Builds a change operation on the current state and commits it; rebuilt on
 * every retry, so a lost race is decided on the winner's state. No op, or no
 * difference from what is stored, commits nothing.
 */
export async function commitChange<T>(
  store: Store,
  at: string,
  build: (snap: Snapshot, reader: SnapshotBeadReader) => Promise<ChangeWrite<T>>,
): Promise<{ result: T; commit: string | null }> {
  const actor = (await store.ident()).email;
  return store.transact(async (snap) => {
    const reader = new SnapshotBeadReader(snap, async () => relationsAt(store, snap.tip));
    const built = await build(snap, reader);
    const files: FileChange[] = [
      ...(built.changes ?? []).map((c) => ({ path: changePath(c.name), text: serializeChangeSpec(c) })),
      ...(built.files ?? []),
    ];
    const changed: FileChange[] = [];
    for (const f of files) if ((await snap.readText(f.path)) !== f.text) changed.push(f);
    if (!built.op || changed.length === 0)
      return { op: { op: 'none' }, summary: '', changes: new Map(), result: built.result };
    const op = { ...built.op, paths: changed.map((f) => f.path), at, actor };
    const names = (built.changes ?? []).map((c) => c.name);
    return {
      op,
      summary: `${built.op.op.replace('.', ' ')} ${names.join(' ')}`.trim(),
      changes: stateChangesToTree([], changed),
      result: built.result,
    };
  });
}
