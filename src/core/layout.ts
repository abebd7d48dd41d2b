// What each place of the state tree holds (ARCHITECTURE.md section 1), so that
// a reader can tell an entry that is not what its place says: a record under
// another record's name or in another shard, a directory or a submodule link
// where a record file belongs, `beads` stored as a file, a name git would
// never write (`..`). Readers refuse such an entry, naming its path; fsck
// lists them all. Places the layout does not know (a top-level name a later
// sase may add) are nobody's to judge here.
import { isRunId } from './agents/run.ts';
import { idHashAt, isValidId, shardOf } from './beads/model.ts';
import { isValidChangeName } from './changes/spec.ts';
import { stateError } from './errors.ts';
import { isNotificationFile } from './notifications/model.ts';
import { TIER_DIRS } from './sdd/paths.ts';
import { isWfRunId } from './workflows/run.ts';

/** The largest state blob a reader takes (a record, a prompt, a stored log): a bigger one is refused unread. */
export const MAX_STATE_BLOB = 8 << 20;
/** The largest state tree a reader takes (a shard of 100,000 records is about 6 MB). */
export const MAX_STATE_TREE = 64 << 20;

export interface LayoutEntry {
  name: string;
  mode: string;
}

type Kind = 'file' | 'dir';

function kindOf(mode: string): Kind | 'link' | 'submodule' | 'unknown' {
  if (mode === '100644' || mode === '100755') return 'file';
  if (mode === '40000' || mode === '040000') return 'dir';
  if (mode === '120000') return 'link';
  if (mode === '160000') return 'submodule';
  return 'unknown';
}

const TOP: Record<string, Kind> = {
  VERSION: 'file',
  'settings.json': 'file',
  beads: 'dir',
  excerpts: 'dir',
  sdd: 'dir',
  changes: 'dir',
  agents: 'dir',
  workflows: 'dir',
  notifications: 'dir',
};

const SHARD_RE = /^[a-z0-9_]{1,2}$/;
const RUN_SHARD_RE = /^[0-9a-z]{2}$/;
const RUN_FILE_RE = /^(r-[0-9a-z]{8})\.(json|prompt\.md|log)$/;
const HOOK_LOG_RE = /^\d+-\d+\.log$/;
const STEP_LOG_RE = /^[A-Za-z0-9_-]+(?:@\d+)?\.\d+\.log$/;

/**
 * What the entry `name` of the directory `dir` should be, judged from its
 * place: the kind it must have, and why its name does not fit (null when it
 * does). Null for a place the layout does not know.
 */
function expected(parts: readonly string[], name: string): { kind: Kind; misfit: string | null } | null {
  const [top, second, third] = parts;
  const fit = (kind: Kind, ok: boolean, what: string) => ({ kind, misfit: ok ? null : `is not ${what}` });
  switch (parts.length) {
    case 0:
      return name in TOP ? { kind: TOP[name]!, misfit: null } : null;
    case 1:
      if (top === 'beads') return fit('dir', SHARD_RE.test(name), "a shard's name (one or two of a-z, 0-9, _)");
      if (top === 'excerpts') return fit('file', SHARD_RE.test(name), "a shard's name (one or two of a-z, 0-9, _)");
      // a tier's directory must be one; other names under sdd/ are not plans, and not judged here
      if (top === 'sdd') return (TIER_DIRS as readonly string[]).includes(name) ? { kind: 'dir', misfit: null } : null;
      if (top === 'changes') {
        const cs = /^(.+)\.cs$/.exec(name);
        return cs
          ? fit('file', isValidChangeName(cs[1]!), "a change record's name (<name>.cs)")
          : fit('dir', isValidChangeName(name), "a change's name");
      }
      if (top === 'agents') return fit('dir', RUN_SHARD_RE.test(name), "a run shard's name (two of a-z, 0-9)");
      if (top === 'workflows') {
        const wf = /^(.+)\.json$/.exec(name);
        return wf
          ? fit('file', isWfRunId(wf[1]!), "a workflow run record's name (w-<id>.json)")
          : fit('dir', isWfRunId(name), "a workflow run's id");
      }
      if (top === 'notifications')
        return fit('file', isNotificationFile(name), "a notification's name (n-<8 of a-z, 0-9>.json)");
      return null;
    case 2: {
      if (top === 'beads') {
        const id = /^(.+)\.json$/.exec(name)?.[1];
        if (!id || !isValidId(id)) return fit('file', false, "a bead record's name (<id>.json)");
        return { kind: 'file', misfit: shardOf(id) === second ? null : `is in the wrong shard for '${id}'` };
      }
      // a plan's name is judged by the plan's own checks, which name a bad slug
      if (top === 'sdd') return { kind: 'file', misfit: null };
      if (top === 'changes') return fit('dir', name === 'hooks', "'hooks'");
      if (top === 'agents') {
        const id = RUN_FILE_RE.exec(name)?.[1];
        if (!id || !isRunId(id)) return fit('file', false, "a run's file name (<id>.json, .prompt.md or .log)");
        return { kind: 'file', misfit: id.slice(2, 4) === second ? null : `is in the wrong shard for '${id}'` };
      }
      if (top === 'workflows') return fit('file', STEP_LOG_RE.test(name), "a step log's name (<step>.<n>.log)");
      return null;
    }
    case 3:
      if (top === 'changes' && third === 'hooks') return fit('file', HOOK_LOG_RE.test(name), "a hook log's name");
      return null;
    default:
      return null;
  }
}

const dirParts = (dir: string): string[] => (dir === '' ? [] : dir.split('/'));

/** Why the entry `e` of directory `dir` is not what its place says (read after its path), or null. */
export function entryProblem(dir: string, e: LayoutEntry): string | null {
  return problemIn(dirParts(dir), e);
}

function problemIn(parts: readonly string[], e: LayoutEntry): string | null {
  if (e.name === '' || e.name === '.' || e.name === '..' || e.name.includes('/') || e.name.includes('\0'))
    return 'has a name git does not write';
  const want = expected(parts, e.name);
  if (!want) return null;
  const kind = kindOf(e.mode);
  const is = kind === 'dir' ? 'a directory' : kind === 'file' ? 'a file' : `a ${kind} (mode ${e.mode})`;
  if (kind !== want.kind) return `is ${is}, where a ${want.kind === 'dir' ? 'directory' : 'file'} belongs`;
  return want.misfit;
}

/** The first entry of a listing that is not what its place says: its path and why; null when all are. */
export function listingProblem(dir: string, entries: readonly LayoutEntry[]): { path: string; problem: string } | null {
  // a shard of records (beads/<two characters>): the records that fit are told without the full check
  const shard = isShardDir(dir);
  const s0 = dir.charCodeAt(6);
  const s1 = dir.charCodeAt(7);
  let parts: string[] | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (shard && e.mode === '100644' && isRecordOf(e.name, 0, s0, s1)) continue;
    parts ??= dirParts(dir);
    const problem = problemIn(parts, e);
    if (problem) return { path: dir ? `${dir}/${e.name}` : e.name, problem };
  }
  return null;
}

/** Whether `dir` is beads/ and two characters, the shape of a shard's directory. */
function isShardDir(dir: string): boolean {
  return dir.length === 8 && dir.startsWith('beads/');
}

/**
 * Whether `s` from `start` on is the name of a record file that fits the
 * shard whose name is the characters `s0`, `s1`: `<id>.json` for a valid id
 * whose hash starts with them (so those are of a-z, 0-9). Makes no string.
 */
function isRecordOf(s: string, start: number, s0: number, s1: number): boolean {
  const end = s.length - 5;
  if (end <= start || !s.endsWith('.json')) return false;
  const hash = idHashAt(s, start, end);
  // a hash of one character is followed by a dot (the id's own, or that of .json)
  const c1 = s.charCodeAt(hash + 1);
  return hash >= 0 && s.charCodeAt(hash) === s0 && c1 === s1 && c1 !== 46;
}

/**
 * The first place on a file path of the state tree (as `git ls-tree -r` or
 * `git diff-tree -r` lists it, with its mode) that is not what it should be:
 * a directory on the way, or the file itself; null when all are.
 */
export function pathProblem(path: string, mode: string): { path: string; problem: string } | null {
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    const problem = entryProblem(dir, { name: parts[i]!, mode: i === parts.length - 1 ? mode : '40000' });
    if (problem) return { path: parts.slice(0, i + 1).join('/'), problem };
  }
  return null;
}

/** Refuses a file path that is not what its places say (fatal, naming the place). */
export function checkPath(path: string, mode: string): void {
  const bad = pathProblem(path, mode);
  if (bad) throw stateError(bad.path, bad.problem);
}

/** checkPath for many files, each directory judged once (a cold read lists 100,000 files in a few hundred). */
export function checkPaths(files: readonly { path: string; mode: string }[]): void {
  const dirs = new Set<string>();
  // the shard directory (beads/<two characters>) of the last file, judged already: the records that
  // fit in it are told without the full check or any new string
  let shard = '';
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (
      shard &&
      f.mode === '100644' &&
      f.path.charCodeAt(8) === 47 &&
      f.path.startsWith(shard) &&
      isRecordOf(f.path, 9, shard.charCodeAt(6), shard.charCodeAt(7))
    )
      continue;
    const slash = f.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : f.path.slice(0, slash);
    if (dir && !dirs.has(dir)) {
      checkPath(dir, '40000');
      dirs.add(dir);
    }
    const problem = entryProblem(dir, { name: f.path.slice(slash + 1), mode: f.mode });
    if (problem) throw stateError(f.path, problem);
    shard = isShardDir(dir) ? dir : '';
  }
}
