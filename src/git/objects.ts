// Writing objects with git's plumbing: blobs through one `git fast-import`
// (loose objects for small writes, one pack for bulk ones), trees through one
// `git mktree --batch`, commits through `git commit-tree`. Object ids are also
// computed here, so a parent tree can name a child tree written in the same batch.
import { createHash } from 'node:crypto';
import { git, GitError } from './exec.ts';
import type { Repo } from './repo.ts';

export interface TreeEntry {
  mode: string; // '100644' | '40000' | '100755' | '120000' | '160000'
  name: string;
  oid: string;
}

export function hashObject(repo: Repo, type: string, data: Buffer): string {
  const h = createHash(repo.objectFormat === 'sha256' ? 'sha256' : 'sha1');
  h.update(`${type} ${data.length}\0`);
  h.update(data);
  return h.digest('hex');
}

export function parseTree(data: Buffer, oidBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(32, i);
    const nul = data.indexOf(0, sp);
    const mode = data.toString('latin1', i, sp);
    const name = data.toString('utf8', sp + 1, nul);
    const oid = data.toString('hex', nul + 1, nul + 1 + oidBytes);
    entries.push({ mode, name, oid });
    i = nul + 1 + oidBytes;
  }
  return entries;
}

// git orders tree entries by name, comparing a directory as if it ended in '/'.
function treeSortKey(e: TreeEntry): string {
  return e.mode === '40000' ? e.name + '/' : e.name;
}

export function sortTreeEntries(entries: TreeEntry[]): TreeEntry[] {
  return entries.sort((a, b) => {
    const ka = Buffer.from(treeSortKey(a));
    const kb = Buffer.from(treeSortKey(b));
    return Buffer.compare(ka, kb);
  });
}

export function serializeTree(entries: TreeEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of sortTreeEntries([...entries])) {
    parts.push(Buffer.from(`${e.mode} ${e.name}\0`, 'utf8'), Buffer.from(e.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

/** Writes blobs into the object store; returns their ids in order. */
export async function writeBlobs(repo: Repo, blobs: Buffer[]): Promise<string[]> {
  const oids = blobs.map((b) => hashObject(repo, 'blob', b));
  if (blobs.length === 0) return oids;
  if (blobs.length === 1) {
    // one blob (the common single-record write): hash-object starts faster than fast-import
    const oid = (await git(repo, ['hash-object', '-w', '--stdin'], { input: blobs[0]!.toString('utf8') })).stdout.trim();
    if (oid !== oids[0]) throw new GitError(['hash-object'], 0, `blob id mismatch: computed ${oids[0]}, git wrote ${oid}`);
    return oids;
  }
  const parts: string[] = [];
  for (const b of blobs) parts.push(`blob\ndata ${b.length}\n`, b.toString('utf8'), '\n');
  // fast-import keeps fewer than fastimport.unpackLimit (100) objects loose
  await git(repo, ['fast-import', '--quiet', '--done'], { input: parts.join('') + 'done\n' });
  return oids;
}

/** Writes trees given children first; returns their ids in order. */
export async function writeTrees(repo: Repo, trees: TreeEntry[][]): Promise<string[]> {
  const oids = trees.map((t) => hashObject(repo, 'tree', serializeTree(t)));
  if (trees.length === 0) return oids;
  const input = trees
    .map((t) => sortTreeEntries([...t]).map((e) => `${e.mode} ${e.mode === '40000' ? 'tree' : 'blob'} ${e.oid}\t${e.name}\n`).join('') + '\n')
    .join('');
  const out = (await git(repo, ['mktree', '--batch', '--missing'], { input })).stdout.split('\n').filter(Boolean);
  for (let i = 0; i < oids.length; i++) {
    if (out[i] !== oids[i]) throw new GitError(['mktree'], 0, `tree id mismatch: computed ${oids[i]}, git wrote ${out[i]}`);
  }
  return oids;
}

export interface Identity {
  name: string;
  email: string;
}

export async function commitTree(
  repo: Repo,
  tree: string,
  parents: string[],
  message: string,
  ident: Identity,
  date?: string,
): Promise<string> {
  const args = ['commit-tree', tree];
  for (const p of parents) args.push('-p', p);
  const env: Record<string, string> = {
    GIT_AUTHOR_NAME: ident.name,
    GIT_AUTHOR_EMAIL: ident.email,
    GIT_COMMITTER_NAME: ident.name,
    GIT_COMMITTER_EMAIL: ident.email,
  };
  if (date) {
    env.GIT_AUTHOR_DATE = date;
    env.GIT_COMMITTER_DATE = date;
  }
  return (await git(repo, args, { input: message, env })).stdout.trim();
}

/** Who is acting: git's configured author, or a stand-in when none is set. */
export async function authorIdentity(repo: Repo): Promise<Identity> {
  const name = repo.env.GIT_AUTHOR_NAME;
  const email = repo.env.GIT_AUTHOR_EMAIL;
  if (name && email) return { name, email };
  const res = await git(repo, ['var', 'GIT_AUTHOR_IDENT'], { okCodes: [128, 1] });
  const m = /^(.*) <(.*)> \d+ [+-]\d{4}$/.exec(res.stdout.trim());
  if (res.exitCode === 0 && m && m[2]) return { name: m[1] || m[2], email: m[2] };
  return { name: 'sase', email: 'sase@localhost' };
}
