// Keeps excerpts/<shard> (FORMATS.md, "Bead excerpts") in step with the
// records a write changes: every write that touches beads/<shard> rewrites
// the shard's excerpts in the same commit, naming the shard's new tree. The
// lines of records left alone are taken from the old file when it names the
// shard's old tree; otherwise (a shard an older sase wrote) the shard's
// records are read once and the file made whole again.
import { EXCERPTS_DIR, excerptLine, excerptLines, excerptsFile, excerptsTree } from '../core/beads/excerpts.ts';
import { BEADS_DIR, idFromPath, parseStoredBead } from '../core/beads/model.ts';
import { hashObject, loadHashing, serializeTree, sortTreeEntries, type TreeEntry } from '../git/objects.ts';
import type { Snapshot } from './snapshot.ts';
import type { Changes } from './tree-writer.ts';

/**
 * Adds to `changes` the excerpts of every shard whose records it changes;
 * returns the blob id of each record it hashed, by path (the tree writer
 * need not hash them again).
 */
export async function addExcerpts(snap: Snapshot, changes: Changes): Promise<Map<string, string>> {
  const byShard = new Map<string, Map<string, Buffer | null>>();
  for (const [path, data] of changes) {
    if (!path.startsWith(`${BEADS_DIR}/`)) continue;
    const parts = path.split('/');
    if (parts.length !== 3) continue;
    let shard = byShard.get(parts[1]!);
    if (!shard) byShard.set(parts[1]!, (shard = new Map()));
    shard.set(parts[2]!, data);
  }
  const hashed = new Map<string, string>();
  if (!byShard.size) return hashed;
  await loadHashing();
  await Promise.all(
    [...byShard].map(async ([shard, touched]) => {
      const path = `${EXCERPTS_DIR}/${shard}`;
      const body = await shardExcerpts(snap, shard, touched, hashed);
      if (body !== null) changes.set(path, Buffer.from(body));
      else if (await snap.blobId(path)) changes.set(path, null);
    }),
  );
  return hashed;
}

/** The shard's new excerpts file, or null when it has no records left or one that does not read as a bead. */
async function shardExcerpts(
  snap: Snapshot,
  shard: string,
  touched: Map<string, Buffer | null>,
  hashed: Map<string, string>,
): Promise<string | null> {
  const dir = `${BEADS_DIR}/${shard}`;
  const oldTree = (await snap.entry(BEADS_DIR, shard))?.oid ?? null;
  const entries = new Map<string, TreeEntry>(((oldTree && (await snap.tree(dir))) || []).map((e) => [e.name, e]));
  const lines = new Map<string, string>();
  try {
    for (const [name, data] of touched) {
      if (data === null) {
        entries.delete(name);
        continue;
      }
      const oid = hashObject(snap.repo, 'blob', data);
      hashed.set(`${dir}/${name}`, oid);
      entries.set(name, { mode: '100644', name, oid });
      const bead = parseStoredBead(data.toString('utf8'), `${dir}/${name}`);
      lines.set(bead.id, excerptLine(bead, oid));
    }
    if (!entries.size) return null;
    const old = oldTree ? await snap.readFile(`${EXCERPTS_DIR}/${shard}`) : null;
    const kept = old && excerptsTree(old) === oldTree ? linesOf(old) : null;
    const rest: TreeEntry[] = [];
    for (const e of entries.values()) {
      const id = idFromPath(`${dir}/${e.name}`);
      // a shard holding anything but records is left to the readers, which refuse it
      if (!id || e.mode === '40000' || e.mode === '160000') return null;
      if (lines.has(id)) continue;
      const line = kept?.get(id);
      if (line?.oid === e.oid) lines.set(id, line.line);
      else rest.push(e);
    }
    // records the old file did not cover: read once
    await Promise.all(
      rest.map(async (e) => {
        const data = await snap.readFile(`${dir}/${e.name}`);
        if (!data) throw new Error(`missing ${dir}/${e.name}`);
        const bead = parseStoredBead(data.toString('utf8'), `${dir}/${e.name}`);
        lines.set(bead.id, excerptLine(bead, e.oid));
      }),
    );
  } catch {
    return null; // a record that does not read: the readers read the records, and say what is wrong
  }
  const tree = hashObject(snap.repo, 'tree', serializeTree(sortTreeEntries([...entries.values()])));
  return excerptsFile(tree, lines);
}

/** The old file's lines, or null when it does not read (its shard's records are read instead). */
function linesOf(old: Buffer): ReturnType<typeof excerptLines> | null {
  try {
    return excerptLines(old);
  } catch {
    return null;
  }
}
