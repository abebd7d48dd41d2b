// Turns a set of path changes on top of a snapshot into a new root tree,
// rewriting only the directories on the changed paths.
import {
  hashObject,
  loadHashing,
  type NewObject,
  parseTree,
  serializeTree,
  sortTreeEntries,
  type TreeEntry,
} from '../git/objects.ts';
import type { Snapshot } from './snapshot.ts';

/** path -> new content, or null to delete */
export type Changes = Map<string, Buffer | null>;

export interface NewTree {
  oid: string;
  /** the new listing, or for a directory patched in place (see Snapshot.rawTree), its bytes and the entries it changed */
  entries?: TreeEntry[];
  raw?: Buffer;
  patched?: TreeEntry[];
}

export interface ChangedTree {
  root: string;
  /** the objects (blobs, trees) to write for it */
  objects: NewObject[];
  /** every directory on a changed path ('' is the root) as it is now; a directory left empty is gone */
  trees: Map<string, NewTree>;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

interface Dir {
  /** the listing, by name; absent while the directory is only known as bytes */
  entries?: Map<string, TreeEntry>;
  raw?: Buffer;
  /** changes to a directory known as bytes: name -> new entry, or null to remove */
  patches: Map<string, TreeEntry | null>;
}

/**
 * A tree's bytes with the given subdirectories pointing at new trees, without
 * listing it (a beads/ listing has a thousand entries): null when a change is
 * not a subdirectory that is already there, for the caller to list the tree.
 */
function patchTree(raw: Buffer, patches: Map<string, TreeEntry | null>, oidBytes: number): Buffer | null {
  const out = Buffer.from(raw);
  for (const [name, e] of patches) {
    if (e?.mode !== '40000') return null;
    const head = Buffer.from(`40000 ${name}\0`);
    const at = out.indexOf(head);
    if (at < 0) return null;
    // the match must start an entry, not lie inside an id: walk the entries to it
    let pos = 0;
    while (pos < at) pos = out.indexOf(0, pos) + 1 + oidBytes;
    if (pos !== at) return null;
    out.write(e.oid, at + head.length, 'hex');
  }
  return out;
}

/** The new root tree and what it is made of; nothing is written here. */
export async function buildChangedTree(
  snap: Snapshot,
  changes: Changes,
  /** blob ids already known, by path */
  hashed?: Map<string, string>,
): Promise<ChangedTree> {
  await loadHashing();
  const oidBytes = snap.repo.objectFormat === 'sha256' ? 32 : 20;
  const paths = [...changes.keys()];
  const contents: Buffer[] = [];
  const newBlob = new Map<string, string>();
  for (const p of paths) {
    const c = changes.get(p);
    if (!c) continue;
    contents.push(c);
    newBlob.set(p, hashed?.get(p) ?? hashObject(snap.repo, 'blob', c));
  }

  // every directory on a changed path, deepest first
  const dirNames = new Set<string>(['']);
  for (const p of paths) for (let d = parentOf(p); d !== ''; d = parentOf(d)) dirNames.add(d);
  const depth = (d: string) => (d === '' ? 0 : d.split('/').length);
  const ordered = [...dirNames].sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
  if (ordered[ordered.length - 1] !== '') throw new Error('BUG: root must be last');

  const dirs = new Map<string, Dir>();
  await Promise.all(
    ordered.map(async (d) => {
      const raw = snap.rawTree(d);
      if (raw) dirs.set(d, { raw, patches: new Map() });
      else dirs.set(d, { entries: new Map(((await snap.tree(d)) ?? []).map((e) => [e.name, e])), patches: new Map() });
    }),
  );
  const put = (dir: Dir, name: string, e: TreeEntry | null) => {
    if (!dir.entries) dir.patches.set(name, e);
    else if (e) dir.entries.set(name, e);
    else dir.entries.delete(name);
  };
  for (const p of paths) {
    const oid = newBlob.get(p);
    put(dirs.get(parentOf(p))!, baseName(p), oid ? { mode: '100644', name: baseName(p), oid } : null);
  }
  const treeData: Buffer[] = [];
  const trees: ChangedTree['trees'] = new Map();
  // compute ids deepest first so each parent can name its (possibly empty) child
  let rootOid = '';
  for (const d of ordered) {
    const dir = dirs.get(d)!;
    let data: Buffer | null = null;
    let tree: Omit<NewTree, 'oid'>;
    if (dir.raw) {
      data = patchTree(dir.raw, dir.patches, oidBytes);
      if (data) tree = { raw: data, patched: [...dir.patches.values()] as TreeEntry[] };
      else {
        // not a patch in place: list it
        dir.entries = new Map(parseTree(dir.raw, oidBytes).map((e) => [e.name, e]));
        for (const [name, e] of dir.patches) put(dir, name, e);
      }
    }
    let list: TreeEntry[] = [];
    if (!data) {
      list = sortTreeEntries([...dir.entries!.values()]);
      tree = { entries: list };
    }
    if (d !== '' && !data && list.length === 0) {
      put(dirs.get(parentOf(d))!, baseName(d), null);
      continue;
    }
    data ??= serializeTree(list);
    treeData.push(data);
    const oid = hashObject(snap.repo, 'tree', data);
    trees.set(d, { oid, ...tree! });
    if (d !== '') put(dirs.get(parentOf(d))!, baseName(d), { mode: '40000', name: baseName(d), oid });
    else rootOid = oid;
  }
  const objects: NewObject[] = [
    ...contents.map((data) => ({ type: 'blob' as const, data })),
    ...treeData.map((data) => ({ type: 'tree' as const, data })),
  ];
  return { root: rootOid, objects, trees };
}
