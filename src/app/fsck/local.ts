// What fsck checks beyond the state ref: what a killed command leaves in this
// repository, each named with what repairs it (sase doctor --fix). A change
// branch without its record (an interrupted `sase cs new`); a workspace whose
// creation was interrupted, and the registry's lock or temporary files left
// by a process that is gone (an interrupted `sase ws new`).
import { SaseError } from '../../core/errors.ts';
import type { Problem } from '../../core/fsck.ts';
import { GitError } from '../../git/exec.ts';
import type { Store } from '../../store/store.ts';
import { orphanBranches, orphanMessage } from '../changes/orphans.ts';
import {
  brokenEntriesOfInterrupted,
  brokenEntryMessage,
  interruptedMessage,
  interruptedWorkspaces,
  registryPath,
  staleFileMessage,
  staleRegistryFiles,
} from '../workspaces/workspaces.ts';

export async function localProblems(store: Store): Promise<Problem[]> {
  const problems: Problem[] = [];
  // a half-written worktree entry stops every git worktree command: named, and what needs one is left unjudged
  const broken = brokenEntriesOfInterrupted(store);
  for (const e of broken) problems.push({ check: 'workspace', path: e.dir, message: brokenEntryMessage(e) });
  const unjudged = (err: unknown): never[] => {
    if (broken.length && err instanceof GitError) return [];
    return unjudgeable(err);
  };
  for (const o of await orphanBranches(store).catch(unjudged))
    problems.push({ check: 'branch', path: `refs/heads/${o.branch}`, message: orphanMessage(o) });
  try {
    for (const i of await interruptedWorkspaces(store).catch((err) => {
      if (broken.length && err instanceof GitError) return [];
      throw err;
    }))
      problems.push({ check: 'workspace', path: i.w.path, message: interruptedMessage(i) });
  } catch (err) {
    // an unreadable registry is named, not fatal to the other checks
    if (!(err instanceof SaseError)) throw err;
    problems.push({ check: 'workspace', path: registryPath(store.repo), message: err.message });
  }
  for (const f of staleRegistryFiles(store))
    problems.push({ check: 'workspace', path: f.path, message: staleFileMessage(f) });
  return problems;
}

/**
 * Whether a branch has its record cannot be told while the state cannot be
 * read (a ref naming a tree, another format, a bad listing under changes/):
 * fsck names that itself, so the branches are left unjudged.
 */
function unjudgeable(err: unknown): never[] {
  if (err instanceof SaseError) return [];
  throw err;
}
