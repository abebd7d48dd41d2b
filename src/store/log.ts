// The operation log: the state ref's history, one operation per commit.
import { listCommits, type CommitInfo } from '../git/history.ts';
import { parseOpFromMessage, STATE_REF, type Store } from './store.ts';

export interface LogEntry {
  commit: string;
  parents: string[];
  tree: string;
  summary: string;
  op: { op: string; [key: string]: unknown } | null;
  actor: string;
  at: string;
}

/** A commit date ('2026-11-25T21:30:00+05:30') in UTC, as every sase time is. */
function utc(date: string): string {
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function subjectLine(message: string): string {
  return message.split('\n')[0]!.replace(/^sase: /, '');
}

export function toLogEntry(c: CommitInfo): LogEntry {
  const op = parseOpFromMessage(c.message);
  return {
    commit: c.oid,
    parents: c.parents,
    tree: c.tree,
    summary: subjectLine(c.message),
    op,
    actor: typeof op?.actor === 'string' ? op.actor : c.authorEmail,
    at:
      typeof op?.at === 'string'
        ? op.at
        : typeof (op?.bead as { created_at?: unknown })?.created_at === 'string'
          ? String((op!.bead as { created_at: string }).created_at)
          : utc(c.date),
  };
}

/** Operations newest first (or oldest first with `reverse`). */
export async function readLog(store: Store, opts: { reverse?: boolean; max?: number } = {}): Promise<LogEntry[]> {
  if (!(await store.tip())) return [];
  return (await listCommits(store.repo, STATE_REF, opts)).map(toLogEntry);
}
