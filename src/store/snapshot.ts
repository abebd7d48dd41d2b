// A consistent view of the state ref at one commit: every read goes through
// the same tip, so a command never sees half of another writer's change. It
// trusts nothing it reads: every listing is checked against the layout of the
// state (core/layout.ts) and every object against its size limit, and a bad
// one is refused naming its path.

import { FatalError, stateError, withHint } from '../core/errors.ts';
import { type LayoutEntry, listingProblem, MAX_STATE_BLOB, MAX_STATE_TREE } from '../core/layout.ts';
import { BULK_FROM, readObjectsInBulk } from '../git/bulk-read.ts';
import { type CatFile, type GitObject, ObjectTooLargeError } from '../git/catfile.ts';
import { parseTree, type TreeEntry } from '../git/objects.ts';
import type { Repo } from '../git/repo.ts';

/** Refuses a listing with an entry that is not what its place says. */
export function checkListing(dir: string, entries: readonly LayoutEntry[]): void {
  const bad = listingProblem(dir, entries);
  if (bad) throw stateError(bad.path, bad.problem);
}

/** A state object over the size a reader takes: fatal, naming its path (`stateError`'s form). */
export class TooLargeStateError extends FatalError {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly max: number,
  ) {
    super(stateError(path, `is ${size} bytes, over the ${max} a reader takes`).message);
    withHint(this, "'sase fsck' lists every problem of the state");
  }
}

/** An object of the state read by name, refused (naming `path`) when it is over `max` bytes. */
export async function readStateObject(
  cat: CatFile,
  name: string,
  path: string,
  max: number,
): Promise<GitObject | null> {
  try {
    return await cat.read(name, max);
  } catch (err) {
    if (err instanceof ObjectTooLargeError) throw new TooLargeStateError(path || '/', err.size, max);
    throw err;
  }
}

export interface StateFile {
  path: string;
  oid: string;
  /** as git stores it: 100644, 100755, 120000 (a link), 160000 (a submodule's commit) */
  mode: string;
}

/**
 * Every file below the tree `root` (a tree-ish: `<tip>:beads`), in git's
 * order, as `git ls-tree -r` lists them, paths prefixed with `dir`; but each
 * tree is read within the size a reader takes before anything in it is, so a
 * directory too large to read is never listed: `tooLarge` gets its refusal
 * (by default thrown; return to go on without it). Null when `root` is absent.
 * `trees` gets the bytes of every directory read, by id.
 */
export async function walkStateFiles(
  cat: CatFile,
  repo: Repo,
  root: string,
  dir: string,
  tooLarge: (err: TooLargeStateError) => void = (err) => {
    throw err;
  },
  trees?: Map<string, Buffer>,
): Promise<StateFile[] | null> {
  const oidBytes = oidBytesOf(repo);
  /** each directory read, by its path: its entries; null when git has no such tree */
  const listed = new Map<string, TreeEntry[] | null>();
  const take = (path: string, obj: GitObject | null) => {
    if (obj && obj.type !== 'tree')
      throw stateError(path, `is a ${obj.type === 'blob' ? 'file' : obj.type}, where a directory belongs`);
    listed.set(path, obj ? parseTree(obj.data, oidBytes) : null);
    if (obj) trees?.set(obj.oid, obj.data);
  };
  const refused = (path: string, err: TooLargeStateError) => {
    tooLarge(err);
    listed.set(path, []);
  };
  const read = async (path: string, name: string) => {
    try {
      take(path, await readStateObject(cat, name, path, MAX_STATE_TREE));
    } catch (err) {
      if (!(err instanceof TooLargeStateError)) throw err;
      refused(path, err);
    }
  };
  await read(dir, root);
  if (listed.get(dir) === null) return null;
  // a level at a time, its directories read at once: in bulk when they are many (beads/ holds hundreds of shards)
  const within = (path: string, name: string) => (path ? `${path}/${name}` : name);
  const below = (trees: { path: string }[]) =>
    trees.flatMap((t) =>
      (listed.get(t.path) ?? [])
        .filter((e) => e.mode === '40000')
        .map((e) => ({ path: within(t.path, e.name), oid: e.oid })),
    );
  for (let level = below([{ path: dir }]); level.length; level = below(level)) {
    const trees = level;
    if (trees.length < BULK_FROM) await Promise.all(trees.map((t) => read(t.path, t.oid)));
    else
      await readObjectsInBulk(
        repo,
        trees.map((t) => t.oid),
        MAX_STATE_TREE,
        (i, obj) => take(trees[i]!.path, obj),
        (i, err) => refused(trees[i]!.path, new TooLargeStateError(trees[i]!.path, err.size, err.max)),
      );
  }
  // the files in git's order
  const files: StateFile[] = [];
  const list = (path: string) => {
    for (const e of listed.get(path) ?? []) {
      const at = within(path, e.name);
      if (e.mode === '40000') list(at);
      else files.push({ path: at, oid: e.oid, mode: e.mode });
    }
  };
  list(dir);
  return files;
}

export function oidBytesOf(repo: Repo): number {
  return repo.objectFormat === 'sha256' ? 32 : 20;
}

interface Listing {
  entries: TreeEntry[];
  byName: Map<string, TreeEntry>;
}

/**
 * Checked listings by directory and tree id, shared by the snapshots of one
 * store: a tree's id names its content, so a snapshot of a newer tip (a
 * retried write, the next read of a command) reuses every directory that did
 * not change and reads only those that did.
 */
export type ListingCache = Map<string, Promise<Listing | null>>;

export class Snapshot {
  private listings = new Map<string, Promise<Listing | null>>();
  /** listings loadTree gave that were checked when they were stored (a mirror's), not checked again */
  protected readonly checkedBefore = new WeakSet<readonly TreeEntry[]>();

  constructor(
    readonly repo: Repo,
    readonly cat: CatFile,
    /** the commit read, or null while the state ref does not exist */
    readonly tip: string | null,
    private readonly shared: ListingCache = new Map(),
  ) {}

  protected get oidBytes(): number {
    return oidBytesOf(this.repo);
  }

  private listing(path: string): Promise<Listing | null> {
    let cached = this.listings.get(path);
    if (!cached) {
      cached = this.findListing(path);
      this.listings.set(path, cached);
    }
    return cached;
  }

  /** The directory's listing: by its tree id from the shared cache when a plain git read would give it. */
  private async findListing(path: string): Promise<Listing | null> {
    const oid = this.servesFromGit(path) ? await this.treeId(path) : undefined;
    if (oid === null) return null;
    const key = oid === undefined ? null : `${path}\0${oid}`;
    const hit = key === null ? undefined : this.shared.get(key);
    if (hit) return hit;
    const made = this.loadTree(path, oid).then((entries): Listing | null => {
      if (!entries) return null;
      if (!this.checkedBefore.has(entries)) checkListing(path, entries);
      return { entries, byName: new Map(entries.map((e) => [e.name, e])) };
    });
    if (key !== null) this.shared.set(key, made);
    return made;
  }

  /** Whether `path`'s listing comes from git (a mirror serves some of its own). */
  protected servesFromGit(_path: string): boolean {
    return true;
  }

  /** The id of the tree at `path`: the tip's root tree, else its entry in the parent listing; null when absent. */
  private async treeId(path: string): Promise<string | null> {
    if (!this.tip) return null;
    if (path === '') {
      // the root tree as git resolves it (for a tip that is no commit too, so the state is judged as git sees
      // it): not the commit, whose message can be megabytes (an import's operation names every bead it made)
      return (await this.readObject(`${this.tip}^{tree}`, '', MAX_STATE_TREE))?.oid ?? null;
    }
    const slash = path.lastIndexOf('/');
    const e = await this.entry(slash < 0 ? '' : path.slice(0, slash), path.slice(slash + 1));
    if (!e) return null;
    if (e.mode !== '40000') throw stateError(path, 'is a file, where a directory belongs');
    return e.oid;
  }

  /** Entries of the directory at `path` ('' for the root), or null when absent. */
  async tree(path: string): Promise<TreeEntry[] | null> {
    return (await this.listing(path))?.entries ?? null;
  }

  /** The entry `name` of the directory `dir`, or null (looked up by name: a shard may hold thousands). */
  async entry(dir: string, name: string): Promise<TreeEntry | null> {
    return (await this.listing(dir))?.byName.get(name) ?? null;
  }

  /** The directory's entries as git stores them (the tree `oid` when known), unchecked; the listing above checks them. */
  protected async loadTree(path: string, oid?: string): Promise<TreeEntry[] | null> {
    if (!this.tip) return null;
    const name = oid ?? (path ? `${this.tip}:${path}` : `${this.tip}^{tree}`);
    const obj = await this.readObject(name, path, MAX_STATE_TREE);
    if (!obj) return null;
    if (obj.type !== 'tree')
      throw stateError(path, `is a ${obj.type === 'blob' ? 'file' : obj.type}, where a directory belongs`);
    return parseTree(obj.data, this.oidBytes);
  }

  protected readObject(name: string, path: string, max: number): Promise<GitObject | null> {
    return readStateObject(this.cat, name, path, max);
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
    const entry = await this.entry(slash < 0 ? '' : path.slice(0, slash), path.slice(slash + 1));
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
    const obj = await this.readObject(oid, path, MAX_STATE_BLOB);
    if (!obj) return null;
    if (obj.type !== 'blob') throw stateError(path, `is a ${obj.type}, where a file belongs`);
    return obj.data;
  }

  async readText(path: string): Promise<string | null> {
    return (await this.readFile(path))?.toString('utf8') ?? null;
  }
}
