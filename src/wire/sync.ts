// What `sase sync` did (version 1), and where a clone stands against its
// remote (`sase sync --status`).

export interface SyncLeftOut {
  commit: string;
  op: string;
  summary: string;
  reason: string;
}

export interface SyncOverwritten {
  commit: string;
  op: string;
  path: string;
  field: string | null;
  theirs: string;
}

export interface SyncRecord {
  v: 1;
  kind: 'sync';
  remote: string;
  /** none, adopted, fast-forward, pushed or replayed */
  action: string;
  fetched: number;
  replayed: number;
  same: number;
  left_out: SyncLeftOut[];
  overwritten: SyncOverwritten[];
  renamed: Array<{ from: string; to: string }>;
  pushed: boolean;
  tip: string | null;
  remote_tip: string | null;
  notes: string;
  notes_pushed: boolean;
  dry_run: boolean;
  attempts: number;
}

export interface SyncFacts {
  remote: string;
  action: string;
  fetched: number;
  replayed: number;
  same: number;
  leftOut: SyncLeftOut[];
  overwritten: SyncOverwritten[];
  renamed: Array<{ from: string; to: string }>;
  pushed: boolean;
  tip: string | null;
  remoteTip: string | null;
  notes: string;
  notesPushed: boolean;
  dryRun: boolean;
  attempts: number;
}

export function syncToWire(f: SyncFacts): SyncRecord {
  return {
    v: 1,
    kind: 'sync',
    remote: f.remote,
    action: f.action,
    fetched: f.fetched,
    replayed: f.replayed,
    same: f.same,
    left_out: f.leftOut,
    overwritten: f.overwritten,
    renamed: f.renamed,
    pushed: f.pushed,
    tip: f.tip,
    remote_tip: f.remoteTip,
    notes: f.notes,
    notes_pushed: f.notesPushed,
    dry_run: f.dryRun,
    attempts: f.attempts,
  };
}

export interface SyncStatusRecord {
  v: 1;
  kind: 'sync_status';
  remote: string;
  /** our operations the remote does not have */
  ahead: number;
  /** the remote's operations we do not have (as of the last fetch) */
  behind: number;
  tip: string | null;
  remote_tip: string | null;
  /** whether the two share a history (false: another root) */
  related: boolean;
  fetched: boolean;
  last_sync: string | null;
}

export interface SyncStatusFacts {
  remote: string;
  ahead: number;
  behind: number;
  tip: string | null;
  remoteTip: string | null;
  related: boolean;
  fetched: boolean;
  lastSync: string | null;
}

export function syncStatusToWire(f: SyncStatusFacts): SyncStatusRecord {
  return {
    v: 1,
    kind: 'sync_status',
    remote: f.remote,
    ahead: f.ahead,
    behind: f.behind,
    tip: f.tip,
    remote_tip: f.remoteTip,
    related: f.related,
    fetched: f.fetched,
    last_sync: f.lastSync,
  };
}
