// Finding the repository and reading refs cheaply: the common layouts are
// read from the file system (no process), anything else is asked of `git
// rev-parse`; refs are read from the files git keeps them in, with git itself
// as the fallback for layouts we do not parse (reftable).
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type GitEnv, GitError, git, gitStarted } from './exec.ts';

export interface Repo extends GitEnv {
  /** $GIT_DIR of this worktree */
  gitDir: string;
  /** the directory shared by all worktrees (refs, objects) */
  commonDir: string;
  /** the top of the work tree, or null in a bare repository */
  topLevel: string | null;
  objectFormat: 'sha1' | 'sha256';
}

export class NotARepoError extends Error {}

/**
 * Finds the repository. The common layouts (a work tree with a .git folder,
 * or a linked worktree's .git file) are read from the file system, sparing
 * every command a process; anything else is left to `git rev-parse`.
 */
export async function openRepo(ctx: GitEnv): Promise<Repo> {
  return findRepoInFiles(ctx) ?? askGit(ctx);
}

// any of these changes how git finds the repository
const DISCOVERY_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_OBJECT_DIRECTORY',
];

function isGitDir(dir: string): boolean {
  return existsSync(join(dir, 'HEAD')) && (existsSync(join(dir, 'objects')) || existsSync(join(dir, 'commondir')));
}

function findRepoInFiles(ctx: GitEnv): Repo | null {
  if (DISCOVERY_ENV.some((k) => ctx.env[k] !== undefined)) return null;
  let dir: string;
  try {
    dir = realpathSync(ctx.cwd);
  } catch {
    return null;
  }
  // inside a git directory itself, or a bare repository: git's rules are subtler
  if (/(^|\/)\.git(\/|$)/.test(dir) || isGitDir(dir)) return null;
  for (;;) {
    const dotgit = join(dir, '.git');
    let gitDir: string | null = null;
    try {
      const text = readFileSync(dotgit, 'utf8'); // a linked worktree: "gitdir: <path>"
      const m = /^gitdir: (.+)$/m.exec(text);
      if (!m) return null;
      gitDir = resolve(dir, m[1]!.trim());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EISDIR') gitDir = dotgit;
      else if (code !== 'ENOENT' && code !== 'ENOTDIR') return null;
    }
    if (gitDir) {
      if (!isGitDir(gitDir)) return null;
      let commonDir = gitDir;
      try {
        commonDir = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
      } catch {
        // not a linked worktree: its own common dir
      }
      let config = '';
      try {
        config = readFileSync(join(commonDir, 'config'), 'utf8');
      } catch {
        return null;
      }
      if (/^\s*bare\s*=\s*true/im.test(config)) return null;
      const sha256 = /^\s*objectformat\s*=\s*sha256/im.test(config);
      return { ...ctx, gitDir, commonDir, objectFormat: sha256 ? 'sha256' : 'sha1', topLevel: dir };
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

async function askGit(ctx: GitEnv): Promise<Repo> {
  let out: string;
  try {
    out =
      // not --show-toplevel: it fails outside a work tree (a bare repository);
      // --show-cdup prints nothing there
      (
        await git(
          ctx,
          [
            'rev-parse',
            '--absolute-git-dir',
            '--git-common-dir',
            '--show-object-format',
            '--is-bare-repository',
            '--is-inside-work-tree',
            '--show-cdup',
          ],
          {
            okCodes: [],
          },
        )
      ).stdout;
  } catch (err) {
    if (err instanceof GitError) throw new NotARepoError('not a git repository (or any of the parent directories)');
    throw err;
  }
  const [gitDir, common, format, bare, inside, cdup] = out.split('\n');
  const commonDir = isAbsolute(common!) ? common! : resolve(ctx.cwd, common!);
  return {
    ...ctx,
    gitDir: gitDir!,
    commonDir,
    objectFormat: format === 'sha256' ? 'sha256' : 'sha1',
    // the real path, as --show-toplevel gives it
    topLevel: bare === 'true' || inside !== 'true' ? null : realpathSync(resolve(ctx.cwd, cdup ?? '')),
  };
}

/** A path in sase's machine-local folder, $GIT_COMMON_DIR/sase/: never shared, always rebuildable from the ref. */
export function localPath(repo: Pick<Repo, 'commonDir'>, ...parts: string[]): string {
  return join(repo.commonDir, 'sase', ...parts);
}

/** A folder in sase's machine-local folder, made if it is not there (it may have been deleted: it is only a cache). */
export function localDir(repo: Pick<Repo, 'commonDir'>, ...parts: string[]): string {
  const dir = localPath(repo, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function zeroOid(repo: Repo): string {
  return '0'.repeat(repo.objectFormat === 'sha256' ? 64 : 40);
}

/** The commit a ref points to, or null when it does not exist. */
export async function readRef(repo: Repo, ref: string): Promise<string | null> {
  const fast = readRefFromFiles(repo, ref);
  if (fast !== undefined) return fast;
  const res = await git(repo, ['rev-parse', '--verify', '-q', ref + '^{commit}'], { okCodes: [1] });
  return res.exitCode === 0 ? res.stdout.trim() : null;
}

const oidPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

// undefined = could not tell from the files; ask git.
function readRefFromFiles(repo: Repo, ref: string): string | null | undefined {
  if (existsSync(join(repo.commonDir, 'reftable'))) return undefined;
  try {
    const loose = readFileSync(join(repo.commonDir, ref), 'utf8').trim();
    return oidPattern.test(loose) ? loose : undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
  }
  let packed: string;
  try {
    packed = readFileSync(join(repo.commonDir, 'packed-refs'), 'utf8');
  } catch {
    return null;
  }
  const needle = ' ' + ref + '\n';
  const at = packed.indexOf(needle);
  if (at < 0) return packed.endsWith(' ' + ref) ? undefined : null;
  const lineStart = packed.lastIndexOf('\n', at) + 1;
  const oid = packed.slice(lineStart, at);
  return oidPattern.test(oid) ? oid : undefined;
}

export interface RefUpdate {
  ref: string;
  /** null deletes the ref */
  newOid: string | null;
  /** null: the ref must not exist yet */
  oldOid: string | null;
}

/** A stale old value: another writer moved the ref first. */
export class RefConflictError extends Error {}

/** The ref's lock file exists: another git is writing it, or one was killed while it did. */
export class RefLockedError extends RefConflictError {
  constructor(
    message: string,
    readonly lockPath: string,
  ) {
    super(message);
  }
}

/**
 * Moves refs in one transaction, each only if it still has its old value
 * (compare-and-swap). Reflogs are created so a bad write can be undone.
 */
export async function updateRefs(repo: Repo, updates: RefUpdate[], message: string): Promise<void> {
  await startRefUpdate(repo, message).run(updates);
}

export interface PendingRefUpdate {
  /** moves the refs (see updateRefs) */
  run(updates: RefUpdate[]): Promise<void>;
  /** lets the process end with nothing moved */
  cancel(): void;
}

/**
 * A `git update-ref --stdin` started now and told its updates later (once):
 * its start-up overlaps the caller's work on the change.
 */
export function startRefUpdate(repo: Repo, message: string): PendingRefUpdate {
  const zero = zeroOid(repo);
  const proc = gitStarted(repo, ['update-ref', '--create-reflog', '-m', message.split('\n')[0]!, '--stdin']);
  return {
    async run(updates) {
      const lines = updates.map((u) =>
        u.newOid === null
          ? `delete ${u.ref} ${u.oldOid ?? ''}`.trimEnd()
          : `update ${u.ref} ${u.newOid} ${u.oldOid ?? zero}`,
      );
      const res = await proc.finish(lines.join('\n') + '\n');
      if (res.exitCode !== 0) throw refUpdateFailure('update-ref', res.exitCode, res.stderr);
    },
    cancel() {
      void proc.finish('');
    },
  };
}

/** What a failed ref update means: another writer (retry), a left-over lock, or a real failure. */
export function refUpdateFailure(command: string, exitCode: number, stderr: string): Error {
  const locked = /Unable to create '([^']+\.lock)': File exists/.exec(stderr);
  if (locked) return new RefLockedError(stderr.trim(), locked[1]!);
  if (
    /is at .* but expected|reference already exists|unable to resolve reference|cannot lock ref|but expected|Not updating/.test(
      stderr,
    )
  ) {
    return new RefConflictError(stderr.trim());
  }
  return new GitError([command], exitCode, stderr);
}

/** Creates an empty repository (for throw-away demos and fixtures). */
export async function initRepository(ctx: GitEnv, dir: string): Promise<void> {
  await git(ctx, ['init', '-q', '-b', 'main', dir]);
}
