// Plans through time: when each stored plan last changed, every version of
// one plan with the operation that made it, and the diff between versions.
// All of it comes from the state ref's history, which is the operation log.

import { FatalError } from '../core/errors.ts';
import { parseSddPath, SDD_DIR, TIER_DIRS, type TierDir } from '../core/sdd/paths.ts';
import { diffPath, emptyTree, listPathCommits, type PathCommit } from '../git/history.ts';
import { type LogEntry, toLogEntry } from './log.ts';
import type { Snapshot } from './snapshot.ts';
import { STATE_REF, type Store } from './store.ts';

export interface SddEntry {
  path: string;
  dir: TierDir;
  slug: string;
  /** the blob id */
  oid: string;
}

/** Every plan and prompt of the given directories, by tier (tales, epics, legends, prompts) then slug, without reading them. */
export async function listSddEntries(snap: Snapshot, dirs: readonly TierDir[] = TIER_DIRS): Promise<SddEntry[]> {
  const out: SddEntry[] = [];
  for (const dir of TIER_DIRS) {
    if (!dirs.includes(dir)) continue;
    const entries = (await snap.tree(`${SDD_DIR}/${dir}`)) ?? [];
    const files: SddEntry[] = [];
    for (const e of entries) {
      if (e.mode === '40000') continue;
      const path = `${SDD_DIR}/${dir}/${e.name}`;
      const at = parseSddPath(path); // only valid slugs: a path that could escape is never listed
      if (at) files.push({ path, dir, slug: at.slug, oid: e.oid });
    }
    files.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    out.push(...files);
  }
  return out;
}

/**
 * The last operation that changed each file under the given directories
 * (path -> log entry), from one walk of the log. A file the log does not
 * explain (a history cut short) has no entry.
 */
export async function lastChanges(store: Store, dirs: readonly TierDir[] = TIER_DIRS): Promise<Map<string, LogEntry>> {
  const out = new Map<string, LogEntry>();
  if (!dirs.length || !(await store.tip())) return out;
  const commits = await listPathCommits(
    store.repo,
    STATE_REF,
    dirs.map((d) => `${SDD_DIR}/${d}/`),
  );
  for (const c of commits) {
    let entry: LogEntry | null = null;
    for (const ch of c.changes) {
      if (out.has(ch.path)) continue;
      entry ??= toLogEntry(c);
      out.set(ch.path, entry);
    }
  }
  return out;
}

export interface FileVersion {
  /** the operation that stored this version */
  entry: LogEntry;
  path: string;
  /** the file's blob id in this version */
  blob: string;
  text: string;
  /** the commit of the version before it, or null for the first */
  previous: string | null;
}

/** Every stored version of one file, newest first, each with the operation that wrote it. */
export async function fileVersions(store: Store, path: string): Promise<FileVersion[]> {
  if (!(await store.tip())) return [];
  const commits: PathCommit[] = await listPathCommits(store.repo, STATE_REF, [path]);
  const versions: FileVersion[] = [];
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i]!;
    const blob = c.changes.find((ch) => ch.path === path)?.oid ?? null;
    if (!blob) continue; // a deletion is not a version
    const before = commits[i + 1];
    const previous = before?.changes.some((ch) => ch.path === path && ch.oid) ? before.oid : null;
    const obj = await store.cat.read(blob);
    if (obj?.type !== 'blob') throw new FatalError(`state: the blob '${blob}' of '${path}' in '${c.oid}' is missing`);
    versions.push({ entry: toLogEntry(c), path, blob, text: obj.data.toString('utf8'), previous });
  }
  return versions;
}

/** The unified diff each version made to its file (from nothing for a first version), a few git processes at a time. */
export async function versionPatches(store: Store, versions: FileVersion[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < versions.length; i += 8) {
    const batch = versions.slice(i, i + 8);
    out.push(
      ...(await Promise.all(
        batch.map((v) => diffPath(store.repo, v.previous ?? emptyTree(store.repo), v.entry.commit, v.path)),
      )),
    );
  }
  return out;
}
