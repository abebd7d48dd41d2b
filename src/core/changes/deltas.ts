// DELTAS: per file, whether the change adds (+), modifies (~) or removes (-)
// it, with line counts; a modified line is one removed and one added.
import type { Delta } from './spec.ts';

export interface FileStat {
  status: 'A' | 'M' | 'D';
  path: string;
  added: number;
  removed: number;
}

export function deltasOf(files: FileStat[]): Delta[] {
  return files
    .map((f): Delta => {
      if (f.status === 'A') return { op: '+', path: f.path, added: f.added, changed: 0, removed: 0 };
      if (f.status === 'D') return { op: '-', path: f.path, added: 0, changed: 0, removed: f.removed };
      const changed = Math.min(f.added, f.removed);
      return { op: '~', path: f.path, added: f.added - changed, changed, removed: f.removed - changed };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.op < b.op ? -1 : 1));
}
