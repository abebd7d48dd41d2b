// The local review provider, pure git: mail puts the change's branch at
// refs/sase/review/<name> here (or pushes it there on [review] remote);
// submit rebases it onto the target branch in a temporary worktree,
// fast-forwards the target and restacks the children; revert commits the
// reverts on the target. Every ref moves with compare-and-swap; a branch
// checked out in a work tree moves only through git's porcelain there
// (merge --ff-only, reset --keep) and only when that work tree is clean.

import type { ReviewConfig } from '../../core/changes/review.ts';
import { reviewRef } from '../../core/changes/review.ts';
import { type ChangeSpec, changeBranch } from '../../core/changes/spec.ts';
import { TERMINAL } from '../../core/changes/status.ts';
import { ConflictError, NotFoundError, RefusedError, withHint } from '../../core/errors.ts';
import { commitsBetween, isAncestor, readBranch, resolveCommitish } from '../../git/branches.ts';
import { failureLine } from '../../git/exec.ts';
import {
  mergeFastForward,
  pushWithLease,
  rebaseOnto,
  remoteRef,
  resetKeep,
  revertRange,
  type Worktree,
  worktreeChanges,
  worktrees,
} from '../../git/push.ts';
import { RefConflictError, readRef, updateRefs } from '../../git/repo.ts';
import type { Store } from '../../store/store.ts';
import type { LandInput, LandResult, MailResult, Provider, Restack, Undo } from './review-provider.ts';

const short = (sha: string) => sha.slice(0, 12);

// ---- branches checked out in work trees ------------------------------------------

interface Checkouts {
  of(branch: string): Worktree | undefined;
  /** the work tree holding `branch` with local changes to tracked files, or null */
  dirty(branch: string): Promise<{ path: string; files: string[] } | null>;
}

async function checkouts(store: Store): Promise<Checkouts> {
  const list = await worktrees(store.repo);
  const of = (branch: string) => list.find((w) => w.branch === `refs/heads/${branch}`);
  return {
    of,
    async dirty(branch) {
      const w = of(branch);
      if (!w) return null;
      const files = await worktreeChanges(store.repo, w.path);
      return files.length ? { path: w.path, files } : null;
    },
  };
}

function refuseDirty(branch: string, d: { path: string; files: string[] }): never {
  const files = d.files.slice(0, 5).join(', ') + (d.files.length > 5 ? ', ...' : '');
  throw withHint(
    new RefusedError(`'${branch}' is checked out in '${d.path}' with local changes (${files})`),
    'commit or stash them first; sase moves a checked-out branch only when its work tree is clean',
  );
}

interface Move {
  branch: string;
  from: string;
  to: string;
  /** a fast-forward (git merge --ff-only where it is checked out), else a rewrite (git reset --keep) */
  ff: boolean;
}

/**
 * Moves branches, all or none: those not checked out in one ref transaction
 * (compare-and-swap), then those checked out through their work tree.
 * Returns how to move them all back.
 */
async function moveBranches(store: Store, moves: Move[], why: string): Promise<Undo> {
  const repo = store.repo;
  const where = await checkouts(store);
  const todo = moves.filter((m) => m.from !== m.to);
  const plain = todo.filter((m) => !where.of(m.branch));
  const inTree = todo.filter((m) => where.of(m.branch));
  const undos: Undo[] = [];
  const undoAll: Undo = async () => {
    for (const u of undos.reverse()) await u().catch(() => {});
  };
  if (plain.length) {
    try {
      await updateRefs(
        repo,
        plain.map((m) => ({ ref: `refs/heads/${m.branch}`, newOid: m.to, oldOid: m.from })),
        why,
      );
    } catch (err) {
      if (err instanceof RefConflictError)
        throw new ConflictError(
          `a branch moved while sase worked (${plain.map((m) => `'${m.branch}'`).join(', ')}); nothing changed, try again`,
        );
      throw err;
    }
    undos.push(() =>
      updateRefs(
        repo,
        plain.map((m) => ({ ref: `refs/heads/${m.branch}`, newOid: m.from, oldOid: m.to })),
        `${why} (undone)`,
      ),
    );
  }
  for (const m of inTree) {
    const wt = where.of(m.branch)!;
    const fail = async (what: string): Promise<never> => {
      await undoAll();
      throw new RefusedError(`could not move '${m.branch}', checked out in '${wt.path}': ${what}; nothing changed`);
    };
    if ((await readBranch(repo, m.branch)) !== m.from) {
      await undoAll();
      throw new ConflictError(`'${m.branch}' moved while sase worked; nothing changed, try again`);
    }
    if (m.ff) {
      const r = await mergeFastForward(repo, wt.path, m.to);
      if (!r.ok) await fail(r.message);
    } else if (!(await resetKeep(repo, wt.path, m.to))) await fail('git reset --keep refused');
    undos.push(async () => {
      if ((await readBranch(repo, m.branch)) === m.to) await resetKeep(repo, wt.path, m.from);
    });
  }
  return undoAll;
}

// ---- mail --------------------------------------------------------------------------

async function mail(store: Store, c: ChangeSpec, cfg: ReviewConfig, tip: string): Promise<MailResult> {
  const repo = store.repo;
  const ref = reviewRef(c.name);
  const cl = `local:${ref}`;
  if (!cfg.remote) {
    const old = await readRef(repo, ref);
    if (old === tip) return { cl, commit: tip, did: [`${ref} is at ${short(tip)} already`], undo: async () => {} };
    try {
      await updateRefs(repo, [{ ref, newOid: tip, oldOid: old }], `sase: mail ${c.name}`);
    } catch (err) {
      if (err instanceof RefConflictError)
        throw new ConflictError(`'${ref}' moved while mailing; nothing changed, try again`);
      throw err;
    }
    return {
      cl,
      commit: tip,
      did: [`${ref} at ${short(tip)}`],
      undo: () => updateRefs(repo, [{ ref, newOid: old, oldOid: tip }], `sase: mail ${c.name} (undone)`),
    };
  }
  const remote = cfg.remote;
  let old: string | null;
  try {
    old = await remoteRef(repo, remote, ref);
    if (old !== tip) await pushWithLease(repo, remote, `refs/heads/${changeBranch(c.name)}`, ref, old);
  } catch (err) {
    throw new RefusedError(`could not push '${changeBranch(c.name)}' to '${remote}' ${ref}: ${failureLine(err)}`);
  }
  return {
    cl,
    commit: tip,
    did: [`pushed ${short(tip)} to ${remote} ${ref}`],
    undo: async () => {
      if (old !== tip) await pushWithLease(repo, remote, old, ref, tip);
    },
  };
}

// ---- submit ------------------------------------------------------------------------

async function land(store: Store, input: LandInput): Promise<LandResult> {
  const { change: c, cfg, tip, upstream, descendants } = input;
  const repo = store.repo;
  const target = cfg.target;
  const branch = changeBranch(c.name);
  const where = await checkouts(store);
  for (const b of [target, branch]) {
    const d = await where.dirty(b);
    if (d) refuseDirty(b, d);
  }
  const targetTip = upstream;
  const before = await commitsBetween(repo, targetTip, tip);
  if (!before.length) throw new RefusedError(`change '${c.name}' has no commits that are not on '${target}' already`);
  let newTip = tip;
  if (!(await isAncestor(repo, targetTip, tip))) {
    const r = await rebaseOnto(repo, targetTip, upstream, tip);
    if (!r.ok) {
      throw withHint(
        new RefusedError(
          `change '${c.name}' does not apply on '${target}'${r.conflicts.length ? `: conflict in ${r.conflicts.join(', ')}` : `: ${r.message}`}`,
        ),
        `rebase it onto '${target}' and resolve ('sase cs rebase ${c.name}'), then submit again`,
      );
    }
    newTip = r.tip;
  }
  const after = await commitsBetween(repo, targetTip, newTip);
  // the stack above moves onto the new base, parents before children
  const moved = new Map<string, { from: string; to: string }>([[c.name, { from: tip, to: newTip }]]);
  const restacks: Restack[] = [];
  for (const d of descendants) {
    const onto = d.parent === c.name ? target : changeBranch(d.parent!);
    const base: Restack = { name: d.name, from: null, to: null, onto, before: [], after: [] };
    const parentMove = moved.get(d.parent!);
    const dbranch = changeBranch(d.name);
    const dtip = await readBranch(repo, dbranch);
    if (TERMINAL.includes(d.status)) restacks.push({ ...base, reason: `it is ${d.status}` });
    else if (!parentMove) restacks.push({ ...base, reason: `its parent '${d.parent}' was not rebased` });
    else if (!dtip) restacks.push({ ...base, reason: `it has no branch '${dbranch}'` });
    else if (parentMove.from === parentMove.to || (await isAncestor(repo, parentMove.to, dtip))) {
      moved.set(d.name, { from: dtip, to: dtip });
      restacks.push(base);
    } else {
      const dirty = await where.dirty(dbranch);
      if (dirty) {
        restacks.push({ ...base, reason: `'${dbranch}' is checked out in '${dirty.path}' with local changes` });
        continue;
      }
      const r = await rebaseOnto(repo, parentMove.to, parentMove.from, dtip);
      if (!r.ok) {
        restacks.push({ ...base, reason: r.conflicts.length ? `conflict in ${r.conflicts.join(', ')}` : r.message });
        continue;
      }
      moved.set(d.name, { from: dtip, to: r.tip });
      restacks.push({
        ...base,
        from: dtip,
        to: r.tip,
        before: await commitsBetween(repo, parentMove.from, dtip),
        after: await commitsBetween(repo, parentMove.to, r.tip),
      });
    }
  }
  const moves: Move[] = [
    { branch: target, from: targetTip, to: newTip, ff: true },
    { branch, from: tip, to: newTip, ff: false },
    ...restacks
      .filter((r) => r.to && r.from)
      .map((r) => ({ branch: changeBranch(r.name), from: r.from!, to: r.to!, ff: false })),
  ];
  const undo = await moveBranches(store, moves, `sase: submit ${c.name}`);
  const did = [
    `${target} ${short(targetTip)}..${short(newTip)}${newTip === tip ? ' (fast-forward)' : ` (rebased ${before.length} commit${before.length === 1 ? '' : 's'})`}`,
  ];
  return {
    from: targetTip,
    to: newTip,
    before,
    after,
    restacks,
    event: `SUBMIT ${targetTip}..${newTip} to ${target}`,
    did,
    undo,
  };
}

// ---- revert ------------------------------------------------------------------------

/** What a change landed as: from its SUBMIT stamp, else its recorded commits. */
async function landedRange(store: Store, c: ChangeSpec): Promise<{ base: string; newest: string }> {
  const stampEntry = [...c.timestamps]
    .reverse()
    .find((t) => /^SUBMIT [0-9a-f]{40,64}\.\.[0-9a-f]{40,64} to /.test(t.event));
  if (stampEntry) {
    const [base, newest] = stampEntry.event.split(' ')[1]!.split('..');
    return { base: base!, newest: newest! };
  }
  if (!c.commits.length) throw new RefusedError(`change '${c.name}' records no commits to revert`);
  const oldest = await resolveCommitish(store.repo, c.commits[0]!.sha);
  const newest = await resolveCommitish(store.repo, c.commits[c.commits.length - 1]!.sha);
  const base = oldest && (await resolveCommitish(store.repo, `${oldest}^`));
  if (!base || !newest) throw new NotFoundError(`the commits of change '${c.name}' are not in this repository`);
  return { base, newest };
}

async function revert(store: Store, c: ChangeSpec, cfg: ReviewConfig) {
  const repo = store.repo;
  const target = cfg.target;
  const targetTip = await readBranch(repo, target);
  if (!targetTip) throw new NotFoundError(`no target branch '${target}'`);
  const { base, newest } = await landedRange(store, c);
  if (!(await resolveCommitish(repo, newest)) || !(await isAncestor(repo, newest, targetTip)))
    throw new RefusedError(`the commits of change '${c.name}' are not on '${target}'`);
  const where = await checkouts(store);
  const d = await where.dirty(target);
  if (d) refuseDirty(target, d);
  const r = await revertRange(repo, targetTip, base, newest);
  if (!r.ok) {
    throw withHint(
      new RefusedError(
        `change '${c.name}' does not revert cleanly on '${target}'${r.conflicts.length ? `: conflict in ${r.conflicts.join(', ')}` : `: ${r.message}`}`,
      ),
      `revert it by hand (git revert ${short(base)}..${short(newest)}), then 'sase cs set ${c.name} --status Reverted'`,
    );
  }
  const undo = await moveBranches(
    store,
    [{ branch: target, from: targetTip, to: r.tip, ff: true }],
    `sase: revert ${c.name}`,
  );
  return {
    from: targetTip,
    to: r.tip,
    event: `REVERT ${targetTip}..${r.tip} on ${target}`,
    did: [`${target} ${short(targetTip)}..${short(r.tip)} (reverted)`],
    undo,
  };
}

// ---- poll --------------------------------------------------------------------------

/**
 * Whether the mailed commit landed on the target branch without sase (a
 * merge or fast-forward by hand, or on the remote): the review ref here, else
 * the commit its latest MAIL stamp names, is in the target branch here (or in
 * its remote-tracking branch when mail pushes to a remote). Nothing is fetched.
 */
async function poll(store: Store, c: ChangeSpec, cfg: ReviewConfig) {
  const repo = store.repo;
  const ref = c.cl?.startsWith('local:') ? c.cl.slice('local:'.length) : reviewRef(c.name);
  let mailed = ref.startsWith('refs/') ? await readRef(repo, ref) : null;
  if (!mailed) {
    const stampEntry = [...c.timestamps].reverse().find((t) => /^MAIL \S+ at [0-9a-f]{7,64}$/.test(t.event));
    const sha = stampEntry?.event.split(' ').pop();
    mailed = sha ? await resolveCommitish(repo, sha) : null;
  }
  const open = { state: 'open' as const, comments: [], event: '' };
  if (!mailed) return open;
  const targets = [`refs/heads/${cfg.target}`, ...(cfg.remote ? [`refs/remotes/${cfg.remote}/${cfg.target}`] : [])];
  for (const t of targets) {
    const tip = await readRef(repo, t);
    if (tip && (await isAncestor(repo, mailed, tip)))
      return {
        state: 'merged' as const,
        comments: [],
        event: `SUBMIT ${c.cl ?? `local:${ref}`} at ${short(mailed)} landed on ${t.replace(/^refs\/(heads|remotes)\//, '')} (noticed by sase axe)`,
      };
  }
  return open;
}

export const local: Provider = { mail, land, revert, poll };
