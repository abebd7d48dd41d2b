// What fsck checks beyond the state ref: what a killed command leaves in this
// repository, each named with what repairs it (sase doctor --fix). A change
// branch without its record (an interrupted `sase cs new`); a workspace whose
// creation was interrupted, and the registry's lock or temporary files left
// by a process that is gone (an interrupted `sase ws new`).
import { SaseError } from '../../core/errors.ts';
import type { Problem } from '../../core/fsck.ts';
import type { Store } from '../../store/store.ts';
import { orphanBranches, orphanMessage } from '../changes/orphans.ts';
import {
  interruptedMessage,
  interruptedWorkspaces,
  registryPath,
  staleFileMessage,
  staleRegistryFiles,
} from '../workspaces/workspaces.ts';

export async function localProblems(store: Store): Promise<Problem[]> {
  const problems: Problem[] = [];
  try {
    for (const o of await orphanBranches(store))
      problems.push({ check: 'branch', path: `refs/heads/${o.branch}`, message: orphanMessage(o) });
  } catch (err) {
    // a state that cannot be read (the ref naming a tree, another VERSION, a bad entry) has no change
    // records to compare branches with: fsck's checks of the state name what is wrong with it (git's
    // own failures are no SaseError, and stay fatal)
    if (!(err instanceof SaseError)) throw err;
  }
  try {
    for (const i of await interruptedWorkspaces(store))
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
