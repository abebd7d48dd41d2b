// Files written whole or not at all: a reader (another process, a command
// killed mid-write, a crash) sees the old content or the new, never half.
import { closeSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync, writevSync } from 'node:fs';
import { join } from 'node:path';

let written = 0;

/**
 * Writes `data` to a temporary file beside `path` and renames it over
 * `path`. The temporary name is new for this process ('wx': never written
 * through a link or into another writer's file); a failure removes it and
 * throws.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const tmp = `${path}.tmp-${process.pid}-${++written}`;
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(tmp, data, { flag: 'wx' });
    else writePieces(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw err;
  }
}

/** Removes a file that may be gone already (a derived file a concurrent writer replaced or removed). */
export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

/** pieces given to one writev (the kernel's IOV_MAX) */
const IOV_MAX = 1024;

/**
 * A new file made of the pieces in turn: a large file is never joined into
 * one buffer first, and its pieces (100,000 records in a cold cache build)
 * go a thousand to a system call.
 */
function writePieces(path: string, pieces: readonly Uint8Array[]): void {
  const fd = openSync(path, 'wx');
  try {
    for (let i = 0; i < pieces.length; ) {
      let batch = pieces.slice(i, i + IOV_MAX);
      i += batch.length;
      // a short write leaves the rest of the batch, from where it stopped, for the next call
      for (let left = batch.reduce((n, p) => n + p.length, 0); left > 0; ) {
        let n = writevSync(fd, batch);
        left -= n;
        let k = 0;
        while (k < batch.length && n >= batch[k]!.length) n -= batch[k++]!.length;
        batch = batch.slice(k);
        if (n > 0) batch[0] = batch[0]!.subarray(n);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes the directories `<name>-<n>` in `dir` for every format `n` but
 * `current`: a derived cache of an older format, left behind by an upgrade
 * (40 MB of bead table at 100,000 beads). A reader of that format that still
 * opens one finds it gone and rebuilds.
 */
export function removeOtherFormats(dir: string, name: string, current: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const pattern = new RegExp(`^${name}-\\d+$`);
  for (const n of names)
    if (pattern.test(n) && n !== `${name}-${current}`) rmSync(join(dir, n), { recursive: true, force: true });
}
