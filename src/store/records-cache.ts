// A mirror of the state tree's bead records in the cache, so a command about a
// few beads reads files instead of starting `git cat-file` (part of the
// derived cache of ARCHITECTURE.md 2b; safe to delete).
//
// cache/records-3/MANIFEST says, for one tip, the listing of the root tree,
// beads/ and excerpts/ as git stores the trees, and the content of small root
// files (VERSION, settings.json). cache/records-3/<oid> holds one shard tree
// <oid>: its listing and the bytes of the bead records held (all, or those at
// hand: a cold build from the excerpts holds the records it read, and a
// shard's first read completes it), or one excerpts file by its blob id; a
// refresh that writes many (the first) puts them in one pack file instead,
// the manifest naming it (creating a thousand files costs seconds). A shard
// with no file of its own is listed from its excerpts. A file is named by
// its object's id, so its content never changes: a reader that found the
// manifest for its tip reads exactly that tip's data, whatever a concurrent
// refresher writes meanwhile. Anything missing or malformed falls back to git.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { EXCERPTS_DIR, everyExcerptOid, excerptsListing, excerptsTree } from '../core/beads/excerpts.ts';
import { idFromPath } from '../core/beads/model.ts';
import { stateError } from '../core/errors.ts';
import { MAX_STATE_BLOB, MAX_STATE_TREE } from '../core/layout.ts';
import { SETTINGS_PATH } from '../core/settings.ts';
import type { CatFile } from '../git/catfile.ts';
import { hashObject, loadHashing, parseTree, serializeTree, type TreeEntry } from '../git/objects.ts';
import type { Repo } from '../git/repo.ts';
import { localPath } from '../git/repo.ts';
import { removeFile, removeOtherFormats, writeFileAtomic } from '../proc/files.ts';
import { checkListing, type ListingCache, oidBytesOf, readStateObject, Snapshot } from './snapshot.ts';
import type { NewTree } from './tree-writer.ts';

const FORMAT = 3;
const BEADS = 'beads';
/** a refresh with more shards than this to write puts them all in one pack */
const PACK_FROM = 64;
/** a shard held in part is completed on its first read up to this many records missing */
const FILL_MAX = 2048;
/** root files up to this size are kept in the manifest (VERSION, settings.json) */
const SMALL_FILE = 256;
/** the root files every command may read: kept in the manifest, so that reading them starts no git */
const SMALL_ROOT_FILES = new Set(['VERSION', SETTINGS_PATH]);

type Entry = [name: string, mode: string, oid: string];

interface Manifest {
  format: number;
  tip: string;
  root: Entry[];
  /** beads/ as git stores the tree, base64 ('' when there is none) */
  beadsTree: string;
  /** oid -> base64 content of the small root files */
  small: Record<string, string>;
  /** the pack file holding the shards that have no file of their own */
  pack?: string;
  /** excerpts/ as git stores the tree, base64 ('' or absent when there is none); each file's bytes are kept by blob id */
  excerptsTree?: string;
}

interface Shard {
  entries: TreeEntry[];
  /** bead record bytes by entry name */
  content: Map<string, Buffer>;
}

// the format in the name: a new format never trusts files named by tree id in an old one
function recordsDir(repo: Repo): string {
  return localPath(repo, 'cache', `records-${FORMAT}`);
}

/**
 * The manifest a command last wrote, by its repository (one a command, so a
 * process running several commands never trusts what an earlier one wrote):
 * the next snapshot at its tip need not read it back.
 */
const lastWritten = new WeakMap<Repo, Manifest & { dir: string }>();

const toEntries = (list: Entry[]): TreeEntry[] => list.map(([name, mode, oid]) => ({ name, mode, oid }));
const isTree = (mode: string) => mode === '40000';
/** entries whose bytes a shard file keeps: bead records */
const keeps = (shard: string, e: { name: string; mode: string }) =>
  !isTree(e.mode) && e.mode !== '160000' && idFromPath(`${BEADS}/${shard}/${e.name}`) !== null;

function loadManifest(repo: Repo): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(join(recordsDir(repo), 'MANIFEST'), 'utf8')) as Manifest;
    return m.format === FORMAT ? m : null;
  } catch {
    return null;
  }
}

/** The tip the mirror is for, or null when there is none. */
export function recordsTip(repo: Repo): string | null {
  return loadManifest(repo)?.tip ?? null;
}

// A shard file: one JSON line {format, tree, entries: [name, mode, oid, length | null]},
// then the kept records' bytes, in entry order.
function loadShard(repo: Repo, tree: string, pack: string | undefined): Shard | null {
  let data: Buffer | null;
  try {
    data = readFileSync(join(recordsDir(repo), tree));
  } catch {
    data = pack ? readFromPack(repo, pack, tree) : null;
  }
  if (!data) return null;
  try {
    const nl = data.indexOf(10);
    const head = JSON.parse(data.subarray(0, nl).toString('utf8')) as {
      format: number;
      tree: string;
      entries: [string, string, string, number | null][];
    };
    if (head.format !== FORMAT || head.tree !== tree) return null;
    const content = new Map<string, Buffer>();
    let at = nl + 1;
    for (const [name, , , len] of head.entries) {
      if (len === null) continue;
      content.set(name, data.subarray(at, at + len));
      at += len;
    }
    if (at !== data.length) return null;
    return { entries: head.entries.map(([name, mode, oid]) => ({ name, mode, oid })), content };
  } catch {
    return null;
  }
}

// A pack: one JSON line {format, index: {<tree oid>: [offset, length]}}, then
// the shard files, offsets counted from the end of that line.
// Read once a command (by its repository, as lastWritten)
type PackIndex = { index: Record<string, [number, number]>; bodyStart: number } | null;
const packIndexesOf = new WeakMap<Repo, Map<string, PackIndex>>();

function packIndex(repo: Repo, pack: string): PackIndex {
  const path = join(recordsDir(repo), pack);
  let packIndexes = packIndexesOf.get(repo);
  if (!packIndexes) {
    packIndexes = new Map();
    packIndexesOf.set(repo, packIndexes);
  }
  if (packIndexes.has(path)) return packIndexes.get(path)!;
  let found: { index: Record<string, [number, number]>; bodyStart: number } | null = null;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    let head = Buffer.alloc(0);
    for (let pos = 0; ; ) {
      const chunk = Buffer.alloc(65536);
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      head = Buffer.concat([head, chunk.subarray(0, n)]);
      pos += n;
      const nl = head.indexOf(10);
      if (nl >= 0) {
        const h = JSON.parse(head.subarray(0, nl).toString('utf8'));
        if (h.format === FORMAT) found = { index: h.index, bodyStart: nl + 1 };
        break;
      }
    }
  } catch {
    found = null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  packIndexes.set(path, found);
  return found;
}

function readFromPack(repo: Repo, pack: string, tree: string): Buffer | null {
  const idx = packIndex(repo, pack);
  const range = idx && Object.hasOwn(idx.index, tree) ? idx.index[tree]! : null;
  if (!range) return null;
  let fd: number | undefined;
  try {
    fd = openSync(join(recordsDir(repo), pack), 'r');
    const data = Buffer.alloc(range[1]);
    return readSync(fd, data, 0, range[1], idx!.bodyStart + range[0]) === range[1] ? data : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A kept blob (a shard's excerpts) by its id: its own file, or a range of the pack. */
function loadBlob(repo: Repo, oid: string, pack: string | undefined): Buffer | null {
  try {
    return readFileSync(join(recordsDir(repo), oid));
  } catch {
    return pack ? readFromPack(repo, pack, oid) : null;
  }
}

/**
 * Entries of a tree by name, read from its bytes. beads/ is a grid of
 * same-size entries (directories with two-character names), read in place;
 * any other tree is listed once.
 */
function indexTree(raw: Buffer, oidBytes: number): (name: string) => TreeEntry | undefined {
  const size = 9 + oidBytes;
  let grid = raw.length % size === 0;
  for (let p = 0; grid && p < raw.length; p += size) {
    // '40000 ' + two name bytes + NUL: the first entry is one of them, so the next starts a size further, and so on
    grid =
      raw[p] === 0x34 &&
      raw[p + 1] === 0x30 &&
      raw[p + 2] === 0x30 &&
      raw[p + 3] === 0x30 &&
      raw[p + 4] === 0x30 &&
      raw[p + 5] === 0x20 &&
      raw[p + 6] !== 0 &&
      raw[p + 7] !== 0 &&
      raw[p + 8] === 0;
  }
  if (grid) {
    return (name) => {
      const b = Buffer.from(name);
      if (b.length !== 2) return undefined;
      for (let p = 0; p < raw.length; p += size) {
        if (raw[p + 6] === b[0] && raw[p + 7] === b[1])
          return { mode: '40000', name, oid: raw.toString('hex', p + 9, p + size) };
      }
      return undefined;
    };
  }
  const byName = new Map(parseTree(raw, oidBytes).map((e) => [e.name, e]));
  return (name) => byName.get(name);
}

/** A shard file's bytes, as pieces (its header line, then each record): a pack of them is written without joining. */
function shardFile(tree: string, entries: TreeEntry[], content: Map<string, Buffer>): Buffer[] {
  const kept: Buffer[] = [];
  const head = entries.map((e) => {
    const c = content.get(e.name);
    if (c) kept.push(c);
    return [e.name, e.mode, e.oid, c ? c.length : null];
  });
  return [Buffer.from(JSON.stringify({ format: FORMAT, tree, entries: head }) + '\n'), ...kept];
}

const sizeOf = (pieces: readonly Buffer[]) => pieces.reduce((n, p) => n + p.length, 0);

/**
 * A snapshot that answers from the mirror: the root and beads/ listings, the
 * shard listings and the bead records; anything else, and any shard whose
 * file is missing, from git.
 */
class MirroredSnapshot extends Snapshot {
  private shards = new Map<string, Shard | null>();
  private beadsRaw: Buffer | null | undefined;
  private beadsIndex: ((name: string) => TreeEntry | undefined) | undefined;
  private excerptsRaw: Buffer | null | undefined;
  private excerptsIndex: Map<string, TreeEntry> | undefined;
  private fills = new Map<string, Promise<boolean>>();

  constructor(
    repo: Repo,
    cat: CatFile,
    tip: string,
    readonly manifest: Manifest,
    /** a writer builds trees from these listings: each is checked against its id first */
    private readonly verify: boolean,
    shared?: ListingCache,
  ) {
    super(repo, cat, tip, shared);
  }

  private matches(type: 'tree' | 'blob', data: Buffer, oid: string): boolean {
    return !this.verify || hashObject(this.repo, type, data) === oid;
  }

  /** beads/ as git stores it (checked against its id when verifying), or null */
  private beadsTree(): Buffer | null {
    if (this.beadsRaw === undefined) {
      const entry = this.manifest.root.find((e) => e[0] === BEADS && isTree(e[1]));
      const raw = entry ? Buffer.from(this.manifest.beadsTree, 'base64') : null;
      this.beadsRaw = raw && this.matches('tree', raw, entry![2]) ? raw : null;
    }
    return this.beadsRaw;
  }

  /** excerpts/ as git stores it (checked against its id when verifying), or null */
  private excerptsTree(): Buffer | null {
    if (this.excerptsRaw === undefined) {
      const entry = this.manifest.root.find((e) => e[0] === EXCERPTS_DIR && isTree(e[1]));
      const raw = entry && this.manifest.excerptsTree ? Buffer.from(this.manifest.excerptsTree, 'base64') : null;
      this.excerptsRaw = raw && this.matches('tree', raw, entry![2]) ? raw : null;
    }
    return this.excerptsRaw;
  }

  /** A kept blob, checked against its id when verifying; null when the mirror does not hold it. */
  private keptBlob(oid: string): Buffer | null {
    const data = loadBlob(this.repo, oid, this.manifest.pack);
    return data && this.matches('blob', data, oid) ? data : null;
  }

  /**
   * A shard's listing from its excerpts, when they name its tree (each line
   * names a record and its blob), for a shard the mirror holds no file of:
   * the records themselves are read from git as asked for. When verifying,
   * the listing must hash to the tree.
   */
  private fromExcerpts(name: string, tree: string): Shard | null {
    const raw = this.excerptsTree();
    if (!raw) return null;
    this.excerptsIndex ??= new Map(parseTree(raw, this.oidBytes).map((e) => [e.name, e]));
    const entry = this.excerptsIndex.get(name);
    const body = entry && !isTree(entry.mode) ? this.keptBlob(entry.oid) : null;
    if (!body || excerptsTree(body) !== tree) return null;
    try {
      const entries = excerptsListing(body);
      return this.matches('tree', serializeTree(entries), tree) ? { entries, content: new Map() } : null;
    } catch {
      return null;
    }
  }

  /**
   * Completes a shard the mirror holds in part (a cold build read its
   * excerpts, not its records; a write added only its own): every record
   * not held is read, together, and the shard's file written whole, so the
   * commands after this one read none of it from git. False when one
   * cannot be read as a record.
   */
  private filled(name: string, shard: Shard): Promise<boolean> {
    // once a shard: the readers of its records at once (a whole list) wait for the one fill
    let fill = this.fills.get(name);
    if (!fill) this.fills.set(name, (fill = this.fill(name, shard)));
    return fill;
  }

  private async fill(name: string, shard: Shard): Promise<boolean> {
    const tree = this.beadsEntry(name)?.oid;
    const missing = shard.entries.filter((e) => keeps(name, e) && !shard.content.has(e.name));
    // a crowded shard (an import of another tool's ids) is read a record at a time, as asked for
    if (!tree || missing.length > FILL_MAX) return false;
    const read = await Promise.all(
      missing.map((e) => this.readObject(e.oid, `${BEADS}/${name}/${e.name}`, MAX_STATE_BLOB)),
    );
    if (read.some((obj) => obj?.type !== 'blob')) return false;
    for (let i = 0; i < missing.length; i++) shard.content.set(missing[i]!.name, read[i]!.data);
    try {
      mkdirSync(recordsDir(this.repo), { recursive: true });
      writeFileAtomic(join(recordsDir(this.repo), tree), shardFile(tree, shard.entries, shard.content));
    } catch {
      // the mirror stays in part: the next command reads from git again
    }
    return true;
  }

  /** The beads/ entry named `name`: undefined when there is none, null when the mirror cannot tell. */
  private beadsEntry(name: string): TreeEntry | undefined | null {
    const raw = this.beadsTree();
    if (!raw) return null;
    this.beadsIndex ??= indexTree(raw, this.oidBytes);
    return this.beadsIndex(name);
  }

  /** The mirrored shard: undefined when beads/ has no such directory, null when the mirror cannot give it. */
  shard(name: string): Shard | null | undefined {
    if (this.shards.has(name)) return this.shards.get(name);
    const entry = this.beadsEntry(name);
    if (entry === undefined) return undefined; // no such directory
    let shard = entry && isTree(entry.mode) ? loadShard(this.repo, entry.oid, this.manifest.pack) : null;
    if (shard && this.verify && !this.matches('tree', serializeTree(shard.entries), entry!.oid)) shard = null;
    if (!shard && entry && isTree(entry.mode)) shard = this.fromExcerpts(name, entry.oid);
    this.shards.set(name, shard);
    return shard;
  }

  /** the id of the shard tree `name` in this snapshot's beads/, if the mirror knows it */
  beadsOid(name: string): string | null {
    return this.beadsEntry(name)?.oid ?? null;
  }

  override rawTree(path: string): Buffer | null {
    return path === BEADS ? this.beadsTree() : null;
  }

  protected override servesFromGit(path: string): boolean {
    const parts = path.split('/');
    return !(
      path === '' ||
      path === BEADS ||
      path === EXCERPTS_DIR ||
      (parts.length === 2 && parts[0] === BEADS && this.shard(parts[1]!))
    );
  }

  // every listing the mirror holds was checked before it was written (refreshRecords, or a writer's own trees)
  private mirrored(entries: TreeEntry[]): Promise<TreeEntry[]> {
    this.checkedBefore.add(entries);
    return Promise.resolve(entries);
  }

  protected override loadTree(path: string, oid?: string): Promise<TreeEntry[] | null> {
    if (path === '') return this.mirrored(toEntries(this.manifest.root));
    if (path === BEADS) {
      const raw = this.beadsTree();
      return raw ? this.mirrored(parseTree(raw, this.oidBytes)) : super.loadTree(path, oid);
    }
    const parts = path.split('/');
    // a top-level directory the root does not list (no agents/ yet): absent, without asking git
    if (!this.manifest.root.some((e) => e[0] === parts[0])) return Promise.resolve(null);
    if (parts.length === 2 && parts[0] === BEADS) {
      const shard = this.shard(parts[1]!);
      if (shard === undefined) return Promise.resolve(null);
      if (shard) return this.mirrored(shard.entries);
    }
    if (path === EXCERPTS_DIR) {
      const raw = this.excerptsTree();
      if (raw) return this.mirrored(parseTree(raw, this.oidBytes));
    }
    return super.loadTree(path, oid);
  }

  override async readFile(path: string): Promise<Buffer | null> {
    const parts = path.split('/');
    if (parts.length === 3 && parts[0] === BEADS) {
      const shard = this.shard(parts[1]!);
      if (shard === undefined) return null;
      if (shard) {
        // through the checked listing, as from git
        const entry = await this.entry(`${BEADS}/${parts[1]}`, parts[2]!);
        if (!entry) return null;
        const hit = shard.content.get(parts[2]!);
        if (hit && this.matches('blob', hit, entry.oid)) return hit;
        if (!hit && (await this.filled(parts[1]!, shard))) return shard.content.get(parts[2]!) ?? null;
      }
    } else if (parts.length === 2 && parts[0] === EXCERPTS_DIR) {
      const entry = await this.entry(EXCERPTS_DIR, parts[1]!);
      if (!entry) return null;
      const kept = isTree(entry.mode) ? null : this.keptBlob(entry.oid);
      if (kept) return kept;
    } else if (parts.length === 1) {
      const entry = await this.entry('', path);
      if (!entry) return null;
      const small = this.manifest.small[entry.oid];
      const data = small !== undefined && !isTree(entry.mode) ? Buffer.from(small, 'base64') : null;
      if (data && this.matches('blob', data, entry.oid)) return data;
    }
    return super.readFile(path);
  }
}

/**
 * A snapshot at `tip` served from the mirror, or null when the mirror is not
 * for `tip`. `verify`: every listing and record is checked against its id
 * (hashing must be loaded), for a writer that builds on them.
 */
export function mirroredSnapshot(
  repo: Repo,
  cat: CatFile,
  tip: string | null,
  verify = false,
  shared?: ListingCache,
): Snapshot | null {
  if (!tip) return null;
  const written = lastWritten.get(repo);
  const m = written?.tip === tip && written.dir === recordsDir(repo) ? written : loadManifest(repo);
  return m && m.tip === tip ? new MirroredSnapshot(repo, cat, tip, m, verify, shared) : null;
}

/** The mirror's beads/ at `tip`: the directory as git stores it (empty when there is none), and a directory's listing and records by name (null when not mirrored). */
export interface MirroredBeads {
  tree: Buffer;
  shard(name: string): { entries: TreeEntry[]; content: Map<string, Buffer> } | null;
}

/** beads/ as the mirror holds it at `tip`, or null when the mirror is not at `tip`. */
export function mirroredBeads(repo: Repo, cat: CatFile, tip: string): MirroredBeads | null {
  const snap = mirroredSnapshot(repo, cat, tip);
  if (!(snap instanceof MirroredSnapshot)) return null;
  const hasBeads = snap.manifest.root.some((e) => e[0] === BEADS && isTree(e[1]));
  const tree = hasBeads ? snap.rawTree(BEADS) : Buffer.alloc(0);
  if (!tree) return null;
  return { tree, shard: (name) => snap.shard(name) ?? null };
}

export function isMirrored(snap: Snapshot): boolean {
  return snap instanceof MirroredSnapshot;
}

/**
 * After a commit made on a mirrored snapshot: mirrors the new tip from the
 * parent's mirror and the trees just built, so the next command finds it
 * current. A shard whose parent file was missing is left to git.
 */
export function mirrorCommit(
  snap: Snapshot,
  tip: string,
  trees: Map<string, NewTree>,
  changes: Map<string, Buffer | null>,
): void {
  if (!(snap instanceof MirroredSnapshot)) return;
  const old = snap.manifest;
  const dir = recordsDir(snap.repo);
  const root = trees.get('')!.entries!;
  const now = trees.get(BEADS);
  let beadsTree = old.beadsTree;
  if (!root.some((e) => e.name === BEADS && isTree(e.mode))) beadsTree = '';
  else if (now) beadsTree = (now.raw ?? serializeTree(now.entries!)).toString('base64');
  const ex = trees.get(EXCERPTS_DIR);
  let excerpts = old.excerptsTree ?? '';
  if (!root.some((e) => e.name === EXCERPTS_DIR && isTree(e.mode))) excerpts = '';
  else if (ex) excerpts = (ex.raw ?? serializeTree(ex.entries!)).toString('base64');
  const replaced: string[] = [];
  try {
    // the excerpts written, kept by blob id; the ones they replace go
    const was = new Map(
      old.excerptsTree
        ? parseTree(Buffer.from(old.excerptsTree, 'base64'), oidBytesOf(snap.repo)).map((e) => [e.name, e.oid])
        : [],
    );
    for (const e of ex?.entries ?? []) {
      const c = changes.get(`${EXCERPTS_DIR}/${e.name}`);
      if (!c) continue;
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(join(dir, e.oid), c);
      const before = was.get(e.name);
      if (before && before !== e.oid) replaced.push(before);
    }
    for (const [path, t] of trees) {
      const parts = path.split('/');
      if (parts.length !== 2 || parts[0] !== BEADS) continue;
      const before = snap.shard(parts[1]!);
      if (before === null) continue;
      const content = new Map<string, Buffer>();
      for (const e of t.entries!) {
        if (!keeps(parts[1]!, e)) continue;
        // a record the parent's file did not hold is not held now either: read from git when asked for
        const c = changes.get(`${path}/${e.name}`) ?? before?.content.get(e.name);
        if (c) content.set(e.name, c);
      }
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(join(dir, t.oid), shardFile(t.oid, t.entries!, content));
      const was = snap.beadsOid(parts[1]!);
      if (was && was !== t.oid) replaced.push(was);
    }
    const small: Record<string, string> = {};
    for (const e of root) {
      if (old.small[e.oid] !== undefined) small[e.oid] = old.small[e.oid]!;
      const c = changes.get(e.name);
      if (c && c.length <= SMALL_FILE) small[e.oid] = c.toString('base64');
    }
    const manifest: Manifest = {
      format: FORMAT,
      tip,
      root: root.map((e) => [e.name, e.mode, e.oid]),
      beadsTree,
      small,
      pack: old.pack,
      excerptsTree: excerpts,
    };
    writeFileAtomic(join(dir, 'MANIFEST'), JSON.stringify(manifest));
    lastWritten.set(snap.repo, { ...manifest, dir });
  } catch {
    return; // the mirror stays behind; the next refresh brings it up
  }
  for (const oid of replaced) removeFile(join(dir, oid));
}

/**
 * Brings the mirror to `tip`: writes a file for every shard tree it does not
 * have yet (records taken from `known`, by blob id, from the previous shard
 * file, or read; a shard's listing from `known` by tree id, or read), then
 * the manifest, then removes the shard files only the previous manifest named.
 */
export async function refreshRecords(
  repo: Repo,
  cat: CatFile,
  tip: string | null,
  known: Map<string, Buffer>,
  /** read nothing more from git: a shard whose listing is not known gets no file, a record not known is not held */
  lazy = false,
): Promise<void> {
  if (!tip) return;
  const dir = recordsDir(repo);
  const old = loadManifest(repo);
  if (old?.tip === tip) return;
  const oidBytes = oidBytesOf(repo);
  // every listing is checked as a snapshot checks it, and every record's size: a bad state is never mirrored
  const readObject = async (name: string, type: 'tree' | 'blob', path: string): Promise<Buffer> => {
    // a tree the caller walked (an oid names one kind of object only)
    const had = type === 'tree' ? known.get(name) : undefined;
    if (had) return had;
    const obj = await readStateObject(cat, name, path, type === 'tree' ? MAX_STATE_TREE : MAX_STATE_BLOB);
    if (!obj) throw stateError(path || '/', `is missing (object ${name})`);
    if (obj.type !== type)
      throw stateError(path || '/', `is a ${obj.type}, where a ${type === 'tree' ? 'directory' : 'file'} belongs`);
    return obj.data;
  };
  const root = parseTree(await readObject(`${tip}^{tree}`, 'tree', ''), oidBytes);
  checkListing('', root);
  const beadsEntry = root.find((e) => e.name === BEADS && isTree(e.mode));
  const beadsRaw = beadsEntry ? await readObject(beadsEntry.oid, 'tree', BEADS) : null;
  const beads = beadsRaw ? parseTree(beadsRaw, oidBytes) : [];
  checkListing(BEADS, beads);
  const excerptsEntry = root.find((e) => e.name === EXCERPTS_DIR && isTree(e.mode));
  const excerptsRaw = excerptsEntry ? await readObject(excerptsEntry.oid, 'tree', EXCERPTS_DIR) : null;
  const excerpts = excerptsRaw ? parseTree(excerptsRaw, oidBytes) : [];
  checkListing(EXCERPTS_DIR, excerpts);
  let files: Set<string>;
  try {
    files = new Set(readdirSync(dir));
  } catch {
    files = new Set();
  }
  // the first mirror of this format: those of other formats are of no more use
  if (!old) removeOtherFormats(localPath(repo, 'cache'), 'records', FORMAT);
  const oldPack = old?.pack && files.has(old.pack) ? old.pack : undefined;
  const packed = new Set(Object.keys((oldPack && packIndex(repo, oldPack)?.index) || {}));
  mkdirSync(dir, { recursive: true });
  const oldRaw = old?.beadsTree ? Buffer.from(old.beadsTree, 'base64') : null;
  const previous = new Map(oldRaw ? parseTree(oldRaw, oidBytes).map((e) => [e.name, e.oid]) : []);
  const shards = beads.filter((s) => isTree(s.mode));
  if (lazy) await loadHashing();
  const excerptsByName = new Map(excerpts.map((e) => [e.name, e.oid]));
  /** a shard's tree as git stores it, from its excerpts at hand, when they give it and every record is at hand */
  const listingFromExcerpts = (s: TreeEntry): Buffer | undefined => {
    const body = known.get(excerptsByName.get(s.name) ?? '');
    if (!body || excerptsTree(body) !== s.oid || !everyExcerptOid(body, (oid) => known.has(oid))) return undefined;
    try {
      const entries = excerptsListing(body);
      const raw = serializeTree(entries);
      return hashObject(repo, 'tree', raw) === s.oid ? raw : undefined;
    } catch {
      return undefined;
    }
  };
  const missing = shards.filter((s) => !files.has(s.oid) && !packed.has(s.oid));
  // many to write (the first refresh, a bulk import): every shard goes in one new pack
  const repack = missing.length > PACK_FROM;
  const bodies = new Map<string, Buffer[]>();
  await Promise.all(
    (repack ? shards : missing).map(async (s) => {
      // lazily, a shard whose listing is not at hand gets a file only when its excerpts give the listing and
      // every record is at hand; the others are read through their excerpts, or from git, as asked for
      let listing = known.get(s.oid);
      if (lazy && !listing && !files.has(s.oid) && !packed.has(s.oid)) {
        listing = listingFromExcerpts(s);
        if (!listing) return;
      }
      if (repack && (files.has(s.oid) || packed.has(s.oid))) {
        const kept = files.has(s.oid) ? readFileSync(join(dir, s.oid)) : readFromPack(repo, oldPack!, s.oid);
        if (kept) return void bodies.set(s.oid, [kept]);
      }
      const entries = parseTree(listing ?? (await readObject(s.oid, 'tree', `${BEADS}/${s.name}`)), oidBytes);
      checkListing(`${BEADS}/${s.name}`, entries);
      const before = previous.has(s.name) ? loadShard(repo, previous.get(s.name)!, oldPack) : null;
      const byOid = new Map<string, Buffer>();
      for (const e of before?.entries ?? []) {
        const c = before!.content.get(e.name);
        if (c) byOid.set(e.oid, c);
      }
      const content = new Map<string, Buffer>();
      const unread: TreeEntry[] = [];
      for (const e of entries) {
        if (!keeps(s.name, e)) continue;
        const had = known.get(e.oid) ?? byOid.get(e.oid);
        if (had) content.set(e.name, had);
        else unread.push(e);
      }
      // the records not at hand (a refresh that did not read them), read together
      if (!lazy)
        await Promise.all(
          unread.map(async (e) => content.set(e.name, await readObject(e.oid, 'blob', `${BEADS}/${s.name}/${e.name}`))),
        );
      bodies.set(s.oid, shardFile(s.oid, entries, content));
    }),
  );
  // each shard's excerpts, by blob id: those at hand or held already (none is read for this)
  const keptExcerpts = new Map<string, Buffer>();
  for (const e of excerpts) {
    if (isTree(e.mode) || files.has(e.oid)) continue;
    const data = known.get(e.oid) ?? (packed.has(e.oid) ? readFromPack(repo, oldPack!, e.oid) : null);
    if (data) keptExcerpts.set(e.oid, data);
  }
  let pack = oldPack;
  if (repack) {
    for (const [oid, data] of keptExcerpts) bodies.set(oid, [data]);
    const index: Record<string, [number, number]> = {};
    let at = 0;
    for (const [oid, body] of bodies) {
      const size = sizeOf(body);
      index[oid] = [at, size];
      at += size;
    }
    pack = `pack-${beadsEntry!.oid}`;
    writeFileAtomic(join(dir, pack), [
      Buffer.from(JSON.stringify({ format: FORMAT, index }) + '\n'),
      ...[...bodies.values()].flat(),
    ]);
    packIndexesOf.get(repo)?.delete(join(dir, pack));
  } else {
    for (const [oid, body] of bodies) writeFileAtomic(join(dir, oid), body);
    for (const [oid, data] of keptExcerpts) if (!packed.has(oid)) writeFileAtomic(join(dir, oid), data);
  }
  const small: Record<string, string> = {};
  await Promise.all(
    root
      .filter((e) => SMALL_ROOT_FILES.has(e.name) && !isTree(e.mode))
      .map(async (e) => {
        const data = await readObject(e.oid, 'blob', e.name);
        if (data.length <= SMALL_FILE) small[e.oid] = data.toString('base64');
      }),
  );
  const manifest: Manifest = {
    format: FORMAT,
    tip,
    root: root.map((e) => [e.name, e.mode, e.oid]),
    beadsTree: beadsRaw?.toString('base64') ?? '',
    small,
    pack,
    excerptsTree: excerptsRaw?.toString('base64') ?? '',
  };
  writeFileAtomic(join(dir, 'MANIFEST'), JSON.stringify(manifest));
  lastWritten.set(repo, { ...manifest, dir });
  // readers of the previous tip that still open these fall back to git
  if (repack) {
    for (const f of files) if (f !== 'MANIFEST' && f !== pack && !f.includes('.tmp-')) removeFile(join(dir, f));
  } else {
    const now = new Set([...beads, ...excerpts].map((e) => e.oid));
    for (const oid of previous.values()) if (!now.has(oid)) removeFile(join(dir, oid));
    const before = old?.excerptsTree ? parseTree(Buffer.from(old.excerptsTree, 'base64'), oidBytes) : [];
    for (const e of before) if (!now.has(e.oid)) removeFile(join(dir, e.oid));
  }
}
