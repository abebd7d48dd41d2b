// Agent runs in the state ref: reading one, all, or the one a reference names
// (an id, a unique id prefix, or a name: the newest run of that name), and
// committing run records together with the bead operations a run implies
// (claim on start, close or release on its end) as one operation. An agent
// operation records what happened and the paths it wrote; replay takes their
// content from the commit, as for cs.* and sdd.put.

import {
  AGENTS_DIR,
  type AgentRun,
  checkStoredRun,
  compareRuns,
  isRunId,
  parseRun,
  type RunHead,
  runHead,
  runPath,
  serializeRun,
} from '../core/agents/run.ts';
import { newestMatching } from '../core/agents/waits.ts';
import type { Bead } from '../core/beads/model.ts';
import type { BeadOp } from '../core/beads/ops.ts';
import { NotFoundError, withHint } from '../core/errors.ts';
import type { Op } from '../core/oplog.ts';
import { uniqueByIdPrefix } from '../core/records.ts';
import { applyBeadOpWithPlans } from '../core/sdd/effects.ts';
import type { FileChange, SddReader } from '../core/sdd/ops.ts';
import { relationsAt } from './bead-cache.ts';
import { readBeads, SnapshotBeadReader, stateChangesToTree } from './beads.ts';
import { runsOfBeadsIndexed } from './runs-cache.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';

/** A run as stored at `path` (agents/<2>/<id>.json): refused, naming the path, when it holds another run. */
function storedRun(text: string, path: string): AgentRun {
  return checkStoredRun(path, parseRun(text, path));
}

export async function readRun(snap: Snapshot, id: string): Promise<AgentRun | null> {
  if (!isRunId(id)) return null;
  const text = await snap.readText(runPath(id));
  return text === null ? null : storedRun(text, runPath(id));
}

/** Every run, oldest first. */
export async function listRuns(snap: Snapshot): Promise<AgentRun[]> {
  const shards = ((await snap.tree(AGENTS_DIR)) ?? []).filter((e) => e.mode === '40000');
  const paths: string[] = [];
  for (const s of shards) {
    for (const e of (await snap.tree(`${AGENTS_DIR}/${s.name}`)) ?? []) {
      if (/^r-[0-9a-z]{8}\.json$/.test(e.name)) paths.push(`${AGENTS_DIR}/${s.name}/${e.name}`);
    }
  }
  const runs = await Promise.all(paths.map(async (p) => storedRun((await snap.readText(p))!, p)));
  return runs.sort(compareRuns);
}

/**
 * The run a reference names: its id, a name (the newest run of it), or a
 * unique prefix of the part after 'r-', with or without 'r-' (as a bead's
 * short form); several runs by a prefix are ambiguous (129, naming them),
 * none is not found (4).
 */
export async function resolveRun(snap: Snapshot, ref: string, runs?: AgentRun[]): Promise<AgentRun> {
  if (isRunId(ref)) {
    const r = await readRun(snap, ref);
    if (r) return r;
  }
  const all = runs ?? (await listRuns(snap));
  const named = newestMatching(all, ref);
  if (named) return named;
  const hash = ref.startsWith('r-') ? ref.slice(2) : ref;
  const hit = /^[0-9a-z]{1,8}$/.test(hash) ? uniqueByIdPrefix(all, `r-${hash}`, ref) : null;
  if (hit) return hit;
  throw withHint(new NotFoundError(`no run '${ref}'`), "try 'sase agent list --all'");
}

export async function readPrompt(snap: Snapshot, run: AgentRun): Promise<string> {
  return (await snap.readText(run.prompt_path)) ?? '';
}

/** A reader of beads and plans over a snapshot, seeing the changes earlier operations of one write made. */
class OverlayReader implements SddReader {
  beads = new Map<string, Bead | null>();
  files = new Map<string, string | null>();
  constructor(private readonly base: SnapshotBeadReader) {}
  async get(id: string): Promise<Bead | null> {
    return this.beads.has(id) ? this.beads.get(id)! : this.base.get(id);
  }
  async readFile(path: string): Promise<string | null> {
    return this.files.has(path) ? this.files.get(path)! : this.base.readFile(path);
  }
  list(dir: string): Promise<string[]> {
    return this.base.list(dir);
  }
  childrenOf(id: string): Promise<string[]> {
    return this.base.childrenOf(id);
  }
  dependantsOf(id: string): Promise<string[]> {
    return this.base.dependantsOf(id);
  }
}

export interface RunWrite<T> {
  /** the operation's name and arguments ({op: 'agent.start', ...}); null writes nothing */
  op: Op | null;
  runs?: AgentRun[];
  /** other files: prompts, logs */
  files?: FileChange[];
  /** bead operations applied in order, plan statuses following */
  beadOps?: BeadOp[];
  result: T;
}

export interface RunWriteContext {
  snap: Snapshot;
  beads: SddReader;
}

/**
 * Builds a run operation on the current state and commits it; rebuilt on
 * every retry, so a lost race is decided on the winner's state. The records,
 * files and bead changes land in one commit, or none of them do.
 */
export async function commitRuns<T>(
  store: Store,
  at: string,
  build: (c: RunWriteContext) => Promise<RunWrite<T>>,
): Promise<{ result: T; commit: string | null }> {
  const actor = (await store.ident()).email;
  return store.transact(async (snap) => {
    const reader = new OverlayReader(new SnapshotBeadReader(snap, async () => relationsAt(store, snap.tip)));
    const built = await build({ snap, beads: reader });
    if (!built.op) return { op: { op: 'none' }, summary: '', changes: new Map(), result: built.result };
    for (const op of built.beadOps ?? []) {
      const { beads, files } = await applyBeadOpWithPlans(reader, op);
      for (const b of beads) reader.beads.set(b.id, b.bead);
      for (const f of files) reader.files.set(f.path, f.text);
    }
    const files: FileChange[] = [
      ...(built.runs ?? []).map((r) => ({ path: runPath(r.id), text: serializeRun(r) })),
      ...(built.files ?? []),
      ...[...reader.files].map(([path, text]) => ({ path, text })),
    ];
    const changes = stateChangesToTree(
      [...reader.beads].map(([id, bead]) => ({ id, bead })),
      files,
    );
    const paths = [...changes.keys()];
    const names = (built.runs ?? []).map((r) => r.name ?? r.id);
    const op = { ...built.op, paths, at, actor };
    return {
      op,
      summary:
        `${built.op.op.replace('.', ' ')} ${names.slice(0, 3).join(' ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`.trim(),
      changes,
      result: built.result,
    };
  });
}

/**
 * The runs working any of these beads, in brief: the newest of each name (a
 * run without a name counts alone), oldest first. Answered by the cache's
 * index of runs by bead, which keeps their heads; a record it could not
 * trust is read here, and refused as any reader would.
 */
export async function runsOfBeads(snap: Snapshot, beads: string[]): Promise<RunHead[]> {
  const want = new Set(beads);
  const read = await Promise.all(
    (await runsOfBeadsIndexed(snap, beads)).map(async ({ id, head }) => {
      if (head) return head;
      const run = await readRun(snap, id);
      return run && runHead(run);
    }),
  );
  const runs = read
    .filter((r): r is RunHead => r !== null && r.bead !== null && want.has(r.bead))
    // by id first, as the records are listed: runs without a seq among runs with one have no one order
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .sort(compareRuns);
  return runs.filter((r) => r.name === null || newestMatching(runs, r.name) === r);
}

/** How many runs the state holds, counted from the tree listings (no record is read): the next run's seq is one more. */
export async function runCount(snap: Snapshot): Promise<number> {
  let n = 0;
  for (const shard of ((await snap.tree(AGENTS_DIR)) ?? []).filter((e) => e.mode === '40000')) {
    for (const e of (await snap.tree(`${AGENTS_DIR}/${shard.name}`)) ?? [])
      if (/^r-[0-9a-z]{8}\.json$/.test(e.name)) n++;
  }
  return n;
}

/** The beads some runs work on, by id (a bead no longer stored is left out). */
export async function beadsOfRuns(snap: Snapshot, runs: readonly AgentRun[]): Promise<Map<string, Bead>> {
  const ids = [...new Set(runs.flatMap((r) => (r.bead ? [r.bead] : [])))];
  return new Map((await readBeads(snap, ids)).map((b) => [b.id, b]));
}
