// The lines of the ready list that a cold build writes, made from the ready
// beads' records: read by one bulk read, each parsed and rendered as `bead
// ready` prints it. At 11,000 ready beads that is a fifth of a cold build;
// from READY_LINES_THREAD_FROM beads it runs in a thread of its own
// (./ready-lines-thread.ts) while the main thread writes the table, and on
// the main thread when the thread cannot be had or fails (the same code, so a
// bad record is refused as on any read).
import { fileURLToPath } from 'node:url';
import { beadPath, parseStoredBead } from '../core/beads/model.ts';
import { MAX_STATE_BLOB } from '../core/layout.ts';
import { startBulkRead } from '../git/bulk-read.ts';
import { ObjectTooLargeError } from '../git/catfile.ts';
import { GitError } from '../git/exec.ts';
import type { Repo } from '../git/repo.ts';
import { ownModulePath, startThread } from '../proc/thread.ts';
import { beadToWire } from '../wire/bead.ts';
import { TooLargeStateError } from './snapshot.ts';

/** From this many lines, a thread of their own is worth its start (about 30 ms). */
export const READY_LINES_THREAD_FROM = 1000;

/**
 * What the lines are made of: the ready beads in list order, each with its
 * record's blob id and short id; `keep`: its record's bytes are wanted too
 * (for the records mirror, which takes a shard whose every record is at hand).
 */
export interface ReadyLinesJob {
  repo: Repo;
  beads: { id: string; oid: string; short: string; keep?: boolean }[];
}

/**
 * The lines, one after another in `body`, and the length of each in bytes;
 * the records kept, one after another in `records`, in the order of the
 * beads that asked, and the length of each.
 */
export interface ReadyLines {
  body: Uint8Array;
  lengths: number[];
  records: Uint8Array;
  recordLengths: number[];
}

/** Reads the records and renders each bead's line (blocked: false, as every ready bead). */
export async function makeReadyLines(job: ReadyLinesJob): Promise<ReadyLines> {
  return (await startReading(job))();
}

/** Starts git reading the records; the function returned renders the lines once they are read. */
async function startReading({ repo, beads }: ReadyLinesJob): Promise<() => Promise<ReadyLines>> {
  const read = await startBulkRead(
    repo,
    beads.map((b) => b.oid),
    MAX_STATE_BLOB,
  );
  return async () => {
    const lines: string[] = new Array(beads.length);
    const kept: Buffer[] = [];
    try {
      await read.answers((i, obj) => {
        const b = beads[i]!;
        if (!obj) throw new GitError(['cat-file'], 128, `missing blob ${b.oid} for ${beadPath(b.id)}`);
        if (b.keep) kept.push(obj.data);
        const bead = parseStoredBead(obj.data.toString('utf8'), beadPath(b.id));
        lines[i] = `${JSON.stringify(beadToWire(bead, b.short, { blocked: false }))}\n`;
      });
    } catch (err) {
      if (!(err instanceof ObjectTooLargeError)) throw err;
      const b = beads.find((x) => x.oid === err.name)!;
      throw new TooLargeStateError(beadPath(b.id), err.size, err.max);
    }
    return {
      body: Buffer.from(lines.join('')),
      lengths: lines.map((l) => Buffer.byteLength(l)),
      records: Buffer.concat(kept),
      recordLengths: kept.map((k) => k.length),
    };
  };
}

/**
 * Starts making the lines (in a thread of their own when there are many, see
 * above); once this resolves the work goes on without the caller, and the
 * function returned gives the lines.
 */
export async function startReadyLines(job: ReadyLinesJob): Promise<() => Promise<ReadyLines>> {
  if (job.beads.length >= READY_LINES_THREAD_FROM) {
    const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
    const thread = await startThread<ReadyLinesJob, ReadyLines>(ownModulePath('ready-lines-thread', here), job);
    if (thread) return async () => (await thread.result) ?? (await makeReadyLines(job));
  }
  return startReading(job);
}
