// Turns a set of path changes on top of a snapshot into a new root tree,
// rewriting only the directories on the changed paths.
import { hashObject, loadHashing, serializeTree, sortTreeEntries, type NewObject, type TreeEntry } from '../git/objects.ts';
import type { Snapshot } from './snapshot.ts';

/** path -> new content, or null to delete */
export type Changes = Map<string, Buffer | null>;

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export interface ChangedTree {
  root: string;
  /** the objects (blobs, trees) to write for it */
  objects: NewObject[];
  /** the new listing of every directory on a changed path ('' is the root), with its id; a directory left empty is gone */
  trees: Map<string, { oid: string; entries: TreeEntry[] }>;
}

/** The new root tree and what it is made of; nothing is written here. */
export async function buildChangedTree(snap: Snapshot, changes: Changes): Promise<ChangedTree> {
  await loadHashing();
  const paths = [...changes.keys()];
  const contents = paths.map((p) => changes.get(p)).filter((c): c is Buffer => c !== null);
  const blobOids = contents.map((c) => hashObject(snap.repo, 'blob', c));
  const newBlob = new Map<string, string>();
  let k = 0;
  for (const p of paths) if (changes.get(p) !== null) newBlob.set(p, blobOids[k++]!);

  // every directory on a changed path, deepest first
  const dirs = new Set<string>(['']);
  for (const p of paths) for (let d = parentOf(p); d !== ''; d = parentOf(d)) dirs.add(d);
  const depth = (d: string) => (d === '' ? 0 : d.split('/').length);
  const ordered = [...dirs].sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
  if (ordered[ordered.length - 1] !== '') throw new Error('BUG: root must be last');

  const entries = new Map<string, Map<string, TreeEntry>>();
  await Promise.all(
    ordered.map(async (d) => {
      const current = await snap.tree(d);
      entries.set(d, new Map((current ?? []).map((e) => [e.name, e])));
    }),
  );
  for (const p of paths) {
    const dir = entries.get(parentOf(p))!;
    const oid = newBlob.get(p);
    if (oid) dir.set(baseName(p), { mode: '100644', name: baseName(p), oid });
    else dir.delete(baseName(p));
  }
  const treeData: Buffer[] = [];
  const trees: ChangedTree['trees'] = new Map();
  // compute ids deepest first so each parent can name its (possibly empty) child
  let rootOid = '';
  for (const d of ordered) {
    const list = sortTreeEntries([...entries.get(d)!.values()]);
    if (d !== '') {
      const parent = entries.get(parentOf(d))!;
      if (list.length === 0) {
        parent.delete(baseName(d));
        continue;
      }
      const data = serializeTree(list);
      treeData.push(data);
      const oid = hashObject(snap.repo, 'tree', data);
      trees.set(d, { oid, entries: list });
      parent.set(baseName(d), { mode: '40000', name: baseName(d), oid });
    } else {
      const data = serializeTree(list);
      treeData.push(data);
      rootOid = hashObject(snap.repo, 'tree', data);
      trees.set(d, { oid: rootOid, entries: list });
    }
  }
  const objects: NewObject[] = [...contents.map((data) => ({ type: 'blob' as const, data })), ...treeData.map((data) => ({ type: 'tree' as const, data }))];
  return { root: rootOid, objects, trees };
}
