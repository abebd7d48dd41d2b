// One long-lived `git cat-file --batch` answers every object read of a command,
// so reading a hundred records costs one process, not a hundred. Each read has
// a size limit: the header git sends first gives the size, and an object over
// the limit is skipped as it streams by, never held, and refused.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { FatalError } from '../core/errors.ts';
import { gitProcessEnv } from './exec.ts';
import type { Repo } from './repo.ts';

/** What a read takes unless it says otherwise: no object sase stores comes near it. */
export const DEFAULT_MAX_OBJECT = 256 << 20;

/** An object over the size a read allows; `name` is what was asked for. */
export class ObjectTooLargeError extends FatalError {
  constructor(
    readonly name: string,
    readonly type: string,
    readonly size: number,
    readonly max: number,
  ) {
    super(`git object '${name}' is a ${type} of ${size} bytes; at most ${max} are read`);
  }
}

export interface GitObject {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  data: Buffer;
}

interface Pending {
  name: string;
  max: number;
  resolve: (obj: GitObject | null) => void;
  reject: (err: Error) => void;
}

export class CatFile {
  private proc: ChildProcessWithoutNullStreams | null = null;
  private starting: Promise<ChildProcessWithoutNullStreams> | null = null;
  // reads waiting for an answer, oldest at `head` (not shift(): a cold cache
  // queues a read per record, and shifting 100,000 entries one by one is quadratic)
  private queue: Pending[] = [];
  /** names queued but not yet written to cat-file */
  private unsent: string[] = [];
  private head = 0;
  // what git sent and no read has taken yet, as it came (joined only when a
  // header or a whole object is there: joining every chunk to the rest would be
  // quadratic in an object's size)
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** bytes still to pass over: the rest of an object too large to keep, and its newline */
  private skipping = 0;
  /** the header of the object being received */
  private header: { oid: string; type: GitObject['type']; size: number } | null = null;
  private failed: Error | null = null;

  constructor(private readonly repo: Repo) {}

  // node:child_process is loaded on the first read: commands answered from the cache never pay for it
  private start(): Promise<ChildProcessWithoutNullStreams> {
    if (this.proc) return Promise.resolve(this.proc);
    this.starting ??= import('node:child_process').then(({ spawn }) => this.spawnWith(spawn));
    return this.starting;
  }

  private spawnWith(spawn: typeof import('node:child_process').spawn): ChildProcessWithoutNullStreams {
    const proc = spawn('git', ['cat-file', '--batch'], {
      cwd: this.repo.cwd,
      env: gitProcessEnv(this.repo.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.drain();
    });
    const fail = (err: Error) => this.fail(err);
    proc.on('error', fail);
    proc.stdin.on('error', () => {});
    proc.on('exit', (code) => {
      if (this.queue.length > this.head) fail(new Error(`git cat-file exited (${code}) with reads pending`));
      this.proc = null;
      this.starting = null;
    });
    this.proc = proc;
    return proc;
  }

  /** Every read still waiting fails with `err`, and every later one. */
  private fail(err: Error): void {
    this.failed = err;
    const pending = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    for (const p of pending) p.reject(err);
  }

  private next(): Pending {
    const p = this.queue[this.head++]!;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return p;
  }

  /** The buffered bytes as one buffer (joined once). */
  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Drops the first `n` buffered bytes. */
  private consume(n: number): void {
    const rest = this.joined().subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
  }

  private drain(): void {
    for (;;) {
      if (this.skipping) {
        const n = Math.min(this.skipping, this.buffered);
        this.consume(n);
        this.skipping -= n;
        if (this.skipping) return;
      }
      if (this.queue.length <= this.head || !this.buffered) return;
      // the header: found once, then the object's bytes are only counted until they are all there
      if (!this.header) {
        const nl = this.joined().indexOf(10);
        if (nl < 0) return;
        const text = this.joined().subarray(0, nl).toString('latin1');
        this.consume(nl + 1);
        if (text.endsWith(' missing') || text.endsWith(' ambiguous')) {
          this.next().resolve(null);
          continue;
        }
        const [oid, type, size] = text.split(' ');
        this.header = { oid: oid!, type: type as GitObject['type'], size: Number(size) };
        const p = this.queue[this.head]!;
        if (this.header.size > p.max) {
          this.skipping = this.header.size + 1;
          this.next().reject(new ObjectTooLargeError(p.name, this.header.type, this.header.size, p.max));
          this.header = null;
          continue;
        }
      }
      const { oid, type, size } = this.header;
      if (this.buffered < size + 1) return;
      const data = Buffer.from(this.joined().subarray(0, size));
      this.consume(size + 1);
      this.header = null;
      this.next().resolve({ oid, type, data });
    }
  }

  /**
   * Reads an object by any name git accepts (`<oid>`, `<tree>:<path>`); null
   * when missing. One larger than `max` bytes is refused (ObjectTooLargeError).
   */
  read(name: string, max = DEFAULT_MAX_OBJECT): Promise<GitObject | null> {
    if (this.failed) return Promise.reject(this.failed);
    if (name.includes('\n')) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.queue.push({ name, max, resolve, reject });
      this.unsent.push(name);
      if (this.unsent.length === 1) queueMicrotask(() => this.send());
    });
  }

  /**
   * Writes the names asked for since the last write, in one write: a
   * thousand reads asked for at once (a cold cache reads every record) cost
   * one write, not a thousand.
   */
  private send(): void {
    this.start().then(
      (proc) => {
        const names = this.unsent;
        this.unsent = [];
        if (names.length) proc.stdin.write(`${names.join('\n')}\n`);
      },
      (err: Error) => {
        this.unsent = [];
        this.fail(err);
      },
    );
  }

  /**
   * The type of an object (null when missing), whatever its size: its content
   * streams past unheld (a commit's message may be megabytes: an import's
   * operation names every bead it made).
   */
  async typeOf(name: string): Promise<GitObject['type'] | null> {
    try {
      return (await this.read(name, 0))?.type ?? null;
    } catch (err) {
      if (err instanceof ObjectTooLargeError) return err.type as GitObject['type'];
      throw err;
    }
  }

  close(): void {
    // reads asked for and not yet written go first: each still gets its answer
    const names = this.unsent;
    this.unsent = [];
    const end = (p: ChildProcessWithoutNullStreams) => {
      if (names.length) p.stdin.write(`${names.join('\n')}\n`);
      p.stdin.end();
    };
    if (this.proc) {
      end(this.proc);
      this.proc = null;
    } else this.starting?.then(end, () => {});
  }
}
