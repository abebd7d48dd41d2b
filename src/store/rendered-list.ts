// The pre-rendered lists of the bead cache (ARCHITECTURE.md 2b), each what a
// command prints, byte for byte: the ready list (`bead ready`, whole) and the
// list's head (the first LIST_HEAD_MAX lines of `bead list` in its default
// order, so `bead list --limit` reads one small file). Each is kept as a base
// and a delta, so a refresh after a write costs what changed, not the length
// of the list.
//
// <name>.ndjson  a header line {format, tip, complete}, then the NDJSON records in list order
// <name>.keys    a header line {tip, size}, then for each record its shard, id,
//                blob id, priority, created_at, offset and length (after the
//                header line), tab-separated
// <name>.delta   a header line {format, base, tip, complete}, then one JSON line
//                {drop: [[offset, length]], add: [[id, oid, priority, created_at, before, length]]},
//                then the added lines' bytes in that order: the list at `tip` is
//                the base's lines less those dropped, each added line put before
//                the base line at offset `before`
//
// A head that is not complete holds a prefix of the whole list: a bead it
// does not hold comes after its last line. A refresh writes a new delta
// against the same base; once the delta holds more than DELTA_MAX lines (or
// an eighth of the base) the list is written again and the delta removed, as
// is a head shrunk to half its size. A reader takes the delta only when its
// base is the list on disk, and each file only for its own tip.
import { closeSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { compareReady } from '../core/beads/graph.ts';
import { type Bead, beadPath, parseStoredBead } from '../core/beads/model.ts';
import type { Excerpt } from '../core/beads/table.ts';
import { MAX_STATE_BLOB } from '../core/layout.ts';
import { localPath } from '../git/repo.ts';
import { removeFile, writeFileAtomic } from '../proc/files.ts';
import { beadToWire } from '../wire/bead.ts';
import type { Store } from './store.ts';

/** a delta longer than this (or than an eighth of the base) is folded into a new base */
const DELTA_MAX = 512;
/** the lines the list's head keeps */
export const LIST_HEAD_MAX = 256;

/** What the lists need of the bead table at the tip they are written for. */
export interface ListSource {
  readonly tip: string | null;
  get(id: string): Excerpt | undefined;
  isReady(e: Excerpt): boolean;
  shortIds(ids: string[]): Map<string, string>;
  /** every bead's excerpt */
  excerpts(): Iterable<Excerpt>;
  /** the first `n` beads not closed, in list order */
  firstNotClosed(n: number): Excerpt[];
  /** the shard an id belongs to */
  shardOf(id: string): string;
}

/** What a refresh changed, as the lists follow it. */
export interface ListChange {
  /** the tip the lists on disk are for */
  from: string | null;
  /** the beads whose place or line may have changed */
  candidates: Set<string>;
  /** the shards whose set of ids changed (their short ids may have) */
  reshort: Set<string>;
  /** beads read by the refresh, by blob id */
  read: Map<string, Bead>;
}

/** What a list holds and how its lines read. */
export interface ListKind {
  name: 'ready' | 'list';
  keeps(src: ListSource, e: Excerpt): boolean;
  /** the blocked flag its lines give */
  blocked(e: Excerpt): boolean;
  /** the most lines it holds (a prefix of the whole list when there are more) */
  max: number;
  /** its first `n` beads (all when n is Infinity), in list order */
  first(src: ListSource, n: number): Excerpt[];
}

/** `bead ready`, whole: ready beads, blocked false. */
export const READY: ListKind = {
  name: 'ready',
  keeps: (src, e) => src.isReady(e),
  blocked: () => false,
  max: Number.POSITIVE_INFINITY,
  first: (src) => [...src.excerpts()].filter((e) => src.isReady(e)).sort(compareReady),
};

/** The head of `bead list` in its default order: beads not closed, with their blocked flags. */
export const LIST_HEAD: ListKind = {
  name: 'list',
  keeps: (_src, e) => e.status !== 'closed',
  blocked: (e) => e.blocked,
  max: LIST_HEAD_MAX,
  first: (src, n) => src.firstNotClosed(n),
};

const dirOf = (store: Store) => localPath(store.repo, 'cache');

/** A whole file whose first line is a JSON header: the header parsed and the bytes after it; null when unreadable. */
function readWithHeader(path: string): { head: Record<string, unknown>; data: Buffer; skip: number } | null {
  try {
    const data = readFileSync(path);
    const nl = data.indexOf(10);
    const end = nl < 0 ? data.length : nl;
    return { head: JSON.parse(data.subarray(0, end).toString('utf8')), data, skip: end + 1 };
  } catch {
    return null;
  }
}

/** The first line of a file, parsed, and its length with the newline (the ready list is megabytes at 100,000 beads). */
function headerOf(path: string): { value: Record<string, unknown>; length: number } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.allocUnsafe(512);
    const got = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    const nl = got.indexOf(10);
    return nl < 0 ? undefined : { value: JSON.parse(got.subarray(0, nl).toString('utf8')), length: nl + 1 };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

interface Keys {
  id: string;
  oid: string;
  priority: number;
  created_at: string;
}

/** A line of the list with its keys; bytes with the newline. */
export interface Line extends Keys {
  line: Buffer;
}

/** A line of the base: where its bytes are in the list (after the header line). */
interface BaseLine extends Keys {
  at: number;
  length: number;
}

/** An added line, put before the base line at offset `before` (or at the end, `before` the base's size). */
interface Added extends Line {
  before: number;
}

interface Delta {
  base: string | null;
  tip: string | null;
  /** whether the list at `tip` is whole */
  complete: boolean;
  /** the base lines left out: offset, length; in order */
  drop: [number, number][];
  /** in ready order */
  add: Added[];
}

/** A line of <name>.keys that does not parse (a damaged cache): the list is written again. */
class MalformedKeys extends Error {}

/** <name>.keys, each line found and parsed only when asked for (a refresh after a write needs a few of 11,000). */
class BaseKeys {
  constructor(
    readonly tip: string | null,
    /** whether the base is the whole list */
    readonly complete: boolean,
    /** the length of the list's header line */
    readonly skip: number,
    /** the bytes of the list after its header */
    readonly size: number,
    /** how many lines */
    readonly length: number,
    private readonly data: Buffer,
    /** where the first line starts (after the header line) */
    private readonly from: number,
  ) {}

  private parse(start: number): BaseLine & { end: number } {
    const nl = this.data.indexOf(10, start);
    const end = nl < 0 ? this.data.length : nl;
    const [shard, id, oid, priority, created_at, at, length] = this.data.toString('utf8', start, end).split('\t');
    if (!shard || !id || !oid || !created_at)
      throw new MalformedKeys(`a malformed line in the list's keys at byte ${start}`);
    return { id, oid, priority: Number(priority), created_at, at: Number(at), length: Number(length), end: end + 1 };
  }

  /** Every line, in order. */
  all(): BaseLine[] {
    const out: BaseLine[] = [];
    for (let p = this.from; p < this.data.length; ) {
      const l = this.parse(p);
      out.push(l);
      p = l.end;
    }
    return out;
  }

  /** The lines whose shard is in `shards` or whose id is in `ids`, in order. */
  matching(shards: Set<string>, ids: Set<string>): BaseLine[] {
    const starts = new Set<number>();
    // a line is shard<TAB>id<TAB>...: a shard follows a newline (the header's, for the first line)
    for (const shard of shards) {
      const needle = Buffer.from(`\n${shard}\t`);
      for (let hit = this.data.indexOf(needle, this.from - 1); hit >= 0; hit = this.data.indexOf(needle, hit + 1))
        starts.add(hit + 1);
    }
    for (const id of ids) {
      const hit = this.data.indexOf(Buffer.from(`\t${id}\t`), this.from);
      if (hit >= 0) starts.add(this.data.lastIndexOf(10, hit) + 1);
    }
    return [...starts].sort((a, b) => a - b).map((p) => this.parse(p));
  }

  /** The offset of the first base line that comes after `e` in ready order (where it goes): a search by bytes. */
  insertionAt(e: Keys): number {
    let lo = this.from;
    let hi = this.data.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const start = this.data.lastIndexOf(10, mid - 1) + 1;
      const l = this.parse(start);
      if (compareReady(l, e) < 0) lo = l.end;
      else hi = start;
    }
    return lo < this.data.length ? this.parse(lo).at : this.size;
  }

  /** The last line not dropped. */
  last(dropped: Set<number>): BaseLine | null {
    for (let end = this.data.length; end > this.from; ) {
      const nl = this.data.lastIndexOf(10, end - 1);
      const l = this.parse(nl + 1);
      if (!dropped.has(l.at)) return l;
      end = nl;
    }
    return null;
  }
}

/** What a reader gets: the list as printed, in pieces (never joined), and whether it is whole. */
export interface ListBody {
  body: Buffer[];
  complete: boolean;
}

export class RenderedList {
  /** the list this process wrote last: the command that refreshed it prints it without reading it back */
  private written: (ListBody & { tip: string | null }) | null = null;

  constructor(
    private readonly store: Store,
    /** the cache's format: a list of another format is never trusted */
    private readonly format: number,
    readonly kind: ListKind,
  ) {}

  private path(ext: 'ndjson' | 'keys' | 'delta'): string {
    return join(dirOf(this.store), `${this.kind.name}.${ext}`);
  }

  private headerLine(tip: string | null, complete: boolean): Buffer {
    return Buffer.from(`${JSON.stringify({ format: this.format, tip, complete })}\n`);
  }

  private baseHeader(): { tip: string | null; complete: boolean; skip: number } | undefined {
    const h = headerOf(this.path('ndjson'));
    return h && h.value.format === this.format
      ? { tip: h.value.tip as string | null, complete: h.value.complete === true, skip: h.length }
      : undefined;
  }

  /** Removes the list's files: it is made again by the first command that reads it. */
  remove(): void {
    for (const ext of ['ndjson', 'keys', 'delta'] as const) removeFile(this.path(ext));
    this.written = null;
  }

  /** The tip the list on disk is for (the delta's when it applies), undefined when there is none. */
  tip(): string | null | undefined {
    const base = this.baseHeader();
    if (base === undefined) return undefined;
    const d = headerOf(this.path('delta'))?.value;
    return d && d.format === this.format && d.base === base.tip ? (d.tip as string | null) : base.tip;
  }

  /** The list at `tip` as printed, or null when the files on disk are for another. */
  read(tip: string | null): ListBody | null {
    if (this.written && this.written.tip === tip) return this.written;
    const file = readWithHeader(this.path('ndjson'));
    if (!file || file.head.format !== this.format) return null;
    const baseTip = file.head.tip as string | null;
    const body = file.data.subarray(file.skip);
    const delta = this.loadDelta(baseTip);
    if (delta && delta.tip === tip) {
      const pieces = applyDelta(body, delta);
      return pieces && { body: pieces, complete: delta.complete };
    }
    return baseTip === tip ? { body: [body], complete: file.head.complete === true } : null;
  }

  private loadDelta(base: string | null): Delta | null {
    const file = readWithHeader(this.path('delta'));
    if (!file || file.head.format !== this.format || file.head.base !== base) return null;
    const { data, skip } = file;
    try {
      const nl = data.indexOf(10, skip);
      if (nl < 0) return null;
      const edits = JSON.parse(data.subarray(skip, nl).toString('utf8')) as {
        drop: [number, number][];
        add: [string, string, number, string, number, number][];
      };
      let at = nl + 1;
      const add = edits.add.map(([id, oid, priority, created_at, before, length]) => {
        const line = data.subarray(at, (at += length));
        return { id, oid, priority, created_at, before, line };
      });
      if (at !== data.length) return null;
      return {
        base,
        tip: file.head.tip as string | null,
        complete: file.head.complete === true,
        drop: edits.drop,
        add,
      };
    } catch {
      return null;
    }
  }

  /** <name>.keys, when it is for the base on disk (`base`, its header when read already). */
  private loadKeys(base = this.baseHeader()): BaseKeys | null {
    const file = readWithHeader(this.path('keys'));
    const head = file?.head;
    if (!file || !base || base.tip !== head!.tip || typeof head!.size !== 'number' || typeof head!.count !== 'number')
      return null;
    return new BaseKeys(base.tip, base.complete, base.skip, head!.size, head!.count, file.data, file.skip);
  }

  /** The base's bytes after its header line, or null when the list on disk is no longer the one the keys are for. */
  private baseBody(keys: BaseKeys): Buffer | null {
    const file = readWithHeader(this.path('ndjson'));
    return file && file.skip === keys.skip && file.head.tip === keys.tip ? file.data.subarray(keys.skip) : null;
  }

  /**
   * The bytes of these base lines, read from the list (a few: those whose
   * beads changed), each checked to be its bead's whole line, and each of the
   * offsets `starts` checked to begin a line: the keys are searched, never
   * parsed whole, so what a refresh relies on is checked where it is used.
   * Throws MalformedKeys when the keys do not match the list.
   */
  private readBaseLines(lines: BaseLine[], starts: number[], keys: BaseKeys): Map<BaseLine, Buffer> {
    const out = new Map<BaseLine, Buffer>();
    if (!lines.length && !starts.length) return out;
    const skip = keys.skip;
    const fd = openSync(this.path('ndjson'), 'r');
    try {
      // the list the keys are for (a concurrent refresh may have replaced it since)
      const head = Buffer.allocUnsafe(skip);
      if (readSync(fd, head, 0, skip, 0) !== skip || JSON.parse(head.toString('utf8')).tip !== keys.tip)
        throw new MalformedKeys('the list is not the one its keys are for');
      const byteBefore = (at: number) => {
        const b = Buffer.alloc(1);
        return readSync(fd, b, 0, 1, skip + at - 1) === 1 ? b[0] : -1;
      };
      for (const l of lines) {
        const buf = Buffer.allocUnsafe(l.length);
        const whole =
          readSync(fd, buf, 0, l.length, skip + l.at) === l.length &&
          buf[l.length - 1] === 10 &&
          (l.at === 0 || byteBefore(l.at) === 10) &&
          buf.includes(`"id":${JSON.stringify(l.id)},`);
        if (!whole) throw new MalformedKeys(`the keys of ${l.id} do not match the list`);
        out.set(l, buf);
      }
      for (const at of starts)
        if (at !== 0 && at !== keys.size && byteBefore(at) !== 10) throw new MalformedKeys(`no line starts at ${at}`);
    } finally {
      closeSync(fd);
    }
    return out;
  }

  /** Every line of the list on disk, whatever its tip, by id: rendered lines to reuse. */
  private everyLine(): Map<string, Line> {
    const keys = this.loadKeys();
    const out = new Map<string, Line>();
    if (!keys) return out;
    const body = this.baseBody(keys);
    if (!body) return out;
    let all: BaseLine[];
    try {
      all = keys.all();
    } catch (err) {
      if (err instanceof MalformedKeys) return out;
      throw err;
    }
    for (const l of all) out.set(l.id, { ...l, line: body.subarray(l.at, l.at + l.length) });
    for (const a of this.loadDelta(keys.tip)?.add ?? []) out.set(a.id, a);
    return out;
  }

  /**
   * A bead's line: its previous line when that is of the same record, short
   * id and blocked flag (the same three, the same bytes), else made from its
   * record, read from git only when the refresh did not read it. A promise
   * only then: a cold build renders 11,000 lines at hand.
   */
  private render(e: Excerpt, short: string, prev: Line | undefined, read: Map<string, Bead>): Line | Promise<Line> {
    const blocked = this.kind.blocked(e);
    const keyed = (line: Buffer): Line => ({
      id: e.id,
      oid: e.oid,
      priority: e.priority,
      created_at: e.created_at,
      line,
    });
    const made = (bead: Bead) => keyed(Buffer.from(`${JSON.stringify(beadToWire(bead, short, { blocked }))}\n`));
    const line = prev?.line;
    if (
      line &&
      prev!.oid === e.oid &&
      line.includes(`"id":${JSON.stringify(e.id)},`) &&
      line.includes(`"short_id":${JSON.stringify(short)}`) &&
      line.includes(`"blocked":${blocked}`)
    )
      return keyed(line);
    const bead = read.get(e.oid);
    if (bead) return made(bead);
    return (async () =>
      made(
        parseStoredBead((await this.store.cat.read(e.oid, MAX_STATE_BLOB))!.data.toString('utf8'), beadPath(e.id)),
      ))();
  }

  /** Every bead's line, in their order (see render). */
  private async renderAll(
    kept: Excerpt[],
    shorts: Map<string, string>,
    prev: Map<string, Line>,
    read: Map<string, Bead>,
  ): Promise<Line[]> {
    const lines = kept.map((e) => this.render(e, shorts.get(e.id)!, prev.get(e.id), read));
    return lines.some((l) => l instanceof Promise) ? Promise.all(lines) : (lines as Line[]);
  }

  /**
   * Writes the whole list from the table. `read`: beads already read in this
   * refresh, by blob id; `made`: lines made for another list, by id.
   */
  async writeFull(table: ListSource, read = new Map<string, Bead>(), made?: Map<string, Line>): Promise<void> {
    const max = this.kind.max;
    const first = this.kind.first(table, max + 1);
    const complete = first.length <= max;
    const kept = complete ? first : first.slice(0, max);
    const shorts = table.shortIds(kept.map((e) => e.id));
    // lines this list had, and lines made for another list now (each reused only where it is the same bytes)
    const prev = this.everyLine();
    for (const [id, l] of made ?? []) if (!prev.has(id)) prev.set(id, l);
    const lines = await this.renderAll(kept, shorts, prev, read);
    this.writeBase(table, lines, complete);
  }

  /**
   * Writes the whole list from lines made already, one for each of `kept`,
   * which is every bead the list holds (the ready list of a cold build,
   * ./ready-lines.ts); returns the lines by id.
   */
  writeMade(table: ListSource, kept: Excerpt[], made: { body: Uint8Array; lengths: number[] }): Map<string, Line> {
    const body = Buffer.from(made.body.buffer, made.body.byteOffset, made.body.byteLength);
    const lines: Line[] = [];
    let at = 0;
    for (let i = 0; i < kept.length; i++) {
      const e = kept[i]!;
      const length = made.lengths[i]!;
      lines.push({
        id: e.id,
        oid: e.oid,
        priority: e.priority,
        created_at: e.created_at,
        line: body.subarray(at, at + length),
      });
      at += length;
    }
    this.writeBase(table, lines, true);
    return new Map(lines.map((l) => [l.id, l]));
  }

  private writeBase(table: ListSource, lines: Line[], complete: boolean): void {
    mkdirSync(dirOf(this.store), { recursive: true });
    let at = 0;
    const keys = lines.map((r) => {
      const k = `${table.shardOf(r.id)}\t${r.id}\t${r.oid}\t${r.priority}\t${r.created_at}\t${at}\t${r.line.length}`;
      at += r.line.length;
      return k;
    });
    // the keys first: a reader of the list reads <name>.ndjson, whose tip says whether it is current
    writeFileAtomic(
      this.path('keys'),
      [JSON.stringify({ tip: table.tip, size: at, count: keys.length }), ...keys].join('\n'),
    );
    const body = lines.map((r) => r.line);
    writeFileAtomic(this.path('ndjson'), [this.headerLine(table.tip, complete), ...body]);
    removeFile(this.path('delta'));
    if (this.kind.name === 'ready') removeFile(join(dirOf(this.store), 'ready.oids')); // the keys' file before the delta
    this.written = { tip: table.tip, body, complete };
  }

  /**
   * The list of `from` brought to the table's tip: the beads whose place or
   * line may have changed (`candidates`, and the beads of shards whose ids
   * changed, whose short ids may have) are taken out and put back in order
   * if the list keeps them now; every other line stays as it is. Written as
   * a delta against the base on disk while the delta is small.
   */
  async update(table: ListSource, change: ListChange): Promise<void> {
    // a list not made yet (of this format) is made by the first command that reads it
    const base = this.baseHeader();
    if (base === undefined) return;
    const keys = this.loadKeys(base);
    if (!keys) return this.writeFull(table, change.read);
    try {
      await this.updateFrom(keys, table, change);
    } catch (err) {
      if (!(err instanceof MalformedKeys)) throw err;
      await this.writeFull(table, change.read);
    }
  }

  private async updateFrom(
    keys: BaseKeys,
    table: ListSource,
    { from, candidates, reshort, read }: ListChange,
  ): Promise<void> {
    const loaded = this.loadDelta(keys.tip);
    const was: Delta | null =
      loaded?.tip === from
        ? loaded
        : keys.tip === from
          ? { base: keys.tip, tip: from, complete: keys.complete, drop: [], add: [] }
          : null;
    if (!was) return this.writeFull(table, read);
    const dropped = new Set(was.drop.map(([at]) => at));
    // a head holds every bead that comes before its last line: one that now comes after it may follow beads it does not hold
    const last = was.complete ? null : lastOf(keys, dropped, was.add);
    const prevBase = keys.matching(reshort, candidates).filter((l) => !dropped.has(l.at));
    const prevAdded = was.add.filter((a) => candidates.has(a.id) || reshort.has(table.shardOf(a.id)));
    for (const l of [...prevBase, ...prevAdded]) candidates.add(l.id);
    const prev = new Map<string, Line>(prevAdded.map((a) => [a.id, a]));
    const kept = [...candidates].flatMap((id) => {
      const e = table.get(id);
      return e && this.kind.keeps(table, e) && (!last || compareReady(e, last) <= 0) ? [e] : [];
    });
    const shorts = table.shortIds(kept.map((e) => e.id));
    const places = new Map(kept.map((e) => [e.id, keys.insertionAt(e)]));
    const baseBytes = this.readBaseLines(prevBase, [...places.values()], keys);
    for (const l of prevBase) prev.set(l.id, { ...l, line: baseBytes.get(l)! });
    const fresh = await this.renderAll(kept, shorts, prev, read);
    const drop = [...was.drop, ...prevBase.map((l): [number, number] => [l.at, l.length])].sort((a, b) => a[0] - b[0]);
    const add = [
      ...was.add.filter((a) => !candidates.has(a.id)),
      ...fresh.map((r) => ({ ...r, before: places.get(r.id)! })),
    ].sort(compareReady);
    const delta: Delta = { base: keys.tip, tip: table.tip, complete: was.complete, drop, add };
    const size = keys.length - drop.length + add.length;
    // a head shrunk to half its size is read again from the table
    if (!delta.complete && size < this.kind.max / 2) return this.writeFull(table, read);
    if (drop.length + add.length > Math.max(DELTA_MAX, keys.length / 8)) return this.fold(table, keys, delta, read);
    this.writeDelta(delta);
  }

  /** Writes the base with the delta applied as the new base. */
  private async fold(table: ListSource, keys: BaseKeys, delta: Delta, read: Map<string, Bead>): Promise<void> {
    const body = this.baseBody(keys);
    if (!body) return this.writeFull(table, read);
    const dropped = new Set(delta.drop.map(([at]) => at));
    const lines: Line[] = [];
    let i = 0;
    for (const l of keys.all()) {
      while (i < delta.add.length && delta.add[i]!.before <= l.at) lines.push(delta.add[i++]!);
      if (!dropped.has(l.at)) lines.push({ ...l, line: body.subarray(l.at, l.at + l.length) });
    }
    lines.push(...delta.add.slice(i));
    const max = this.kind.max;
    this.writeBase(table, lines.slice(0, max), delta.complete && lines.length <= max);
  }

  private writeDelta(delta: Delta): void {
    const head = `${JSON.stringify({ format: this.format, base: delta.base, tip: delta.tip, complete: delta.complete })}\n`;
    const edits = `${JSON.stringify({
      drop: delta.drop,
      add: delta.add.map((r) => [r.id, r.oid, r.priority, r.created_at, r.before, r.line.length]),
    })}\n`;
    writeFileAtomic(this.path('delta'), [Buffer.from(head + edits), ...delta.add.map((r) => r.line)]);
    this.written = null;
  }
}

/** The key of the list's last line: its last base line not dropped or its last added, whichever comes later. */
function lastOf(keys: BaseKeys, dropped: Set<number>, add: readonly Added[]): Keys | null {
  const base = keys.last(dropped);
  const added = add[add.length - 1] ?? null;
  if (!base) return added;
  if (!added) return base;
  return compareReady(base, added) > 0 ? base : added;
}

/** The base's bytes with the delta applied, as pieces: the base is copied in runs, never parsed. */
function applyDelta(body: Buffer, delta: Delta): Buffer[] | null {
  const pieces: Buffer[] = [];
  let pos = 0;
  let i = 0;
  let j = 0;
  while (i < delta.add.length || j < delta.drop.length) {
    const add = delta.add[i];
    const drop = delta.drop[j];
    // an added line goes before the base line at its offset, that line dropped or not
    if (add && (!drop || add.before <= drop[0])) {
      if (add.before < pos || add.before > body.length) return null;
      pieces.push(body.subarray(pos, add.before), add.line);
      pos = add.before;
      i++;
    } else {
      if (drop![0] < pos || drop![0] + drop![1] > body.length) return null;
      pieces.push(body.subarray(pos, drop![0]));
      pos = drop![0] + drop![1];
      j++;
    }
  }
  pieces.push(body.subarray(pos));
  return pieces.filter((p) => p.length);
}
