// `sase sync`: the state ref and the notes meet the remote's, as `git pull
// --rebase` then `git push` would, at the level of operations. Fetch; adopt,
// fast-forward or replay ours on top of theirs (./replay.ts); move our ref
// with a compare-and-swap; push with a lease on the remote's old value; on a
// lost lease fetch and go again. Notes merge as cat_sort_uniq does.

import { setTimeout as sleep } from 'node:timers/promises';
import { idFromPath, isValidId } from '../../core/beads/model.ts';
import { nameFromPath } from '../../core/changes/spec.ts';
import { randomFraction } from '../../core/clock.ts';
import { ConflictError, FatalError, withHint } from '../../core/errors.ts';
import { MAX_STATE_BLOB, pathProblem } from '../../core/layout.ts';
import { sortUniq } from '../../core/notes.ts';
import { mergedRecordProblem } from '../../core/sync/replay.ts';
import { isAncestor, mergeBase } from '../../git/branches.ts';
import { GitError } from '../../git/exec.ts';
import { diffTrees, listCommits } from '../../git/history.ts';
import { listNotes, noteText, readNotesAt, writeNotes } from '../../git/notes.ts';
import { fetchSaseRefs, pushLeased, remoteTracking } from '../../git/remote.ts';
import { RefConflictError, readRef, updateRefs } from '../../git/repo.ts';
import { toLogEntry } from '../../store/log.ts';
import { createNotifications } from '../../store/notifications.ts';
import { walkStateFiles } from '../../store/snapshot.ts';
import { NOTES_REF, STATE_REF, type Store } from '../../store/store.ts';
import { type LeftOut, type OurOperation, type Overwritten, replayOnto } from './replay.ts';
import { unreachable } from './unreachable.ts';

/** How many times a sync fetches and tries again when another clone pushed between its fetch and its push. */
const ATTEMPTS = 8;

export type SyncAction = 'none' | 'adopted' | 'fast-forward' | 'pushed' | 'replayed';

export interface SyncReport {
  remote: string;
  action: SyncAction;
  /** the remote's operations we did not have */
  fetched: number;
  /** ours put on top of theirs */
  replayed: number;
  /** ours whose change the remote had made already */
  same: number;
  leftOut: LeftOut[];
  overwritten: Overwritten[];
  renamed: Array<{ from: string; to: string }>;
  pushed: boolean;
  /** our state ref after the sync */
  tip: string | null;
  /** what the remote's state ref names after it */
  remoteTip: string | null;
  notes: 'none' | 'adopted' | 'fast-forward' | 'merged';
  notesPushed: boolean;
  dryRun: boolean;
  /** attempts made (more than one when another clone pushed meanwhile) */
  attempts: number;
}

export interface SyncOptions {
  remote: string;
  push: boolean;
  dryRun: boolean;
  progress?: (message: string) => void;
}

/** Moves our `ref` from `from` to `to` by compare-and-swap; false when a write here moved it first. */
async function moveOurs(store: Store, ref: string, from: string | null, to: string, why: string): Promise<boolean> {
  try {
    await updateRefs(store.repo, [{ ref, newOid: to, oldOid: from }], `sase: ${why}`);
    return true;
  } catch (err) {
    if (err instanceof RefConflictError) return false;
    throw err;
  }
}

/** Pushes `tip` to the remote's `ref` if it still names `expect`; false when another clone pushed first. */
async function pushTheirs(
  store: Store,
  remote: string,
  ref: string,
  tip: string,
  expect: string | null,
): Promise<boolean> {
  try {
    return (await pushLeased(store.repo, remote, [{ src: tip, dst: ref, expect }])) === 'pushed';
  } catch (err) {
    if (err instanceof GitError) throw unreachable(remote, err);
    throw err;
  }
}

/** Operations in `from..to`, oldest first (all of `to`'s when `from` is null). */
async function opsBetween(store: Store, from: string | null, to: string): Promise<OurOperation[]> {
  const commits = await listCommits(store.repo, from ? `${from}..${to}` : to, { reverse: true });
  return commits.map((c) => ({ ...toLogEntry(c), message: c.message }));
}

/**
 * Refuses a remote state that is not one this sase would write: the tip must
 * be a sase state, and every record it changed since `base` (all of them when
 * adopting) must be what its place says and parse. Nothing local has changed.
 */
async function checkIncoming(store: Store, remote: string, base: string | null, tip: string): Promise<void> {
  const refuse = (what: string) =>
    withHint(
      new FatalError(`the state on remote '${remote}' is refused: ${what}`),
      'nothing local was changed; fix the remote (sase fsck in a clone of it) and sync again',
    );
  try {
    await store.checkState(store.snapshotAt(tip));
  } catch (err) {
    if (err instanceof FatalError) throw refuse(err.message);
    throw err;
  }
  const changed = base
    ? (await diffTrees(store.repo, base, tip)).filter((c) => c.oid !== null)
    : ((await walkStateFiles(store.cat, store.repo, `${tip}^{tree}`, '')) ?? []);
  for (const c of changed) {
    const bad = pathProblem(c.path, c.mode ?? '100644');
    if (bad) throw refuse(`'${bad.path}' ${bad.problem}`);
  }
  // read through the one cat-file, many at a time (an adoption reads every record)
  const records = changed.filter((c) => c.path !== 'VERSION');
  for (let i = 0; i < records.length; i += 2000) {
    const batch = records.slice(i, i + 2000);
    const objs = await Promise.all(
      batch.map((c) =>
        store.cat.read(c.oid!, MAX_STATE_BLOB).catch((err) => {
          throw refuse(err instanceof Error ? err.message : String(err));
        }),
      ),
    );
    for (const [k, c] of batch.entries()) {
      const obj = objs[k];
      const problem = obj ? mergedRecordProblem(c.path, obj.data.toString('utf8')) : 'missing';
      if (problem) throw refuse(`'${c.path}': ${problem}`);
    }
  }
}

export async function sync(store: Store, opts: SyncOptions): Promise<SyncReport> {
  const say = opts.progress ?? (() => {});
  const report: SyncReport = {
    remote: opts.remote,
    action: 'none',
    fetched: 0,
    replayed: 0,
    same: 0,
    leftOut: [],
    overwritten: [],
    renamed: [],
    pushed: false,
    tip: null,
    remoteTip: null,
    notes: 'none',
    notesPushed: false,
    dryRun: opts.dryRun,
    attempts: 0,
  };
  // each commit an attempt replayed -> the commit of ours it stands for, across attempts
  const origins = new Map<string, string>();
  for (let attempt = 1; ; attempt++) {
    report.attempts = attempt;
    say(`fetching from '${opts.remote}'`);
    let theirs: { state: string | null; notes: string | null };
    try {
      theirs = await fetchSaseRefs(store.repo, opts.remote);
    } catch (err) {
      if (err instanceof GitError) throw unreachable(opts.remote, err);
      throw err;
    }
    const outcome = await syncState(store, opts, theirs.state, report, origins);
    if (outcome === 'retry') {
      if (attempt >= ATTEMPTS)
        throw new ConflictError(`remote '${opts.remote}' kept moving; gave up after ${attempt} attempts`);
      await sleep((await randomFraction(store.random)) * Math.min(1000, 50 * 2 ** attempt));
      continue;
    }
    const notes = await syncNotes(store, opts, theirs.notes, report);
    if (notes === 'retry' && attempt < ATTEMPTS) continue;
    return report;
  }
}

/** The state ref's part; 'retry' when our ref or the remote's moved under us. */
async function syncState(
  store: Store,
  opts: SyncOptions,
  remoteTip: string | null,
  report: SyncReport,
  origins: Map<string, string>,
): Promise<'done' | 'retry'> {
  const say = opts.progress ?? (() => {});
  const local = await store.tip();
  report.tip = local;
  report.remoteTip = remoteTip;
  const moveLocal = async (to: string, action: SyncAction): Promise<boolean> => {
    report.action = action;
    // (a local write that went in meanwhile must be replayed too: false, and the sync goes again)
    if (!opts.dryRun && !(await moveOurs(store, STATE_REF, local, to, `sync (${action})`))) return false;
    report.tip = to;
    return true;
  };
  const push = async (tip: string): Promise<boolean> => {
    if (!opts.push || opts.dryRun || tip === remoteTip) return true;
    if (!(await pushTheirs(store, opts.remote, STATE_REF, tip, remoteTip))) return false;
    report.pushed = true;
    report.remoteTip = tip;
    return true;
  };

  if (!remoteTip) {
    if (!local) return 'done';
    if (report.action === 'none') report.action = 'pushed';
    return (await push(local)) ? 'done' : 'retry';
  }
  if (!local) {
    await checkIncoming(store, opts.remote, null, remoteTip);
    report.fetched = (await opsBetween(store, null, remoteTip)).length;
    return (await moveLocal(remoteTip, 'adopted')) ? 'done' : 'retry';
  }
  if (local === remoteTip) return 'done';
  const base = await mergeBase(store.repo, local, remoteTip);
  if (!base)
    throw withHint(
      new FatalError(`the state on remote '${opts.remote}' has another root than ours: they share no history`),
      `two clones each ran 'sase init' on their own; keep one: 'git update-ref -d refs/sase/state' here, then 'sase sync' adopts the remote's (ours stays in the reflog)`,
    );
  if (base === remoteTip) {
    // we are ahead
    if (report.action === 'none') report.action = 'pushed';
    return (await push(local)) ? 'done' : 'retry';
  }
  await checkIncoming(store, opts.remote, base, remoteTip);
  report.fetched = (await opsBetween(store, base, remoteTip)).length;
  if (base === local) return (await moveLocal(remoteTip, 'fast-forward')) ? 'done' : 'retry';
  // both moved: ours on top of theirs
  const ours = await opsBetween(store, base, local);
  say(`replaying ${ours.length} operation${ours.length === 1 ? '' : 's'} on '${opts.remote}'`);
  const replay = await replayOnto(store, base, remoteTip, ours, (d, t) => say(`replaying: ${d}/${t}`));
  report.replayed = replay.replayed;
  report.same = replay.same;
  if (!(await moveLocal(replay.tip, 'replayed'))) return 'retry';
  // kept across attempts: once our ref moved, what was left out is gone from it for good
  // an operation of ours already replayed by an earlier attempt is named by its first commit (a claimer looks for it)
  const first = (c: string) => origins.get(c) ?? c;
  for (const [made, from] of replay.replays) origins.set(made, first(from));
  report.leftOut.push(...replay.leftOut.map((l) => ({ ...l, commit: first(l.commit) })));
  report.overwritten.push(...replay.overwritten.map((o) => ({ ...o, commit: first(o.commit) })));
  report.renamed.push(...[...replay.renamed].map(([from, to]) => ({ from, to })));
  let tip = replay.tip;
  if (!opts.dryRun && (replay.leftOut.length || replay.overwritten.length)) {
    // said where every clone sees it: a notification each, in a commit of their own on top
    await createNotifications(store, notificationsOf(opts.remote, replay.leftOut, replay.overwritten));
    tip = (await store.tip())!;
    report.tip = tip;
  }
  return (await push(tip)) ? 'done' : 'retry';
}

/** What a sync tells every clone: each of our operations left out, each value of theirs ours replaced. */
function notificationsOf(
  remote: string,
  leftOut: readonly LeftOut[],
  overwritten: readonly Overwritten[],
): Parameters<typeof createNotifications>[1] {
  const aboutPath = (path: string) => {
    const id = idFromPath(path) ?? (isValidId(path) ? path : null);
    const change = nameFromPath(path);
    return id ? [{ kind: 'bead', id }] : change ? [{ kind: 'change', id: change }] : [];
  };
  return [
    ...leftOut.map((l) => ({
      type: 'sync.left_out' as const,
      title: clip(`left out on sync with '${remote}': ${l.summary}`, 400),
      body: clip(`${l.op} (commit ${l.commit.slice(0, 12)}) no longer applied on the remote's state: ${l.reason}`),
      about: [{ kind: 'commit', id: l.commit }],
    })),
    ...overwritten.map((o) => ({
      type: 'sync.overwritten' as const,
      title: clip(`sync with '${remote}': ${o.path}${o.field ? ` ${o.field}` : ''} overwritten`, 400),
      body: clip(`${o.op} (commit ${o.commit.slice(0, 12)}) replaced the other side's value: ${o.theirs}`),
      about: [...aboutPath(o.path), { kind: 'commit', id: o.commit }],
    })),
  ];
}

function clip(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** The notes' part: cat_sort_uniq, so every line of both sides is kept. */
async function syncNotes(
  store: Store,
  opts: SyncOptions,
  remoteTip: string | null,
  report: SyncReport,
): Promise<'done' | 'retry'> {
  const local = await readRef(store.repo, NOTES_REF);
  const setLocal = async (to: string, how: SyncReport['notes']): Promise<boolean> => {
    report.notes = how;
    return opts.dryRun || moveOurs(store, NOTES_REF, local, to, `sync notes (${how})`);
  };
  const push = async (tip: string): Promise<boolean> => {
    if (!opts.push || opts.dryRun || tip === remoteTip) return true;
    if (!(await pushTheirs(store, opts.remote, NOTES_REF, tip, remoteTip))) return false;
    report.notesPushed = true;
    return true;
  };
  if (!remoteTip) return !local || (await push(local)) ? 'done' : 'retry';
  if (!local) return (await setLocal(remoteTip, 'adopted')) ? 'done' : 'retry';
  if (local === remoteTip || (await isAncestor(store.repo, remoteTip, local)))
    return (await push(local)) ? 'done' : 'retry';
  if (await isAncestor(store.repo, local, remoteTip))
    return (await setLocal(remoteTip, 'fast-forward')) ? 'done' : 'retry';
  // both added notes: every line of both, sorted and unique, in a commit that merges the two
  const read = await readNotesAt(store.repo, store.cat, NOTES_REF);
  if (read.tip !== local) return 'retry';
  const texts = new Map<string, string>();
  for (const n of await listNotes(store.repo, remoteTracking(opts.remote).notes)) {
    const obj = await store.cat.read(n.blob, MAX_STATE_BLOB);
    const theirs = obj?.data.toString('utf8') ?? '';
    const ours = (await noteText(read, store.cat, n.commit)) ?? '';
    if (theirs === ours) continue;
    texts.set(n.commit, `${sortUniq([...ours.split('\n'), ...theirs.split('\n')]).join('\n')}\n`);
  }
  report.notes = 'merged';
  if (opts.dryRun) return 'done';
  let merged: string;
  try {
    merged = await writeNotes(
      store.repo,
      store.cat,
      NOTES_REF,
      read,
      texts,
      `sase: sync notes with '${opts.remote}'`,
      await store.ident(),
      Math.floor(store.clock.wallMs() / 1000),
      [remoteTip],
    );
  } catch (err) {
    if (err instanceof RefConflictError) return 'retry';
    throw err;
  }
  return (await push(merged)) ? 'done' : 'retry';
}
