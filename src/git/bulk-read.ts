// Many objects read at once, by a `git cat-file --batch --buffer` of their
// own: every name written in one go, the answers parsed and handed over one by
// one, with no promise or write an object. The cold cache build reads every
// excerpt (or record) of the state this way; the long-lived reader
// (./catfile.ts) answers the few reads of everything else.
//
// git reads the names from a file and writes its answers to another (each
// unlinked as soon as it is open), which is read as git writes it. So git
// runs on its own while the caller works (startBulkRead), and at full speed:
// through a pipe each of git's 8 KB writes woke the reader, and 11,000
// records took 250-500 ms to arrive against 120-375 ms through a file
// (100,000: 2.5-3.3 s against 0.9 s; bench/RESULTS.md).
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitObject, ObjectTooLargeError } from './catfile.ts';
import { GitError, GitMissingError, gitProcessEnv } from './exec.ts';
import { localDir, type Repo } from './repo.ts';

/** From this many objects, a bulk read of their own is worth starting; fewer are answered faster by the long-lived reader. */
export const BULK_FROM = 64;

/** the pieces git's answers are read in: an object cut between two is copied into one buffer */
const READ_CHUNK = 1 << 20;

let made = 0;

/**
 * A file for git to read or write, open for both and already unlinked:
 * nothing is left behind. In sase's folder of the repository, or the
 * system's temporary folder where that cannot be written (a repository read
 * by someone who may not write it).
 */
function scratchFile(repo: Repo): number {
  const name = `bulk-${process.pid}-${made++}.tmp`;
  let path: string;
  let fd: number;
  try {
    path = join(localDir(repo), name);
    fd = openSync(path, 'wx+', 0o600);
  } catch {
    path = join(tmpdir(), `sase-${name}`);
    fd = openSync(path, 'wx+', 0o600);
  }
  unlinkSync(path);
  return fd;
}

/** A bulk read under way: git runs on its own until every answer is in its file. */
export interface BulkRead {
  /**
   * Hands `each` the i-th object (null when git has none by that name) in the
   * order asked, as git writes it. Its data may be a view into a larger
   * buffer: a caller that keeps only a few of many objects copies them. An
   * object over the read's `max` bytes is refused: `tooLarge` gets the
   * refusal (ObjectTooLargeError, naming it) and the reading goes on past
   * it; without `tooLarge`, the reading stops and the refusal is thrown.
   */
  answers(
    each: (i: number, obj: GitObject | null) => void,
    tooLarge?: (i: number, err: ObjectTooLargeError) => void,
  ): Promise<void>;
}

/**
 * Starts git reading the objects `names` name (oids, or any name git takes).
 * Once this resolves git needs nothing more of this process (the names are
 * in a file it reads), so a caller may do other work while it runs.
 */
export async function startBulkRead(repo: Repo, names: readonly string[], max: number): Promise<BulkRead> {
  const bad = names.find((n) => n.includes('\n'));
  if (bad !== undefined) throw new Error(`bad object name ${JSON.stringify(bad)}`);
  if (!names.length) return { answers: async () => {} };
  const { spawn } = await import('node:child_process');
  const args = ['cat-file', '--batch', '--buffer'];
  const input = scratchFile(repo);
  let out = -1;
  let exited: Promise<void>;
  let proc: ReturnType<typeof spawn>;
  try {
    out = scratchFile(repo);
    // written at offset 0 without moving the file's offset, which git shares: it reads from the start
    const text = Buffer.from(`${names.join('\n')}\n`);
    for (let at = 0; at < text.length; ) at += writeSync(input, text, at, text.length - at, at);
    proc = spawn('git', args, { cwd: repo.cwd, env: gitProcessEnv(repo.env), stdio: [input, out, 'pipe'] });
    exited = new Promise<void>((resolve, reject) => {
      let stderr = '';
      let failed: Error | null = null;
      proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.on('error', (err: NodeJS.ErrnoException) => {
        failed ??= err.code === 'ENOENT' ? new GitMissingError('git not found on PATH') : err;
      });
      proc.on('close', (code) => {
        if (failed) reject(failed);
        else if (code !== 0) reject(new GitError(args, code ?? 128, stderr));
        else resolve();
      });
    });
  } catch (err) {
    closeSync(input);
    if (out >= 0) closeSync(out);
    throw err;
  }
  let exitedYet = false;
  let failure: unknown = null;
  exited.then(
    () => (exitedYet = true),
    (err) => {
      exitedYet = true;
      failure = err;
    },
  );
  return {
    async answers(each, tooLarge) {
      try {
        const answers = new AnswerParser(names, max, each, tooLarge);
        // what git has written so far is parsed while it writes the rest: it writes the file in order, never going back
        let chunk = Buffer.allocUnsafe(READ_CHUNK);
        for (let at = 0; ; ) {
          const over = exitedYet; // once git is gone, every byte is in the file
          const n = readSync(out, chunk, 0, chunk.length, at);
          if (n > 0) {
            at += n;
            if (n === chunk.length) {
              answers.feed(chunk);
              chunk = Buffer.allocUnsafe(READ_CHUNK);
            } else answers.feed(Buffer.from(chunk.subarray(0, n))); // (a copy: the objects handed over keep their piece)
            continue;
          }
          if (over) break;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        if (failure) throw failure;
        if (answers.count < names.length)
          throw new GitError(args, 128, `answered ${answers.count} of ${names.length} objects`);
      } finally {
        // a reading given up (a caller's refusal) leaves git no more to do
        if (!exitedYet) proc.kill();
        closeSync(input);
        closeSync(out);
      }
    },
  };
}

/** Reads the objects `names` name, each handed to `each` as BulkRead.answers hands them. */
export async function readObjectsInBulk(
  repo: Repo,
  names: readonly string[],
  max: number,
  each: (i: number, obj: GitObject | null) => void,
  tooLarge?: (i: number, err: ObjectTooLargeError) => void,
): Promise<void> {
  await (await startBulkRead(repo, names, max)).answers(each, tooLarge);
}

/** git's answers, fed in pieces as they are read: each object handed over as its last byte arrives. */
export class AnswerParser {
  /** the objects handed over so far (the index of the one being received) */
  count = 0;
  /** the start of a header line that the last piece cut */
  private pending: Buffer | null = null;
  /** bytes still to pass over: an object refused, and its newline */
  private skipping = 0;
  /** the header of the object being received, once read */
  private header: { oid: string; type: GitObject['type']; size: number } | null = null;
  /** an object that the last piece cut: its bytes so far (and room for its newline) */
  private partial: { data: Buffer; filled: number } | null = null;

  constructor(
    private readonly names: readonly string[],
    private readonly max: number,
    private readonly each: (i: number, obj: GitObject | null) => void,
    private readonly tooLarge?: (i: number, err: ObjectTooLargeError) => void,
  ) {}

  private hand(data: Buffer): void {
    const h = this.header!;
    this.header = null;
    this.each(this.count++, { oid: h.oid, type: h.type, data });
  }

  feed(chunk: Buffer): void {
    let pos = 0;
    if (this.partial) {
      const p = this.partial;
      const n = Math.min(p.data.length - p.filled, chunk.length);
      chunk.copy(p.data, p.filled, 0, n);
      p.filled += n;
      pos = n;
      if (p.filled < p.data.length) return;
      this.partial = null;
      this.hand(p.data.subarray(0, p.data.length - 1));
    }
    // a cut header line (a few bytes) is joined to what follows it; an object's bytes never are
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk.subarray(pos)]);
      pos = 0;
      this.pending = null;
    }
    while (pos < buf.length && (this.skipping || this.count < this.names.length)) {
      if (this.skipping) {
        const n = Math.min(this.skipping, buf.length - pos);
        pos += n;
        this.skipping -= n;
        continue;
      }
      if (!this.header) {
        const nl = buf.indexOf(10, pos);
        if (nl < 0) {
          this.pending = buf.subarray(pos);
          break;
        }
        const text = buf.toString('latin1', pos, nl);
        pos = nl + 1;
        if (text.endsWith(' missing') || text.endsWith(' ambiguous')) {
          this.each(this.count++, null);
          continue;
        }
        const [oid, type, size] = text.split(' ');
        const header = { oid: oid!, type: type as GitObject['type'], size: Number(size) };
        if (header.size > this.max) {
          const err = new ObjectTooLargeError(this.names[this.count]!, header.type, header.size, this.max);
          if (!this.tooLarge) throw err;
          this.tooLarge(this.count++, err);
          this.skipping = header.size + 1;
          continue;
        }
        this.header = header;
      }
      const size = this.header.size;
      if (buf.length - pos < size + 1) {
        // cut by the piece: gathered into a buffer of its own as the next pieces come
        const data = Buffer.allocUnsafe(size + 1);
        this.partial = { data, filled: buf.copy(data, 0, pos) };
        break;
      }
      // a view, not a copy: the callers keep every object they read (a cold build, a walk), and with it the piece
      const data = buf.subarray(pos, pos + size);
      pos += size + 1;
      this.hand(data);
    }
  }
}
