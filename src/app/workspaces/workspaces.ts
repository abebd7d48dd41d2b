// The workspace registry, $GIT_COMMON_DIR/sase/workspaces.json: which numbered
// workspaces exist, where, on which branch, from which base, and which run
// holds them. Machine-local (never in the state ref). Every change is a
// read-modify-write under a lock file created with O_EXCL (taken over when
// older than 10 s), so concurrent `ws-new` never hand out one number twice.

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
import { resolveCommitish } from '../../git/branches.ts';
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
  hasUncommittedWork,
  inFolder,
  listWorktrees,
  pruneWorktrees,
  removeWorktree,
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
// a creation this old whose process is gone was interrupted
const CREATING_STALE_MS = 10 * 60_000;

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

/** Runs `fn` on the registry with the lock held; what `fn` leaves in it is written atomically. */
async function withRegistry<T>(store: Store, fn: (reg: Registry) => T | Promise<T>): Promise<T> {
  const { clock, random } = store;
  const file = registryPath(store.repo);
  const lock = `${file}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  const deadline = clock.ms() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let age = 0;
    try {
      age = clock.wallMs() - statSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    if (age > LOCK_STALE_MS) {
      // a holder killed while it held the lock: take it over (renamed first, so one taker wins)
      const aside = `${lock}.stale-${process.pid}`;
      try {
        renameSync(lock, aside);
        unlinkSync(aside);
      } catch {
        // another process took it over first
      }
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

function beingCreated(w: Workspace, wallMs: number): boolean {
  return (
    !!w.creating &&
    (processExists(w.creating.pid) || wallMs - w.creating.at < CREATING_STALE_MS) &&
    w.creating.pid !== process.pid
  );
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

/**
 * Removes the selected workspaces (the named ones; else those --finished or
 * --older-than select; else every one no run holds) and forgets entries whose
 * folder is gone. A workspace with uncommitted work, commits no other branch
 * holds, or a run holding it is kept unless forced; a forced removal keeps a
 * branch with commits found nowhere else.
 */
export async function cleanWorkspaces(store: Store, opts: CleanOptions): Promise<CleanResult[]> {
  const repo = store.repo;
  const reg = snapshotRegistry(repo).workspaces.filter((w) => w.n !== null && !beingCreated(w, store.clock.wallMs()));
  const named = new Set(opts.numbers ?? []);
  for (const n of named) {
    if (n === 0) throw new RefusedError('workspace #0 is the main checkout; it is never cleaned');
    if (!reg.some((w) => w.n === n)) throw new NotFoundError(`no workspace #${n} (try 'sase ws list')`);
  }
  const results: CleanResult[] = [];
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
