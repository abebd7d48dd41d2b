// Workspaces as records: the registry's entries, as listed and as cleaned.

export type WorkspaceState = 'free' | 'busy' | 'finished';

export type WorkspaceSource = 'main' | 'new' | 'git' | 'cs' | 'gh' | 'cd';

export interface Workspace {
  /** null for a `#cd:` folder, which is not numbered */
  n: number | null;
  path: string;
  branch: string | null;
  /** the commit it started from */
  base: string | null;
  run: string | null;
  state: WorkspaceState | null;
  created_at: string | null;
  source: WorkspaceSource;
  /** the reference it was made from (`#git:main`), or null */
  ref: string | null;
  /** whether sase made its branch (and so may delete it) */
  own_branch: boolean;
  /** set while a `ws-new` is still creating it */
  creating?: { pid: number; at: number };
}

export interface WorkspaceView extends Workspace {
  exists: boolean;
  dirty: boolean | null;
}

export interface CleanResult {
  n: number;
  path: string;
  action: 'removed' | 'kept';
  reason: string;
  /** named on the command line */
  named: boolean;
}
