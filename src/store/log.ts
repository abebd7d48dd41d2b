// The operation log: the state ref's history, one operation per commit.

import { isoSeconds } from '../core/clock.ts';
import type { Op } from '../core/oplog.ts';
import { messageSummary, parseOpFromMessage } from '../core/oplog.ts';
import { type CommitInfo, listCommits } from '../git/history.ts';
import { STATE_REF, type Store } from './store.ts';

export interface LogEntry {
  commit: string;
  parents: string[];
  tree: string;
  summary: string;
  op: Op | null;
  actor: string;
  at: string;
}

export function toLogEntry(c: CommitInfo): LogEntry {
  const op = parseOpFromMessage(c.message);
  return {
    commit: c.oid,
    parents: c.parents,
    tree: c.tree,
    summary: messageSummary(c.message),
    op,
    actor: typeof op?.actor === 'string' ? op.actor : c.authorEmail,
    at:
      typeof op?.at === 'string'
        ? op.at
        : typeof (op?.bead as { created_at?: unknown })?.created_at === 'string'
          ? String((op!.bead as { created_at: string }).created_at)
          : Number.isNaN(Date.parse(c.date))
            ? c.date
            : isoSeconds(Date.parse(c.date)),
  };
}

/** Operations newest first (or oldest first with `reverse`). */
export async function readLog(store: Store, opts: { reverse?: boolean; max?: number } = {}): Promise<LogEntry[]> {
  if (!(await store.tip())) return [];
  return (await listCommits(store.repo, STATE_REF, opts)).map(toLogEntry);
}
