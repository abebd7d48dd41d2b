// Git notes with plumbing only: a notes ref is a chain of commits whose tree
// names each annotated commit by its id, flat (`<oid>`) or fanned out
// (`ab/cdef...`, as git does once a notes tree grows). Both layouts are read;
// a new note goes where git would look for it first. Also the reads of the
// commits that notes annotate (id, date, subject), through cat-file.

import { MAX_STATE_BLOB } from '../core/layout.ts';
import type { CatFile } from './catfile.ts';
import { listTreeFiles } from './history.ts';
import {
  hashObject,
  type Identity,
  loadHashing,
  type NewObject,
  parseTree,
  serializeCommit,
  serializeTree,
  type TreeEntry,
  writeObjects,
} from './objects.ts';
import { type Repo, readRef, updateRefs } from './repo.ts';

const HEX = /^[0-9a-f]+$/;
const DIR = '40000';

function oidLength(repo: Repo): number {
  return repo.objectFormat === 'sha256' ? 64 : 40;
}

/** Every note under a notes ref: the annotated commit and its blob (one `git ls-tree -r`). */
export async function listNotes(repo: Repo, ref: string): Promise<Array<{ commit: string; blob: string }>> {
  const tip = await readRef(repo, ref);
  if (!tip) return [];
  const out: Array<{ commit: string; blob: string }> = [];
  for (const f of await listTreeFiles(repo, tip)) {
    const commit = f.path.replace(/\//g, '');
    // other files may live in a notes tree; git ignores them too
    if (commit.length === oidLength(repo) && HEX.test(commit)) out.push({ commit, blob: f.oid });
  }
  return out;
}

/** A notes tree being edited: directories loaded on demand, rewritten bottom-up. */
class NotesTree {
  private dirs = new Map<string, TreeEntry[]>();
  private dirty = new Set<string>();

  constructor(
    private readonly repo: Repo,
    private readonly cat: CatFile,
    private readonly root: string | null,
  ) {}

  private async entries(dir: string, oid: string | null): Promise<TreeEntry[]> {
    let list = this.dirs.get(dir);
    if (!list) {
      list = [];
      if (oid) {
        const obj = await this.cat.read(oid);
        if (obj?.type !== 'tree') throw new Error(`notes: '${dir || '/'}' is not a tree`);
        list = parseTree(obj.data, oidLength(this.repo) / 2);
      }
      this.dirs.set(dir, list);
    }
    return list;
  }

  /**
   * Where the note of `commit` is (directory and name), and its blob; when it
   * has none, where a new one goes: inside a fan-out directory already there
   * for its first two characters, else at the level reached.
   */
  async locate(commit: string): Promise<{ dir: string; name: string; blob: string | null }> {
    let dir = '';
    let oid = this.root;
    let rest = commit;
    for (;;) {
      const list = await this.entries(dir, oid);
      const note = list.find((e) => e.mode !== DIR && e.name === rest);
      if (note) return { dir, name: rest, blob: note.oid };
      const sub = list.find((e) => e.mode === DIR && e.name.length === 2 && rest.startsWith(e.name) && rest.length > 2);
      if (!sub) {
        // a fanned-out level (its entries are two-character directories) takes a new note in one more
        const fanned = list.length > 0 && list.every((e) => e.mode === DIR && e.name.length === 2 && HEX.test(e.name));
        if (fanned && rest.length > 2) {
          const child = dir ? `${dir}/${rest.slice(0, 2)}` : rest.slice(0, 2);
          if (!this.dirs.has(child)) this.dirs.set(child, []);
          return { dir: child, name: rest.slice(2), blob: null };
        }
        return { dir, name: rest, blob: null };
      }
      dir = dir ? `${dir}/${sub.name}` : sub.name;
      oid = sub.oid;
      rest = rest.slice(2);
    }
  }

  set(dir: string, name: string, blob: string): void {
    const list = this.dirs.get(dir)!;
    const i = list.findIndex((e) => e.name === name && e.mode !== DIR);
    if (i >= 0) list[i] = { mode: '100644', name, oid: blob };
    else list.push({ mode: '100644', name, oid: blob });
    for (let d = dir; ; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
      this.dirty.add(d);
      if (d === '') break;
    }
  }

  /** Writes the changed directories, deepest first; returns the new root tree and the objects. */
  build(objects: NewObject[]): string {
    const depth = (d: string) => (d === '' ? 0 : d.split('/').length);
    const order = [...this.dirty].sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
    let rootOid = '';
    for (const dir of order) {
      const { serialized, oid } = this.writeDir(dir);
      objects.push({ type: 'tree', data: serialized });
      if (dir === '') rootOid = oid;
      else {
        const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
        const name = dir.slice(dir.lastIndexOf('/') + 1);
        const list = this.dirs.get(parent)!;
        const i = list.findIndex((e) => e.mode === DIR && e.name === name);
        if (i >= 0) list[i] = { mode: DIR, name, oid };
        else list.push({ mode: DIR, name, oid });
      }
    }
    return rootOid;
  }

  private writeDir(dir: string): { serialized: Buffer; oid: string } {
    const serialized = serializeTree(this.dirs.get(dir)!);
    return { serialized, oid: hashObject(this.repo, 'tree', serialized) };
  }
}

export interface NotesRead {
  /** the notes commit read, or null while the ref does not exist */
  tip: string | null;
  tree: NotesTree;
}

/** Starts an edit of the notes at the ref's current commit. */
export async function readNotesAt(repo: Repo, cat: CatFile, ref: string): Promise<NotesRead> {
  const tip = await readRef(repo, ref);
  let root: string | null = null;
  if (tip) {
    const obj = await cat.read(`${tip}^{tree}`);
    if (!obj) throw new Error(`notes: cannot read the tree of '${ref}'`);
    root = obj.oid;
  }
  return { tip, tree: new NotesTree(repo, cat, root) };
}

/** The text of the note on `commit` in an edit, or null. */
export async function noteText(read: NotesRead, cat: CatFile, commit: string): Promise<string | null> {
  const at = await read.tree.locate(commit);
  if (!at.blob) return null;
  const obj = await cat.read(at.blob, MAX_STATE_BLOB);
  return obj ? obj.data.toString('utf8') : null;
}

/**
 * Writes new note texts on top of `read` and moves the ref with a
 * compare-and-swap against the commit read (creating it when there was none).
 * Throws RefConflictError when another writer moved it first.
 */
export async function writeNotes(
  repo: Repo,
  _cat: CatFile,
  ref: string,
  read: NotesRead,
  notes: Map<string, string>,
  message: string,
  ident: Identity,
  seconds: number,
  /** other notes commits this one merges (a sync's: the remote's notes) */
  mergedWith: string[] = [],
): Promise<string> {
  await loadHashing();
  const objects: NewObject[] = [];
  for (const [commit, text] of notes) {
    const at = await read.tree.locate(commit);
    const data = Buffer.from(text, 'utf8');
    const blob = hashObject(repo, 'blob', data);
    objects.push({ type: 'blob', data });
    read.tree.set(at.dir, at.name, blob);
  }
  const root = read.tree.build(objects);
  const commitData = serializeCommit(
    root,
    [...(read.tip ? [read.tip] : []), ...mergedWith],
    message.endsWith('\n') ? message : message + '\n',
    ident,
    seconds,
  );
  const oid = hashObject(repo, 'commit', commitData);
  objects.push({ type: 'commit', data: commitData });
  await writeObjects(repo, objects);
  await updateRefs(repo, [{ ref, newOid: oid, oldOid: read.tip }], message.split('\n')[0]!);
  return oid;
}

export interface CommitSummary {
  oid: string;
  subject: string;
  /** committer date, ISO 8601 UTC */
  date: string;
  /** seconds since the epoch, for ordering */
  seconds: number;
}

/** Resolves a revision to a commit (`<rev>^{commit}`) and reads its subject and date; null when there is none. */
export async function readCommit(cat: CatFile, rev: string): Promise<CommitSummary | null> {
  if (!rev || /[\s\u0000-\u001f]/.test(rev)) return null;
  const obj = await cat.read(`${rev}^{commit}`);
  if (obj?.type !== 'commit') return null;
  const text = obj.data.toString('utf8');
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const m = /^committer .* (\d+) [+-]\d{4}$/m.exec(head);
  const seconds = m ? Number(m[1]) : 0;
  const subject = blank < 0 ? '' : (text.slice(blank + 2).split('\n')[0] ?? '');
  return { oid: obj.oid, subject, seconds, date: new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}
