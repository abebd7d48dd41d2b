import { type CleanResult, type WorkspaceView } from '../core/workspaces/workspace.ts';

// The JSON form of a workspace (version 1) and of what sase-ws-clean did to one.

export function workspaceToWire(w: WorkspaceView): Record<string, unknown> {
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

export function cleanToWire(r: CleanResult, dryRun: boolean): Record<string, unknown> {
  return { v: 1, kind: 'ws-clean', id: r.n, n: r.n, path: r.path, action: r.action, reason: r.reason, dry_run: dryRun };
}
