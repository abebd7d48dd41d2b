// A consistent view of the state ref at one commit: every read goes through
// the same tip, so a command never sees half of another writer's change.

import { FatalError } from '../core/errors.ts';
import type { CatFile } from '../git/catfile.ts';
import { parseTree, type TreeEntry } from '../git/objects.ts';
import type { Repo } from '../git/repo.ts';

export class Snapshot {
  private trees = new Map<string, Promise<TreeEntry[] | null>>();

  constructor(
    readonly repo: Repo,
    readonly cat: CatFile,
    /** the commit read, or null while the state ref does not exist */
    readonly tip: string | null,
  ) {}

  private get oidBytes(): number {
    return this.repo.objectFormat === 'sha256' ? 32 : 20;
  }

  /** Entries of the directory at `path` ('' for the root), or null when absent. */
  tree(path: string): Promise<TreeEntry[] | null> {
    let cached = this.trees.get(path);
    if (!cached) {
      cached = this.loadTree(path);
      this.trees.set(path, cached);
    }
    return cached;
  }

  private async loadTree(path: string): Promise<TreeEntry[] | null> {
    if (!this.tip) return null;
    const obj = await this.cat.read(path ? `${this.tip}:${path}` : `${this.tip}^{tree}`);
    if (!obj) return null;
    if (obj.type !== 'tree') throw new FatalError(`state: '${path}' is a ${obj.type}, expected a tree`);
    return parseTree(obj.data, this.oidBytes);
  }

  /**
   * The bytes of the directory at `path` as git stores it, when they are at
   * hand without reading git (a mirror): a writer patches such a directory in
   * place instead of listing it. Null here.
   */
  rawTree(_path: string): Buffer | null {
    return null;
  }

  /** The id of the blob at `path`, or null when absent. */
  async blobId(path: string): Promise<string | null> {
    const slash = path.lastIndexOf('/');
    const entries = await this.tree(slash < 0 ? '' : path.slice(0, slash));
    const name = path.slice(slash + 1);
    const entry = entries?.find((e) => e.name === name);
    return entry && entry.mode !== '40000' ? entry.oid : null;
  }

  /**
   * The blob at `path`, or null when absent. Read by id through the cached
   * directory listings: `<tip>:<path>` would make git walk the trees again for
   * every record.
   */
  async readFile(path: string): Promise<Buffer | null> {
    if (!this.tip) return null;
    const oid = await this.blobId(path);
    if (!oid) return null;
    const obj = await this.cat.read(oid);
    if (!obj) return null;
    if (obj.type !== 'blob') throw new FatalError(`state: '${path}' is a ${obj.type}, expected a file`);
    return obj.data;
  }

  async readText(path: string): Promise<string | null> {
    return (await this.readFile(path))?.toString('utf8') ?? null;
  }
}
