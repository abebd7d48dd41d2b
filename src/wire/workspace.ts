import type { CleanResult, WorkspaceSource, WorkspaceState, WorkspaceView } from '../core/workspaces/workspace.ts';

// The JSON form of a workspace (version 1) and of what sase-ws-clean did to one.

export interface WorkspaceRecord {
  v: 1;
  kind: 'workspace';
  /** its number, or its path for a `#cd:` folder */
  id: number | string;
  n: number | null;
  path: string;
  branch: string | null;
  base: string | null;
  run: string | null;
  state: WorkspaceState | null;
  created_at: string | null;
  source: WorkspaceSource;
  ref: string | null;
  exists: boolean;
  dirty: boolean | null;
}

export function workspaceToWire(w: WorkspaceView): WorkspaceRecord {
  return {
    v: 1,
    kind: 'workspace',
    id: w.n ?? w.path,
    n: w.n,
    path: w.path,
    branch: w.branch,
    base: w.base,
    run: w.run,
    state: w.state,
    created_at: w.created_at,
    source: w.source,
    ref: w.ref,
    exists: w.exists,
    dirty: w.dirty,
  };
}

export interface WsCleanRecord {
  v: 1;
  kind: 'ws-clean';
  id: number;
  n: number;
  path: string;
  action: CleanResult['action'];
  reason: string;
  dry_run: boolean;
}

export function cleanToWire(r: CleanResult, dryRun: boolean): WsCleanRecord {
  return { v: 1, kind: 'ws-clean', id: r.n, n: r.n, path: r.path, action: r.action, reason: r.reason, dry_run: dryRun };
}
