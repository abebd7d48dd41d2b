// Files written whole or not at all: a reader (another process, a command
// killed mid-write, a crash) sees the old content or the new, never half.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';

let written = 0;

/**
 * Writes `data` to a temporary file beside `path` and renames it over
 * `path`. The temporary name is new for this process ('wx': never written
 * through a link or into another writer's file); a failure removes it and
 * throws.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${++written}`;
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
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
