// One long-lived `git cat-file --batch` answers every object read of a command,
// so reading a hundred records costs one process, not a hundred.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitProcessEnv } from './exec.ts';
import type { Repo } from './repo.ts';

export interface GitObject {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  data: Buffer;
}

interface Pending {
  resolve: (obj: GitObject | null) => void;
  reject: (err: Error) => void;
}

export class CatFile {
  private proc: ChildProcessWithoutNullStreams | null = null;
  private starting: Promise<ChildProcessWithoutNullStreams> | null = null;
  // reads waiting for an answer, oldest at `head` (not shift(): a cold cache
  // queues a read per record, and shifting 100,000 entries one by one is quadratic)
  private queue: Pending[] = [];
  private head = 0;
  private buf: Buffer = Buffer.alloc(0);
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
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.drain();
    });
    const fail = (err: Error) => {
      this.failed = err;
      const pending = this.queue.slice(this.head);
      this.queue = [];
      this.head = 0;
      for (const p of pending) p.reject(err);
    };
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

  private drain(): void {
    while (this.queue.length > this.head) {
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const header = this.buf.subarray(0, nl).toString('latin1');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buf = this.buf.subarray(nl + 1);
        this.next().resolve(null);
        continue;
      }
      const [oid, type, sizeText] = header.split(' ');
      const size = Number(sizeText);
      if (this.buf.length < nl + 1 + size + 1) return;
      const data = Buffer.from(this.buf.subarray(nl + 1, nl + 1 + size));
      this.buf = this.buf.subarray(nl + 1 + size + 1);
      this.next().resolve({ oid: oid!, type: type as GitObject['type'], data });
    }
  }

  /** Reads an object by any name git accepts (`<oid>`, `<tree>:<path>`); null when missing. */
  read(name: string): Promise<GitObject | null> {
    if (this.failed) return Promise.reject(this.failed);
    if (name.includes('\n')) return Promise.resolve(null);
    return this.start().then(
      (proc) =>
        new Promise((resolve, reject) => {
          this.queue.push({ resolve, reject });
          proc.stdin.write(name + '\n');
        }),
    );
  }

  close(): void {
    if (this.proc) {
      this.proc.stdin.end();
      this.proc = null;
    } else
      this.starting?.then(
        (p) => p.stdin.end(),
        () => {},
      );
  }
}
