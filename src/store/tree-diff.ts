// The changes between two state commits, read through the command's
// long-lived `git cat-file` reader: what `git diff-tree -r --no-renames`
// gives, without starting it (the refresh after one write then starts no git
// but the reader, which it needs for the records anyway).
import { stateError } from '../core/errors.ts';
import { MAX_STATE_TREE } from '../core/layout.ts';
import type { CatFile } from '../git/catfile.ts';
import type { TreeChange } from '../git/history.ts';
import { changedEntries, parseTree, type TreeEntry } from '../git/objects.ts';
import type { Repo } from '../git/repo.ts';
import { oidBytesOf, readStateObject } from './snapshot.ts';

const isTree = (e: TreeEntry | null) => e?.mode === '40000';

/**
 * Blob-level changes from one commit's tree to another's (deleted: oid and
 * mode null), each directory read within the size a reader takes. Throws
 * when either commit or a tree in it cannot be read.
 */
export async function diffStateTrees(cat: CatFile, repo: Repo, from: string, to: string): Promise<TreeChange[]> {
  const oidBytes = oidBytesOf(repo);
  const read = async (name: string, path: string): Promise<Buffer> => {
    const obj = await readStateObject(cat, name, path, MAX_STATE_TREE);
    if (obj?.type !== 'tree') throw stateError(path || '/', `is not a directory in ${name}`);
    return obj.data;
  };
  const within = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);
  const changes: TreeChange[] = [];
  /** every file below a tree, as added or as deleted */
  const whole = async (oid: string, path: string, added: boolean): Promise<void> => {
    const below: Promise<void>[] = [];
    for (const e of parseTree(await read(oid, path), oidBytes)) {
      const at = within(path, e.name);
      if (isTree(e)) below.push(whole(e.oid, at, added));
      else changes.push(added ? { path: at, oid: e.oid, mode: e.mode } : { path: at, oid: null, mode: null });
    }
    await Promise.all(below);
  };
  const walk = async (a: string, b: string, path: string): Promise<void> => {
    const [before, after] = await Promise.all([read(a, path), read(b, path)]);
    const work: Promise<void>[] = [];
    for (const { name, before: x, after: y } of changedEntries(before, after, oidBytes)) {
      const at = within(path, name);
      if (isTree(x) && isTree(y)) work.push(walk(x!.oid, y!.oid, at));
      else if (x && y && !isTree(x) && !isTree(y)) changes.push({ path: at, oid: y.oid, mode: y.mode });
      else {
        // one side a directory (or absent): what was there goes, what is there comes
        if (x) isTree(x) ? work.push(whole(x.oid, at, false)) : changes.push({ path: at, oid: null, mode: null });
        if (y) isTree(y) ? work.push(whole(y.oid, at, true)) : changes.push({ path: at, oid: y.oid, mode: y.mode });
      }
    }
    await Promise.all(work);
  };
  await walk(`${from}^{tree}`, `${to}^{tree}`, '');
  return changes.sort((p, q) => (p.path < q.path ? -1 : p.path > q.path ? 1 : 0));
}
