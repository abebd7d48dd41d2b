// The operation log on the wire: one record an operation (version 1).

/** An operation as the log reads it from the state ref's history (the store's LogEntry). */
export interface LoggedOp {
  commit: string;
  summary: string;
  op: { op: string } | null;
  actor: string;
  at: string;
}

export interface OpRecord {
  v: 1;
  kind: 'op';
  /** the commit */
  id: string;
  /** e.g. "bead.create"; null for a commit without an operation */
  op: string | null;
  /** the ids (or paths) of the records it wrote */
  subjects: string[];
  summary: string;
  actor: string;
  at: string;
  commit: string;
}

export function opToWire(e: LoggedOp, subjects: string[]): OpRecord {
  return {
    v: 1,
    kind: 'op',
    id: e.commit,
    op: e.op?.op ?? null,
    subjects,
    summary: e.summary,
    actor: e.actor,
    at: e.at,
    commit: e.commit,
  };
}
