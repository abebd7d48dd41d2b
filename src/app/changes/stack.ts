// A change's commits and its place in a stack: recording the branch's commits
// in COMMITS (with notes naming the change), refreshing DELTAS, and rebasing a
// change, and its descendants, onto its base branch's current tip. A rebase
// runs in a temporary worktree; the branch moves with compare-and-swap only
// once it succeeded, and the record follows it. One stopped on a conflict is
// left for the user and changes nothing; the next rebase of that change
// takes up what the user finished there.

import { changeBead, changeNote, numbered, remapCommits } from '../../core/changes/commits.ts';
import { deltasOf } from '../../core/changes/deltas.ts';
import { type ChangeSpec, type CommitEntry, changeBranch } from '../../core/changes/spec.ts';
import { descendantsOf, rebaseLabel } from '../../core/changes/stack.ts';
import { stamp, TERMINAL } from '../../core/changes/status.ts';
import { ConflictError, NotFoundError, RefusedError, withHint } from '../../core/errors.ts';
import { type BranchCommit, commitsBetween, fileChanges, isAncestor } from '../../git/branches.ts';
import { dropPendingRebase, pendingRebase, type RebaseOutcome, rebaseDetached, showDiff } from '../../git/rebase.ts';
import { RefConflictError } from '../../git/repo.ts';
import { commitChange, listChanges, mustReadChange } from '../../store/changes.ts';
import { appendNotes } from '../../store/notes.ts';
import type { Store } from '../../store/store.ts';
import { branchTip, moveChangeBranch, ownRange, resolveRevision } from './code.ts';

/** The commits of the change's own range (fork point..tip), oldest first, with the range. */
export async function ownCommits(
  store: Store,
  c: ChangeSpec,
): Promise<{ commits: BranchCommit[]; base: string; tip: string; baseBranch: string; baseTip: string }> {
  const range = await ownRange(store, c);
  // every commit of the change, those of branches merged into it too (a landed epic's phases)
  return { ...range, commits: await commitsBetween(store.repo, range.base, range.tip, { all: true }) };
}

/** DELTAS of the change's own range. */
export async function ownDeltas(store: Store, c: ChangeSpec): Promise<ChangeSpec['deltas']> {
  const { base, tip } = await ownRange(store, c);
  return deltasOf(await fileChanges(store.repo, base, tip));
}

// ---- recording commits -------------------------------------------------------------

export interface RecordOptions {
  /** revisions to record; none: every commit of the branch not yet recorded */
  revs: string[];
  /** the bead these commits carry out; default the change's */
  bead: string | null;
  /** replace COMMITS with the branch's current commits (history rewritten) */
  rerecord: boolean;
}

export interface RecordResult {
  change: ChangeSpec;
  /** the entries this call added (or, re-recording, wrote anew) */
  recorded: CommitEntry[];
  /** whether the record changed */
  stored: boolean;
}

export async function recordCommits(
  store: Store,
  at: string,
  name: string,
  opts: RecordOptions,
): Promise<RecordResult> {
  const explicit: Array<{ rev: string; sha: string }> = [];
  for (const rev of opts.revs) {
    const sha = await resolveRevision(store, rev);
    if (!sha) throw new NotFoundError(`no commit '${rev}'`);
    explicit.push({ rev, sha });
  }
  const { result, commit } = await commitChange(store, at, async (snap) => {
    const c = await mustReadChange(snap, name);
    const own = await ownCommits(store, c);
    const index = new Map(own.commits.map((k, i) => [k.sha, i]));
    for (const e of explicit) {
      if (!index.has(e.sha)) {
        throw new RefusedError(
          `'${e.rev}' is not a commit of change '${name}' (not on '${changeBranch(name)}' above '${own.baseBranch}')`,
        );
      }
    }
    const at_ = (k: CommitEntry) => own.commits.findIndex((o) => o.sha.startsWith(k.sha));
    const bead = opts.bead ?? changeBead(c);
    const chosen = explicit.length
      ? [...new Set(explicit.map((e) => e.sha))].sort((a, b) => index.get(a)! - index.get(b)!)
      : own.commits.map((k) => k.sha);
    let commits: CommitEntry[];
    let recorded: CommitEntry[];
    if (opts.rerecord) {
      const used = new Set<CommitEntry>();
      commits = numbered(
        chosen.map((sha) => {
          const k = own.commits[index.get(sha)!]!;
          const was = c.commits.find((o) => !used.has(o) && (o.sha === sha || o.subject === k.subject));
          if (was) used.add(was);
          return { subject: k.subject, sha, bead: opts.bead ?? was?.bead ?? bead };
        }),
      );
      recorded = commits;
    } else {
      const stale = c.commits.find((k) => at_(k) < 0);
      if (stale) {
        throw withHint(
          new RefusedError(
            `commit (${stale.n}) ${stale.sha.slice(0, 12)} of change '${name}' is no longer on its branch '${changeBranch(name)}'`,
          ),
          `its history was rewritten: 'sase cs commit ${name} --rerecord' records the branch's commits as they are now`,
        );
      }
      const fresh = chosen.filter((sha) => !c.commits.some((k) => sha.startsWith(k.sha)));
      const added = fresh.map((sha) => ({ subject: own.commits[index.get(sha)!]!.subject, sha, bead }));
      const all = [
        ...c.commits.map((k) => ({ subject: k.subject, sha: own.commits[at_(k)]!.sha, bead: k.bead })),
        ...added,
      ];
      commits = numbered(all.sort((a, b) => index.get(a.sha)! - index.get(b.sha)!));
      recorded = commits.filter((k) => fresh.includes(k.sha));
    }
    if (!recorded.length) return { op: null, changes: [], result: { change: c, recorded } };
    const next: ChangeSpec = { ...c, commits, deltas: await ownDeltas(store, c) };
    return {
      op: { op: 'cs.commit', name, commits: recorded.map((k) => k.sha), ...(opts.rerecord ? { rerecord: true } : {}) },
      changes: [next],
      result: { change: next, recorded },
    };
  });
  if (result.recorded.length)
    await appendNotes(
      store,
      result.recorded.map((k) => changeNote(name, k)),
    );
  return { ...result, stored: commit !== null };
}

/** Recomputes DELTAS from the branch and stores them (nothing when unchanged). */
export async function refreshDeltas(
  store: Store,
  at: string,
  name: string,
): Promise<{ change: ChangeSpec; stored: boolean }> {
  const { result, commit } = await commitChange(store, at, async (snap) => {
    const c = await mustReadChange(snap, name);
    const next = { ...c, deltas: await ownDeltas(store, c) };
    return { op: { op: 'cs.deltas', name }, changes: [next], result: next };
  });
  return { change: result, stored: commit !== null };
}

/** The change's own diff (or diffstat), through git's pager on a terminal. */
export async function writeChangeDiff(
  store: Store,
  c: ChangeSpec,
  opts: Parameters<typeof showDiff>[3],
): Promise<void> {
  const { base, tip } = await ownRange(store, c);
  await showDiff(store.repo, base, tip, opts);
}

// ---- stacks and rebasing -----------------------------------------------------------

export interface RebaseReport {
  name: string;
  status: 'rebased' | 'up_to_date' | 'skipped' | 'stopped';
  /** the branch's tip before, and after */
  from: string;
  to: string;
  /** the base branch and the commit the change now sits on */
  baseBranch: string;
  onto: string;
  change: ChangeSpec;
  /** where a stopped rebase waits for the user */
  stopped?: Extract<RebaseOutcome, { status: 'stopped' }>;
}

/** Moves the branch to the rebased tip and records it (COMMITS, DELTAS, REBASE in TIMESTAMPS); the branch goes back if the record cannot be written. */
async function adopt(
  store: Store,
  at: string,
  c: ChangeSpec,
  from: string,
  to: string,
  upstream: string,
  onto: string,
  baseBranch: string,
): Promise<ChangeSpec> {
  const [before, after] = await Promise.all([
    commitsBetween(store.repo, upstream, from),
    commitsBetween(store.repo, onto, to),
  ]);
  try {
    await moveChangeBranch(store, c.name, to, from, `rebase ${c.name} onto ${baseBranch}`);
  } catch (err) {
    if (err instanceof RefConflictError)
      throw new ConflictError(`branch '${changeBranch(c.name)}' moved while it was being rebased; nothing changed`);
    throw err;
  }
  let change: ChangeSpec;
  try {
    ({ result: change } = await commitChange(store, at, async (snap) => {
      const now = await mustReadChange(snap, c.name);
      const next = stamp(
        { ...now, commits: remapCommits(now.commits, before, after), deltas: await ownDeltas(store, now) },
        at,
        `REBASE ${from.slice(0, 12)} -> ${to.slice(0, 12)}`,
      );
      return { op: { op: 'cs.rebase', name: c.name, from, to, onto }, changes: [next], result: next };
    }));
  } catch (err) {
    await moveChangeBranch(store, c.name, from, to, `undo rebase of ${c.name}`).catch(() => {});
    throw err;
  }
  if (change.commits.length)
    await appendNotes(
      store,
      change.commits.map((k) => changeNote(c.name, k)),
    );
  return change;
}

/**
 * Rebases one change onto its base branch's current tip. `upstream`, when
 * given and on the branch, is where its own commits start (its parent's tip
 * before the parent was rebased); else the fork point.
 */
export async function rebaseChange(
  store: Store,
  at: string,
  name: string,
  opts: { upstream?: string } = {},
): Promise<RebaseReport> {
  const c = await mustReadChange(await store.snapshot(), name);
  if (TERMINAL.includes(c.status))
    throw new RefusedError(`change '${name}' is ${c.status}; only open changes are rebased`);
  const range = await ownRange(store, c);
  const report = (
    status: RebaseReport['status'],
    to: string,
    change: ChangeSpec,
    onto = range.baseTip,
  ): RebaseReport => ({
    name,
    status,
    from: range.tip,
    to,
    baseBranch: range.baseBranch,
    onto,
    change,
  });

  const pending = await pendingRebase(store.repo, rebaseLabel(name));
  if (pending) {
    const again = `'sase cs rebase ${name} --abort' drops it`;
    if (pending.state === 'stopped') {
      throw withHint(
        new RefusedError(`a rebase of change '${name}' is stopped in '${pending.dir}'`),
        `resolve the conflicts there and run 'git rebase --continue', then 'sase cs rebase ${name}' again to record it; or ${again}`,
      );
    }
    if (pending.state === 'finished' && pending.head !== pending.plan.tip) {
      if (range.tip !== pending.plan.tip) {
        throw withHint(
          new RefusedError(`branch '${changeBranch(name)}' moved since its rebase in '${pending.dir}' stopped`),
          again,
        );
      }
      if (!(await isAncestor(store.repo, pending.plan.onto, pending.head!))) {
        throw withHint(
          new RefusedError(
            `the rebase finished in '${pending.dir}' is not on ${pending.plan.onto.slice(0, 12)}, where it was started`,
          ),
          again,
        );
      }
      const change = await adopt(
        store,
        at,
        c,
        pending.plan.tip,
        pending.head!,
        pending.plan.upstream,
        pending.plan.onto,
        range.baseBranch,
      );
      await dropPendingRebase(store.repo, pending.dir);
      return report('rebased', pending.head!, change, pending.plan.onto);
    }
    // gone, or given up by the user (HEAD back at the old tip): start afresh
    await dropPendingRebase(store.repo, pending.dir);
  }

  if (await isAncestor(store.repo, range.baseTip, range.tip)) return report('up_to_date', range.tip, c);
  const upstream =
    opts.upstream && (await isAncestor(store.repo, opts.upstream, range.tip)) ? opts.upstream : range.base;
  const outcome = await rebaseDetached(
    store.repo,
    { tip: range.tip, upstream, onto: range.baseTip, about: { change: name } },
    rebaseLabel(name),
  );
  if (outcome.status === 'stopped') return { ...report('stopped', range.tip, c), stopped: outcome };
  const change = await adopt(store, at, c, range.tip, outcome.tip, upstream, range.baseTip, range.baseBranch);
  return report('rebased', outcome.tip, change);
}

/**
 * Rebases `name`, then, with `stack`, every open change stacked on it,
 * parents first; stops at the first rebase that stops on a conflict (the
 * reports so far end with it).
 */
export async function rebaseStack(store: Store, at: string, name: string, stack: boolean): Promise<RebaseReport[]> {
  const first = await rebaseChange(store, at, name);
  const reports = [first];
  if (!stack || first.status === 'stopped') return reports;
  const oldTips = new Map<string, string>([[name, first.from]]);
  for (const d of descendantsOf(await listChanges(await store.snapshot()), name)) {
    if (TERMINAL.includes(d.status)) {
      const tip = (await branchTip(store, changeBranch(d.name))) ?? '';
      reports.push({
        name: d.name,
        status: 'skipped',
        from: tip,
        to: tip,
        baseBranch: d.parent ? changeBranch(d.parent) : '',
        onto: '',
        change: d,
      });
      continue;
    }
    const r = await rebaseChange(store, at, d.name, { upstream: d.parent ? oldTips.get(d.parent) : undefined });
    reports.push(r);
    if (r.status === 'stopped') break;
    oldTips.set(d.name, r.from);
  }
  return reports;
}

/** Drops a rebase left stopped (its worktree removed); false when there is none. */
export async function abortRebase(store: Store, name: string): Promise<string | null> {
  const pending = await pendingRebase(store.repo, rebaseLabel(name));
  if (!pending) return null;
  await dropPendingRebase(store.repo, pending.dir);
  return pending.dir;
}
