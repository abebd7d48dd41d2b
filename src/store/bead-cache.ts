// The derived bead cache in $GIT_COMMON_DIR/sase/cache/ (ARCHITECTURE.md 2b).
// Keyed by the state tip; always safe to delete. The table of excerpts and
// relations is sharded as the state is (by the first two characters of an
// id's hash): one file a shard, named by the tip it was written at, and a
// HEAD naming the tip and, a line a shard, each shard's file (the first build
// puts every shard in one pack: creating a thousand files costs seconds). A
// refresh re-reads only the records `git diff-tree` names, re-evaluates
// blocked flags downstream of them (loading only the shards it walks into),
// rewrites only the shards that changed and their lines of HEAD, and updates
// the pre-rendered ready list in place, so a read after a write costs what
// changed, and `bead ready` reads one file.
import { closeSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { EXCERPTS_DIR, excerptsTree, lineOf, parseExcerptLines, parseExcerpts } from '../core/beads/excerpts.ts';
import { compareReady, hasOpenChildren } from '../core/beads/graph.ts';
import { naturalIdOrder, shortIdsAmong } from '../core/beads/ids.ts';
import { type Bead, idFromPath, parseStoredBead } from '../core/beads/model.ts';
import {
  type BeadTable,
  type Excerpt,
  evaluateEach,
  excerptOf,
  reevaluate,
  type TableView,
} from '../core/beads/table.ts';
import { pushTo, sortedUnique } from '../core/collections.ts';
import { checkPath, checkPaths, MAX_STATE_BLOB, MAX_STATE_TREE } from '../core/layout.ts';
import { BULK_FROM, readObjectsInBulk } from '../git/bulk-read.ts';
import { ObjectTooLargeError } from '../git/catfile.ts';
import { GitError } from '../git/exec.ts';
import type { TreeChange } from '../git/history.ts';
import { changedEntries, parseTree } from '../git/objects.ts';
import { localPath } from '../git/repo.ts';
import { removeFile, removeOtherFormats, writeFileAtomic } from '../proc/files.ts';
import { BEADS_DIR, type RelationIndex } from './beads.ts';
import { hashForm, idListLines, spliceIdList } from './id-list.ts';
import { type ReadyLines, type ReadyLinesJob, startReadyLines } from './ready-lines.ts';
import { mirroredBeads, recordsTip, refreshRecords } from './records-cache.ts';
import { LIST_HEAD, type ListBody, type ListKind, type ListSource, READY, RenderedList } from './rendered-list.ts';
import { checkListing, oidBytesOf, readStateObject, TooLargeStateError, walkStateFiles } from './snapshot.ts';
import type { Store } from './store.ts';
import { diffStateTrees } from './tree-diff.ts';

// 2: a bead with unclosed children is not ready; 3: satisfied marks, missing parents block; 4: sharded;
// 5: each shard's first bead in list order, so a list with a limit reads only the shards it needs;
// 6: ready's order breaks ties by ids in natural order, as the list's does;
// 7: HEAD a line a shard, so a refresh reads and writes only the lines it changes;
// 8: a shard's excerpts a line each, as the state's excerpts files hold them;
// 9: a shard's first line its ids, not their short forms (a cold build tells only the ready beads' short ids)
const CACHE_FORMAT = 9;

export type Progress = (done: number, total: number) => void;

function cacheDir(store: Store): string {
  return localPath(store.repo, 'cache');
}

/** the sharded table: HEAD and the shard files, the format in the name */
export function tableDir(store: Store): string {
  return localPath(store.repo, 'cache', `beads-${CACHE_FORMAT}`);
}

/** a character's place among [0-9a-z], or -1 */
const shardDigit = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1);

/** the two-character keys met so far, by their two places: each made once (and hashed once) */
const twoCharKeys: (string | undefined)[] = new Array(36 * 36);

/**
 * The shard an id (or any relation key: a missing bead, an external
 * reference) belongs to: the first two characters of its hash when they are
 * [a-z0-9], else '_'. Called for every id a build or a lookup touches
 * (300,000 times in a cold build of 100,000 beads): it allocates nothing
 * once a key has been met.
 */
export function shardKey(id: string): string {
  const dot = id.indexOf('.');
  const end = dot < 0 ? id.length : dot;
  const start = end > 0 ? id.lastIndexOf('-', end - 1) + 1 : 0;
  const n = Math.min(2, end - start);
  if (n <= 0) return '_';
  const a = shardDigit(id.charCodeAt(start));
  if (a < 0) return '_';
  if (n === 1) return id.charAt(start);
  const b = shardDigit(id.charCodeAt(start + 1));
  if (b < 0) return '_';
  twoCharKeys[a * 36 + b] ??= id.slice(start, start + 2);
  return twoCharKeys[a * 36 + b]!;
}

/** an id without its child numbers: what id order compares first */
const topOf = (id: string) => {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
};

/** The list order's keys (compareReady) of a shard's first bead in that order. */
type ListBound = [priority: number, created_at: string, id: string];

/**
 * A shard's place: its file, the byte range in it, the smallest and largest
 * top-level id of its beads, and the list order's keys of its first bead not
 * closed and of its first bead of all (null when it has none).
 */
type ShardRef = [
  file: string,
  offset: number,
  length: number,
  minTop: string | null,
  maxTop: string | null,
  firstOpen: ListBound | null,
  firstAny: ListBound | null,
];

interface Shard {
  beads: Map<string, Excerpt>;
  children: Map<string, string[]>;
  dependants: Map<string, string[]>;
  /** the excerpts' lines as the state's excerpts file holds them, while the shard's beads are those it read */
  lines?: Buffer;
  /** the top-level hashes of its beads, sorted (what short ids are told among), while its beads are the same */
  hashes?: string[];
}

/**
 * A shard file named by HEAD is gone or unreadable (a concurrent refresh
 * removed it), or a line of HEAD is damaged: rebuild.
 */
class CacheMiss extends Error {}

/** A ref as a HEAD line holds it, checked as far as a reader relies on it (the range); a miss when it is none. */
function parseRef(text: string): ShardRef {
  let ref: ShardRef;
  try {
    ref = JSON.parse(text) as ShardRef;
  } catch (err) {
    throw new CacheMiss(`a HEAD line: ${err}`);
  }
  if (!Array.isArray(ref) || ref.length !== 7 || typeof ref[0] !== 'string' || !(ref[1] >= 0) || !(ref[2] >= 0))
    throw new CacheMiss(`a HEAD line: not a shard ref`);
  return ref;
}

/**
 * HEAD: a first line {format, tip, size, ids} (size: the bytes after it, so a
 * HEAD cut short is no HEAD; ids: the stamp of the list of ids that lists its
 * beads, id-list.ts), then a line a shard in key order, `<key>\t<ShardRef>`.
 * A refresh after a write touches one or two shards of a thousand: their
 * lines are parsed as asked for, and the next HEAD copies the lines it keeps.
 * A line that does not parse is a cache miss.
 */
class HeadFile {
  /** the refs parsed so far, by key (undefined: no line) */
  private readonly parsed = new Map<string, ShardRef | undefined>();
  /** every line's, once one caller needed them all */
  private whole: Map<string, ShardRef> | null = null;

  private constructor(
    readonly tip: string | null,
    readonly bytes: Buffer,
    /** where the shard lines start */
    private readonly body: number,
    /** the stamp of the id list that lists the table's beads: a tip with the same ids */
    readonly idsAt: string,
  ) {}

  static empty(): HeadFile {
    return HeadFile.make(null, [], 'empty');
  }

  /** The HEAD in `bytes`; null when it is of another format or cut short. */
  static parse(bytes: Buffer): HeadFile | null {
    const nl = bytes.indexOf(10);
    if (nl < 0) return null;
    const first = JSON.parse(bytes.toString('utf8', 0, nl)) as {
      format?: unknown;
      tip?: unknown;
      size?: unknown;
      ids?: unknown;
    };
    if (first.format !== CACHE_FORMAT || (typeof first.tip !== 'string' && first.tip !== null)) return null;
    if (first.size !== bytes.length - nl - 1 || (first.size > 0 && bytes[bytes.length - 1] !== 10)) return null;
    // a HEAD from before the list: its own tip has its ids
    const ids = typeof first.ids === 'string' ? first.ids : (first.tip ?? 'empty');
    return new HeadFile(first.tip, bytes, nl + 1, ids);
  }

  private static make(tip: string | null, lines: Buffer[], ids: string): HeadFile {
    const size = lines.reduce((n, l) => n + l.length, 0);
    const first = Buffer.from(`${JSON.stringify({ format: CACHE_FORMAT, tip, size, ids })}\n`);
    return new HeadFile(tip, Buffer.concat([first, ...lines]), first.length, ids);
  }

  /** The ref of a shard; undefined when HEAD has none (the shard is empty). */
  ref(key: string): ShardRef | undefined {
    if (this.whole) return this.whole.get(key);
    if (this.parsed.has(key)) return this.parsed.get(key);
    const [start, end] = this.lineOf(key, this.body);
    const ref = start < end ? parseRef(this.bytes.toString('utf8', start + key.length + 1, end - 1)) : undefined;
    this.parsed.set(key, ref);
    return ref;
  }

  keys(): string[] {
    return [...this.all().keys()];
  }

  /** Every shard's ref, in key order. */
  entries(): [string, ShardRef][] {
    return [...this.all()];
  }

  /** Every line parsed, once: the keys must be valid and ascending. */
  private all(): Map<string, ShardRef> {
    if (this.whole) return this.whole;
    const refs = new Map<string, ShardRef>();
    // one string for all the lines: a thousand small decodes cost more than their parses
    const text = this.bytes.toString('utf8', this.body);
    let prev = '';
    for (let at = 0; at < text.length; ) {
      const nl = text.indexOf('\n', at);
      const tab = text.indexOf('\t', at);
      if (tab < 0 || tab > nl) throw new CacheMiss('a HEAD line without a key');
      const key = text.slice(at, tab);
      if (key <= prev || shardKey(`x-${key}`) !== key) throw new CacheMiss(`a HEAD line of key ${key}`);
      refs.set(key, this.parsed.get(key) ?? parseRef(text.slice(tab + 1, nl)));
      prev = key;
      at = nl + 1;
    }
    this.whole = refs;
    return refs;
  }

  /**
   * The byte range of the line of `key`, looked for from `from` (a line's
   * start); when it has none, an empty range where it would go.
   */
  private lineOf(key: string, from: number): [number, number] {
    const found = this.bytes.indexOf(`\n${key}\t`, from - 1, 'latin1');
    if (found >= 0) return [found + 1, this.bytes.indexOf(10, found + 1) + 1];
    let at = from;
    while (at < this.bytes.length) {
      const tab = this.bytes.indexOf(9, at);
      if (tab < 0 || this.bytes.toString('latin1', at, tab) > key) break;
      at = this.bytes.indexOf(10, tab) + 1;
      if (at === 0) throw new CacheMiss('a HEAD line without its end');
    }
    return [at, at];
  }

  /**
   * The HEAD at `tip` with the lines of `changes` replaced, added or removed
   * (null: the shard is gone); `changes` in key order. The other lines are
   * copied as they are: a merge of two sorted sequences.
   */
  with(tip: string | null, changes: Map<string, ShardRef | null>, ids: string): HeadFile {
    const lines: Buffer[] = [];
    let at = this.body;
    for (const [key, ref] of changes) {
      const [start, end] = this.lineOf(key, at);
      lines.push(this.bytes.subarray(at, start));
      if (ref) lines.push(Buffer.from(`${key}\t${JSON.stringify(ref)}\n`));
      at = end;
    }
    lines.push(this.bytes.subarray(at));
    return HeadFile.make(tip, lines, ids);
  }

  /** Whether a line names `file` (the first field of every ref). */
  names(file: string): boolean {
    return this.bytes.indexOf(`\t[${JSON.stringify(file)},`, this.body) >= 0;
  }
}

export type { HeadFile };

export function loadHead(store: Store): HeadFile | null {
  try {
    return HeadFile.parse(readFileSync(join(tableDir(store), 'HEAD')));
  } catch {
    return null;
  }
}

/**
 * The bytes of a shard: its ids on the first line (what completion reads),
 * then its excerpts and relations. `files`: whole files already read.
 */
export function readShardBytes(dir: string, ref: ShardRef, files?: Map<string, Buffer>): Buffer {
  const whole = files?.get(ref[0]);
  let body: Buffer;
  if (whole) body = whole.subarray(ref[1], ref[1] + ref[2]);
  else {
    // a range of a pack: read alone
    const fd = openSync(join(dir, ref[0]), 'r');
    try {
      body = Buffer.alloc(ref[2]);
      body = body.subarray(0, readSync(fd, body, 0, ref[2], ref[1]));
    } finally {
      closeSync(fd);
    }
  }
  if (body.length !== ref[2]) throw new CacheMiss(`short shard ${ref[0]}`);
  return body;
}

// A shard file: the ids (a line), the derived data {blocked, rel} (a
// line: the beads blocked, and each id's children and dependants), then a
// line a bead as the state's excerpts file holds it (a cold build copies
// those bytes as they are).
function parseShard(body: Buffer): Shard {
  const nl = body.indexOf(10);
  const nl2 = body.indexOf(10, nl + 1);
  const derived = JSON.parse(body.subarray(nl + 1, nl2).toString('utf8')) as {
    blocked: string[];
    rel: [string, string[], string[]][];
  };
  const shard: Shard = { beads: new Map(), children: new Map(), dependants: new Map() };
  for (const e of parseExcerptLines(body.subarray(nl2 + 1))) shard.beads.set(e.id, e);
  for (const id of derived.blocked) {
    const e = shard.beads.get(id);
    if (!e) throw new CacheMiss(`a blocked bead not in its shard: ${id}`);
    e.blocked = true;
  }
  for (const [id, kids, deps] of derived.rel) {
    if (kids.length) shard.children.set(id, kids);
    if (deps.length) shard.dependants.set(id, deps);
  }
  return shard;
}

interface ShardFile {
  /** the file's bytes, in pieces (a pack of them is written without joining) */
  body: Buffer[];
  size: number;
  minTop: string | null;
  maxTop: string | null;
  firstOpen: ListBound | null;
  firstAny: ListBound | null;
}

/** The ids with relations in a shard whose bead ids are `ids` (sorted): those of its beads, then any other (a missing bead's), in order. */
function relationKeys(shard: Shard, ids: readonly string[]): string[] {
  const keys = ids.filter((id) => shard.children.has(id) || shard.dependants.has(id));
  const others: string[] = [];
  for (const k of shard.children.keys()) if (!shard.beads.has(k)) others.push(k);
  for (const k of shard.dependants.keys()) if (!shard.beads.has(k)) others.push(k);
  return others.length ? sortedUnique(keys.concat(others)) : keys;
}

/** a character JSON.stringify escapes in a string (a quote aside) */
const ESCAPED = /[\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Whether `line`, JSON made by joining `strings` strings in quotes, is what
 * JSON.stringify makes: it has two quotes a string and nothing to escape.
 */
function isPlainJson(line: string, strings: number): boolean {
  let quotes = 0;
  for (let at = line.indexOf('"'); at >= 0; at = line.indexOf('"', at + 1)) quotes++;
  return quotes === 2 * strings && !ESCAPED.test(line);
}

/** A JSON array of strings joined by hand, each in quotes as it is (what isPlainJson checks). */
const joinedStrings = (l: readonly string[] | undefined) => (l?.length ? `["${l.join('","')}"]` : '[]');

/** `JSON.stringify(ids)`, joined by hand where none needs escaping. */
function idsJson(ids: readonly string[]): string {
  const line = joinedStrings(ids);
  return isPlainJson(line, ids.length) ? line : JSON.stringify(ids);
}

/**
 * A shard's derived line, `JSON.stringify({ blocked, rel })`: joined by hand
 * (a third of the time at 100,000 beads) where no id needs escaping, which
 * holds when the line has two quotes a string and nothing else to escape.
 */
function derivedLine(shard: Shard, ids: readonly string[]): string {
  const blocked = ids.filter((id) => shard.beads.get(id)!.blocked);
  const keys = relationKeys(shard, ids);
  let strings = 2 + blocked.length; // the two keys
  const rel: string[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const id = keys[i]!;
    const kids = shard.children.get(id);
    const deps = shard.dependants.get(id);
    rel[i] = `["${id}",${joinedStrings(kids)},${joinedStrings(deps)}]`;
    strings += 1 + (kids?.length ?? 0) + (deps?.length ?? 0);
  }
  const line = `{"blocked":${joinedStrings(blocked)},"rel":[${rel.join(',')}]}`;
  if (isPlainJson(line, strings)) return line;
  const relations = keys.map((id) => [id, shard.children.get(id) ?? [], shard.dependants.get(id) ?? []]);
  return JSON.stringify({ blocked, rel: relations });
}

function shardBody(shard: Shard): ShardFile {
  const ids = [...shard.beads.keys()].sort();
  // the first line: the ids, all that completion reads
  const body = [
    Buffer.from(`${idsJson(ids)}\n${derivedLine(shard, ids)}\n`),
    shard.lines ?? Buffer.from(ids.map((id) => lineOf(shard.beads.get(id)!)).join('')),
  ];
  // the smallest and largest top-level id: a scan, not a sort
  let minTop: string | null = null;
  let maxTop: string | null = null;
  for (const id of ids) {
    const top = topOf(id);
    if (minTop === null || top < minTop) minTop = top;
    if (maxTop === null || top > maxTop) maxTop = top;
  }
  let firstOpen: Excerpt | null = null;
  let firstAny: Excerpt | null = null;
  for (const e of shard.beads.values()) {
    if (!firstAny || compareReady(e, firstAny) < 0) firstAny = e;
    if (e.status !== 'closed' && (!firstOpen || compareReady(e, firstOpen) < 0)) firstOpen = e;
  }
  const bound = (e: Excerpt | null): ListBound | null => (e ? [e.priority, e.created_at, e.id] : null);
  return {
    body,
    size: body[0]!.length + body[1]!.length,
    minTop,
    maxTop,
    firstOpen: bound(firstOpen),
    firstAny: bound(firstAny),
  };
}

/** The sorted top-level hashes of a shard's beads, kept on the shard. */
function shardHashes(shard: Shard): string[] {
  shard.hashes ??= topHashes(shard.beads.keys());
  return shard.hashes;
}

/** The hashes of the top-level ids among `ids` (the shard's, then each one's short id is unique among them), sorted. */
function topHashes(ids: Iterable<string>): string[] {
  const hashes: string[] = [];
  for (const id of ids) if (id.indexOf('.') < 0) hashes.push(hashForm(id));
  return sortedUnique(hashes);
}

const emptyShard = (): Shard => ({ beads: new Map(), children: new Map(), dependants: new Map() });

/** The shard of `id` in `shards`, made empty when there is none. */
function shardOf(shards: Map<string, Shard>, id: string): Shard {
  const k = shardKey(id);
  let s = shards.get(k);
  if (!s) shards.set(k, (s = emptyShard()));
  return s;
}

/**
 * Puts a relation list in id order. A cold build files each in the order it
 * meets the beads, mostly id order already: checked before sorting, which
 * costs more than the check (30,000 lists of two or more at 100,000 beads).
 */
function inIdOrder(list: string[]): void {
  for (let i = 1; i < list.length; i++)
    if (naturalIdOrder(list[i - 1]!, list[i]!) > 0) {
      list.sort(naturalIdOrder);
      return;
    }
}

/** Adds `id` to a relation list, kept in id order (so a shard's bytes depend only on the state). */
function addTo(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key) ?? [];
  if (list.includes(id)) return;
  list.push(id);
  list.sort(naturalIdOrder);
  map.set(key, list);
}

function removeFrom(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (!list) return;
  const rest = list.filter((x) => x !== id);
  if (rest.length) map.set(key, rest);
  else map.delete(key);
}

/** The table at one tip, its shards loaded as they are asked for; changes are written by save(). */
class ShardedTable {
  private readonly shards = new Map<string, Shard>();
  private readonly dirty = new Set<string>();
  private readonly dir: string;

  constructor(
    readonly store: Store,
    public head: HeadFile,
  ) {
    this.dir = tableDir(store);
  }

  shard(key: string, files?: Map<string, Buffer>): Shard {
    let s = this.shards.get(key);
    if (!s) {
      try {
        const ref = this.head.ref(key);
        s = ref ? parseShard(readShardBytes(this.dir, ref, files)) : emptyShard();
      } catch (err) {
        throw err instanceof CacheMiss ? err : new CacheMiss(String(err));
      }
      this.shards.set(key, s);
    }
    return s;
  }

  /** A shard made in memory (the cold build), to be written whole. */
  put(key: string, shard: Shard): void {
    this.shards.set(key, shard);
    this.dirty.add(key);
  }

  get(id: string): Excerpt | undefined {
    return this.shard(shardKey(id)).beads.get(id);
  }

  childrenOf(id: string): string[] {
    return this.shard(shardKey(id)).children.get(id) ?? [];
  }

  dependantsOf(id: string): string[] {
    return this.shard(shardKey(id)).dependants.get(id) ?? [];
  }

  /** Marks the shard of `id` to be written (its excerpt was changed in place). */
  touch(id: string): void {
    this.dirty.add(shardKey(id));
  }

  set(e: Excerpt): void {
    const old = this.get(e.id);
    if (old) this.unlink(old);
    const s = this.shard(shardKey(e.id));
    s.beads.set(e.id, e);
    s.lines = undefined;
    s.hashes = undefined;
    this.touch(e.id);
    if (e.parent_id) this.relate('children', e.parent_id, e.id, true);
    for (const d of e.deps) this.relate('dependants', d, e.id, true);
  }

  delete(id: string): void {
    const old = this.get(id);
    if (!old) return;
    this.unlink(old);
    const s = this.shard(shardKey(id));
    s.beads.delete(id);
    s.lines = undefined;
    s.hashes = undefined;
    this.touch(id);
  }

  private unlink(e: Excerpt): void {
    if (e.parent_id) this.relate('children', e.parent_id, e.id, false);
    for (const d of e.deps) this.relate('dependants', d, e.id, false);
  }

  private relate(kind: 'children' | 'dependants', of: string, id: string, add: boolean): void {
    const map = this.shard(shardKey(of))[kind];
    if (add) addTo(map, of, id);
    else removeFrom(map, of, id);
    this.dirty.add(shardKey(of));
  }

  view(): TableView {
    return {
      beads: { get: (id) => this.get(id) },
      children: { get: (id) => this.shard(shardKey(id)).children.get(id) },
      dependants: { get: (id) => this.shard(shardKey(id)).dependants.get(id) },
    };
  }

  /** Whether a bead is ready, from its excerpt (blocked kept up to date by the refresh). */
  isReady(e: Excerpt): boolean {
    return (
      e.status === 'open' &&
      !e.blocked &&
      !hasOpenChildren(
        e.id,
        (id) => this.get(id),
        (id) => this.childrenOf(id),
      )
    );
  }

  /** Short ids, each from the top-level ids of its own shard (as tableShortIds). */
  shortIds(ids: string[]): Map<string, string> {
    const out = new Map<string, string>();
    const byKey = new Map<string, string[]>();
    for (const id of ids) pushTo(byKey, shardKey(id), id);
    for (const [k, list] of byKey)
      for (const [id, short] of shortIdsAmong(list, shardHashes(this.shard(k)))) out.set(id, short);
    return out;
  }

  /** The shard keys holding beads, in the order of their smallest id, with their id ranges. */
  orderedKeys(): { key: string; minTop: string; maxTop: string }[] {
    return this.head
      .entries()
      .filter(([, r]) => r[3] !== null)
      .map(([key, r]) => ({ key, minTop: r[3]!, maxTop: r[4]! }))
      .sort((a, b) => (a.minTop < b.minTop ? -1 : a.minTop > b.minTop ? 1 : 0));
  }

  /**
   * The shard keys holding a bead a list may show (one not closed, unless
   * `closed`), in the list order of that first bead, with its keys.
   */
  keysInListOrder(closed: boolean): { key: string; first: ListBound }[] {
    const keys: { key: string; first: ListBound }[] = [];
    for (const [key, r] of this.head.entries()) {
      const first = closed ? r[6] : r[5];
      if (first) keys.push({ key, first });
    }
    return keys.sort((a, b) => compareBounds(a.first, b.first));
  }

  /**
   * The excerpts `want` keeps, in list order (compareReady), up to `limit`.
   * `closed`: whether `want` may keep a closed bead. Shards are read in the
   * order of their first bead that `want` may keep, and the reading stops once
   * `limit` excerpts are known to come before every bead of the shards unread.
   */
  firstInListOrder(want: (e: Excerpt) => boolean, closed: boolean, limit: number): Excerpt[] {
    const keys = this.keysInListOrder(closed);
    let picked: Excerpt[] = [];
    for (let i = 0; i < keys.length; i++) {
      for (const e of this.shard(keys[i]!.key).beads.values()) if (want(e)) picked.push(e);
      // only the first `limit` so far can be among the first `limit` of all: the count below stays small
      if (picked.length > 2 * limit) picked = picked.sort(compareReady).slice(0, limit);
      const next = keys[i + 1]?.first;
      if (!next || picked.length < limit) continue;
      const [priority, created_at, id] = next;
      let before = 0;
      for (const e of picked) if (compareReady(e, { priority, created_at, id }) < 0) before++;
      if (before >= limit) break;
    }
    return picked.sort(compareReady).slice(0, limit);
  }

  /** Every shard, as one table. */
  all(): BeadTable {
    const table: BeadTable = { tip: this.head.tip, beads: new Map(), children: new Map(), dependants: new Map() };
    for (const s of this.every()) {
      for (const [id, e] of s.beads) table.beads.set(id, e);
      for (const [id, l] of s.children) table.children.set(id, l);
      for (const [id, l] of s.dependants) table.dependants.set(id, l);
    }
    return table;
  }

  /** Every bead's excerpt, shard by shard. */
  *excerpts(): Iterable<Excerpt> {
    for (const s of this.every()) yield* s.beads.values();
  }

  /** Every shard, loaded, in key order. */
  private every(): Shard[] {
    const keys = new Set([...this.head.keys(), ...this.shards.keys()]);
    // each file read once, whole (the first build put every shard in one)
    const files = new Map<string, Buffer>();
    try {
      for (const key of keys) {
        const f = this.shards.has(key) ? undefined : this.head.ref(key)?.[0];
        if (f && !files.has(f)) files.set(f, readFileSync(join(this.dir, f)));
      }
    } catch (err) {
      throw new CacheMiss(String(err));
    }
    return [...keys].sort().map((key) => this.shard(key, files));
  }

  /**
   * Writes the changed shards for `tip` (one pack when `pack`), then HEAD,
   * then removes the files only the previous HEAD named: a reader that still
   * opens one of them rebuilds. `idsChanged` as for writeShards.
   */
  save(tip: string | null, pack = false, idsChanged?: ReadonlySet<string>): void {
    this.writeShards(tip, pack, idsChanged)();
  }

  /**
   * Writes the changed shards for `tip`; the function returned writes HEAD
   * naming them (what makes them the table) and removes the files only the
   * previous HEAD named. `idsChanged`: the shards that gained or lost beads
   * (their lines of the id list are spliced); none given, any may have (a
   * cold build: the list is made anew when a completion asks for it).
   */
  writeShards(tip: string | null, pack: boolean, idsChanged?: ReadonlySet<string>): () => void {
    const stamp = tip ?? 'empty';
    const tag = stamp.slice(0, 16);
    const changes = new Map<string, ShardRef | null>();
    const idLines = new Map<string, string[]>();
    mkdirSync(this.dir, { recursive: true });
    const bodies: Buffer[] = [];
    let at = 0;
    for (const key of [...this.dirty].sort()) {
      const s = this.shards.get(key)!;
      if (!s.beads.size && !s.children.size && !s.dependants.size) {
        changes.set(key, null);
        if (idsChanged?.has(key)) idLines.set(key, []);
        continue;
      }
      const { body, size, minTop, maxTop, firstOpen, firstAny } = shardBody(s);
      if (idsChanged?.has(key))
        idLines.set(key, idListLines([...shortIdsAmong([...s.beads.keys()], shardHashes(s)).values()]));
      if (pack) {
        changes.set(key, [`pack-${tag}`, at, size, minTop, maxTop, firstOpen, firstAny]);
        bodies.push(...body);
        at += size;
      } else {
        writeFileAtomic(join(this.dir, `${key}-${tag}`), body);
        changes.set(key, [`${key}-${tag}`, 0, size, minTop, maxTop, firstOpen, firstAny]);
      }
    }
    if (bodies.length) writeFileAtomic(join(this.dir, `pack-${tag}`), bodies);
    this.dirty.clear();
    return () => {
      // the lines kept name the same files as before: only the replaced lines' files may be named no more
      const replaced = new Set<string>();
      for (const key of changes.keys()) {
        const f = this.head.ref(key)?.[0];
        if (f) replaced.add(f);
      }
      // the id list's stamp moves when beads came or went, the list with it when it can be spliced
      let ids = this.head.idsAt;
      if (!idsChanged) ids = stamp;
      else if (idsChanged.size && ids !== stamp) {
        spliceIdList(this.dir, ids, stamp, idLines);
        ids = stamp;
      }
      this.head = this.head.with(tip, changes, ids);
      writeFileAtomic(join(this.dir, 'HEAD'), this.head.bytes);
      for (const f of replaced) if (!this.head.names(f)) removeFile(join(this.dir, f));
    };
  }
}

/**
 * Hands `each` the bead of every listed file, in their order, as it is
 * parsed; `raw` gets the bytes read, by blob id (for the records mirror).
 * Many (a cold build, a large import) are read by one bulk read, each parsed
 * as it arrives while git reads the next, and none is kept here: what the
 * caller drops (a closed bead's whole record) is garbage while still young.
 * A few are read by the long-lived reader.
 */
async function readBlobs(
  store: Store,
  files: { path: string; oid: string }[],
  raw: Map<string, Buffer>,
  each: (bead: Bead, i: number) => void,
  progress?: Progress,
  atHand?: Map<string, Buffer>,
): Promise<void> {
  let done = 0;
  await readEach(
    store,
    files,
    (i, data) => {
      const f = files[i]!;
      if (!data) throw new GitError(['cat-file'], 128, `missing blob ${f.oid} for ${f.path}`);
      raw.set(f.oid, data);
      each(parseStoredBead(data.toString('utf8'), f.path), i);
      if (progress && ++done % 2000 === 0) progress(done, files.length);
    },
    atHand,
  );
}

/**
 * Hands `each` the bytes of every listed blob, in their order (undefined
 * when git has none): many by one bulk read, each as it arrives while git
 * reads the next; a few by the long-lived reader.
 */
async function readEach(
  store: Store,
  files: { path: string; oid: string }[],
  each: (i: number, data: Buffer | undefined) => void,
  atHand?: Map<string, Buffer>,
): Promise<void> {
  if (files.length < BULK_FROM) {
    const data = await Promise.all(
      files.map(
        async (f) => atHand?.get(f.oid) ?? (await readStateObject(store.cat, f.oid, f.path, MAX_STATE_BLOB))?.data,
      ),
    );
    for (let i = 0; i < data.length; i++) each(i, data[i]);
    return;
  }
  try {
    await readObjectsInBulk(
      store.repo,
      files.map((f) => f.oid),
      MAX_STATE_BLOB,
      (i, obj) => each(i, obj?.data),
    );
  } catch (err) {
    if (err instanceof ObjectTooLargeError) {
      const f = files.find((x) => x.oid === err.name)!;
      throw new TooLargeStateError(f.path, err.size, err.max);
    }
    throw err;
  }
}

/**
 * The directories under beads/ that a change between two tips touched, read
 * within the size a reader takes, as the cold build reads them: a shard grown
 * too large is refused however its records came.
 */
async function checkChangedDirs(store: Store, tip: string, changes: readonly TreeChange[]): Promise<void> {
  const dirs = new Set<string>();
  for (const c of changes) {
    if (c.oid === null || !c.path.startsWith(`${BEADS_DIR}/`)) continue;
    const parts = c.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const dir of [...dirs].sort()) await readStateObject(store.cat, `${tip}:${dir}`, dir, MAX_STATE_TREE);
}

// TREES, beside HEAD: beads/ as git stores it at the table's tip (a header
// line {tip}, then the tree's bytes), so the refresh after a write can tell
// which directories changed from the records mirror alone (the writer brings
// the mirror to its new tip), starting no git.
function saveTrees(store: Store, tip: string | null, tree?: Buffer): void {
  const beads = tree ?? (tip ? mirroredBeads(store.repo, store.cat, tip)?.tree : undefined);
  if (beads) writeFileAtomic(join(tableDir(store), 'TREES'), [Buffer.from(`${JSON.stringify({ tip })}\n`), beads]);
}

function loadTrees(store: Store, tip: string): Buffer | null {
  try {
    const data = readFileSync(join(tableDir(store), 'TREES'));
    const nl = data.indexOf(10);
    return JSON.parse(data.subarray(0, nl).toString('utf8')).tip === tip ? data.subarray(nl + 1) : null;
  } catch {
    return null;
  }
}

/**
 * The changes to beads/ from the table's tip to `tip`, and the records they
 * name, from the records mirror at `tip` and TREES at the table's tip: the
 * old side of a changed directory is the table's own shard (its excerpts
 * name each record's blob). Null when either is missing or beads/ holds
 * anything but directories of records (git's diff then says what changed).
 */
function changesFromMirror(
  store: Store,
  table: ShardedTable,
  tip: string,
): { changes: TreeChange[]; records: Map<string, Buffer>; tree: Buffer } | null {
  const beforeRaw = table.head.tip ? loadTrees(store, table.head.tip) : null;
  const now = beforeRaw ? mirroredBeads(store.repo, store.cat, tip) : null;
  if (!beforeRaw || !now) return null;
  const changes: TreeChange[] = [];
  const records = new Map<string, Buffer>();
  for (const { name, before, after } of changedEntries(beforeRaw, now.tree, oidBytesOf(store.repo))) {
    // beads/ as sase writes it holds directories named as shards, and nothing else
    if ([before, after].some((e) => e && e.mode !== '40000') || shardKey(`x-${name}`) !== name) return null;
    const old = new Map<string, string>();
    if (before) for (const e of table.shard(name).beads.values()) old.set(`${e.id}.json`, e.oid);
    if (after) {
      const shard = now.shard(name);
      if (!shard || shard.entries.some((e) => e.mode === '40000')) return null;
      for (const e of shard.entries) {
        const had = old.get(e.name);
        old.delete(e.name);
        if (had === e.oid && e.mode === '100644') continue;
        changes.push({ path: `${BEADS_DIR}/${name}/${e.name}`, oid: e.oid, mode: e.mode });
        const record = shard.content.get(e.name);
        if (record) records.set(e.oid, record);
      }
    }
    for (const gone of old.keys()) changes.push({ path: `${BEADS_DIR}/${name}/${gone}`, oid: null, mode: null });
  }
  return { changes, records, tree: now.tree };
}

/** The HEAD a cold build replaces (its files are removed), or none when it does not parse whole. */
function oldHead(store: Store): HeadFile {
  const head = loadHead(store);
  try {
    head?.keys();
    return head ?? HeadFile.empty();
  } catch (err) {
    if (!(err instanceof CacheMiss)) throw err;
    return HeadFile.empty();
  }
}

/**
 * Every bead's excerpt at `tip` into the shard of its id in `into`: a
 * shard's from its excerpts file where that names the shard's tree, else
 * from its records (each shard's tree read within the size a reader takes
 * before any of its records is). `read` gets the records read that are not
 * closed, `raw` the bytes read by id (for the records mirror); true when some
 * shard came from excerpts (the mirror then holds what is at hand, no more).
 */
async function readExcerpts(
  store: Store,
  tip: string,
  into: Map<string, Shard>,
  read: Map<string, Bead>,
  raw: Map<string, Buffer>,
  progress: Progress | undefined,
  /** each shard's excerpt lines as read, and how many, by its key, where its beads are all of that key */
  lines: Map<string, { lines: Buffer; count: number }>,
): Promise<boolean> {
  const oidBytes = oidBytesOf(store.repo);
  const root = await readStateObject(store.cat, `${tip}^{tree}`, '', MAX_STATE_TREE);
  const top = root?.type === 'tree' ? parseTree(root.data, oidBytes) : [];
  const beadsAt = top.find((e) => e.name === BEADS_DIR);
  const excerptsAt = top.find((e) => e.name === EXCERPTS_DIR && e.mode === '40000');
  let rest: string[] = [BEADS_DIR];
  let fromExcerpts = 0;
  if (beadsAt?.mode === '40000' && excerptsAt) {
    const [beadsTree, excerptsDir] = await Promise.all([
      readStateObject(store.cat, beadsAt.oid, BEADS_DIR, MAX_STATE_TREE),
      readStateObject(store.cat, excerptsAt.oid, EXCERPTS_DIR, MAX_STATE_TREE),
    ]);
    if (beadsTree?.type === 'tree' && excerptsDir?.type === 'tree') {
      raw.set(beadsAt.oid, beadsTree.data);
      raw.set(excerptsAt.oid, excerptsDir.data);
      const shards = parseTree(beadsTree.data, oidBytes);
      checkListing(BEADS_DIR, shards);
      const files = new Map(parseTree(excerptsDir.data, oidBytes).map((e) => [e.name, e]));
      const pairs = shards.flatMap((s) => {
        const f = files.get(s.name);
        return f && f.mode !== '40000' ? [{ shard: s, file: f }] : [];
      });
      const done = new Set<string>();
      const take = (i: number, data: Buffer | undefined) => {
        const { shard, file } = pairs[i]!;
        if (!data || excerptsTree(data) !== shard.oid) return;
        let excerpts: Excerpt[];
        try {
          excerpts = parseExcerpts(data);
        } catch {
          return; // read from the records
        }
        let same = !into.has(shard.name);
        for (let j = 0; same && j < excerpts.length; j++) same = shardKey(excerpts[j]!.id) === shard.name;
        if (same) {
          // the usual: a file of the shard's own beads, their shard made at once (a small map a shard, not one of all)
          const s = emptyShard();
          for (const e of excerpts) s.beads.set(e.id, e);
          into.set(shard.name, s);
          lines.set(shard.name, { lines: data.subarray(data.indexOf(10) + 1), count: excerpts.length });
        } else for (const e of excerpts) shardOf(into, e.id).beads.set(e.id, e);
        raw.set(file.oid, data);
        done.add(shard.name);
        fromExcerpts += excerpts.length;
        // the total as the shards read so far make it (a shard's excerpts give its count only once read)
        if (progress && done.size % 64 === 0)
          progress(fromExcerpts, Math.round((fromExcerpts / done.size) * pairs.length));
      };
      await readEach(
        store,
        pairs.map((p) => ({ oid: p.file.oid, path: `${EXCERPTS_DIR}/${p.shard.name}` })),
        take,
      );
      rest = shards.filter((s) => !done.has(s.name)).map((s) => `${BEADS_DIR}/${s.name}`);
    }
  }
  if (!rest.length) return fromExcerpts > 0;
  const walked = await Promise.all(
    rest.map((dir) => walkStateFiles(store.cat, store.repo, `${tip}:${dir}`, dir, undefined, raw)),
  );
  const files = walked.flatMap((f) => f ?? []);
  checkPaths(files);
  await readBlobs(
    store,
    files,
    raw,
    (b, i) => {
      shardOf(into, b.id).beads.set(b.id, excerptOf(b, files[i]!.oid));
      // the lists render only beads not closed: the rest are not kept (half the heap at 100,000 beads)
      if (b.status !== 'closed') read.set(files[i]!.oid, b);
    },
    progress,
  );
  return fromExcerpts > 0;
}

/**
 * Starts making the ready list's lines from the ready beads' records (in a
 * thread of their own when there are many: ./ready-lines.ts); the beads in
 * list order, and the function that gives their lines.
 */
async function startReadyList(
  store: Store,
  table: ShardedTable,
  all: readonly Excerpt[],
): Promise<{ kept: Excerpt[]; job: ReadyLinesJob; lines: () => Promise<ReadyLines> }> {
  const src = listSource(table, all);
  const kept = READY.first(src, Number.POSITIVE_INFINITY);
  const shorts = src.shortIds(kept.map((e) => e.id));
  // the records of a shard whose beads are all ready complete it in the records mirror (small stores)
  const readyIn = new Map<string, number>();
  for (const e of kept) readyIn.set(shardKey(e.id), (readyIn.get(shardKey(e.id)) ?? 0) + 1);
  const whole = (id: string) => readyIn.get(shardKey(id)) === table.shard(shardKey(id)).beads.size;
  const beads = kept.map((e) => ({ id: e.id, oid: e.oid, short: shorts.get(e.id)!, keep: whole(e.id) }));
  const job = { repo: store.repo, beads };
  return { kept, job, lines: await startReadyLines(job) };
}

/** The records the ready list's job kept, by blob id, for the records mirror. */
function keepRecords(job: ReadyLinesJob, made: ReadyLines, raw: Map<string, Buffer>): void {
  const records = Buffer.from(made.records.buffer, made.records.byteOffset, made.records.byteLength);
  let at = 0;
  let i = 0;
  for (const b of job.beads) {
    if (!b.keep) continue;
    const length = made.recordLengths[i++]!;
    raw.set(b.oid, records.subarray(at, at + length));
    at += length;
  }
}

/** Reads every bead at `tip` and writes the whole cache. */
async function coldBuild(store: Store, tip: string | null, progress: Progress | undefined): Promise<ShardedTable> {
  const read = new Map<string, Bead>();
  const raw = new Map<string, Buffer>();
  const lines = new Map<string, { lines: Buffer; count: number }>();
  const byKey = new Map<string, Shard>();
  const lazy = tip ? await readExcerpts(store, tip, byKey, read, raw, progress, lines) : false;
  // children (the ready list's rule needs them) filed straight into the shard of the parent, as buildRelations
  // does without a table of them all
  const all: Excerpt[] = [];
  for (const s of [...byKey.values()])
    for (const e of s.beads.values()) {
      all.push(e);
      if (e.parent_id) pushTo(shardOf(byKey, e.parent_id).children, e.parent_id, e.id);
    }
  const lookup = (id: string) => byKey.get(shardKey(id));
  evaluateEach(
    {
      beads: { get: (id) => lookup(id)?.beads.get(id) },
      children: { get: (id) => lookup(id)?.children.get(id) },
      dependants: { get: (id) => lookup(id)?.dependants.get(id) },
    },
    all,
  );
  const sharded = new ShardedTable(store, oldHead(store));
  // a shard read whole from the state's excerpts keeps their bytes (unless another shard's beads joined it)
  for (const [key, l] of lines) {
    const s = byKey.get(key)!;
    if (s.beads.size === l.count) s.lines = l.lines;
  }
  for (const key of sharded.head.keys()) if (!byKey.has(key)) sharded.put(key, emptyShard());
  for (const [key, s] of byKey) sharded.put(key, s);
  // the ready list's lines are made (git reading their records) while the table is written
  const readyList = lazy ? await startReadyList(store, sharded, all) : null;
  // dependants (which no list needs) into the shard of the bead depended on, while the ready list's lines are made
  for (const e of all) for (const d of e.deps) pushTo(shardOf(byKey, d).dependants, d, e.id);
  // the shards of missing beads that are depended on
  for (const [key, s] of byKey) if (!s.beads.size) sharded.put(key, s);
  // each relation list in id order, so a shard's bytes depend only on the state
  for (const s of byKey.values()) {
    for (const l of s.children.values()) inIdOrder(l);
    for (const l of s.dependants.values()) inIdOrder(l);
  }
  const writeHead = sharded.writeShards(tip, true);
  const readyLines = await readyList?.lines();
  if (readyList && readyLines) keepRecords(readyList.job, readyLines, raw);
  // the mirror first: whoever finds the table or a list current finds the mirror current too
  await refreshRecords(store.repo, store.cat, tip, raw, lazy);
  writeHead();
  saveTrees(store, tip);
  // files and tables of the earlier formats
  for (const f of ['table.json', 'relations']) removeFile(join(cacheDir(store), f));
  removeOtherFormats(cacheDir(store), 'beads', CACHE_FORMAT);
  // the ready list, which the build has made; the head of `bead list` is made by the first list that reads it
  // (5% of a cold build at 100,000 beads)
  const ready = renderedList(store, READY);
  if (readyList && readyLines) ready.writeMade(listSource(sharded), readyList.kept, readyLines);
  else await ready.writeFull(listSource(sharded), read);
  renderedList(store, LIST_HEAD).remove();
  return sharded;
}

/**
 * Brings the table from its HEAD's tip to `tip` by the records that changed;
 * null when it cannot (the old tip is gone, a shard file is missing).
 */
async function refreshFrom(store: Store, head: HeadFile, tip: string): Promise<ShardedTable | null> {
  const table = new ShardedTable(store, head);
  let changes: TreeChange[];
  let mirrored: ReturnType<typeof changesFromMirror>;
  try {
    mirrored = changesFromMirror(store, table, tip);
  } catch (err) {
    if (!(err instanceof CacheMiss)) throw err;
    return null;
  }
  try {
    changes = mirrored?.changes ?? (await diffStateTrees(store.cat, store.repo, head.tip!, tip));
  } catch {
    return null; // the cached tip is gone (history rewritten): start over
  }
  try {
    const raw = new Map<string, Buffer>();
    const read = new Map<string, Bead>();
    const touched = new Set<string>();
    /** beads whose readiness may follow a child's status */
    const parents = new Set<string>();
    /** shards whose set of ids changed: the short ids of their ready beads may change */
    const reshort = new Set<string>();
    const added: { path: string; oid: string }[] = [];
    // the mirror's directories were checked and sized when it was written
    if (!mirrored) await checkChangedDirs(store, tip, changes);
    for (const c of changes)
      if (c.mode !== null && (c.path === BEADS_DIR || c.path.startsWith(`${BEADS_DIR}/`))) checkPath(c.path, c.mode);
    // deletions first: a bead moved between paths is deleted, then added
    for (const c of [...changes].sort((a, b) => (a.oid === null ? 0 : 1) - (b.oid === null ? 0 : 1))) {
      const id = idFromPath(c.path);
      if (!id) continue;
      touched.add(id);
      const old = table.get(id);
      if (old) {
        for (const d of old.deps) touched.add(d);
        if (old.parent_id) parents.add(old.parent_id);
      }
      if (c.oid !== null) added.push({ path: c.path, oid: c.oid });
      else if (old) {
        table.delete(id);
        reshort.add(shardKey(id));
      }
    }
    const arrived = (b: Bead, i: number) => {
      const e = excerptOf(b, added[i]!.oid);
      const old = table.get(b.id);
      if (old) e.blocked = old.blocked;
      else reshort.add(shardKey(b.id));
      table.set(e);
      if (e.parent_id) parents.add(e.parent_id);
      read.set(added[i]!.oid, b);
    };
    await readBlobs(store, added, raw, arrived, undefined, mirrored?.records);
    const flipped = reevaluate(table.view(), touched);
    for (const id of flipped) table.touch(id);
    await refreshRecords(store.repo, store.cat, tip, raw, true);
    const from = head.tip;
    table.save(tip, false, reshort);
    // beads/ at the tip: read already when the mirror said what changed
    saveTrees(store, tip, mirrored?.tree);
    const changed = [...touched, ...flipped, ...parents];
    for (const kind of LISTS)
      await renderedList(store, kind).update(listSource(table), { from, candidates: new Set(changed), reshort, read });
    return table;
  } catch (err) {
    if (err instanceof CacheMiss) return null;
    throw err;
  }
}

/** The table brought up to `tip` (incrementally when it can), its shards loaded as asked for. */
async function refresh(store: Store, tip: string | null, progress?: Progress): Promise<ShardedTable> {
  const head = loadHead(store);
  // a table is made only for a state checked to be sase's
  if (head?.tip !== tip) await store.checkState(store.snapshotAt(tip));
  if (head && head.tip === tip) {
    const table = new ShardedTable(store, head);
    try {
      // the table is current; the files derived from it may not be (deleted, or a writer died between files)
      if (recordsTip(store.repo) !== tip) await refreshRecords(store.repo, store.cat, tip, new Map());
      for (const kind of LISTS) {
        const list = renderedList(store, kind);
        if (list.tip() !== tip) await list.writeFull(listSource(table));
      }
      return table;
    } catch (err) {
      if (!(err instanceof CacheMiss)) throw err;
    }
  } else if (head?.tip && tip) {
    const table = await refreshFrom(store, head, tip);
    if (table) return table;
  }
  return coldBuild(store, tip, progress);
}

/** Runs `f` on the table at `tip`; once more on a rebuilt one if a shard file went missing meanwhile. */
async function withTable<T>(
  store: Store,
  tip: string | null,
  progress: Progress | undefined,
  f: (t: ShardedTable) => T,
): Promise<T> {
  try {
    return f(await refresh(store, tip, progress));
  } catch (err) {
    if (!(err instanceof CacheMiss)) throw err;
    return f(await coldBuild(store, tip, progress));
  }
}

/**
 * The short id of every bead in the shards `keep` accepts, told from the ids
 * on the first line of each shard `head` names (nothing else is parsed);
 * null when one is gone (a refresh replaced it meanwhile).
 */
export function cachedShortIds(store: Store, head: HeadFile, keep: (key: string) => boolean): string[] | null {
  const dir = tableDir(store);
  const fds = new Map<string, number>();
  const out: string[] = [];
  const guess = Buffer.allocUnsafe(4096);
  try {
    for (const [key, ref] of head.entries()) {
      if (ref[3] === null || !keep(key)) continue;
      let fd = fds.get(ref[0]);
      if (fd === undefined) fds.set(ref[0], (fd = openSync(join(dir, ref[0]), 'r')));
      // the id line only: a first guess of its length, then the whole shard if it is longer
      for (let want = Math.min(ref[2], guess.length); ; want = ref[2]) {
        const buf = want <= guess.length ? guess : Buffer.allocUnsafe(want);
        const n = readSync(fd, buf, 0, want, ref[1]);
        const nl = buf.subarray(0, n).indexOf(10);
        if (nl >= 0) {
          const ids = JSON.parse(buf.subarray(0, nl).toString('utf8')) as string[];
          for (const short of shortIdsAmong(ids, topHashes(ids)).values()) out.push(short);
          break;
        }
        if (want === ref[2]) throw new CacheMiss(`no id line in ${ref[0]}`);
      }
    }
  } catch {
    return null;
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  return out;
}

/**
 * The table's HEAD at `tip`, the cache brought up to it first when it is for
 * another (incrementally when it can). What cachedShortIds reads is checked
 * then, or always when `check`: a HEAD with a line that does not parse is
 * rebuilt.
 */
export async function currentHead(store: Store, tip: string | null, check = false): Promise<HeadFile> {
  const head = loadHead(store);
  if (head?.tip === tip && !check) return head;
  return withTable(store, tip, undefined, (t) => {
    t.head.keys();
    return t.head;
  });
}

/** Brings the whole table up to `tip` (incrementally when it can) and returns it. */
export function freshTable(store: Store, tip: string | null, progress?: Progress): Promise<BeadTable> {
  return withTable(store, tip, progress, (t) => t.all());
}

/**
 * The excerpts `want` keeps, in id order, up to `limit`: shards are read in
 * the order of their smallest id and the reading stops once `limit` excerpts
 * are known to come before anything still unread.
 */
export function excerptsInIdOrder(
  store: Store,
  tip: string | null,
  want: (e: Excerpt) => boolean,
  limit: number | undefined,
  progress?: Progress,
): Promise<Excerpt[]> {
  return withTable(store, tip, progress, (t) => {
    const keys = t.orderedKeys();
    const picked: Excerpt[] = [];
    let maxSoFar = '';
    for (let i = 0; i < keys.length; i++) {
      for (const e of t.shard(keys[i]!.key).beads.values()) if (want(e)) picked.push(e);
      if (keys[i]!.maxTop > maxSoFar) maxSoFar = keys[i]!.maxTop;
      const next = keys[i + 1]?.minTop;
      if (limit === undefined || next === undefined) continue;
      // everything picked comes before the next shard's ids when no shard read so far reaches them
      const final = maxSoFar < next ? picked.length : picked.filter((e) => topOf(e.id) < next).length;
      if (final >= limit) break;
    }
    const byId = new Map(picked.map((e) => [e.id, e]));
    const ids = [...byId.keys()].sort(naturalIdOrder);
    return (limit === undefined ? ids : ids.slice(0, limit)).map((id) => byId.get(id)!);
  });
}

const compareBounds = (a: ListBound, b: ListBound): number =>
  compareReady({ priority: a[0], created_at: a[1], id: a[2] }, { priority: b[0], created_at: b[1], id: b[2] });

/**
 * The excerpts `want` keeps, in list order (compareReady), up to `limit`.
 * `closed`: whether `want` may keep a closed bead. Shards are read in the
 * order of their first bead that `want` may keep, and the reading stops once
 * `limit` excerpts are known to come before every bead of the shards unread.
 */
export function excerptsInListOrder(
  store: Store,
  tip: string | null,
  want: (e: Excerpt) => boolean,
  closed: boolean,
  limit: number,
  progress?: Progress,
): Promise<Excerpt[]> {
  return withTable(store, tip, progress, (t) => t.firstInListOrder(want, closed, limit));
}

const renderedLists = new WeakMap<Store, Map<ListKind, RenderedList>>();

/** The store's pre-rendered list of a kind (one a store, so the command that refreshed it prints what it wrote). */
function renderedList(store: Store, kind: ListKind): RenderedList {
  let lists = renderedLists.get(store);
  if (!lists) renderedLists.set(store, (lists = new Map()));
  let list = lists.get(kind);
  if (!list) lists.set(kind, (list = new RenderedList(store, CACHE_FORMAT, kind)));
  return list;
}

const LISTS = [READY, LIST_HEAD];

/** The table as the lists read it; `all`, every bead's excerpt in it when they are at hand. */
function listSource(table: ShardedTable, all?: readonly Excerpt[]): ListSource {
  return {
    tip: table.head.tip,
    get: (id) => table.get(id),
    isReady: (e) => table.isReady(e),
    shortIds: (ids) => table.shortIds(ids),
    // every excerpt, as a cold build has them at hand (not gathered from the shards again)
    excerpts: () => all ?? table.excerpts(),
    firstNotClosed: (n) => table.firstInListOrder((e) => e.status !== 'closed', false, n),
    shardOf: shardKey,
  };
}

/**
 * Children and dependants at `tip`: from the shard of each bead asked about,
 * the table brought up to date first when its HEAD is for another tip.
 */
export function relationsAt(store: Store, tip: string | null, progress?: Progress): RelationIndex {
  let table: Promise<ShardedTable> | null = null;
  const open = () => {
    table ??= (async () => {
      const head = loadHead(store);
      return head && head.tip === tip ? new ShardedTable(store, head) : refresh(store, tip, progress);
    })();
    return table;
  };
  const lookup = async <T>(f: (t: ShardedTable) => T): Promise<T> => {
    try {
      return f(await open());
    } catch (err) {
      if (!(err instanceof CacheMiss)) throw err;
      table = coldBuild(store, tip, progress);
      return f(await table);
    }
  };
  return {
    childrenOf: (id) => lookup((t) => [...t.childrenOf(id)]),
    dependantsOf: (id) => lookup((t) => [...t.dependantsOf(id)]),
  };
}

/** A pre-rendered list at the tip, brought up to date first. */
async function currentList(store: Store, kind: ListKind, tip: string | null, progress?: Progress): Promise<ListBody> {
  const list = renderedList(store, kind);
  const now = list.tip() === tip ? list.read(tip) : null;
  if (now) return now;
  const table = await withTable(store, tip, progress, (t) => t);
  const body = list.read(tip);
  if (body) return body;
  // not made yet (a refresh leaves such a list alone), or damaged: made whole
  await list.writeFull(listSource(table));
  return list.read(tip) ?? { body: [], complete: true };
}

/** The ready beads at the tip as pre-rendered NDJSON (in ready order), in pieces. */
export async function readyNdjson(store: Store, tip: string | null, progress?: Progress): Promise<Buffer[]> {
  return (await currentList(store, READY, tip, progress)).body;
}

/**
 * The first lines of `bead list` in its default order (beads not closed), as
 * printed, in pieces; `complete` when they are every bead not closed.
 */
export function listHeadNdjson(store: Store, tip: string | null, progress?: Progress): Promise<ListBody> {
  return currentList(store, LIST_HEAD, tip, progress);
}
