// Writing objects with git's plumbing: a pack stream built here for `git
// unpack-objects` (small writes) or `git index-pack` (bulk ones), with ids
// computed here so a parent tree can name a child in the same stream; the ref
// then moves through `git update-ref` with its old value.
import { GitError, GitMissingError, gitProcessEnv, gitStarted } from './exec.ts';
import { type Repo, refUpdateFailure } from './repo.ts';

export interface TreeEntry {
  mode: string; // '100644' | '40000' | '100755' | '120000' | '160000'
  name: string;
  oid: string;
}

type Crypto = typeof import('node:crypto');
let crypto: Crypto | null = null;

/**
 * Loads the hashing that object ids need. Commands that only read never
 * compute an id, so node:crypto is loaded by the writers alone, up front.
 */
export async function loadHashing(): Promise<void> {
  crypto ??= await import('node:crypto');
}

export function hashObject(repo: Repo, type: string, data: Buffer): string {
  if (!crypto) throw new Error('BUG: hashObject before loadHashing');
  const h = crypto.createHash(repo.objectFormat === 'sha256' ? 'sha256' : 'sha1');
  h.update(`${type} ${data.length}\0`);
  h.update(data);
  return h.digest('hex');
}

export function parseTree(data: Buffer, oidBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(32, i);
    const nul = data.indexOf(0, sp);
    const mode = data.toString('latin1', i, sp);
    const name = data.toString('utf8', sp + 1, nul);
    const oid = data.toString('hex', nul + 1, nul + 1 + oidBytes);
    entries.push({ mode, name, oid });
    i = nul + 1 + oidBytes;
  }
  return entries;
}

/** An entry of a tree that differs between two versions of it: absent on one side, or another mode or object. */
export interface TreeEntryChange {
  name: string;
  before: TreeEntry | null;
  after: TreeEntry | null;
}

/**
 * The entries that differ between two trees as git stores them. Entries
 * alike to the byte are passed over without being decoded: two versions of
 * beads/ (1,296 directories) differ in a few after a write.
 */
export function changedEntries(before: Buffer, after: Buffer, oidBytes: number): TreeEntryChange[] {
  if (isGrid(before, oidBytes) && isGrid(after, oidBytes)) return changedGridEntries(before, after, oidBytes);
  /** each entry's name (its bytes, as latin1) and where it starts and ends */
  const index = (data: Buffer) => {
    const at = new Map<string, [number, number]>();
    for (let i = 0; i < data.length; ) {
      const sp = data.indexOf(32, i);
      const nul = data.indexOf(0, sp);
      const end = nul + 1 + oidBytes;
      at.set(data.toString('latin1', sp + 1, nul), [i, end]);
      i = end;
    }
    return at;
  };
  const decode = (data: Buffer, [from, to]: [number, number]) => parseTree(data.subarray(from, to), oidBytes)[0]!;
  const was = index(before);
  const changes: TreeEntryChange[] = [];
  for (const [key, range] of index(after)) {
    const old = was.get(key);
    was.delete(key);
    if (old && before.compare(after, range[0], range[1], old[0], old[1]) === 0) continue;
    const entry = decode(after, range);
    changes.push({ name: entry.name, before: old ? decode(before, old) : null, after: entry });
  }
  for (const old of was.values()) {
    const entry = decode(before, old);
    changes.push({ name: entry.name, before: entry, after: null });
  }
  return changes;
}

/** Whether a tree holds only directories with two-byte names (beads/): entries of one size, in byte order. */
function isGrid(data: Buffer, oidBytes: number): boolean {
  const size = 9 + oidBytes;
  if (data.length % size) return false;
  for (let p = 0; p < data.length; p += size)
    if (
      data[p] !== 0x34 ||
      data[p + 1] !== 0x30 ||
      data[p + 2] !== 0x30 ||
      data[p + 3] !== 0x30 ||
      data[p + 4] !== 0x30 ||
      data[p + 5] !== 0x20 ||
      data[p + 6] === 0 ||
      data[p + 7] === 0 ||
      data[p + 8] !== 0
    )
      return false;
  return true;
}

/** changedEntries of two grids: both walked in step, bytes compared in place, no call per entry. */
function changedGridEntries(before: Buffer, after: Buffer, oidBytes: number): TreeEntryChange[] {
  const size = 9 + oidBytes;
  const decode = (data: Buffer, p: number) => parseTree(data.subarray(p, p + size), oidBytes)[0]!;
  const changes: TreeEntryChange[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const order =
      i >= before.length
        ? 1
        : j >= after.length
          ? -1
          : before[i + 6]! - after[j + 6]! || before[i + 7]! - after[j + 7]!;
    if (order === 0) {
      let k = 9;
      while (k < size && before[i + k] === after[j + k]) k++;
      if (k < size) {
        const entry = decode(after, j);
        changes.push({ name: entry.name, before: decode(before, i), after: entry });
      }
      i += size;
      j += size;
    } else if (order < 0) {
      const entry = decode(before, i);
      changes.push({ name: entry.name, before: entry, after: null });
      i += size;
    } else {
      const entry = decode(after, j);
      changes.push({ name: entry.name, before: null, after: entry });
      j += size;
    }
  }
  return changes;
}

// git orders tree entries by name, comparing a directory as if it ended in '/'.
function treeSortKey(e: TreeEntry): string {
  return e.mode === '40000' ? e.name + '/' : e.name;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function sortTreeEntries(entries: TreeEntry[]): TreeEntry[] {
  const keys = entries.map(treeSortKey);
  // listings read from git come sorted: one pass tells
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++)
    if (!(keys[i - 1]! < keys[i]!) || !PRINTABLE_ASCII.test(keys[i]!)) sorted = false;
  if (sorted && (keys.length < 2 || PRINTABLE_ASCII.test(keys[0]!))) return entries;
  // UTF-16 order is byte order for ASCII only; otherwise compare the bytes, each key encoded once
  const keyed = entries.map((e, i) => ({ e, k: Buffer.from(keys[i]!) }));
  keyed.sort((a, b) => Buffer.compare(a.k, b.k));
  for (const [i, x] of keyed.entries()) entries[i] = x.e;
  return entries;
}

export function serializeTree(entries: TreeEntry[]): Buffer {
  const list = sortTreeEntries([...entries]);
  const heads = list.map((e) => `${e.mode} ${e.name}\0`);
  const oidBytes = list.length ? list[0]!.oid.length / 2 : 0;
  let size = 0;
  for (const h of heads) size += Buffer.byteLength(h) + oidBytes;
  // one buffer written in place: a shard directory of an import holds thousands of entries
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  list.forEach((e, i) => {
    o += out.write(heads[i]!, o, 'utf8');
    o += out.write(e.oid, o, 'hex');
  });
  return out;
}

const PACK_TYPES = { commit: 1, tree: 2, blob: 3, tag: 4 } as const;

/** adler-32, the checksum that ends a zlib stream */
function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    // sums stay exact in a double for this many bytes before the modulo
    for (const end = Math.min(i + 4096, data.length); i < end; i++) b += a += data[i]!;
    a %= 65521;
    b %= 65521;
  }
  return (b * 65536 + a) >>> 0;
}

const STORED_BLOCK = 65535;

/** Bytes `data` takes as a zlib stream of stored blocks. */
function zlibStoredSize(length: number): number {
  return 2 + Math.max(1, Math.ceil(length / STORED_BLOCK)) * 5 + length + 4;
}

/**
 * Writes `data` at `out[o]` as a zlib stream of stored (uncompressed) blocks;
 * returns the offset after it. Deflating 100,000 small records one call each
 * costs seconds; `git gc` compresses them later.
 */
function writeZlibStored(out: Buffer, o: number, data: Buffer): number {
  out[o++] = 0x78;
  out[o++] = 0x01;
  const blocks = Math.max(1, Math.ceil(data.length / STORED_BLOCK));
  for (let i = 0, n = 0; n < blocks; n++) {
    const len = Math.min(STORED_BLOCK, data.length - i);
    out[o] = n === blocks - 1 ? 1 : 0;
    out.writeUInt16LE(len, o + 1);
    out.writeUInt16LE(~len & 0xffff, o + 3);
    data.copy(out, o + 5, i, i + len);
    o += 5 + len;
    i += len;
  }
  out.writeUInt32BE(adler32(data), o);
  return o + 4;
}

/** The variable-length type-and-size header of a pack entry. */
function packEntryHeader(type: keyof typeof PACK_TYPES, size: number): number[] {
  const bytes: number[] = [];
  let byte = (PACK_TYPES[type] << 4) | (size & 15);
  for (size = Math.floor(size / 16); size > 0; size = Math.floor(size / 128)) {
    bytes.push(byte | 0x80);
    byte = size & 0x7f;
  }
  bytes.push(byte);
  return bytes;
}

export interface NewObject {
  type: 'blob' | 'tree' | 'commit';
  data: Buffer;
}

// From this many objects on (an import), they are kept as one pack; below it
// they are unpacked into loose objects (many small packs would slow every read).
const PACK_FROM = 100;

/**
 * Writes objects with one git process, as a pack stream built here: a bulk
 * write through `git index-pack --stdin` (one pack file, no per-object work in
 * git beyond hashing), a small one through `git unpack-objects` (loose objects,
 * as `hash-object -w` would write them). Their ids come from hashObject: the
 * caller needed them to build the trees and the commit.
 */
export async function writeObjects(repo: Repo, objects: NewObject[]): Promise<void> {
  if (objects.length === 0) return;
  await gitWithInput(
    repo,
    objects.length >= PACK_FROM ? ['index-pack', '--stdin'] : ['unpack-objects', '-q'],
    await packOf(repo, objects),
  );
}

/**
 * A small write's objects through a `git unpack-objects` started now and
 * given its pack later: its start-up overlaps the caller's work (see
 * startRefUpdate, its companion for the ref).
 */
export function startObjectWriter(repo: Repo): { run(objects: NewObject[]): Promise<void>; cancel(): void } {
  const proc = gitStarted(repo, ['unpack-objects', '-q']);
  return {
    async run(objects) {
      const res = await proc.finish(await packOf(repo, objects));
      if (res.exitCode !== 0) throw new GitError(['unpack-objects'], res.exitCode, res.stderr);
    },
    cancel() {
      void proc.finish(Buffer.alloc(0)).catch(() => {});
    },
  };
}

/** The pack stream of `objects`: stored (not deflated) zlib entries and the trailing checksum. */
async function packOf(repo: Repo, objects: NewObject[]): Promise<Buffer> {
  const algo = repo.objectFormat === 'sha256' ? 'sha256' : 'sha1';
  const headers = objects.map((o) => packEntryHeader(o.type, o.data.length));
  let size = 12 + (algo === 'sha256' ? 32 : 20);
  for (const [i, o] of objects.entries()) size += headers[i]!.length + zlibStoredSize(o.data.length);
  // one buffer for the whole pack: no per-object allocations to copy again
  const pack = Buffer.allocUnsafe(size);
  pack.write('PACK', 0, 'latin1');
  pack.writeUInt32BE(2, 4);
  pack.writeUInt32BE(objects.length, 8);
  let o = 12;
  objects.forEach((obj, i) => {
    for (const b of headers[i]!) pack[o++] = b;
    o = writeZlibStored(pack, o, obj.data);
  });
  await loadHashing();
  crypto!.createHash(algo).update(pack.subarray(0, o)).digest().copy(pack, o);
  return pack.subarray(0, o + (algo === 'sha256' ? 32 : 20));
}

/** Runs git with binary standard input (tinyexec takes text only). */
async function gitWithInput(repo: Repo, args: string[], input: Buffer, refUpdate = false): Promise<string> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const proc = spawn('git', args, { cwd: repo.cwd, env: gitProcessEnv(repo.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new GitMissingError('git not found on PATH') : err),
    );
    proc.stdin.on('error', () => {}); // an early exit is reported below
    proc.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          refUpdate
            ? refUpdateFailure(args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'git', code ?? 128, stderr)
            : new GitError(args, code ?? 128, stderr),
        );
    });
    proc.stdin.end(input);
  });
}

export interface Identity {
  name: string;
  email: string;
}

/** A commit object's bytes, dated `seconds` since the epoch in UTC. */
export function serializeCommit(
  tree: string,
  parents: string[],
  message: string,
  ident: Identity,
  seconds: number,
): Buffer {
  // git drops the characters that would break an ident line
  const clean = (x: string) => x.replace(/[<>\n\r\0]/g, '').trim();
  const who = `${clean(ident.name) || clean(ident.email)} <${clean(ident.email)}> ${seconds} +0000`;
  const head = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), `author ${who}`, `committer ${who}`].join('\n');
  return Buffer.from(`${head}\n\n${message}`, 'utf8');
}
