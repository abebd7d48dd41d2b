// Branches and the code of a change: resolving revisions, creating and
// moving branches with compare-and-swap, listing a branch's own commits and
// what they change per file (renames split into a delete and an add).
import { rmSync } from 'node:fs';
import { git } from './exec.ts';
import { type Repo, readRef, updateRefs } from './repo.ts';

/** Longer than any revision git reads (a ref name is at most a path); never handed to git, which may not even start with it (E2BIG). */
const MAX_REVISION = 4096;

/** The commit a revision names, or null when it names none. */
export async function resolveCommitish(repo: Repo, rev: string): Promise<string | null> {
  if (rev.startsWith('-') || rev.length > MAX_REVISION) return null; // never an option, never megabytes
  const r = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
    okCodes: [1, 128],
  });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

export function branchRef(branch: string): string {
  return `refs/heads/${branch}`;
}

export function readBranch(repo: Repo, branch: string): Promise<string | null> {
  return readRef(repo, branchRef(branch));
}

/** Moves (or, with `oldOid` null, creates) a branch, only if it still holds `oldOid`. */
export function setBranch(
  repo: Repo,
  branch: string,
  newOid: string,
  oldOid: string | null,
  message: string,
): Promise<void> {
  return updateRefs(repo, [{ ref: branchRef(branch), newOid, oldOid }], message);
}

/** The local branches under `prefix` (e.g. 'sase/cs/'), by name, with the commit each points to. */
export async function listBranches(repo: Repo, prefix: string): Promise<Array<{ branch: string; tip: string }>> {
  const out = (await git(repo, ['for-each-ref', '--format=%(objectname) %(refname)', `refs/heads/${prefix}`])).stdout;
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf(' ');
      return { tip: l.slice(0, at), branch: l.slice(at + 1).replace(/^refs\/heads\//, '') };
    });
}

/**
 * How many commits of `branch` no other branch, tag or remote-tracking branch
 * holds: what deleting it would lose. 0 when it does not exist.
 */
export async function commitsOnlyOn(repo: Repo, branch: string): Promise<number> {
  const tip = await readBranch(repo, branch);
  if (!tip) return 0;
  // --exclude patterns for --branches are written without refs/heads/
  const r = await git(repo, [
    'rev-list',
    '--count',
    tip,
    '--not',
    `--exclude=${branch}`,
    '--branches',
    '--tags',
    '--remotes',
  ]);
  return Number(r.stdout.trim()) || 0;
}

export interface BranchCommit {
  sha: string;
  subject: string;
}

/**
 * Commits reachable from `tip` and not from `base`, oldest first: first
 * parents only, or with `all` every one (a merged-in branch's commits too,
 * parents before children).
 */
export async function commitsBetween(
  repo: Repo,
  base: string,
  tip: string,
  opts: { all?: boolean } = {},
): Promise<BranchCommit[]> {
  const walk = opts.all ? ['--topo-order'] : ['--first-parent'];
  const out = (
    await git(repo, ['log', '--reverse', ...walk, '--no-color', '--format=%H%x00%s', `${base}..${tip}`, '--'])
  ).stdout;
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [sha, subject] = l.split('\0');
      return { sha: sha!, subject: subject ?? '' };
    });
}

export async function mergeBase(repo: Repo, a: string, b: string): Promise<string | null> {
  const r = await git(repo, ['merge-base', a, b], { okCodes: [1] });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/** Whether `ancestor` is reachable from `descendant`. */
export async function isAncestor(repo: Repo, ancestor: string, descendant: string): Promise<boolean> {
  return (await git(repo, ['merge-base', '--is-ancestor', ancestor, descendant], { okCodes: [1] })).exitCode === 0;
}

export interface FileChange {
  /** A added, M modified, D deleted */
  status: 'A' | 'M' | 'D';
  path: string;
  added: number;
  removed: number;
}

/**
 * What changed per file from `base` to `tip`. Renames are not detected: a
 * moved file is a delete and an add, each with its lines. Binary files count 0.
 */
export async function fileChanges(repo: Repo, base: string, tip: string): Promise<FileChange[]> {
  const common = [
    '-c',
    'core.quotePath=false',
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-renames',
    '-z',
  ];
  const [status, numstat] = await Promise.all([
    git(repo, [...common, '--name-status', base, tip, '--']),
    git(repo, [...common, '--numstat', base, tip, '--']),
  ]);
  const counts = new Map<string, [number, number]>();
  for (const rec of numstat.stdout.split('\0')) {
    const [a, r, path] = rec.split('\t');
    if (path === undefined) continue;
    counts.set(path, [a === '-' ? 0 : Number(a), r === '-' ? 0 : Number(r)]);
  }
  const out: FileChange[] = [];
  const sf = status.stdout.split('\0');
  for (let i = 0; i + 1 < sf.length; i += 2) {
    const code = sf[i]!;
    const path = sf[i + 1]!;
    const [a, r] = counts.get(path) ?? [0, 0];
    out.push({ status: code === 'A' ? 'A' : code === 'D' ? 'D' : 'M', path, added: a, removed: r });
  }
  return out;
}

/**
 * Where `tip` left `branch`, as `git merge-base --fork-point` finds it: the
 * newest commit the branch has pointed at (its reflog) that `tip` contains,
 * so a branch rewritten since (a parent change rebased) still gives the old
 * base; the plain merge base when the reflog knows none.
 */
export async function forkPointOf(repo: Repo, branch: string, tip: string): Promise<string | null> {
  const r = await git(repo, ['merge-base', '--fork-point', branchRef(branch), tip], { okCodes: [1, 128] });
  if (r.exitCode === 0 && r.stdout.trim()) return r.stdout.trim();
  const head = await readBranch(repo, branch);
  return head ? mergeBase(repo, head, tip) : null;
}

/** Temporary index files this process made, for their names. */
let indexes = 0;

/**
 * Commits files on a branch without a work tree (a temporary index), and
 * moves the branch with compare-and-swap; creates the branch when it does
 * not exist. Returns the new commit. For the demo and other scripted work.
 */
export async function commitFilesOnBranch(
  repo: Repo,
  branch: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  const parent = await readBranch(repo, branch);
  const index = `${repo.gitDir}/sase-index-${process.pid}-${++indexes}`;
  const env = { GIT_INDEX_FILE: index };
  try {
    if (parent) await git(repo, ['read-tree', parent], { env });
    for (const [path, content] of Object.entries(files)) {
      const blob = (await git(repo, ['hash-object', '-w', '--stdin'], { input: content })).stdout.trim();
      await git(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env });
    }
    const tree = (await git(repo, ['write-tree'], { env })).stdout.trim();
    const commit = (
      await git(repo, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message])
    ).stdout.trim();
    await setBranch(repo, branch, commit, parent, `commit: ${message.split('\n')[0]}`);
    return commit;
  } finally {
    rmSync(index, { force: true });
  }
}
