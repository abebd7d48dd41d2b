// The pre-rendered ready list of the bead cache (ARCHITECTURE.md 2b): what
// `bead ready` prints, byte for byte, kept as a base and a delta so that a
// refresh after a write costs what changed, not the length of the list.
//
// ready.ndjson  a header line {format, tip}, then the NDJSON records in ready order
// ready.keys    a header line {tip, size}, then for each record its shard, id,
//               blob id, priority, created_at, offset and length (after the
//               header line), tab-separated
// ready.delta   a header line {format, base, tip}, then one JSON line
//               {drop: [[offset, length]], add: [[id, oid, priority, created_at, before, length]]},
//               then the added lines' bytes in that order: the list at `tip` is
//               the base's lines less those dropped, each added line put before
//               the base line at offset `before`
//
// A refresh writes a new delta against the same base; once the delta holds
// more than DELTA_MAX lines (or an eighth of the base) the whole list is
// written again and the delta removed. A reader takes the delta only when its
// base is the list on disk, and each file only for its own tip.
import { closeSync, mkdirSync, openSync, readFileSync, readSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { compareReady } from '../core/beads/graph.ts';
import { type Bead, beadPath, parseStoredBead } from '../core/beads/model.ts';
import type { Excerpt } from '../core/beads/table.ts';
import { MAX_STATE_BLOB } from '../core/layout.ts';
import { localPath } from '../git/repo.ts';
import { writeFileAtomic } from '../proc/files.ts';
import { beadToWire } from '../wire/bead.ts';
import type { Store } from './store.ts';

/** a delta longer than this (or than an eighth of the base) is folded into a new base */
const DELTA_MAX = 512;

/** What the ready list needs of the bead table at the tip it is written for. */
export interface ReadySource {
  readonly tip: string | null;
  get(id: string): Excerpt | undefined;
  isReady(e: Excerpt): boolean;
  shortIds(ids: string[]): Map<string, string>;
  /** every bead's excerpt */
  excerpts(): Iterable<Excerpt>;
  /** the shard an id belongs to */
  shardOf(id: string): string;
}

const dirOf = (store: Store) => localPath(store.repo, 'cache');
const pathOf = (store: Store, name: 'ready.ndjson' | 'ready.keys' | 'ready.delta') => join(dirOf(store), name);

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

/** The first line of a file, parsed (the list is megabytes at 100,000 beads); undefined when unreadable. */
function headerOf(path: string): Record<string, unknown> | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.allocUnsafe(512);
    const got = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    const nl = got.indexOf(10);
    return nl < 0 ? undefined : JSON.parse(got.subarray(0, nl).toString('utf8'));
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
interface Line extends Keys {
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
  /** the base lines left out: offset, length; in order */
  drop: [number, number][];
  /** in ready order */
  add: Added[];
}

/** ready.keys, each line parsed only when asked for (a refresh needs a few). */
class BaseKeys {
  constructor(
    readonly tip: string | null,
    /** the bytes of the list after its header */
    readonly size: number,
    private readonly lines: string[],
  ) {}

  get length(): number {
    return this.lines.length;
  }

  line(n: number): BaseLine & { shard: string } {
    const [shard, id, oid, priority, created_at, at, length] = this.lines[n]!.split('\t');
    return {
      shard: shard!,
      id: id!,
      oid: oid!,
      priority: Number(priority),
      created_at: created_at!,
      at: Number(at),
      length: Number(length),
    };
  }

  /** The lines whose shard is in `shards` or whose id is in `ids`. */
  matching(shards: Set<string>, ids: Set<string>): BaseLine[] {
    const out: BaseLine[] = [];
    for (let n = 0; n < this.lines.length; n++) {
      const l = this.lines[n]!;
      const t1 = l.indexOf('\t');
      if (shards.has(l.slice(0, t1)) || ids.has(l.slice(t1 + 1, l.indexOf('\t', t1 + 1)))) out.push(this.line(n));
    }
    return out;
  }

  /** The offset of the first base line that comes after `e` in ready order (where it goes). */
  insertionAt(e: Keys): number {
    let lo = 0;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareReady(this.line(mid), e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.lines.length ? this.line(lo).at : this.size;
  }
}

export class ReadyCache {
  /** the list this process wrote last: the command that refreshed it prints it without reading it back */
  private written: { tip: string | null; body: Buffer[] } | null = null;

  constructor(
    private readonly store: Store,
    /** the cache's format: a list of another format is never trusted */
    private readonly format: number,
  ) {}

  private headerLine(tip: string | null): Buffer {
    return Buffer.from(`${JSON.stringify({ format: this.format, tip })}\n`);
  }

  private baseTip(): string | null | undefined {
    const h = headerOf(pathOf(this.store, 'ready.ndjson'));
    return h && h.format === this.format ? (h.tip as string | null) : undefined;
  }

  /** The tip the list on disk is for (the delta's when it applies), undefined when there is none. */
  tip(): string | null | undefined {
    const base = this.baseTip();
    if (base === undefined) return undefined;
    const d = headerOf(pathOf(this.store, 'ready.delta'));
    return d && d.format === this.format && d.base === base ? (d.tip as string | null) : base;
  }

  /** The list at `tip` as printed, in pieces (never joined), or null when the files on disk are for another. */
  body(tip: string | null): Buffer[] | null {
    if (this.written && this.written.tip === tip) return this.written.body;
    let data: Buffer;
    try {
      data = readFileSync(pathOf(this.store, 'ready.ndjson'));
    } catch {
      return null;
    }
    const nl = data.indexOf(10);
    let head: { format: number; tip: string | null };
    try {
      head = JSON.parse(data.subarray(0, nl).toString('utf8'));
    } catch {
      return null;
    }
    if (nl < 0 || head.format !== this.format) return null;
    const body = data.subarray(nl + 1);
    const delta = this.loadDelta(head.tip);
    if (delta && delta.tip === tip) return applyDelta(body, delta);
    return head.tip === tip ? [body] : null;
  }

  private loadDelta(base: string | null): Delta | null {
    let data: Buffer;
    try {
      data = readFileSync(pathOf(this.store, 'ready.delta'));
    } catch {
      return null;
    }
    try {
      const first = data.indexOf(10);
      const second = data.indexOf(10, first + 1);
      const head = JSON.parse(data.subarray(0, first).toString('utf8'));
      if (head.format !== this.format || head.base !== base || second < 0) return null;
      const edits = JSON.parse(data.subarray(first + 1, second).toString('utf8')) as {
        drop: [number, number][];
        add: [string, string, number, string, number, number][];
      };
      let at = second + 1;
      const add = edits.add.map(([id, oid, priority, created_at, before, length]) => {
        const line = data.subarray(at, (at += length));
        return { id, oid, priority, created_at, before, line };
      });
      return at === data.length ? { base, tip: head.tip, drop: edits.drop, add } : null;
    } catch {
      return null;
    }
  }

  /** ready.keys, when it is for the base on disk. */
  private loadKeys(): BaseKeys | null {
    let text: string;
    try {
      text = readFileSync(pathOf(this.store, 'ready.keys'), 'utf8');
    } catch {
      return null;
    }
    const nl = text.indexOf('\n');
    try {
      const head = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as { tip: string | null; size: number };
      if (this.baseTip() !== head.tip || typeof head.size !== 'number') return null;
      return new BaseKeys(head.tip, head.size, nl < 0 ? [] : text.slice(nl + 1).split('\n'));
    } catch {
      return null;
    }
  }

  /** The bytes of these base lines, read from the list (a few: those whose beads changed). */
  private readBaseLines(lines: BaseLine[], tip: string | null): Map<BaseLine, Buffer> {
    const out = new Map<BaseLine, Buffer>();
    if (!lines.length) return out;
    const skip = this.headerLine(tip).length;
    const fd = openSync(pathOf(this.store, 'ready.ndjson'), 'r');
    try {
      for (const l of lines) {
        const buf = Buffer.allocUnsafe(l.length);
        if (readSync(fd, buf, 0, l.length, skip + l.at) === l.length && buf[l.length - 1] === 10) out.set(l, buf);
      }
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
    let body: Buffer;
    try {
      body = readFileSync(pathOf(this.store, 'ready.ndjson')).subarray(this.headerLine(keys.tip).length);
    } catch {
      return out;
    }
    for (let n = 0; n < keys.length; n++) {
      const l = keys.line(n);
      out.set(l.id, { ...l, line: body.subarray(l.at, l.at + l.length) });
    }
    for (const a of this.loadDelta(keys.tip)?.add ?? []) out.set(a.id, a);
    return out;
  }

  private async render(e: Excerpt, short: string, prev: Line | undefined, read: Map<string, Bead>): Promise<Line> {
    let line = prev?.line;
    if (!(line && prev!.oid === e.oid && line.includes(`"short_id":${JSON.stringify(short)}`))) {
      const bead =
        read.get(e.oid) ??
        parseStoredBead((await this.store.cat.read(e.oid, MAX_STATE_BLOB))!.data.toString('utf8'), beadPath(e.id));
      line = Buffer.from(`${JSON.stringify(beadToWire(bead, short, { blocked: false }))}\n`);
    }
    return { id: e.id, oid: e.oid, priority: e.priority, created_at: e.created_at, line };
  }

  /** Writes the whole list from every bead. `read`: beads already read in this refresh, by blob id. */
  async writeFull(table: ReadySource, read = new Map<string, Bead>()): Promise<void> {
    const ready = [...table.excerpts()].filter((e) => table.isReady(e)).sort(compareReady);
    const shorts = table.shortIds(ready.map((e) => e.id));
    const reuse = this.everyLine();
    const lines = await Promise.all(ready.map((e) => this.render(e, shorts.get(e.id)!, reuse.get(e.id), read)));
    this.writeBase(table, lines);
  }

  private writeBase(table: ReadySource, lines: Line[]): void {
    const store = this.store;
    mkdirSync(dirOf(store), { recursive: true });
    let at = 0;
    const keys = lines.map((r) => {
      const k = `${table.shardOf(r.id)}\t${r.id}\t${r.oid}\t${r.priority}\t${r.created_at}\t${at}\t${r.line.length}`;
      at += r.line.length;
      return k;
    });
    // the keys first: a reader of the list reads ready.ndjson, whose tip says whether it is current
    writeFileAtomic(pathOf(store, 'ready.keys'), [JSON.stringify({ tip: table.tip, size: at }), ...keys].join('\n'));
    const body = lines.map((r) => r.line);
    writeFileAtomic(pathOf(store, 'ready.ndjson'), [this.headerLine(table.tip), ...body]);
    unlinkQuietly(pathOf(store, 'ready.delta'));
    unlinkQuietly(join(dirOf(store), 'ready.oids')); // the keys' file before the delta
    this.written = { tip: table.tip, body };
  }

  /**
   * The list of `from` brought to the table's tip: the beads whose readiness
   * may have changed (`candidates`, and the ready beads of shards whose ids
   * changed, whose short ids may have) are taken out and put back in order
   * if they are ready now; every other line stays as it is. Written as a
   * delta against the base on disk while the delta is small.
   */
  async update(
    table: ReadySource,
    from: string | null,
    candidates: Set<string>,
    reshort: Set<string>,
    read: Map<string, Bead>,
  ): Promise<void> {
    const keys = this.loadKeys();
    if (!keys) return this.writeFull(table, read);
    const loaded = this.loadDelta(keys.tip);
    const was: Delta | null =
      loaded?.tip === from ? loaded : keys.tip === from ? { base: keys.tip, tip: from, drop: [], add: [] } : null;
    if (!was) return this.writeFull(table, read);
    const dropped = new Set(was.drop.map(([at]) => at));
    const prevBase = keys.matching(reshort, candidates).filter((l) => !dropped.has(l.at));
    const prevAdded = was.add.filter((a) => candidates.has(a.id) || reshort.has(table.shardOf(a.id)));
    for (const l of [...prevBase, ...prevAdded]) candidates.add(l.id);
    const baseBytes = this.readBaseLines(prevBase, keys.tip);
    const prev = new Map<string, Line>(prevAdded.map((a) => [a.id, a]));
    for (const l of prevBase) {
      const line = baseBytes.get(l);
      if (line) prev.set(l.id, { ...l, line });
    }
    const ready = [...candidates].flatMap((id) => {
      const e = table.get(id);
      return e && table.isReady(e) ? [e] : [];
    });
    const shorts = table.shortIds(ready.map((e) => e.id));
    const fresh = await Promise.all(ready.map((e) => this.render(e, shorts.get(e.id)!, prev.get(e.id), read)));
    const drop = [...was.drop, ...prevBase.map((l): [number, number] => [l.at, l.length])].sort((a, b) => a[0] - b[0]);
    const add = [
      ...was.add.filter((a) => !candidates.has(a.id)),
      ...fresh.map((r) => ({ ...r, before: keys.insertionAt(r) })),
    ].sort(compareReady);
    const delta: Delta = { base: keys.tip, tip: table.tip, drop, add };
    if (drop.length + add.length > Math.max(DELTA_MAX, keys.length / 8)) return this.fold(table, keys, delta);
    this.writeDelta(delta);
  }

  /** Writes the base with the delta applied as the new base. */
  private fold(table: ReadySource, keys: BaseKeys, delta: Delta): void {
    const body = readFileSync(pathOf(this.store, 'ready.ndjson')).subarray(this.headerLine(keys.tip).length);
    const dropped = new Set(delta.drop.map(([at]) => at));
    const lines: Line[] = [];
    let i = 0;
    for (let n = 0; n < keys.length; n++) {
      const l = keys.line(n);
      while (i < delta.add.length && delta.add[i]!.before <= l.at) lines.push(delta.add[i++]!);
      if (!dropped.has(l.at)) lines.push({ ...l, line: body.subarray(l.at, l.at + l.length) });
    }
    lines.push(...delta.add.slice(i));
    this.writeBase(table, lines);
  }

  private writeDelta(delta: Delta): void {
    const head = `${JSON.stringify({ format: this.format, base: delta.base, tip: delta.tip })}\n`;
    const edits = `${JSON.stringify({
      drop: delta.drop,
      add: delta.add.map((r) => [r.id, r.oid, r.priority, r.created_at, r.before, r.line.length]),
    })}\n`;
    writeFileAtomic(pathOf(this.store, 'ready.delta'), [Buffer.from(head + edits), ...delta.add.map((r) => r.line)]);
    this.written = null;
  }
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
