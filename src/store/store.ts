// The store: records <-> the state ref. Reads take a snapshot of one tip;
// writes are transactions that apply an operation and compare-and-swap the ref.

import type { Clock, Random } from '../core/clock.ts';
import { FatalError, withHint } from '../core/errors.ts';
import type { Op } from '../core/oplog.ts';
import { opMessage } from '../core/oplog.ts';
import { CatFile } from '../git/catfile.ts';
import { authorIdentity } from '../git/config.ts';
import { type GitEnv, GitMissingError } from '../git/exec.ts';
import {
  hashObject,
  type Identity,
  loadHashing,
  serializeCommit,
  startObjectWriter,
  writeObjects,
} from '../git/objects.ts';
import {
  NotARepoError,
  openRepo,
  type PendingRefUpdate,
  RefConflictError,
  type Repo,
  readRef,
  startRefUpdate,
  updateRefs,
} from '../git/repo.ts';
import { addExcerpts } from './bead-excerpts.ts';
import { retryOnRefConflict } from './cas-retry.ts';
import { isMirrored, mirrorCommit, mirroredSnapshot } from './records-cache.ts';
import { type ListingCache, Snapshot } from './snapshot.ts';
import { buildChangedTree, type Changes } from './tree-writer.ts';

export const STATE_REF = 'refs/sase/state';
export const NOTES_REF = 'refs/notes/sase';
export const FORMAT_VERSION = '1';

/** Writes of fewer records than this go through the git processes started with the transaction; larger ones as one pack. */
const SMALL_WRITE = 100;

export interface Built<T> {
  /** the operation as recorded in the commit message */
  op: Op;
  summary: string;
  changes: Changes;
  result: T;
}

/** What a store is given besides its repository: the one clock and source of randomness. */
export interface StoreEnv {
  clock: Clock;
  random: Random;
}

export class Store {
  readonly cat: CatFile;
  readonly clock: Clock;
  readonly random: Random;
  /** listings read by this store's snapshots, by directory and tree id: every snapshot reuses what did not change */
  private readonly listings: ListingCache = new Map();
  private identity: Promise<Identity> | null = null;
  /** whether this store moved the state ref (a command that wrote syncs afterwards when [sync] auto asks) */
  wrote = false;

  constructor(
    readonly repo: Repo,
    env: StoreEnv,
  ) {
    this.cat = new CatFile(repo);
    this.clock = env.clock;
    this.random = env.random;
  }

  tip(): Promise<string | null> {
    return readRef(this.repo, STATE_REF);
  }

  /** A snapshot of the state as it is now, checked to be sase's (checkState). */
  async snapshot(): Promise<Snapshot> {
    const snap = this.snapshotAt(await this.tip());
    await this.checkState(snap);
    return snap;
  }

  /** Served from the cache's mirror of the records when it is for `tip` (no git process), else from git. */
  snapshotAt(tip: string | null): Snapshot {
    return (
      mirroredSnapshot(this.repo, this.cat, tip, false, this.listings) ??
      new Snapshot(this.repo, this.cat, tip, this.listings)
    );
  }

  ident(): Promise<Identity> {
    this.identity ??= authorIdentity(this.repo);
    return this.identity;
  }

  /**
   * Applies an operation built from the current state and moves the ref, only
   * if nobody moved it meanwhile; otherwise rebuilds on the new state and tries
   * again, with jittered back-off, for up to `deadlineMs`. A build that
   * returns no changes commits nothing.
   */
  async transact<T>(
    build: (snap: Snapshot) => Promise<Built<T>>,
    deadlineMs = 30_000,
  ): Promise<{ result: T; commit: string | null }> {
    const identity = this.ident(); // asked now, awaited only when committing, so the spawns overlap
    identity.catch(() => {}); // a failure surfaces where it is awaited
    let attempts = 0;
    return retryOnRefConflict(STATE_REF, deadlineMs, this, async () => {
      attempts++;
      await loadHashing(); // the mirror's listings are checked before a commit builds on them
      // a small write ends with git unpack-objects and update-ref: on a first try they are started
      // before the tip is read, so their start-up overlaps the work; on a retry (another writer won)
      // they start only once the work is done and the tip has not moved again
      const writers = attempts === 1 ? startWriters(this.repo) : null;
      try {
        const tip = await this.tip();
        const snap =
          mirroredSnapshot(this.repo, this.cat, tip, true, this.listings) ??
          new Snapshot(this.repo, this.cat, tip, this.listings);
        await this.checkState(snap);
        return await this.attempt(snap, build, identity, writers);
      } finally {
        // no-ops once they ran
        writers?.objects.cancel();
        writers?.ref.cancel();
      }
    });
  }

  /**
   * One try of a transaction on `snap`: the operation built on it, its trees
   * and commit made here, then the objects written and the ref moved with
   * the tip read as the old value (an exact compare-and-swap). A
   * RefConflictError means another writer moved the ref first; a try that
   * sees the ref moved before it writes anything gives up at once.
   */
  private async attempt<T>(
    snap: Snapshot,
    build: (snap: Snapshot) => Promise<Built<T>>,
    identity: Promise<Identity>,
    started: MirrorWriters | null,
  ): Promise<{ result: T; commit: string | null }> {
    const built = await build(snap);
    if (built.changes.size === 0) return { result: built.result, commit: null };
    const changes: Changes = new Map(built.changes);
    if (!snap.tip) changes.set('VERSION', Buffer.from(`${FORMAT_VERSION}\n`));
    const tree = await buildChangedTree(snap, changes, await addExcerpts(snap, changes));
    const message = opMessage(built.summary, built.op);
    const seconds = Math.floor(this.clock.wallMs() / 1000);
    const commitData = serializeCommit(tree.root, snap.tip ? [snap.tip] : [], message, await identity, seconds);
    const commit = hashObject(this.repo, 'commit', commitData);
    const objects = [...tree.objects, { type: 'commit' as const, data: commitData }];
    const update = { ref: STATE_REF, newOid: commit, oldOid: snap.tip };
    if ((await this.tip()) !== snap.tip)
      throw new RefConflictError(`'${STATE_REF}' moved while the operation was built`);
    if (!snap.tip || changes.size >= SMALL_WRITE) {
      // the first write and bulk ones: every object in one pack stream, then the compare-and-swap
      await writeObjects(this.repo, objects);
      await updateRefs(this.repo, [update], `sase: ${built.summary}`);
    } else {
      const writers = started ?? startWriters(this.repo);
      try {
        await writers.objects.run(objects);
        await writers.ref.run([update]);
      } finally {
        writers.objects.cancel();
        writers.ref.cancel();
      }
    }
    this.wrote = true;
    // the cache's mirror follows the commit made on it, so the next command finds it current
    mirrorCommit(snap, commit, tree.trees, changes);
    return { result: built.result, commit };
  }

  /** Tips found to be sase's state, by this store. */
  private checked = new Set<string>();

  /**
   * Refuses a state that is not this sase's, before anything is read from it
   * or written on it: the ref must name a commit (not a tree or a blob put
   * there by hand) whose VERSION is this sase's format. A mirrored snapshot's
   * tip was checked when its mirror was made; each tip is checked once.
   */
  async checkState(snap: Snapshot): Promise<void> {
    const tip = snap.tip;
    if (!tip || this.checked.has(tip)) return;
    if (!isMirrored(snap)) {
      const type = await this.cat.typeOf(tip);
      if (type !== 'commit')
        throw withHint(
          new FatalError(`'${STATE_REF}' names ${type ? `a ${type}` : 'nothing git has'} (${tip}), not a commit`),
          `sase's state is a chain of commits; 'git reflog ${STATE_REF}' shows where it was before`,
        );
    }
    const text = await snap.readText('VERSION');
    if (text === null)
      throw withHint(
        new FatalError(`'${STATE_REF}' has no VERSION: it is not a sase state (or a tool rewrote it)`),
        "'sase fsck' lists what the state holds",
      );
    const v = text.trim();
    if (v !== FORMAT_VERSION)
      throw withHint(
        new FatalError(
          `'${STATE_REF}' has format version ${JSON.stringify(v.slice(0, 40))}; this sase reads version ${FORMAT_VERSION}`,
        ),
        /^\d+$/.test(v) && Number(v) > Number(FORMAT_VERSION)
          ? 'a newer sase wrote it: upgrade sase to read it'
          : 'this sase cannot read it; nothing was changed',
      );
    this.checked.add(tip);
  }

  close(): void {
    this.cat.close();
  }
}

/** The two git processes a small write ends with. */
interface MirrorWriters {
  objects: ReturnType<typeof startObjectWriter>;
  ref: PendingRefUpdate;
}

function startWriters(repo: Repo): MirrorWriters {
  return { objects: startObjectWriter(repo), ref: startRefUpdate(repo, 'sase') };
}

export async function openStore(ctx: GitEnv, env: StoreEnv): Promise<Store> {
  try {
    return new Store(await openRepo(ctx), env);
  } catch (err) {
    if (err instanceof NotARepoError) throw new FatalError(err.message);
    if (err instanceof GitMissingError) throw new FatalError('git not found on PATH');
    throw err;
  }
}

export type { Repo };
