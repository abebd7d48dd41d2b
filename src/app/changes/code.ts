// The code side of changes, for commands (which never run git themselves):
// each change's branch sase/cs/<name>, its base, its own commits and deltas.

import { deltasOf } from '../../core/changes/deltas.ts';
import { type ChangeSpec, changeBranch } from '../../core/changes/spec.ts';
import { ConflictError, NotFoundError, RefusedError, withHint } from '../../core/errors.ts';
import {
  type BranchCommit,
  commitsBetween,
  fileChanges,
  forkPointOf,
  mergeBase,
  readBranch,
  resolveCommitish,
  setBranch,
} from '../../git/branches.ts';
import { RefConflictError, RefLockedError, updateRefs, zeroOid } from '../../git/repo.ts';
import type { Store } from '../../store/store.ts';
import { loadConfig } from '../config/config.ts';

/** The branch changes land on: [review] target in config, else main. */
export async function targetBranch(store: Store): Promise<string> {
  const review = (await loadConfig(store.repo)).review as { target?: unknown } | undefined;
  return typeof review?.target === 'string' && review.target ? review.target : 'main';
}

export function resolveRevision(store: Store, rev: string): Promise<string | null> {
  return resolveCommitish(store.repo, rev);
}

export function branchTip(store: Store, branch: string): Promise<string | null> {
  return readBranch(store.repo, branch);
}

/** The branch a change's own commits are counted from: its parent's branch, else the target branch. */
export async function baseBranchOf(store: Store, c: ChangeSpec): Promise<string> {
  return c.parent ? changeBranch(c.parent) : targetBranch(store);
}

/** The tip of a change's base branch; not found when that branch is gone. */
export async function baseTip(store: Store, c: ChangeSpec): Promise<{ branch: string; tip: string }> {
  const branch = await baseBranchOf(store, c);
  const tip = await readBranch(store.repo, branch);
  if (!tip) throw new NotFoundError(`the base branch '${branch}' of change '${c.name}' does not exist`);
  return { branch, tip };
}

/** Creates a change's branch at `at`; refused when a branch of that name exists. */
export async function createChangeBranch(store: Store, name: string, at: string): Promise<void> {
  try {
    await setBranch(store.repo, changeBranch(name), at, null, `sase: new change ${name}`);
  } catch (err) {
    if (err instanceof RefLockedError)
      throw withHint(
        new ConflictError(`cannot lock the branch '${changeBranch(name)}': '${err.lockPath}' exists`),
        'another git is writing it, or one was interrupted while it did; if no git command is running, remove that file',
      );
    if (err instanceof RefConflictError) throw new RefusedError(`branch '${changeBranch(name)}' exists already`);
    throw err;
  }
}

/** Removes a branch this command created, only if it still points where it did; whether it did. */
export async function dropChangeBranch(
  store: Store,
  name: string,
  was: string,
  why = `undo new change ${name}`,
): Promise<boolean> {
  return updateRefs(
    store.repo,
    [{ ref: `refs/heads/${changeBranch(name)}`, newOid: zeroOid(store.repo), oldOid: was }],
    `sase: ${why}`,
  ).then(
    () => true,
    () => false,
  );
}

/** Moves a change's branch from `from` to `to` (compare-and-swap). */
export async function moveChangeBranch(
  store: Store,
  name: string,
  to: string,
  from: string,
  why: string,
): Promise<void> {
  await setBranch(store.repo, changeBranch(name), to, from, `sase: ${why}`);
}

/** The change's own commits (base..branch), oldest first. */
export async function changeCommits(store: Store, c: ChangeSpec): Promise<BranchCommit[]> {
  const tip = await readBranch(store.repo, changeBranch(c.name));
  if (!tip) throw new NotFoundError(`change '${c.name}' has no branch '${changeBranch(c.name)}'`);
  const { tip: base } = await baseTip(store, c);
  return commitsBetween(store.repo, base, tip);
}

/** The commit a change's own diff starts from: where its branch left its base branch. */
export async function forkPoint(store: Store, c: ChangeSpec): Promise<{ base: string; tip: string }> {
  const tip = await readBranch(store.repo, changeBranch(c.name));
  if (!tip) throw new NotFoundError(`change '${c.name}' has no branch '${changeBranch(c.name)}'`);
  const { tip: baseBranchTip } = await baseTip(store, c);
  return { base: (await mergeBase(store.repo, baseBranchTip, tip)) ?? baseBranchTip, tip };
}

/** DELTAS of the change: its branch against where it left its base. */
export async function changeDeltas(store: Store, c: ChangeSpec): Promise<ChangeSpec['deltas']> {
  const { base, tip } = await forkPoint(store, c);
  return deltasOf(await fileChanges(store.repo, base, tip));
}

/**
 * The change's own range: from where its branch left its base branch (the
 * base's reflog consulted, so a parent rebased since still gives the old fork
 * point) to its tip, with the base branch and its current tip.
 */
export async function ownRange(
  store: Store,
  c: ChangeSpec,
): Promise<{ base: string; tip: string; baseBranch: string; baseTip: string }> {
  const tip = await readBranch(store.repo, changeBranch(c.name));
  if (!tip) throw new NotFoundError(`change '${c.name}' has no branch '${changeBranch(c.name)}'`);
  const b = await baseTip(store, c);
  return { base: (await forkPointOf(store.repo, b.branch, tip)) ?? b.tip, tip, baseBranch: b.branch, baseTip: b.tip };
}
