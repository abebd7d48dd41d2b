// Review of changes, whatever the provider: comments (added, resolved,
// fetched), and mail / submit / revert with their checks, records and
// TIMESTAMPS. The provider modules (review-local.ts: pure git;
// review-github.ts: the gh CLI) do the outside part; this module checks
// before, records after, and undoes the outside part when the record cannot
// be written, so a failed command leaves records and branches as they were.

import { clMessage } from '../../core/changes/cl.ts';
import { addComments } from '../../core/changes/comments.ts';
import { remapCommits } from '../../core/changes/commits.ts';
import {
  providerOf,
  type ReviewConfig,
  type ReviewProvider,
  reviewConfigOf,
  submitProblems,
} from '../../core/changes/review.ts';
import { type ChangeSpec, type Comment, changeBranch } from '../../core/changes/spec.ts';
import { descendantsOf } from '../../core/changes/stack.ts';
import { moveStatus, stamp } from '../../core/changes/status.ts';
import { FatalError, NotFoundError, RefusedError, withHint } from '../../core/errors.ts';
import { type ChangeWrite, commitChange, listChanges, mustReadChange, readChange } from '../../store/changes.ts';
import { appendNotes } from '../../store/notes.ts';
import type { Snapshot } from '../../store/snapshot.ts';
import type { Store } from '../../store/store.ts';
import { loadConfig } from '../config/config.ts';
import { branchTip, changeCommits, resolveRevision } from './code.ts';
import type { Provider, Restack, Undo } from './review-provider.ts';

// ---- configuration -------------------------------------------------------------

export async function reviewConfig(store: Store): Promise<ReviewConfig> {
  return reviewConfigOf((await loadConfig(store.repo)).review as Record<string, unknown> | undefined);
}

// ---- the provider interface ------------------------------------------------------

async function providerModule(p: ReviewProvider): Promise<Provider> {
  return p === 'github' ? (await import('./review-github.ts')).github : (await import('./review-local.ts')).local;
}

/** Runs `record`; if it throws, undoes what was done outside and rethrows. */
async function recordOrUndo<T>(undo: Undo, record: () => Promise<T>): Promise<T> {
  try {
    return await record();
  } catch (err) {
    await undo().catch(() => {});
    throw err;
  }
}

// ---- mail -----------------------------------------------------------------------

export interface Mailed {
  change: ChangeSpec;
  did: string[];
}

/** Mails a Ready change (or mails a Mailed one again, updating its review) through its provider. */
export async function mailChange(store: Store, name: string, at: string): Promise<Mailed> {
  const cfg = await reviewConfig(store);
  const snap = await store.snapshot();
  const c = await mustReadChange(snap, name);
  if (c.status !== 'Ready' && c.status !== 'Mailed') {
    throw withHint(
      new RefusedError(`change '${name}' is ${c.status}, not Ready: only a Ready change is mailed`),
      c.status === 'WIP' || c.status === 'Draft'
        ? `mark it ready with 'sase cs set ${name} --status Ready'`
        : 'a change is mailed once it is Ready',
    );
  }
  let parent: ChangeSpec | null = null;
  if (c.parent) {
    parent = await readChange(snap, c.parent);
    if (parent && parent.status !== 'Mailed' && parent.status !== 'Submitted')
      throw withHint(
        new RefusedError(
          `change '${name}' stacks on '${parent.name}', which is ${parent.status}: mail '${parent.name}' first`,
        ),
        `sase cs mail ${parent.name}`,
      );
  }
  const tip = await branchTip(store, changeBranch(name));
  if (!tip) throw new NotFoundError(`change '${name}' has no branch '${changeBranch(name)}'`);
  if ((await changeCommits(store, c)).length === 0)
    throw withHint(
      new RefusedError(`change '${name}' has no commits on '${changeBranch(name)}' to mail`),
      `commit on the branch, then 'sase cs commit ${name}'`,
    );
  const provider = await providerModule(providerOf(c, cfg));
  const mailed = await provider.mail(store, c, cfg, tip, parent);
  const { result } = await recordOrUndo(mailed.undo, () =>
    commitChange(store, at, async (s) => {
      const now = await mustReadChange(s, name);
      if (now.status !== c.status)
        throw new RefusedError(`change '${name}' moved to ${now.status} while it was mailed; nothing recorded`);
      // the CL a provider hands back passes the check every CL passes (or the mail is undone)
      const badCl = clMessage('the CL mailing gave', mailed.cl);
      if (badCl) throw new FatalError(badCl);
      let next: ChangeSpec = now.status === 'Mailed' ? now : moveStatus(now, 'Mailed', at);
      next = stamp({ ...next, cl: mailed.cl }, at, `MAIL ${mailed.cl} at ${mailed.commit.slice(0, 12)}`);
      return { op: { op: 'cs.mail', name, cl: mailed.cl, commit: mailed.commit }, changes: [next], result: next };
    }),
  );
  return { change: result, did: mailed.did };
}

// ---- submit ---------------------------------------------------------------------

export interface Submitted {
  change: ChangeSpec;
  children: ChangeSpec[];
  restacks: Restack[];
  overridden: string[];
  did: string[];
}

/**
 * Submits a Mailed change: checks (hooks, comments; --force overrides them),
 * lands it with the provider, marks it Submitted, and moves its children
 * onto the new base (PARENT cleared, branches rebased when they apply).
 */
export async function submitChange(
  store: Store,
  name: string,
  at: string,
  opts: { force: boolean },
): Promise<Submitted> {
  const cfg = await reviewConfig(store);
  const snap = await store.snapshot();
  const c = await mustReadChange(snap, name);
  if (c.status !== 'Mailed') {
    throw withHint(
      new RefusedError(`change '${name}' is ${c.status}, not Mailed: only a mailed change is submitted`),
      c.status === 'Ready' ? `mail it first: 'sase cs mail ${name}'` : 'see sase-cs-submit(1)',
    );
  }
  const tip = await branchTip(store, changeBranch(name));
  if (!tip) throw new NotFoundError(`change '${name}' has no branch '${changeBranch(name)}'`);
  const all = await listChanges(snap);
  if (c.parent) {
    const p = all.find((x) => x.name === c.parent);
    if (p && p.status !== 'Submitted')
      throw withHint(
        new RefusedError(`change '${name}' stacks on '${p.name}', which is ${p.status}: submit '${p.name}' first`),
        `sase cs submit ${p.name}`,
      );
  }
  const problems = submitProblems(c, tip);
  if (problems.length && !opts.force) {
    throw withHint(
      new RefusedError(`change '${name}' cannot be submitted: ${problems.join('; ')}`),
      'fix those, or give --force to submit anyway',
    );
  }
  const targetTip = await resolveRevision(store, `refs/heads/${cfg.target}`);
  if (!targetTip)
    throw withHint(new NotFoundError(`no target branch '${cfg.target}'`), 'set [review] target in .sase/config.toml');
  // the change's own commits are those not on the target branch; a rebase
  // onto it drops any that landed already (a parent submitted elsewhere)
  const upstream = targetTip;
  const descendants = descendantsOf(all, name);
  const provider = await providerModule(providerOf(c, cfg));
  const landed = await provider.land(store, { change: c, cfg, tip, upstream, descendants });
  const { result } = await recordOrUndo(landed.undo, () =>
    commitChange(store, at, async (s) => {
      const now = await mustReadChange(s, name);
      if (
        now.status !== 'Mailed' ||
        now.comments.length !== c.comments.length ||
        JSON.stringify(now.hooks) !== JSON.stringify(c.hooks)
      ) {
        throw new RefusedError(`change '${name}' changed while it was submitted; nothing recorded, try again`);
      }
      let next = moveStatus(
        { ...now, parent: null, commits: remapCommits(now.commits, landed.before, landed.after) },
        'Submitted',
        at,
      );
      if (problems.length) next = stamp(next, at, `FORCE ${problems.join('; ')}`);
      next = stamp(next, at, landed.event);
      const kids: ChangeSpec[] = [];
      for (const r of landed.restacks) {
        const k = await readChange(s, r.name);
        if (!k) continue;
        let nk: ChangeSpec = k;
        if (k.parent === name)
          nk = stamp({ ...nk, parent: null }, at, `PARENT ${name} -> none (${name} submitted to ${cfg.target})`);
        if (r.to)
          nk = stamp(
            { ...nk, commits: remapCommits(nk.commits, r.before, r.after) },
            at,
            `REBASE onto ${r.onto} at ${r.to.slice(0, 12)}`,
          );
        kids.push(nk);
      }
      const op = {
        op: 'cs.submit',
        name,
        target: cfg.target,
        from: landed.from,
        to: landed.to,
        forced: problems.length ? problems : null,
        restacked: landed.restacks.filter((r) => r.to).map((r) => r.name),
      };
      return { op, changes: [next, ...kids], result: { change: next, children: kids } };
    }),
  );
  // provenance of the rewritten commits; the submit stands even if this fails
  const notes = [result.change, ...result.children].flatMap((k) => {
    const was = k === result.change ? c : all.find((x) => x.name === k.name);
    return k.commits
      .filter((e, i) => was && was.commits[i]?.sha !== e.sha)
      .map((e) => ({ commit: e.sha, record: { v: 1, changespec: k.name, ...(e.bead ? { bead: e.bead } : {}) } }));
  });
  if (notes.length) await appendNotes(store, notes).catch(() => {});
  return {
    change: result.change,
    children: result.children,
    restacks: landed.restacks,
    overridden: problems,
    did: landed.did,
  };
}

// ---- revert ---------------------------------------------------------------------

/** Reverts a Submitted change on the target branch (status Reverted). */
export async function revertChange(
  store: Store,
  name: string,
  at: string,
): Promise<{ change: ChangeSpec; did: string[] }> {
  const cfg = await reviewConfig(store);
  const c = await mustReadChange(await store.snapshot(), name);
  if (c.status !== 'Submitted')
    throw new RefusedError(`change '${name}' is ${c.status}, not Submitted: only a submitted change is reverted`);
  const provider = await providerModule(providerOf(c, cfg));
  if (!provider.revert)
    throw new RefusedError(`change '${name}' was submitted on GitHub (${c.cl}): revert a GitHub change on GitHub`);
  const done = await provider.revert(store, c, cfg);
  const { result } = await recordOrUndo(done.undo, () =>
    commitChange(store, at, async (s) => {
      const now = await mustReadChange(s, name);
      if (now.status !== 'Submitted')
        throw new RefusedError(`change '${name}' moved to ${now.status} while it was reverted; nothing recorded`);
      const next = stamp(moveStatus(now, 'Reverted', at), at, done.event);
      return {
        op: { op: 'cs.revert', name, target: cfg.target, from: done.from, to: done.to },
        changes: [next],
        result: next,
      };
    }),
  );
  return { change: result, did: done.did };
}

// ---- comments from the review ----------------------------------------------------

/** Appends the review's new comments (deduplicated against every comment already there). */
export async function fetchReviewComments(
  store: Store,
  name: string,
  at: string,
): Promise<{ change: ChangeSpec; comments: Comment[]; added: number }> {
  const cfg = await reviewConfig(store);
  const c = await mustReadChange(await store.snapshot(), name);
  const provider = await providerModule(providerOf(c, cfg));
  if (!provider.comments || !c.cl?.startsWith('github:')) {
    throw withHint(
      new RefusedError(`change '${name}' has no GitHub review to read comments from (CL: ${c.cl ?? 'none'})`),
      c.cl
        ? 'local reviews keep their comments in the change: sase cs comment'
        : `mail it first: 'sase cs mail ${name}'`,
    );
  }
  const news = await provider.comments(store, c);
  const { result } = await commitChange(store, at, async (s) => {
    const now = await mustReadChange(s, name);
    const r = addComments(now, news, true);
    return {
      op: r.added ? { op: 'cs.comment', name, from: c.cl, count: r.added } : null,
      changes: [r.change],
      result: r,
    };
  });
  return result;
}

// ---- polling a mailed change's review --------------------------------------------

export interface ReviewPoll {
  /** the change as stored after the poll (as it would be, in a dry run) */
  change: ChangeSpec;
  provider: ReviewProvider;
  /** the review's comments that were new to the change */
  added: Comment[];
  /** the status the review moved the change to: Submitted (merged), Archived (closed), or null */
  moved: 'Submitted' | 'Archived' | null;
  /** children whose PARENT was cleared because the change landed */
  children: ChangeSpec[];
  /** whether anything was written (false in a dry run) */
  stored: boolean;
}

/**
 * Looks at a Mailed change's review through its provider, once: its new
 * comments go to COMMENTS (never twice, resolved or not), and a review merged
 * (or, locally, a mailed commit found on the target branch) makes the change
 * Submitted, one closed unmerged makes it Archived, each move logged in
 * TIMESTAMPS as cs-set would; children stacked on a landed change lose their
 * PARENT as cs-submit does. One operation; `dryRun` writes nothing. A change
 * that is no longer Mailed is left as it is.
 */
export async function pollReview(
  store: Store,
  name: string,
  at: string,
  opts: { dryRun?: boolean; cfg?: ReviewConfig } = {},
): Promise<ReviewPoll> {
  const cfg = opts.cfg ?? (await reviewConfig(store));
  const c = await mustReadChange(await store.snapshot(), name);
  const which = providerOf(c, cfg);
  const none: ReviewPoll = { change: c, provider: which, added: [], moved: null, children: [], stored: false };
  if (c.status !== 'Mailed') return none;
  const state = await (await providerModule(which)).poll(store, c, cfg);
  const build = async (s: Snapshot): Promise<ChangeWrite<ReviewPoll>> => {
    const now = await mustReadChange(s, name);
    if (now.status !== 'Mailed') return { op: null, result: { ...none, change: now } };
    const r = addComments(now, state.comments, true);
    let next = r.change;
    const added = r.comments.filter((k) => !now.comments.some((o) => o.id === k.id));
    const moved = state.state === 'merged' ? 'Submitted' : state.state === 'closed' ? 'Archived' : null;
    const kids: ChangeSpec[] = [];
    if (moved) {
      next = stamp(moveStatus(next, moved, at), at, state.event);
      if (moved === 'Submitted')
        for (const k of await listChanges(s))
          if (k.parent === name)
            kids.push(stamp({ ...k, parent: null }, at, `PARENT ${name} -> none (${name} submitted to ${cfg.target})`));
    }
    const result = { change: next, provider: which, added, moved, children: kids, stored: false } as ReviewPoll;
    if (!added.length && !moved) return { op: null, result };
    // the operations cs-submit, cs-archive and cs-comment record, marked as noticed in the review
    const op =
      moved === 'Submitted'
        ? {
            op: 'cs.submit',
            name,
            target: cfg.target,
            noticed: now.cl,
            comments: added.length,
            unparented: kids.map((k) => k.name),
          }
        : moved === 'Archived'
          ? { op: 'cs.archive', names: [name], noticed: now.cl, comments: added.length }
          : { op: 'cs.comment', name, from: now.cl, count: added.length };
    return { op, changes: [next, ...kids], result };
  };
  if (opts.dryRun) return (await build(await store.snapshot())).result;
  const { result, commit } = await commitChange(store, at, (s) => build(s));
  return { ...result, stored: commit !== null };
}
