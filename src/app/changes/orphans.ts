// Change branches without a record: sase/cs/<name> with no changes/<name>.cs,
// as a `sase cs new` killed between making the branch and writing the record
// leaves them. Found for fsck and doctor; repaired without losing anything: a
// branch holding no commit of its own (none that no other branch, tag or
// remote-tracking branch holds) and checked out nowhere is deleted, any other
// is adopted (its record made, see adoptChange).

import { type ChangeSpec, changeBranch, isValidChangeName } from '../../core/changes/spec.ts';
import { commitsOnlyOn, listBranches } from '../../git/branches.ts';
import { listWorktrees } from '../../git/workspaces.ts';
import { changeNames } from '../../store/changes.ts';
import type { Store } from '../../store/store.ts';
import { dropChangeBranch } from './code.ts';
import { adoptChange } from './new.ts';

const PREFIX = 'sase/cs/';

export interface OrphanBranch {
  name: string;
  branch: string;
  tip: string;
  /** its commits that no other branch, tag or remote-tracking branch holds */
  own: number;
  /** the checkout it is checked out in, if any */
  checkedOut: string | null;
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

/** Whether doctor --fix deletes it (else it adopts it): nothing of its own, and no checkout on it. */
export function deletable(o: OrphanBranch): boolean {
  return o.own === 0 && !o.checkedOut;
}

/**
 * The branches sase/cs/<name> (a valid change name: other branches there are
 * not sase's) with no record; none while there is no state at all (a clone
 * whose state is not fetched yet has nothing to compare with).
 */
export async function orphanBranches(store: Store): Promise<OrphanBranch[]> {
  const snap = await store.snapshot();
  if (!snap.tip) return [];
  const branches = await listBranches(store.repo, PREFIX);
  if (!branches.length) return [];
  const names = await changeNames(snap);
  const found = branches
    .map((b) => ({ ...b, name: b.branch.slice(PREFIX.length) }))
    .filter((b) => isValidChangeName(b.name) && !names.has(b.name));
  if (!found.length) return [];
  const trees = await listWorktrees(store.repo);
  const out = await Promise.all(
    found.map(async (b) => ({
      name: b.name,
      branch: b.branch,
      tip: b.tip,
      own: await commitsOnlyOn(store.repo, b.branch),
      checkedOut: trees.find((t) => t.branch === b.branch)?.path ?? null,
    })),
  );
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** What fsck says of one: what it is, and what repairs it. */
export function orphanMessage(o: OrphanBranch): string {
  const adopt = `'sase cs new ${o.name} --adopt'`;
  if (deletable(o))
    return `branch '${o.branch}' has no change record and no commits of its own (an interrupted 'sase cs new' leaves that): 'sase doctor --fix' deletes it; ${adopt} makes its record`;
  const why = o.own ? `${plural(o.own, 'commit')} on no other branch` : `checked out at '${o.checkedOut}'`;
  return `branch '${o.branch}' has no change record, and ${why}: 'sase doctor --fix' or ${adopt} makes its record`;
}

export interface OrphanRepair {
  orphan: OrphanBranch;
  action: 'deleted' | 'adopted' | 'failed';
  /** the record made, when adopted */
  change: ChangeSpec | null;
  /** one line saying what was done */
  said: string;
}

/** Deletes or adopts one orphan branch (see the top of this file). */
export async function repairOrphan(store: Store, o: OrphanBranch, at: string): Promise<OrphanRepair> {
  const branch = changeBranch(o.name);
  if (deletable(o)) {
    if (await dropChangeBranch(store, o.name, o.tip, `delete ${branch}, which has no change record`))
      return {
        orphan: o,
        action: 'deleted',
        change: null,
        said: `deleted the branch '${branch}' (no change record, no commits of its own)`,
      };
    return { orphan: o, action: 'failed', change: null, said: `could not delete the branch '${branch}': it moved` };
  }
  try {
    const { change } = await adoptChange(store, {
      name: o.name,
      description: null,
      parent: null,
      status: 'WIP',
      bead: null,
      at,
    });
    const why = o.own
      ? plural(change.commits.length, 'commit')
      : `no commits of its own, but checked out at '${o.checkedOut}'`;
    return {
      orphan: o,
      action: 'adopted',
      change,
      said: `adopted the branch '${branch}' as change '${o.name}' (${why})`,
    };
  } catch (err) {
    return {
      orphan: o,
      action: 'failed',
      change: null,
      said: `could not adopt the branch '${branch}': ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
