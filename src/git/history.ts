// Reading history and differences: the commit chain of a ref, what changed
// between two trees, and the full listing of a tree.
import { git } from './exec.ts';
import type { Repo } from './repo.ts';

export interface CommitInfo {
  oid: string;
  parents: string[];
  tree: string;
  authorName: string;
  authorEmail: string;
  date: string;
  message: string;
}

/** The fields of --format=%H%x00%P%x00%T%x00%an%x00%ae%x00%aI%x00%B, split at the NULs. */
function commitInfo(fields: Array<string | undefined>): CommitInfo {
  const [oid, parents, tree, authorName, authorEmail, date, message] = fields;
  return {
    oid: oid!,
    parents: parents ? parents.split(' ') : [],
    tree: tree!,
    authorName: authorName!,
    authorEmail: authorEmail!,
    date: date!,
    message: message ?? '',
  };
}

/** Commits reachable from `ref`, newest first (or oldest first with `reverse`). */
export async function listCommits(
  repo: Repo,
  ref: string,
  opts: { reverse?: boolean; max?: number } = {},
): Promise<CommitInfo[]> {
  const args = ['log', '--format=%H%x00%P%x00%T%x00%an%x00%ae%x00%aI%x00%B%x1e', '--no-color'];
  if (opts.reverse) args.push('--reverse');
  if (opts.max !== undefined) args.push(`--max-count=${opts.max}`);
  args.push(ref, '--');
  const out = (await git(repo, args)).stdout;
  const commits: CommitInfo[] = [];
  for (const rec of out.split('\x1e')) {
    const text = rec.replace(/^\n/, '');
    if (!text) continue;
    commits.push(commitInfo(text.split('\0')));
  }
  return commits;
}

/** How many commits `rev` reaches (an operation log's length). */
export async function countCommits(repo: Repo, rev: string): Promise<number> {
  return Number((await git(repo, ['rev-list', '--count', rev, '--'])).stdout.trim()) || 0;
}

export interface TreeChange {
  path: string;
  /** the new blob, or null when the path was deleted */
  oid: string | null;
  /** its new mode (100644, 160000, ...), or null when deleted */
  mode: string | null;
}

/** Blob-level changes between two commits or trees (recursive). */
export async function diffTrees(repo: Repo, from: string, to: string): Promise<TreeChange[]> {
  const out = (await git(repo, ['diff-tree', '-r', '-z', '--no-renames', from, to])).stdout;
  const fields = out.split('\0');
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!.split(' ');
    const status = meta[4];
    const deleted = status === 'D';
    changes.push({ path: fields[i + 1]!, oid: deleted ? null : meta[3]!, mode: deleted ? null : meta[1]! });
  }
  return changes;
}

export interface TreeFile {
  path: string;
  oid: string;
  /** 100644, 100755, 120000 (a link) or 160000 (a submodule's commit) */
  mode: string;
}

/** Every file below `prefix` in a tree (blobs, and the commits of submodule links), with its id and mode. */
export async function listTreeFiles(repo: Repo, treeish: string, prefix?: string): Promise<TreeFile[]> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', treeish];
  if (prefix) args.push('--', prefix);
  const out = (await git(repo, args, { okCodes: [128] })).stdout;
  const files: TreeFile[] = [];
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    if (type === 'blob' || type === 'commit') files.push({ path: rec.slice(tab + 1), oid: oid!, mode: mode! });
  }
  return files;
}

export interface PathCommit extends CommitInfo {
  /** the paths under the pathspecs this commit changed, with their new blobs */
  changes: TreeChange[];
}

/** The empty tree's id: what a first version is compared with. */
export function emptyTree(repo: Repo): string {
  return repo.objectFormat === 'sha256'
    ? '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321'
    : '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
}

/**
 * The commits of `ref` that changed files under `paths`, newest first, each
 * with the files it changed there and their new blob ids: one git process
 * however long the history.
 */
export async function listPathCommits(repo: Repo, ref: string, paths: string[]): Promise<PathCommit[]> {
  const args = [
    'log',
    '--format=%x1e%H%x00%P%x00%T%x00%an%x00%ae%x00%aI%x00%B%x00',
    '--raw',
    '--no-abbrev',
    '-z',
    '--no-renames',
    '--root',
    '--no-color',
    ref,
    '--',
    ...paths,
  ];
  const tokens = (await git(repo, args)).stdout.split('\0');
  // Read token by token: a header starts with \x1e and has 7 fields; each raw
  // change is ':<modes> <oids> <status>' then its path (no token holds a NUL)
  const commits: PathCommit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const head = tokens[i]!;
    if (!head.startsWith('\x1e')) {
      i++;
      continue;
    }
    const c: PathCommit = { ...commitInfo([head.slice(1), ...tokens.slice(i + 1, i + 7)]), changes: [] };
    i += 7;
    while (i < tokens.length && !tokens[i]!.startsWith('\x1e')) {
      const meta = tokens[i]!.replace(/^\n/, '');
      if (meta.startsWith(':') && i + 1 < tokens.length) {
        const fields = meta.split(' ');
        const deleted = fields[4]!.startsWith('D');
        c.changes.push({ path: tokens[i + 1]!, oid: deleted ? null : fields[3]!, mode: deleted ? null : fields[1]! });
        i += 2;
      } else i++;
    }
    commits.push(c);
  }
  return commits;
}

/** The unified diff of one path between two commits or trees (plain: no colour, no external diff, no textconv). */
export async function diffPath(repo: Repo, from: string, to: string, path: string): Promise<string> {
  return (
    await git(repo, [
      'diff-tree',
      '-p',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--no-renames',
      from,
      to,
      '--',
      path,
    ])
  ).stdout;
}
