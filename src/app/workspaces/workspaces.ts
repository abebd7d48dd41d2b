// The workspace registry, $GIT_COMMON_DIR/sase/workspaces.json: which numbered
// workspaces exist, where, on which branch, from which base, and which run
// holds them. Machine-local (never in the state ref). Every change is a
// read-modify-write under a lock file that appears whole, its holder's pid in
// it (taken over at once when that process is gone, else when older than
// 10 s), so concurrent `ws-new` never hand out one number twice. A `ws-new`
// killed while it made a workspace leaves its entry marked as being created
// by a process that is gone, with as much of its branch and worktree as git
// had made: found for fsck and doctor, and removed (or, holding work, kept as
// a free workspace) by `ws clean` and `doctor --fix`.

import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { changeBranch } from '../../core/changes/spec.ts';
import { randomFraction } from '../../core/clock.ts';
import { ConflictError, FatalError, NotFoundError, RefusedError } from '../../core/errors.ts';
import {
  checkBranchName,
  checkRevision,
  lowestFreeNumber,
  parseWorkspaceRef,
  type WorkspaceRef,
  workspaceBranch,
} from '../../core/workspaces/refs.ts';
import type {
  CleanResult,
  Workspace,
  WorkspaceSource,
  WorkspaceState,
  WorkspaceView,
} from '../../core/workspaces/workspace.ts';
import { commitsOnlyOn, resolveCommitish } from '../../git/branches.ts';
import { GitError } from '../../git/exec.ts';
import type { Repo } from '../../git/repo.ts';
import { localPath } from '../../git/repo.ts';
import {
  addBranchWorktree,
  addExistingBranchWorktree,
  branchExists,
  catchUpCheckout,
  checkedOutBranch,
  commitsOnlyHere,
  deleteBranch,
  type HalfWrittenEntry,
  halfWrittenEntries,
  hasUncommittedWork,
  inFolder,
  listWorktrees,
  pruneWorktrees,
  removeWorktree,
  removeWorktreeEntry,
  type WorktreeEntry,
} from '../../git/workspaces.ts';
import { processExists } from '../../proc/agent-process.ts';
import { writeFileAtomic } from '../../proc/files.ts';
import { gh } from '../../proc/gh.ts';
import type { Store } from '../../store/store.ts';
import { loadConfig } from '../config/config.ts';

interface Registry {
  v: 1;
  workspaces: Workspace[];
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 30_000;

export function registryPath(repo: Repo): string {
  return localPath(repo, 'workspaces.json');
}

function readRegistry(file: string): Registry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { v: 1, workspaces: [] };
  }
  try {
    const value = JSON.parse(text) as Registry;
    if (!value || !Array.isArray(value.workspaces)) throw new Error('no workspaces');
    return value;
  } catch {
    throw new FatalError(`${file}: not a workspace registry (remove it, then 'sase ws clean')`);
  }
}

let lockFiles = 0;

/**
 * Creates the lock file holding this process's pid; false when it exists. The
 * file is written aside and hard-linked into place, so that a lock is never
 * seen (or, by a kill, left) without its holder's pid; where the file system
 * has no hard links it is created with O_EXCL and then written.
 */
function tryLock(lock: string): boolean {
  const tmp = `${lock}.tmp-${process.pid}-${++lockFiles}`;
  writeFileSync(tmp, `${process.pid}\n`);
  try {
    linkSync(tmp, lock);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to remove
    }
  }
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  }
}

/** The process a lock file names, or null when it names none (or is gone). */
function lockHolder(path: string): number | null {
  try {
    const m = /^(\d{1,10})\n?$/.exec(readFileSync(path, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Removes a lock left by `holder` (renamed aside first, so that of several
 * takers one wins); a lock a new holder made meanwhile is put back. Whether
 * the stale lock was removed.
 */
function dropStaleLock(lock: string, holder: number | null): boolean {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch {
    return false; // another process took it over first
  }
  const ours = lockHolder(aside) === holder;
  if (!ours) {
    try {
      linkSync(aside, lock);
    } catch {
      // a lock is in place again
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // removed already
  }
  return ours;
}

/** Whether a process named in a lock or a registry entry is gone (this process never is). */
function gone(pid: number): boolean {
  return pid !== process.pid && !processExists(pid);
}

/** Runs `fn` on the registry with the lock held; what `fn` leaves in it is written atomically. */
async function withRegistry<T>(store: Store, fn: (reg: Registry) => T | Promise<T>): Promise<T> {
  const { clock, random } = store;
  const file = registryPath(store.repo);
  const lock = `${file}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  const deadline = clock.ms() + LOCK_WAIT_MS;
  for (;;) {
    if (tryLock(lock)) break;
    let age = 0;
    try {
      age = clock.wallMs() - statSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    const holder = lockHolder(lock);
    if ((holder !== null && gone(holder)) || age > LOCK_STALE_MS) {
      // a holder killed while it held the lock: take it over
      dropStaleLock(lock, holder);
      continue;
    }
    if (clock.ms() > deadline) throw new ConflictError(`workspace registry is locked ('${lock}')`);
    await sleep(5 + (await randomFraction(random)) * 25);
  }
  try {
    const reg = readRegistry(file);
    const before = JSON.stringify(reg);
    const result = await fn(reg);
    const after = JSON.stringify(reg);
    if (after !== before) {
      writeFileAtomic(file, `${JSON.stringify(reg, null, 1)}\n`);
    }
    return result;
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // taken over as stale: nothing of ours to remove
    }
  }
}

/** The registry as it is now (no lock: a reader sees one whole version). */
function snapshotRegistry(repo: Repo): Registry {
  return readRegistry(registryPath(repo));
}

/** Whether some numbered workspace finished and was made before `beforeMs`, or was being made by a process now gone: what a clean of old finished ones could take. */
export function anyFinishedWorkspace(repo: Repo, beforeMs: number): boolean {
  return snapshotRegistry(repo).workspaces.some(
    (w) =>
      w.n !== null &&
      ((w.state === 'finished' && !!w.created_at && Date.parse(w.created_at) < beforeMs) || interrupted(w)),
  );
}

/** Being created by another process, which lives. */
function beingCreated(w: Workspace): boolean {
  return !!w.creating && w.creating.pid !== process.pid && !gone(w.creating.pid);
}

/** Marked as being created by a process that is gone: a `ws-new` (or a run making its workspace) was killed. */
function interrupted(w: Workspace): boolean {
  return !!w.creating && gone(w.creating.pid);
}

/** The top of the main checkout (shared by every linked worktree), or null in a bare repository. */
export function mainCheckout(repo: Repo): string | null {
  if (repo.commonDir.endsWith('/.git')) return dirname(repo.commonDir);
  return repo.topLevel;
}

/** Where numbered workspaces go: `[workspace] root` (relative to the main checkout), else $GIT_COMMON_DIR/sase/workspaces. */
export async function workspaceRoot(repo: Repo): Promise<string> {
  const config = await loadConfig(repo);
  const root = (config.workspace as { root?: unknown } | undefined)?.root;
  if (root === undefined) return localPath(repo, 'workspaces');
  if (typeof root !== 'string' || root.trim() === '' || /[\u0000-\u001f]/.test(root))
    throw new FatalError(`.sase/config.toml: 'workspace.root' must be a folder name`);
  return resolve(mainCheckout(repo) ?? repo.commonDir, root);
}

function gitFailure(err: unknown): never {
  if (err instanceof GitError) {
    const line =
      err.stderr
        .trim()
        .split('\n')
        .find((l) => /^fatal:|^error:/.test(l)) ??
      err.stderr.trim().split('\n')[0] ??
      '';
    throw new RefusedError(`git worktree add failed: ${line.replace(/^(fatal|error): /, '')}`);
  }
  throw err;
}

/** Takes the lowest free number under the lock and records it as being created. */
async function reserve(
  store: Store,
  make: (n: number, path: string) => Promise<Omit<Workspace, 'n' | 'path' | 'creating'>>,
): Promise<Workspace> {
  const repo = store.repo;
  const root = await workspaceRoot(repo);
  return withRegistry(store, async (reg) => {
    const used = new Set(reg.workspaces.map((w) => w.n));
    const n = lowestFreeNumber((k) => used.has(k) || existsSync(join(root, String(k))));
    const path = join(root, String(n));
    const w: Workspace = {
      n,
      path,
      ...(await make(n, path)),
      creating: { pid: process.pid, at: store.clock.wallMs() },
    };
    reg.workspaces.push(w);
    return w;
  });
}

async function finishCreating(store: Store, w: Workspace, update: Partial<Workspace> = {}): Promise<Workspace> {
  return withRegistry(store, (reg) => {
    const e = reg.workspaces.find((x) => x.n === w.n && x.path === w.path);
    if (!e) throw new FatalError(`workspace #${w.n} left the registry while it was being created`);
    Object.assign(e, update);
    delete e.creating;
    return { ...e };
  });
}

/** Removes a workspace made for a run that did not happen: its worktree, its own branch and its entry. */
export async function discardWorkspace(store: Store, w: Workspace): Promise<void> {
  return abandon(store, w);
}

async function abandon(store: Store, w: Workspace): Promise<void> {
  await removeWorktree(store.repo, w.path);
  if (w.own_branch && w.branch) await deleteBranch(store.repo, w.branch);
  await withRegistry(store, (reg) => {
    reg.workspaces = reg.workspaces.filter((x) => !(x.n === w.n && x.path === w.path));
  });
}

async function created(store: Store, w: Workspace, build: () => Promise<Partial<Workspace>>): Promise<Workspace> {
  let update: Partial<Workspace>;
  // an interrupted creation's half-written worktree entry would stop every git worktree command
  dropBrokenEntries(store);
  try {
    update = await build();
  } catch (err) {
    await abandon(store, w);
    throw err;
  }
  return finishCreating(store, w, update);
}

export interface NewWorkspaceOptions {
  /** a revision; HEAD when absent */
  base?: string;
  run?: string | null;
  branch?: string;
  at: string;
  source?: WorkspaceSource;
  ref?: string | null;
}

/** A new numbered worktree on its own branch at `base`. */
export async function newWorkspace(store: Store, opts: NewWorkspaceOptions): Promise<Workspace> {
  const repo = store.repo;
  const baseRev = checkRevision(opts.base ?? 'HEAD');
  const base = await resolveCommitish(repo, baseRev);
  if (!base) throw new NotFoundError(`no commit '${baseRev}'`);
  if (opts.branch !== undefined) {
    checkBranchName(opts.branch);
    if (await branchExists(repo, opts.branch)) throw new RefusedError(`branch '${opts.branch}' exists`);
  }
  const w = await reserve(store, async (n) => {
    let branch = opts.branch;
    if (branch === undefined) {
      // a branch kept by a forced clean still holds its number's name
      const taken = new Set<string>();
      for (let k = 0; k < 100; k++) {
        const name = k === 0 ? `sase/ws/${n}` : `sase/ws/${n}-${k + 1}`;
        if (await branchExists(repo, name)) taken.add(name);
        else break;
      }
      branch = workspaceBranch(n, (b) => taken.has(b));
    }
    return {
      branch,
      base,
      run: opts.run ?? null,
      state: opts.run ? 'busy' : 'free',
      created_at: opts.at,
      source: opts.source ?? 'new',
      ref: opts.ref ?? null,
      own_branch: true,
    };
  });
  return created(store, w, async () => {
    mkdirSync(dirname(w.path), { recursive: true });
    await addBranchWorktree(repo, w.path, w.branch!, base).catch(gitFailure);
    return {};
  });
}

/** A new numbered worktree with an existing branch checked out (not detached); refused when it is checked out elsewhere. */
export async function branchWorkspace(
  store: Store,
  branch: string,
  opts: { run?: string | null; at: string; source: WorkspaceSource; ref: string },
): Promise<Workspace> {
  const repo = store.repo;
  const tip = await resolveCommitish(repo, `refs/heads/${branch}`);
  if (!tip) throw new NotFoundError(`no branch '${branch}'`);
  dropBrokenEntries(store); // (git lists no worktree while one is there)
  const where = (await listWorktrees(repo)).find((t) => t.branch === branch);
  if (where) throw new RefusedError(`branch '${branch}' is checked out at '${where.path}'`);
  const w = await reserve(store, async () => ({
    branch,
    base: tip,
    run: opts.run ?? null,
    state: opts.run ? 'busy' : 'free',
    created_at: opts.at,
    source: opts.source,
    ref: opts.ref,
    own_branch: false,
  }));
  return created(store, w, async () => {
    mkdirSync(dirname(w.path), { recursive: true });
    await addExistingBranchWorktree(repo, w.path, branch).catch(gitFailure);
    return {};
  });
}

/** A new numbered workspace folder holding a clone made by `gh repo clone`, with `gh pr checkout` when a PR is named. */
export async function githubWorkspace(
  store: Store,
  owner: string,
  name: string,
  pr: number | null,
  opts: { run?: string | null; at: string; ref: string },
): Promise<Workspace> {
  const repo = store.repo;
  const w = await reserve(store, async () => ({
    branch: null,
    base: null,
    run: opts.run ?? null,
    state: opts.run ? 'busy' : 'free',
    created_at: opts.at,
    source: 'gh',
    ref: opts.ref,
    own_branch: false,
  }));
  return created(store, w, async () => {
    mkdirSync(dirname(w.path), { recursive: true });
    const outside = inFolder(repo, dirname(w.path));
    await gh(outside, ['repo', 'clone', `${owner}/${name}`, w.path]);
    if (!existsSync(w.path)) throw new RefusedError(`'gh repo clone' made no folder '${w.path}'`);
    if (pr !== null) await gh(inFolder(repo, w.path), ['pr', 'checkout', String(pr)]);
    const base = await resolveCommitish({ ...repo, ...inFolder(repo, w.path) }, 'HEAD');
    return { branch: await checkedOutBranch(repo, w.path), base };
  });
}

/** The main checkout as workspace #0. */
async function mainWorkspace(store: Store): Promise<Workspace | null> {
  const top = mainCheckout(store.repo);
  if (!top) return null;
  return {
    n: 0,
    path: top,
    branch: await checkedOutBranch(store.repo, top),
    base: null,
    run: null,
    state: 'free',
    created_at: null,
    source: 'main',
    ref: null,
    own_branch: false,
  };
}

async function view(store: Store, w: Workspace): Promise<WorkspaceView> {
  const exists = existsSync(w.path);
  return { ...w, exists, dirty: exists ? await hasUncommittedWork(store.repo, w.path) : null };
}

/** Every workspace, #0 (the main checkout) first, with whether its folder exists and has uncommitted work. */
export async function listWorkspaces(store: Store): Promise<WorkspaceView[]> {
  const main = await mainWorkspace(store);
  const reg = snapshotRegistry(store.repo).workspaces;
  const all = [...(main ? [main] : []), ...reg.sort((a, b) => (a.n ?? 0) - (b.n ?? 0))];
  return Promise.all(all.map((w) => view(store, w)));
}

/** Workspace n (0 = the main checkout); NotFoundError when unknown. */
export async function getWorkspace(store: Store, n: number): Promise<WorkspaceView> {
  if (n === 0) {
    const main = await mainWorkspace(store);
    if (!main) throw new NotFoundError('no workspace #0 (a bare repository has no main checkout)');
    return view(store, main);
  }
  const w = snapshotRegistry(store.repo).workspaces.find((x) => x.n === n);
  if (!w) throw new NotFoundError(`no workspace #${n} (try 'sase ws list')`);
  return view(store, w);
}

/** Records which run holds workspace n and its state (for runs: busy while running, finished after). */
export async function setWorkspaceHolder(
  store: Store,
  n: number,
  update: { run?: string | null; state?: WorkspaceState },
): Promise<Workspace> {
  return withRegistry(store, (reg) => {
    const w = reg.workspaces.find((x) => x.n === n);
    if (!w) throw new NotFoundError(`no workspace #${n}`);
    if (update.run !== undefined) w.run = update.run;
    if (update.state !== undefined) w.state = update.state;
    return { ...w };
  });
}

/**
 * Hands workspace n to a run: refused when another run holds it (unless
 * `from` is that run, as a retry takes over its attempt's workspace). A
 * checkout left behind by its branch moving from outside (a rebase) is
 * brought up to the branch first, so that the run's commits do not undo the
 * move; refused, with nothing changed, when its local changes clash.
 */
export async function holdWorkspace(
  store: Store,
  n: number,
  run: string,
  from: string | null = null,
): Promise<Workspace> {
  return withRegistry(store, async (reg) => {
    const w = reg.workspaces.find((x) => x.n === n);
    if (!w) throw new NotFoundError(`no workspace #${n} (try 'sase ws list')`);
    if (w.state === 'busy' && w.run && w.run !== run && w.run !== from)
      throw new RefusedError(`workspace #${n} is held by run '${w.run}'`);
    if (w.branch && existsSync(w.path) && (await catchUpCheckout(store.repo, w.path, w.branch)) === 'clash') {
      throw new RefusedError(
        `workspace #${n} is behind its branch '${w.branch}' (moved since) and its uncommitted changes clash with the new commits; commit or drop them there first`,
      );
    }
    w.run = run;
    w.state = 'busy';
    return { ...w };
  });
}

/** The registered workspace with `branch` checked out that no run holds, if there is one. */
export function freeWorkspaceOnBranch(store: Store, branch: string): Workspace | null {
  return (
    snapshotRegistry(store.repo).workspaces.find(
      (w) => w.branch === branch && w.n !== null && w.state !== 'busy' && !w.creating && existsSync(w.path),
    ) ?? null
  );
}

/** Resolves a workspace reference, making a new workspace for `#git:`, `#cs:` and `#gh:`. */
export async function resolveWorkspace(
  store: Store,
  text: string,
  opts: { cwd: string; at: string; run?: string | null },
): Promise<WorkspaceView> {
  const ref: WorkspaceRef = parseWorkspaceRef(text);
  switch (ref.kind) {
    case 'number':
      return getWorkspace(store, ref.n);
    case 'cd': {
      const abs = resolve(opts.cwd, ref.path);
      let real: string;
      try {
        real = realpathSync(abs);
        if (!statSync(real).isDirectory()) throw new Error('not a folder');
      } catch {
        throw new NotFoundError(`no folder '${ref.path}'`);
      }
      const known = snapshotRegistry(store.repo).workspaces.find((w) => w.path === real || w.path === abs);
      if (known) return view(store, known);
      const main = await mainWorkspace(store);
      if (main && main.path === real) return view(store, main);
      return view(store, {
        n: null,
        path: real,
        branch: await checkedOutBranch(store.repo, real),
        base: null,
        run: null,
        state: null,
        created_at: null,
        source: 'cd',
        ref: text,
        own_branch: false,
      });
    }
    case 'git':
      return view(
        store,
        await newWorkspace(store, { base: ref.ref, at: opts.at, run: opts.run, source: 'git', ref: text }),
      );
    case 'cs':
      return view(
        store,
        await branchWorkspace(store, changeBranch(ref.name), { at: opts.at, run: opts.run, source: 'cs', ref: text }),
      );
    case 'gh':
      return view(
        store,
        await githubWorkspace(store, ref.owner, ref.repo, ref.pr, { at: opts.at, run: opts.run, ref: text }),
      );
  }
}

export interface CleanOptions {
  /** told each repair of what a killed command left (not on a dry run) */
  said?: (line: string) => void;
  numbers?: number[];
  finished?: boolean;
  /** created before this time (ms since the epoch) */
  before?: number;
  olderThan?: string;
  dryRun?: boolean;
  force?: boolean;
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

// ---- what killed commands leave ---------------------------------------------------

/** A workspace whose creation was interrupted, and what settling it does. */
export interface InterruptedWorkspace {
  w: Workspace;
  /** the process that was making it, gone */
  pid: number;
  /** what it holds that removing it would lose ('uncommitted changes'): then it is kept, as a free workspace */
  work: string | null;
  /** its own branch, deleted with it (no commits of its own) */
  dropBranch: string | null;
  /** why its own branch is kept, when it is */
  keptBranch: string | null;
}

async function inspectInterrupted(store: Store, w: Workspace, trees: WorktreeEntry[]): Promise<InterruptedWorkspace> {
  const repo = store.repo;
  const exists = existsSync(w.path);
  const real = exists ? realpathSync(w.path) : w.path;
  const tree = trees.find((t) => t.path === w.path || t.path === real);
  // a checkout git finished (no longer locked 'initializing'), or a clone: what is in it may be somebody's work;
  // a half-made one holds nothing but part of the checkout of its base
  const whole = exists && (w.source === 'gh' || (!!tree && tree.locked === null));
  let work: string | null = null;
  if (whole) {
    if (await hasUncommittedWork(repo, w.path)) work = 'uncommitted changes';
    else {
      const only = await commitsOnlyHere(repo, w.path, w.own_branch ? w.branch : null, w.source === 'gh');
      if (only > 0) work = `${plural(only, 'commit')} on no other branch`;
    }
  }
  let dropBranch: string | null = null;
  let keptBranch: string | null = null;
  if (!work && w.own_branch && w.branch && (await branchExists(repo, w.branch))) {
    const only = await commitsOnlyOn(repo, w.branch);
    if (only === 0) dropBranch = w.branch;
    else keptBranch = `its branch '${w.branch}' is kept (${plural(only, 'commit')} on no other branch)`;
  }
  return { w, pid: w.creating!.pid, work, dropBranch, keptBranch };
}

/**
 * The half-written worktree entries (see git/workspaces) of creations whose
 * process is gone: its entry names the workspace's .git, or git named it
 * after the workspace's folder before it wrote more. Nobody else's.
 */
export function brokenEntriesOfInterrupted(store: Store): HalfWrittenEntry[] {
  const gone = snapshotRegistry(store.repo).workspaces.filter((w) => w.n !== null && interrupted(w));
  if (!gone.length) return [];
  return halfWrittenEntries(store.repo).filter((e) =>
    gone.some((w) =>
      e.gitdir !== null
        ? e.gitdir === join(w.path, '.git')
        : new RegExp(`^${basename(w.path)}\\d*$`).test(basename(e.dir)),
    ),
  );
}

/** Removes the entries brokenEntriesOfInterrupted finds, so that git reads its worktrees again; returns them. */
export function dropBrokenEntries(store: Store): HalfWrittenEntry[] {
  const broken = brokenEntriesOfInterrupted(store);
  for (const e of broken) removeWorktreeEntry(e);
  return broken;
}

/** What fsck says of one. */
export function brokenEntryMessage(e: HalfWrittenEntry): string {
  return `the worktree entry '${e.dir}' is half-written (an interrupted 'sase ws new' killed 'git worktree add' part way), and git reads no worktree while it is there: 'sase doctor --fix' or 'sase ws clean' removes it`;
}

/** The numbered workspaces marked as being created by a process that is gone, by number. */
export async function interruptedWorkspaces(store: Store): Promise<InterruptedWorkspace[]> {
  const found = snapshotRegistry(store.repo)
    .workspaces.filter((w) => w.n !== null && interrupted(w))
    .sort((a, b) => a.n! - b.n!);
  if (!found.length) return [];
  const trees = await listWorktrees(store.repo);
  return Promise.all(found.map((w) => inspectInterrupted(store, w, trees)));
}

/** What fsck says of one: what it is, and what repairs it. */
export function interruptedMessage(i: InterruptedWorkspace): string {
  const what = i.w.run ? `run '${i.w.run}', interrupted while it made its workspace` : "an interrupted 'sase ws new'";
  const head = `workspace #${i.w.n} ('${i.w.path}') was being created by process ${i.pid}, which is gone (${what})`;
  if (i.work)
    return `${head}: 'sase doctor --fix' or 'sase ws clean' keeps it as a free workspace (it holds ${i.work})`;
  return `${head}: 'sase doctor --fix' or 'sase ws clean' removes it${i.dropBranch ? `, and its branch '${i.dropBranch}'` : ''}${i.keptBranch ? `; ${i.keptBranch}` : ''}`;
}

export interface Settled {
  n: number;
  path: string;
  /** removed; kept as a free workspace (it holds work); or failed (it could not be removed) */
  action: 'removed' | 'kept' | 'failed';
  reason: string;
  /** one line saying what was done */
  said: string;
}

/**
 * Settles every interrupted creation: the workspace is removed (its worktree,
 * whole or half-made, and its own branch when that has no commits of its
 * own) and forgotten; one that holds work is kept as a free workspace.
 */
export async function settleInterrupted(store: Store, dryRun = false): Promise<Settled[]> {
  const out: Settled[] = [];
  // git reads no worktree while a half-written entry is there
  if (!dryRun) dropBrokenEntries(store);
  for (const i of await interruptedWorkspaces(store)) {
    const { w, pid } = i;
    const n = w.n!;
    const where = `workspace #${n} ('${w.path}')`;
    const reason = `creation interrupted (process ${pid} is gone)`;
    const mine = (x: Workspace) => x.n === w.n && x.path === w.path && x.creating?.pid === pid;
    if (i.work) {
      if (!dryRun)
        await withRegistry(store, (reg) => {
          for (const x of reg.workspaces) if (mine(x)) delete x.creating;
        });
      out.push({
        n,
        path: w.path,
        action: 'kept',
        reason: `${reason}; it holds ${i.work}, kept as a free workspace`,
        said: `kept ${where} as a free workspace: its creation was interrupted, but it holds ${i.work}`,
      });
      continue;
    }
    if (!dryRun) {
      const problem = await removeWorktree(store.repo, w.path);
      if (problem) {
        out.push({ n, path: w.path, action: 'failed', reason: problem, said: `could not remove ${where}: ${problem}` });
        continue;
      }
      if (i.dropBranch) await deleteBranch(store.repo, i.dropBranch);
      await withRegistry(store, (reg) => {
        reg.workspaces = reg.workspaces.filter((x) => !mine(x));
      });
    }
    out.push({
      n,
      path: w.path,
      action: 'removed',
      reason,
      said: `removed ${where}${i.dropBranch ? ` and its branch '${i.dropBranch}'` : ''}: its creation was interrupted${i.keptBranch ? `; ${i.keptBranch}` : ''}`,
    });
  }
  return out;
}

export interface StaleFile {
  path: string;
  what: 'lock' | 'temporary file';
  /** the process that left it, gone; null for a lock that names none */
  pid: number | null;
}

/** The registry's lock and temporary files left by processes that are gone. */
export function staleRegistryFiles(store: Store): StaleFile[] {
  const file = registryPath(store.repo);
  const dir = dirname(file);
  const name = basename(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: StaleFile[] = [];
  for (const entry of names.sort()) {
    const path = join(dir, entry);
    if (entry === `${name}.lock`) {
      const holder = lockHolder(path);
      let age = 0;
      try {
        age = store.clock.wallMs() - statSync(path).mtimeMs;
      } catch {
        continue;
      }
      if (holder !== null ? gone(holder) : age > LOCK_STALE_MS) out.push({ path, what: 'lock', pid: holder });
      continue;
    }
    // writeFileAtomic's, tryLock's and dropStaleLock's own files
    const m = /^(?:\.lock)?\.(?:tmp|stale)-(\d{1,10})(?:-\d+)?$/.exec(entry.slice(name.length));
    if (entry.startsWith(name) && m && gone(Number(m[1])))
      out.push({ path, what: 'temporary file', pid: Number(m[1]) });
  }
  return out;
}

/** What fsck says of one. */
export function staleFileMessage(f: StaleFile): string {
  if (f.what === 'temporary file')
    return `'${f.path}' is a temporary file of process ${f.pid}, which is gone: 'sase doctor --fix' removes it`;
  return f.pid !== null
    ? `the workspace registry lock '${f.path}' is held by process ${f.pid}, which is gone: 'sase doctor --fix' removes it`
    : `the workspace registry lock '${f.path}' names no process and is older than ${LOCK_STALE_MS / 1000} s: 'sase doctor --fix' removes it`;
}

/** Removes the stale registry files; one line a file saying what was done. */
export function removeStaleRegistryFiles(store: Store): string[] {
  const said: string[] = [];
  for (const f of staleRegistryFiles(store)) {
    if (f.what === 'lock') {
      if (dropStaleLock(f.path, f.pid)) said.push(`removed the stale lock '${f.path}'`);
      continue;
    }
    try {
      unlinkSync(f.path);
      said.push(`removed the stale temporary file '${f.path}'`);
    } catch {
      // removed meanwhile
    }
  }
  return said;
}

/**
 * Removes the selected workspaces (the named ones; else those --finished or
 * --older-than select; else every one no run holds) and forgets entries whose
 * folder is gone. A workspace with uncommitted work, commits no other branch
 * holds, or a run holding it is kept unless forced; a forced removal keeps a
 * branch with commits found nowhere else.
 */
export async function cleanWorkspaces(store: Store, opts: CleanOptions): Promise<CleanResult[]> {
  const repo = store.repo;
  const cleanable = () => snapshotRegistry(repo).workspaces.filter((w) => w.n !== null && !beingCreated(w));
  let reg = cleanable();
  const named = new Set(opts.numbers ?? []);
  for (const n of named) {
    if (n === 0) throw new RefusedError('workspace #0 is the main checkout; it is never cleaned');
    if (!reg.some((w) => w.n === n)) throw new NotFoundError(`no workspace #${n} (try 'sase ws list')`);
  }
  const results: CleanResult[] = [];
  // creations that were interrupted are settled whatever is selected, as entries whose folder is gone are
  const settled = await settleInterrupted(store, opts.dryRun);
  for (const x of settled) {
    if (!opts.dryRun) opts.said?.(x.said);
    if (x.action === 'kept') continue; // a free workspace now, cleaned (or not) as any other
    results.push({
      n: x.n,
      path: x.path,
      action: x.action === 'removed' ? 'removed' : 'kept',
      reason: x.reason,
      named: named.has(x.n),
    });
  }
  const done = new Set(settled.filter((x) => x.action !== 'kept').map((x) => x.n));
  reg = (opts.dryRun ? reg : cleanable()).filter((w) => !done.has(w.n!));
  const gone: Workspace[] = [];
  const remove: Array<{ w: Workspace; dropBranch: boolean }> = [];
  for (const w of reg) {
    const n = w.n!;
    const isNamed = named.has(n);
    if (!existsSync(w.path)) {
      results.push({ n, path: w.path, action: 'removed', reason: 'folder gone', named: isNamed });
      gone.push(w);
      continue;
    }
    let why: string;
    if (named.size) {
      if (!isNamed) continue;
      why = 'requested';
    } else if (opts.finished || opts.before !== undefined) {
      if (opts.finished && w.state !== 'finished') continue;
      if (opts.before !== undefined && !(w.created_at && Date.parse(w.created_at) < opts.before)) continue;
      why = [opts.finished ? 'finished' : '', opts.before !== undefined ? `older than ${opts.olderThan}` : '']
        .filter(Boolean)
        .join(', ');
    } else {
      if (w.state === 'busy') continue;
      why = w.state ?? 'free';
    }
    const problems: string[] = [];
    if (w.state === 'busy') problems.push(`held by run '${w.run ?? '?'}'`);
    const dirty = await hasUncommittedWork(repo, w.path);
    if (dirty) problems.push('uncommitted changes');
    const only = await commitsOnlyHere(repo, w.path, w.own_branch ? w.branch : null, w.source === 'gh');
    if (only > 0) problems.push(`${plural(only, 'commit')} on no other branch`);
    if (problems.length && !opts.force) {
      results.push({ n, path: w.path, action: 'kept', reason: problems.join(', '), named: isNamed });
      continue;
    }
    const dropBranch = w.own_branch && !!w.branch && only === 0;
    const keptBranch = w.own_branch && w.branch && only > 0 ? `; branch '${w.branch}' kept` : '';
    results.push({
      n,
      path: w.path,
      action: 'removed',
      reason: problems.length ? `forced (${problems.join(', ')})${keptBranch}` : why,
      named: isNamed,
    });
    remove.push({ w, dropBranch });
  }
  if (opts.dryRun) return results;
  for (const { w, dropBranch } of remove) {
    const problem = await removeWorktree(repo, w.path);
    if (problem) throw new FatalError(problem);
    if (dropBranch) await deleteBranch(repo, w.branch!);
  }
  if (gone.length) await pruneWorktrees(repo);
  const dropped = [...gone, ...remove.map((r) => r.w)];
  if (dropped.length) {
    await withRegistry(store, (r) => {
      r.workspaces = r.workspaces.filter(
        (x) => !dropped.some((d) => d.n === x.n && d.path === x.path && d.created_at === x.created_at),
      );
    });
  }
  return results;
}
