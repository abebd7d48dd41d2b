// What a check of the state finds (sase fsck): each problem, named by the
// check that found it, and a summary. Pure: the checking is app/fsck's.

/** Checks of what killed commands leave outside the state ref: change branches, workspaces. */
export type LocalCheck = 'branch' | 'workspace';

/** One problem: the check that found it, what it is, and where when known. */
export interface Problem {
  check: 'ref' | 'version' | 'path' | 'record' | 'reference' | 'cycle' | 'plan' | 'log' | 'replay' | LocalCheck;
  message: string;
  path?: string;
  id?: string;
  commit?: string;
}

export interface FsckReport {
  tip: string | null;
  beads: number;
  operations: number;
  problems: Problem[];
  /** what is worth knowing but not wrong: references an import recorded as missing */
  warnings: Problem[];
}
