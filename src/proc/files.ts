// Files written whole or not at all: a reader (another process, a command
// killed mid-write, a crash) sees the old content or the new, never half.
import { closeSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';

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

/** A new file made of the pieces in turn: a large file is never joined into one buffer first. */
function writePieces(path: string, pieces: readonly Uint8Array[]): void {
  const fd = openSync(path, 'wx');
  try {
    for (const piece of pieces) for (let at = 0; at < piece.length; ) at += writeSync(fd, piece, at);
  } finally {
    closeSync(fd);
  }
}
