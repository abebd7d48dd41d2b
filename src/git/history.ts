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

/** Commits reachable from `ref`, newest first (or oldest first with `reverse`). */
export async function listCommits(repo: Repo, ref: string, opts: { reverse?: boolean; max?: number } = {}): Promise<CommitInfo[]> {
  const args = ['log', '--format=%H%x00%P%x00%T%x00%an%x00%ae%x00%aI%x00%B%x1e', '--no-color'];
  if (opts.reverse) args.push('--reverse');
  if (opts.max !== undefined) args.push(`--max-count=${opts.max}`);
  args.push(ref, '--');
  const out = (await git(repo, args)).stdout;
  const commits: CommitInfo[] = [];
  for (const rec of out.split('\x1e')) {
    const text = rec.replace(/^\n/, '');
    if (!text) continue;
    const [oid, parents, tree, authorName, authorEmail, date, message] = text.split('\0');
    commits.push({
      oid: oid!,
      parents: parents ? parents.split(' ') : [],
      tree: tree!,
      authorName: authorName!,
      authorEmail: authorEmail!,
      date: date!,
      message: message ?? '',
    });
  }
  return commits;
}

export interface TreeChange {
  path: string;
  /** the new blob, or null when the path was deleted */
  oid: string | null;
}

/** Blob-level changes between two commits or trees (recursive). */
export async function diffTrees(repo: Repo, from: string, to: string): Promise<TreeChange[]> {
  const out = (await git(repo, ['diff-tree', '-r', '-z', '--no-renames', from, to])).stdout;
  const fields = out.split('\0');
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!.split(' ');
    const status = meta[4];
    changes.push({ path: fields[i + 1]!, oid: status === 'D' ? null : meta[3]! });
  }
  return changes;
}

export interface TreeFile {
  path: string;
  oid: string;
}

/** Every blob below `prefix` in a tree, with its id. */
export async function listTreeFiles(repo: Repo, treeish: string, prefix?: string): Promise<TreeFile[]> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', treeish];
  if (prefix) args.push('--', prefix);
  const out = (await git(repo, args, { okCodes: [128] })).stdout;
  const files: TreeFile[] = [];
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [, type, oid] = rec.slice(0, tab).split(' ');
    if (type === 'blob') files.push({ path: rec.slice(tab + 1), oid: oid! });
  }
  return files;
}
