// The store: records <-> the state ref. Reads take a snapshot of one tip;
// writes are transactions that apply an operation and compare-and-swap the ref.

import type { Clock, Random } from '../core/clock.ts';
import { FatalError, withHint } from '../core/errors.ts';
import type { Op } from '../core/oplog.ts';
import { opMessage } from '../core/oplog.ts';
import { CatFile } from '../git/catfile.ts';
import { type GitEnv, GitMissingError } from '../git/exec.ts';
import {
  authorIdentity,
  commitWithFastImport,
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
  type Repo,
  readRef,
  startRefUpdate,
  updateRefs,
} from '../git/repo.ts';
import { retryOnRefConflict } from './cas-retry.ts';
import { isMirrored, mirrorCommit, mirroredSnapshot } from './records-cache.ts';
import { Snapshot } from './snapshot.ts';
import { buildChangedTree, type Changes } from './tree-writer.ts';

export const STATE_REF = 'refs/sase/state';
export const NOTES_REF = 'refs/notes/sase';
export const FORMAT_VERSION = '1';

/** Writes of fewer records than this go through one fast-import; larger ones as a pack. */
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
  private identity: Promise<Identity> | null = null;

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
    return mirroredSnapshot(this.repo, this.cat, tip) ?? new Snapshot(this.repo, this.cat, tip);
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
    return retryOnRefConflict(STATE_REF, deadlineMs, this, async () => {
      await loadHashing(); // the mirror's listings are checked before a commit builds on them
      const tip = await this.tip();
      const snap = mirroredSnapshot(this.repo, this.cat, tip, true) ?? new Snapshot(this.repo, this.cat, tip);
      // a write on the mirror ends with unpack-objects and update-ref: started now, they get ready while the change is worked out
      const writers = isMirrored(snap)
        ? { objects: startObjectWriter(this.repo), ref: startRefUpdate(this.repo, 'sase') }
        : null;
      try {
        await this.checkState(snap);
        return await this.attempt(snap, build, identity, writers);
      } finally {
        // no-ops once they ran
        writers?.objects.cancel();
        writers?.ref.cancel();
      }
    });
  }

  /** One try of a transaction on `snap`; a RefConflictError means another writer moved the ref first. */
  private async attempt<T>(
    snap: Snapshot,
    build: (snap: Snapshot) => Promise<Built<T>>,
    identity: Promise<Identity>,
    writers: MirrorWriters | null,
  ): Promise<{ result: T; commit: string | null }> {
    const built = await build(snap);
    if (built.changes.size === 0) return { result: built.result, commit: null };
    const changes: Changes = new Map(built.changes);
    if (!snap.tip) changes.set('VERSION', Buffer.from(FORMAT_VERSION + '\n'));
    const message = opMessage(built.summary, built.op);
    const seconds = Math.floor(this.clock.wallMs() / 1000);
    if (snap.tip && changes.size < SMALL_WRITE) {
      const ident = await identity;
      // on the cache's mirror: trees built here from its listings, objects and ref through the git processes started early
      const commit =
        (writers && (await this.commitOnMirror(snap, changes, message, ident, seconds, writers))) ||
        // else objects, commit and the guarded ref move in one git fast-import
        (await commitWithFastImport(this.repo, { ref: STATE_REF, parent: snap.tip, changes, message, ident, seconds }));
      return { result: built.result, commit };
    }
    // the first write and bulk ones: every object in one pack stream, then the compare-and-swap
    const { root, objects } = await buildChangedTree(snap, changes);
    const commitData = serializeCommit(root, snap.tip ? [snap.tip] : [], message, await identity, seconds);
    const commit = hashObject(this.repo, 'commit', commitData);
    await writeObjects(this.repo, [...objects, { type: 'commit', data: commitData }]);
    await updateRefs(this.repo, [{ ref: STATE_REF, newOid: commit, oldOid: snap.tip }], `sase: ${built.summary}`);
    return { result: built.result, commit };
  }

  /** A small write on a mirrored snapshot. */
  private async commitOnMirror(
    snap: Snapshot,
    changes: Changes,
    message: string,
    ident: Identity,
    seconds: number,
    writers: MirrorWriters,
  ): Promise<string> {
    const tree = await buildChangedTree(snap, changes);
    const commitData = serializeCommit(tree.root, [snap.tip!], message, ident, seconds);
    const commit = hashObject(this.repo, 'commit', commitData);
    await writers.objects.run([...tree.objects, { type: 'commit', data: commitData }]);
    await writers.ref.run([{ ref: STATE_REF, newOid: commit, oldOid: snap.tip }]);
    mirrorCommit(snap, commit, tree.trees, changes);
    return commit;
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
      const obj = await this.cat.read(tip, 1 << 20).catch(() => null);
      if (obj?.type !== 'commit')
        throw withHint(
          new FatalError(`'${STATE_REF}' names ${obj ? `a ${obj.type}` : 'nothing git has'} (${tip}), not a commit`),
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

/** The two git processes a small write on the mirror ends with, started when it begins. */
interface MirrorWriters {
  objects: ReturnType<typeof startObjectWriter>;
  ref: PendingRefUpdate;
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
