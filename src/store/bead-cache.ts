// The derived bead cache in $GIT_COMMON_DIR/sase/cache/ (ARCHITECTURE.md 2b).
// Keyed by the state tip; always safe to delete. When the tip moves, only the
// records `git diff-tree` names are re-read, blocked flags are re-evaluated for
// the changed beads and everything downstream of them, and the ready list is
// re-sorted and pre-rendered, so `bead ready` reads one small file.
import { closeSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { compareReady, hasOpenChildren } from '../core/beads/graph.ts';
import { type Bead, beadPath, idFromPath, parseStoredBead, splitId } from '../core/beads/model.ts';
import {
  type BeadTable,
  buildRelations,
  type Excerpt,
  excerptOf,
  reevaluate,
  tableShortIds,
} from '../core/beads/table.ts';
import { checkPath, MAX_STATE_BLOB, MAX_STATE_TREE } from '../core/layout.ts';
import { GitError } from '../git/exec.ts';
import { diffTrees, type TreeChange } from '../git/history.ts';
import { localPath } from '../git/repo.ts';
import { writeFileAtomic } from '../proc/files.ts';
import { beadToWire } from '../wire/bead.ts';
import { BEADS_DIR, type RelationIndex } from './beads.ts';
import { recordsTip, refreshRecords } from './records-cache.ts';
import { readStateObject, walkStateFiles } from './snapshot.ts';
import type { Store } from './store.ts';

const CACHE_FORMAT = 3; // 2: a bead with unclosed children is not ready; 3: satisfied marks, missing parents block

export type Progress = (done: number, total: number) => void;

function cacheDir(store: Store): string {
  return localPath(store.repo, 'cache');
}

/** `raw`: the bytes read, by blob id (for the records mirror). */
async function readBlobs(
  store: Store,
  files: { path: string; oid: string }[],
  raw: Map<string, Buffer>,
  progress?: Progress,
): Promise<Bead[]> {
  let done = 0;
  return Promise.all(
    files.map(async (f) => {
      const obj = await readStateObject(store.cat, f.oid, f.path, MAX_STATE_BLOB);
      if (!obj) throw new GitError(['cat-file'], 128, `missing blob ${f.oid} for ${f.path}`);
      raw.set(f.oid, obj.data);
      const bead = parseStoredBead(obj.data.toString('utf8'), f.path);
      if (progress && ++done % 2000 === 0) progress(done, files.length);
      return bead;
    }),
  );
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

async function coldBuild(
  store: Store,
  tip: string | null,
  progress: Progress | undefined,
  read: Map<string, Bead>,
  raw: Map<string, Buffer>,
): Promise<BeadTable> {
  const table: BeadTable = { tip, beads: new Map(), children: new Map(), dependants: new Map() };
  if (tip) {
    // each shard's tree read within the size a reader takes before any of its records is
    const files = (await walkStateFiles(store.cat, store.repo, `${tip}:${BEADS_DIR}`, BEADS_DIR)) ?? [];
    for (const f of files) checkPath(f.path, f.mode);
    const beads = await readBlobs(store, files, raw, progress);
    beads.forEach((b, i) => {
      table.beads.set(b.id, excerptOf(b, files[i]!.oid));
      read.set(files[i]!.oid, b);
    });
  }
  buildRelations(table);
  reevaluate(table, table.beads.keys());
  return table;
}

function loadStoredTable(store: Store): BeadTable | null {
  try {
    const raw = JSON.parse(readFileSync(join(cacheDir(store), 'table.json'), 'utf8'));
    if (raw.format !== CACHE_FORMAT) return null;
    const table: BeadTable = { tip: raw.tip, beads: new Map(), children: new Map(), dependants: new Map() };
    for (const e of raw.beads as Excerpt[]) table.beads.set(e.id, e);
    buildRelations(table);
    return table;
  } catch {
    return null;
  }
}

/** The ready list file's tip line, if the file exists. */
function readyPath(store: Store): string {
  return join(cacheDir(store), 'ready.ndjson');
}

// The ready list is two files: ready.ndjson, a header line and then the public
// NDJSON records in ready order (what `bead ready` prints, byte for byte), and
// ready.oids, the blob each line was rendered from (for the next refresh).
function readyOidsPath(store: Store): string {
  return join(cacheDir(store), 'ready.oids');
}

interface ReadyFile {
  tip: string | null;
  /** the public NDJSON records, each ending in a newline */
  body: Buffer;
}

function loadReadyFile(store: Store): ReadyFile | null {
  try {
    const data = readFileSync(readyPath(store));
    const nl = data.indexOf(10);
    const head = JSON.parse(data.subarray(0, nl).toString('utf8'));
    if (head.format !== CACHE_FORMAT) return null;
    return { tip: head.tip, body: data.subarray(nl + 1) };
  } catch {
    return null;
  }
}

/** The previous ready list by id, with the blob each line came from, if both files agree. */
function loadReadyForReuse(store: Store): Map<string, { oid: string; line: string }> {
  const reuse = new Map<string, { oid: string; line: string }>();
  const file = loadReadyFile(store);
  let oids: string[];
  try {
    oids = readFileSync(readyOidsPath(store), 'utf8').split('\n');
  } catch {
    return reuse;
  }
  if (!file || oids[0] !== JSON.stringify({ tip: file.tip })) return reuse;
  const lines = file.body.toString('utf8').split('\n');
  lines.forEach((line, i) => {
    const m = /"id":"([^"]+)"/.exec(line);
    const oid = oids[i + 1];
    if (m && oid) reuse.set(m[1]!, { oid, line });
  });
  return reuse;
}

/** `read`: beads already read in this refresh, by blob id, so none is read twice. */
async function writeReady(store: Store, table: BeadTable, read = new Map<string, Bead>()): Promise<void> {
  // isReady, with `blocked` kept up to date by the refresh instead of walked again
  const lookup = (id: string) => table.beads.get(id);
  const childrenOf = (id: string) => table.children.get(id) ?? [];
  const ready = [...table.beads.values()]
    .filter((e) => e.status === 'open' && !e.blocked && !hasOpenChildren(e.id, lookup, childrenOf))
    .sort(compareReady);
  const shorts = tableShortIds(
    table,
    ready.map((e) => e.id),
  );
  const reuse = loadReadyForReuse(store);
  const lines = await Promise.all(
    ready.map(async (e) => {
      const prev = reuse.get(e.id);
      const short = shorts.get(e.id)!;
      if (prev && prev.oid === e.oid && prev.line.includes(`"short_id":${JSON.stringify(short)}`)) return prev.line;
      const bead =
        read.get(e.oid) ??
        parseStoredBead((await store.cat.read(e.oid, MAX_STATE_BLOB))!.data.toString('utf8'), beadPath(e.id));
      return JSON.stringify(beadToWire(bead, short, { blocked: false }));
    }),
  );
  mkdirSync(cacheDir(store), { recursive: true });
  // the oids first: a reader only ever reads ready.ndjson, whose tip says whether it is current
  writeFileAtomic(readyOidsPath(store), [JSON.stringify({ tip: table.tip }), ...ready.map((e) => e.oid)].join('\n'));
  writeFileAtomic(
    readyPath(store),
    JSON.stringify({ format: CACHE_FORMAT, tip: table.tip }) + '\n' + lines.map((l) => l + '\n').join(''),
  );
}

function saveTable(store: Store, table: BeadTable): void {
  mkdirSync(cacheDir(store), { recursive: true });
  const beads = [...table.beads.values()];
  writeFileAtomic(join(cacheDir(store), 'table.json'), JSON.stringify({ format: CACHE_FORMAT, tip: table.tip, beads }));
}

/** Brings the whole table up to `tip` (incrementally when it can) and saves it. */
export async function freshTable(store: Store, tip: string | null, progress?: Progress): Promise<BeadTable> {
  const read = new Map<string, Bead>();
  const raw = new Map<string, Buffer>();
  const stored = loadStoredTable(store);
  // a table is made only for a state checked to be sase's
  if (stored?.tip !== tip) await store.checkState(store.snapshotAt(tip));
  if (stored && stored.tip === tip) {
    // the table is current; the files derived from it may not be (deleted, or a writer died between files)
    if (recordsTip(store.repo) !== tip) await refreshRecords(store.repo, store.cat, tip, raw);
    if (loadReadyFile(store)?.tip !== tip) await writeReady(store, stored);
    if (relMarkerTip(store) !== tip) saveRelations(store, stored);
    return stored;
  }
  let table: BeadTable;
  let keptRelations: string | null = null; // the tip whose relations file still holds
  if (stored?.tip && tip) {
    let changes: Awaited<ReturnType<typeof diffTrees>> | null;
    try {
      changes = await diffTrees(store.repo, stored.tip, tip);
    } catch {
      changes = null; // the cached tip is gone (history rewritten): start over
    }
    if (changes) {
      const from = stored.tip;
      table = stored;
      // no bead added or removed, and none with a new parent or dependencies: the relations stay as they are
      let sameRelations = relMarkerTip(store) === from;
      const touched = new Set<string>();
      const added: { path: string; oid: string }[] = [];
      await checkChangedDirs(store, tip, changes);
      for (const c of changes) {
        if (c.mode !== null && (c.path === BEADS_DIR || c.path.startsWith(`${BEADS_DIR}/`))) checkPath(c.path, c.mode);
        const id = idFromPath(c.path);
        if (!id) continue;
        touched.add(id);
        const old = table.beads.get(id);
        if (c.oid === null) {
          table.beads.delete(id);
        } else added.push({ path: c.path, oid: c.oid });
        if (old) for (const d of old.deps) touched.add(d);
        if (!old || c.oid === null) sameRelations = false;
      }
      const beads = await readBlobs(store, added, raw);
      beads.forEach((b, i) => {
        const e = excerptOf(b, added[i]!.oid);
        const old = table.beads.get(b.id);
        if (!old || old.parent_id !== e.parent_id || old.deps.join('\n') !== e.deps.join('\n')) sameRelations = false;
        table.beads.set(b.id, e); // an existing id keeps its place in the map, so relation lists keep their order
        read.set(added[i]!.oid, b);
      });
      table.tip = tip;
      if (!sameRelations) buildRelations(table);
      reevaluate(table, touched);
      if (sameRelations) keptRelations = from;
    } else table = await coldBuild(store, tip, progress, read, raw);
  } else table = await coldBuild(store, tip, progress, read, raw);
  // the mirror first: whoever finds the ready list current finds the mirror current too
  await refreshRecords(store.repo, store.cat, tip, raw);
  saveTable(store, table);
  await writeReady(store, table, read);
  if (!(keptRelations && retipRelations(store, keptRelations, tip))) saveRelations(store, table);
  return table;
}

// Relations (children, dependants) are also kept grouped by shard in one file
// with an index of byte ranges, so a command about one bead reads a header
// and one small range instead of the whole table.
function relPath(store: Store): string {
  return join(cacheDir(store), 'relations');
}

function relShard(id: string): string {
  return splitId(id).hash.slice(0, 2) || '_';
}

type RelEntry = [string[], string[]];

function saveRelations(store: Store, table: BeadTable): void {
  const shards = new Map<string, Record<string, RelEntry>>();
  const entry = (id: string): RelEntry => {
    const s = relShard(id);
    let m = shards.get(s);
    if (!m) shards.set(s, (m = {}));
    return (m[id] ??= [[], []]);
  };
  for (const [id, kids] of table.children) entry(id)[0] = kids;
  for (const [id, deps] of table.dependants) entry(id)[1] = deps;
  const index: Record<string, [number, number]> = {};
  const bodies: Buffer[] = [];
  let offset = 0;
  for (const [s, rel] of shards) {
    const body = Buffer.from(JSON.stringify(rel));
    index[s] = [offset, body.length];
    bodies.push(body);
    offset += body.length;
  }
  mkdirSync(cacheDir(store), { recursive: true });
  const head = Buffer.from(JSON.stringify({ format: CACHE_FORMAT, tip: table.tip, index }) + '\n');
  writeFileAtomic(relPath(store), Buffer.concat([head, ...bodies]));
}

/**
 * Rewrites the relations file of `from` for `tip` around its unchanged body
 * (a refresh that changed no relation); false when the file is not the one of
 * `from` (another refresher replaced it) or cannot be read.
 */
function retipRelations(store: Store, from: string | null, tip: string | null): boolean {
  try {
    const data = readFileSync(relPath(store));
    const nl = data.indexOf(10);
    const head = JSON.parse(data.subarray(0, nl).toString('utf8'));
    if (head.format !== CACHE_FORMAT || head.tip !== from) return false;
    writeFileAtomic(
      relPath(store),
      Buffer.concat([Buffer.from(JSON.stringify({ ...head, tip }) + '\n'), data.subarray(nl + 1)]),
    );
    return true;
  } catch {
    return false;
  }
}

interface RelHeader {
  tip: string | null;
  index: Record<string, [number, number]>;
  bodyStart: number;
}

function readRelHeader(fd: number): RelHeader | undefined {
  let buf = Buffer.alloc(0);
  for (let pos = 0; ; ) {
    const chunk = Buffer.alloc(65536);
    const n = readSync(fd, chunk, 0, chunk.length, pos);
    if (n <= 0) return undefined;
    buf = Buffer.concat([buf, chunk.subarray(0, n)]);
    pos += n;
    const nl = buf.indexOf(10);
    if (nl >= 0) {
      const head = JSON.parse(buf.subarray(0, nl).toString('utf8'));
      return head.format === CACHE_FORMAT ? { tip: head.tip, index: head.index, bodyStart: nl + 1 } : undefined;
    }
  }
}

function relMarkerTip(store: Store): string | null | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(relPath(store), 'r');
    return readRelHeader(fd)?.tip;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The relations of one bead, or undefined when the file is not for `tip`. */
function shardRelations(
  store: Store,
  tip: string | null,
  id: string,
): { children: string[]; dependants: string[] } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(relPath(store), 'r');
    const head = readRelHeader(fd);
    if (!head || head.tip !== tip) return undefined;
    const range = head.index[relShard(id)];
    if (!range) return { children: [], dependants: [] };
    const body = Buffer.alloc(range[1]);
    readSync(fd, body, 0, range[1], head.bodyStart + range[0]);
    const [children, dependants] = (JSON.parse(body.toString('utf8')) as Record<string, RelEntry>)[id] ?? [[], []];
    return { children, dependants };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Children and dependants at `tip`: from the shard files when they are fresh,
 * else from the whole table (brought up to date, which refreshes the files).
 */
export function relationsAt(store: Store, tip: string | null, progress?: Progress): RelationIndex {
  let table: BeadTable | null = null;
  const lookup = async (id: string) => {
    const hit = table ? undefined : shardRelations(store, tip, id);
    if (hit) return hit;
    table ??= await freshTable(store, tip, progress);
    return { children: table.children.get(id) ?? [], dependants: table.dependants.get(id) ?? [] };
  };
  return {
    childrenOf: async (id) => (await lookup(id)).children,
    dependantsOf: async (id) => (await lookup(id)).dependants,
  };
}

/** The ready beads at the tip as pre-rendered NDJSON (in ready order), brought up to date first. */
export async function readyNdjson(store: Store, tip: string | null, progress?: Progress): Promise<Buffer> {
  const file = loadReadyFile(store);
  if (file && file.tip === tip) return file.body;
  await freshTable(store, tip, progress);
  return loadReadyFile(store)?.body ?? Buffer.alloc(0);
}
