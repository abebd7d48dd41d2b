// Rebuilding the state from the operation log, in memory, through the same
// operation functions that wrote it; fsck compares the result with the tip.

import { isExcerptsPath } from '../core/beads/excerpts.ts';
import { type Bead, beadPath, idFromPath, isValidId, parseBead, serializeBead } from '../core/beads/model.ts';
import { checkBeadOp } from '../core/beads/ops.ts';
import { SaseError } from '../core/errors.ts';
import { applyNotifyOp, checkNotifyOp } from '../core/notifications/ops.ts';
import { checkOpFields, isStringList, unknownOp } from '../core/oplog.ts';
import { applyBeadOpWithPlans } from '../core/sdd/effects.ts';
import { applySddOp, checkSddOp, type SddReader, type StateChanges } from '../core/sdd/ops.ts';
import { applyInitOp, SETTINGS_PATH } from '../core/settings.ts';
import { diffTrees, listTreeFiles } from '../git/history.ts';
import { hashObject, loadHashing, serializeTree, type TreeEntry } from '../git/objects.ts';
import type { LogEntry } from './log.ts';
import { FORMAT_VERSION, type Store } from './store.ts';

const isBeadIds = (v: unknown): boolean => isStringList(v) && v.every(isValidId);

export interface ReplayProblem {
  commit: string;
  message: string;
}

/** The state as path -> content, with bead relations kept for the reader. */
class MemoryState implements SddReader {
  files = new Map<string, Buffer>();
  private beads = new Map<string, Bead>();

  set(path: string, content: Buffer | null): void {
    const id = idFromPath(path);
    if (content === null) {
      this.files.delete(path);
      if (id) this.beads.delete(id);
      return;
    }
    this.files.set(path, content);
    if (id) this.beads.set(id, parseBead(content.toString('utf8'), path));
  }

  async readFile(path: string): Promise<string | null> {
    return this.files.get(path)?.toString('utf8') ?? null;
  }

  async list(dir: string): Promise<string[]> {
    const names: string[] = [];
    for (const path of this.files.keys()) {
      if (path.startsWith(dir + '/') && !path.slice(dir.length + 1).includes('/'))
        names.push(path.slice(dir.length + 1));
    }
    return names;
  }

  apply(changes: StateChanges): void {
    for (const c of changes.beads) this.set(beadPath(c.id), c.bead ? Buffer.from(serializeBead(c.bead)) : null);
    for (const f of changes.files) this.set(f.path, f.text === null ? null : Buffer.from(f.text));
  }

  async get(id: string): Promise<Bead | null> {
    return this.beads.get(id) ?? null;
  }

  async childrenOf(id: string): Promise<string[]> {
    return [...this.beads.values()].filter((b) => b.parent_id === id).map((b) => b.id);
  }

  async dependantsOf(id: string): Promise<string[]> {
    return [...this.beads.values()].filter((b) => b.dependencies.some((d) => d.depends_on_id === id)).map((b) => b.id);
  }
}

/** The root tree id of a set of files, computed without writing anything. */
export function treeIdOf(store: Store, files: Map<string, Buffer>): string {
  interface Dir {
    dirs: Map<string, Dir>;
    blobs: Map<string, string>;
  }
  const root: Dir = { dirs: new Map(), blobs: new Map() };
  for (const [path, content] of files) {
    const parts = path.split('/');
    let d = root;
    for (const p of parts.slice(0, -1)) {
      if (!d.dirs.has(p)) d.dirs.set(p, { dirs: new Map(), blobs: new Map() });
      d = d.dirs.get(p)!;
    }
    d.blobs.set(parts[parts.length - 1]!, hashObject(store.repo, 'blob', content));
  }
  const hashDir = (d: Dir): string => {
    const entries: TreeEntry[] = [];
    for (const [name, sub] of d.dirs) entries.push({ mode: '40000', name, oid: hashDir(sub) });
    for (const [name, oid] of d.blobs) entries.push({ mode: '100644', name, oid });
    return hashObject(store.repo, 'tree', serializeTree(entries));
  };
  return hashDir(root);
}

export interface ReplayResult {
  problems: ReplayProblem[];
  replayed: number;
  /** paths whose content differs between the replay and the tip (or exist in one only) */
  differences: string[];
  matches: boolean;
}

export async function replayLog(
  store: Store,
  log: LogEntry[],
  progress?: (done: number, total: number) => void,
): Promise<ReplayResult> {
  await loadHashing();
  const state = new MemoryState();
  const problems: ReplayProblem[] = [];
  let replayed = 0;
  for (const entry of log) {
    if (entry.parents.length > 1)
      problems.push({ commit: entry.commit, message: 'a merge commit in the operation log' });
    if (entry.parents.length === 0) state.set('VERSION', Buffer.from(FORMAT_VERSION + '\n'));
    const op = entry.op;
    try {
      if (!op) throw new Error('no Sase-Op trailer in the commit message');
      if (op.op === 'init') {
        // VERSION is handled above for the first commit; settings.json comes from the operation
        const settings = applyInitOp(op, await state.readFile(SETTINGS_PATH));
        if (settings !== null) state.set(SETTINGS_PATH, Buffer.from(settings));
      } else if (
        op.op === 'bead.import' ||
        op.op === 'sdd.put' ||
        op.op.startsWith('cs.') ||
        op.op.startsWith('agent.') ||
        op.op.startsWith('wf.')
      ) {
        // records whose content is the commit's own: every path it wrote must be one the operation names
        const parent = entry.parents[0];
        const changes = parent
          ? await diffTrees(store.repo, parent, entry.commit)
          : (await listTreeFiles(store.repo, entry.commit)).map((f) => ({ path: f.path, oid: f.oid as string | null }));
        const named = new Set(
          op.op === 'bead.import'
            ? checkOpFields<{ ids: string[] }>(op, { ids: [isBeadIds, 'a list of bead ids'] }).ids.map(beadPath)
            : checkOpFields<{ paths: string[] }>(op, { paths: [isStringList, 'a list of paths'] }).paths,
        );
        for (const c of changes) {
          if (c.path === 'VERSION' || isExcerptsPath(c.path)) continue;
          if (!named.has(c.path)) throw new Error(`${op.op} wrote '${c.path}', which its operation does not name`);
          const obj = c.oid ? await store.cat.read(c.oid) : null;
          state.set(c.path, obj ? obj.data : null);
        }
      } else if (op.op.startsWith('bead.')) {
        state.apply(await applyBeadOpWithPlans(state, checkBeadOp(op)));
      } else if (op.op.startsWith('sdd.')) {
        state.apply(await applySddOp(state, checkSddOp(op)));
      } else if (op.op.startsWith('notify.')) {
        state.apply({ files: await applyNotifyOp(state, checkNotifyOp(op)), beads: [] });
      } else throw unknownOp(op);
      replayed++;
    } catch (err) {
      const message = err instanceof SaseError || err instanceof Error ? err.message : String(err);
      problems.push({ commit: entry.commit, message: `replaying '${op?.op ?? '?'}' failed: ${message}` });
    }
    progress?.(replayed, log.length);
  }
  const tip = log[log.length - 1];
  if (!tip) return { problems, replayed, differences: [], matches: true };
  const rebuilt = treeIdOf(store, state.files);
  if (rebuilt === tip.tree) return { problems, replayed, differences: [], matches: true };
  // derived files (a shard's excerpts) are the writers' to keep, and fsck checks them against the records
  const actual = new Map(
    (await listTreeFiles(store.repo, tip.commit)).filter((f) => !isExcerptsPath(f.path)).map((f) => [f.path, f.oid]),
  );
  const differences: string[] = [];
  for (const [path, content] of state.files)
    if (actual.get(path) !== hashObject(store.repo, 'blob', content)) differences.push(path);
  for (const path of actual.keys()) if (!state.files.has(path)) differences.push(path);
  const sorted = [...new Set(differences)].sort();
  return { problems, replayed, differences: sorted, matches: sorted.length === 0 };
}
