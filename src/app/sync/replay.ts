// Our operations since the merge base, replayed on top of the remote's head
// (`git pull --rebase` at the level of operations): an operation that carries
// intent (a bead's update, claim, close, dependency; a plan's approval or
// status) is applied again through the same pure function that first applied
// it, so edits of different fields of one record both land; an operation whose
// records are its commit's own (an import, a plan's text, a change, a run) is
// merged record by record, three-way. Nothing is dropped silently: what no
// longer applies is left out and said, what overwrote the other side's value
// is said too.

import { parseRun } from '../../core/agents/run.ts';
import { isExcerptsPath } from '../../core/beads/excerpts.ts';
import { mintId } from '../../core/beads/ids.ts';
import { type Bead, beadPath, idFromPath, isValidId, parseStoredBead } from '../../core/beads/model.ts';
import { checkBeadOp } from '../../core/beads/ops.ts';
import { canonicalJson } from '../../core/canonical.ts';
import { type ChangeSpec, parseChangeSpec, serializeChangeSpec } from '../../core/changes/spec.ts';
import { ConflictError, FatalError, SaseError } from '../../core/errors.ts';
import { type Op, opMessage } from '../../core/oplog.ts';
import { applyBeadOpWithPlans } from '../../core/sdd/effects.ts';
import { applySddOp, checkSddOp, type StateChanges } from '../../core/sdd/ops.ts';
import { isIntentOp, mergedRecordProblem, mergeFields, overwrittenFields, renameIds } from '../../core/sync/replay.ts';
import type { GitObject } from '../../git/catfile.ts';
import { diffTrees } from '../../git/history.ts';
import { mergeText } from '../../git/merge-file.ts';
import { hashObject, loadHashing, type NewObject, serializeCommit, writeObjects } from '../../git/objects.ts';
import { relationsAt } from '../../store/bead-cache.ts';
import { addExcerpts } from '../../store/bead-excerpts.ts';
import { type RelationIndex, SnapshotBeadReader, stateChangesToTree } from '../../store/beads.ts';
import type { LogEntry } from '../../store/log.ts';
import { type ListingCache, Snapshot } from '../../store/snapshot.ts';
import type { Store } from '../../store/store.ts';
import { buildChangedTree, type Changes } from '../../store/tree-writer.ts';
import { thisHost } from '../agents/runtime.ts';

/** One of our operations that no longer applies on the other side's state. */
export interface LeftOut {
  commit: string;
  op: string;
  summary: string;
  reason: string;
}

/** A value of the other side's that one of ours replaced (the later one wins, as in a rebase). */
export interface Overwritten {
  commit: string;
  op: string;
  /** the record's path in the state */
  path: string;
  /** the field (for a bead), or null for a whole text merged with ours winning */
  field: string | null;
  /** the other side's value (JSON for a field, the text's first line for a record) */
  theirs: string;
}

/** One of our operations to replay: its log entry, and its commit's message as it was written. */
export type OurOperation = LogEntry & { message: string };

export interface ReplayOutcome {
  /** the new tip: `onto` with our operations on top (`onto` itself when none applied) */
  tip: string;
  replayed: number;
  /** ours whose change the other side had made already (nothing left to apply) */
  same: number;
  leftOut: LeftOut[];
  overwritten: Overwritten[];
  /** ids we minted that the other side had minted too: ours -> its fresh id */
  renamed: Map<string, string>;
  /** each new commit -> the commit of ours it replays */
  replays: Map<string, string>;
}

/**
 * The replay's commits are built in memory and written once at the end: a
 * snapshot of one of them reads its new objects from memory, the rest from git.
 */
class Replayed {
  readonly objects = new Map<string, GitObject>();
  /** the same, as they are written */
  readonly written: NewObject[] = [];
  /** commit -> its root tree, for the commits made here */
  readonly roots = new Map<string, string>();
  readonly listings: ListingCache = new Map();
  /** beads our replayed operations changed so far (null: removed) */
  readonly beads = new Map<string, Bead | null>();

  constructor(readonly store: Store) {}

  add(objects: readonly NewObject[]): void {
    for (const o of objects) {
      const oid = hashObject(this.store.repo, o.type, o.data);
      if (this.objects.has(oid)) continue;
      this.objects.set(oid, { oid, type: o.type, data: o.data });
      this.written.push(o);
    }
  }

  private readonly snapshots = new Map<string, Snapshot>();

  /** A snapshot of `tip` (a replayed commit, or one of git's), one a commit: each directory is read once. */
  snapshot(tip: string): Snapshot {
    let snap = this.snapshots.get(tip);
    if (!snap) this.snapshots.set(tip, (snap = new MemorySnapshot(this, tip)));
    return snap;
  }

  /** The text at `path` in `commit` (null: no commit, or no such file). */
  text(commit: string | null, path: string): Promise<string | null> {
    return commit ? this.snapshot(commit).readText(path) : Promise.resolve(null);
  }

  async bead(commit: string, id: string): Promise<Bead | null> {
    if (!isValidId(id)) return null;
    const path = beadPath(id);
    const text = await this.text(commit, path);
    return text === null ? null : parseStoredBead(text, path);
  }

  read(name: string): GitObject | null {
    const m = /^([0-9a-f]+)\^\{tree\}$/.exec(name);
    const root = m ? this.roots.get(m[1]!) : undefined;
    return this.objects.get(root ?? name) ?? null;
  }

  /** Children and dependants at a replayed tip: the remote head's, with what our operations changed since. */
  relations(onto: string): RelationIndex {
    const base = relationsAt(this.store, onto);
    const changed = this.beads;
    const adjust = (fromBase: string[], holds: (b: Bead) => boolean): string[] => {
      const out = fromBase.filter((id) => !changed.has(id) || (changed.get(id) && holds(changed.get(id)!)));
      for (const [id, b] of changed) if (b && holds(b) && !out.includes(id)) out.push(id);
      return out;
    };
    return {
      childrenOf: async (id) => adjust(await base.childrenOf(id), (b) => b.parent_id === id),
      dependantsOf: async (id) =>
        adjust(await base.dependantsOf(id), (b) => b.dependencies.some((d) => d.depends_on_id === id)),
    };
  }
}

class MemorySnapshot extends Snapshot {
  constructor(
    private readonly replayed: Replayed,
    tip: string,
  ) {
    super(replayed.store.repo, replayed.store.cat, tip, replayed.listings);
  }

  protected override readObject(name: string, path: string, max: number): Promise<GitObject | null> {
    const hit = this.replayed.read(name);
    return hit ? Promise.resolve(hit) : super.readObject(name, path, max);
  }
}

/**
 * Replays `ours` (oldest first, each with its parent) on `onto`; `base` is
 * where the two sides parted. Writes the new commits' objects (no ref moves).
 */
export async function replayOnto(
  store: Store,
  base: string,
  onto: string,
  ours: readonly OurOperation[],
  progress?: (done: number, total: number) => void,
): Promise<ReplayOutcome> {
  await loadHashing();
  const identity = await store.ident();
  const out: ReplayOutcome = {
    tip: onto,
    replayed: 0,
    same: 0,
    leftOut: [],
    overwritten: [],
    renamed: new Map(),
    replays: new Map(),
  };
  const mem = new Replayed(store);
  const commits: NewObject[] = [];
  for (const [i, entry] of ours.entries()) {
    progress?.(i, ours.length);
    const op = entry.op;
    if (!op || op.op === 'init') continue; // the root's VERSION is the other side's too
    let renamedOp = out.renamed.size ? (renameIds(op, out.renamed) as Op) : op;
    const snap = mem.snapshot(out.tip);
    let changes: Changes;
    try {
      if (isIntentOp(renamedOp.op)) {
        const applied = await intentChanges(store, mem, onto, base, out, entry, renamedOp, snap);
        changes = applied.changes;
        renamedOp = applied.op;
      } else changes = await recordChanges(store, mem, snap, out, entry);
    } catch (err) {
      if (!(err instanceof SaseError)) throw err;
      out.leftOut.push({ commit: entry.commit, op: op.op, summary: entry.summary, reason: oneLine(err.message) });
      continue;
    }
    if (changes.size === 0) {
      out.same++; // the other side made the same change
      continue;
    }
    const tree = await buildChangedTree(snap, changes, await addExcerpts(snap, changes));
    const message = renamedOp === op ? entry.message : opMessage(renameInText(entry.summary, out.renamed), renamedOp);
    const seconds = Math.floor(store.clock.wallMs() / 1000);
    const data = serializeCommit(tree.root, [out.tip], message, identity, seconds);
    const commit = hashObject(store.repo, 'commit', data);
    mem.add(tree.objects);
    mem.roots.set(commit, tree.root);
    commits.push({ type: 'commit', data });
    for (const [path, content] of changes) {
      const id = idFromPath(path);
      if (id) mem.beads.set(id, content ? parseStoredBead(content.toString('utf8'), path) : null);
    }
    out.replays.set(commit, entry.commit);
    out.tip = commit;
    out.replayed++;
  }
  // every object of every new commit in one pack
  if (out.replayed) await writeObjects(store.repo, [...mem.written, ...commits]);
  progress?.(ours.length, ours.length);
  return out;
}

/** An operation of intent applied again, on the new tip: its changes, and what it overwrote. */
async function intentChanges(
  store: Store,
  mem: Replayed,
  onto: string,
  base: string,
  out: ReplayOutcome,
  entry: LogEntry,
  op: Op,
  snap: Snapshot,
): Promise<{ changes: Changes; op: Op }> {
  const reader = new SnapshotBeadReader(snap, async () => mem.relations(onto));
  let applied: StateChanges;
  if (op.op === 'bead.create') {
    // two clones minted one id: ours gets a fresh one, and our later operations follow it
    const bead = (op as unknown as { bead: { id: string } }).bead;
    if (bead && typeof bead.id === 'string' && (await reader.get(bead.id))) {
      const fresh = await freshId(store, reader, bead.id);
      out.renamed.set(bead.id, fresh);
      op = renameIds(op, new Map([[bead.id, fresh]])) as Op;
    }
  }
  if (op.op.startsWith('bead.')) applied = await applyBeadOpWithPlans(reader, checkBeadOp(op));
  else applied = await applySddOp(reader, checkSddOp(op));
  for (const c of applied.beads) {
    if (!c.bead) continue;
    const theirs = await mem.bead(onto, c.id); // the remote head's, not one of our replayed values
    const atBase = await mem.bead(base, c.id);
    if (!theirs) continue;
    for (const [field, value] of overwrittenFields(atBase, theirs, c.bead))
      out.overwritten.push({ commit: entry.commit, op: op.op, path: c.id, field, theirs: value });
  }
  return { changes: stateChangesToTree(applied.beads, applied.files), op };
}

async function freshId(store: Store, reader: SnapshotBeadReader, taken: string): Promise<string> {
  const prefix = taken.slice(0, taken.lastIndexOf('-'));
  for (;;) {
    const id = mintId(prefix, await store.random(8));
    if (!(await reader.get(id))) return id;
  }
}

/** The records an operation's commit wrote, merged three-way with the other side's versions. */
async function recordChanges(
  store: Store,
  mem: Replayed,
  snap: Snapshot,
  out: ReplayOutcome,
  entry: LogEntry,
): Promise<Changes> {
  const parent = entry.parents[0] ?? null;
  const changes: Changes = new Map();
  const changed = parent ? await diffTrees(store.repo, parent, entry.commit) : [];
  for (const c of changed) {
    // derived files are made again for the replayed records
    if (c.path === 'VERSION' || isExcerptsPath(c.path)) continue;
    const [base, ours, theirs] = await Promise.all([
      mem.text(parent, c.path),
      c.oid ? mem.text(entry.commit, c.path) : Promise.resolve(null),
      snap.readText(c.path),
    ]);
    if (theirs === base || theirs === ours) {
      if (theirs !== ours) changes.set(c.path, ours === null ? null : Buffer.from(ours));
      continue;
    }
    // both sides changed it
    refuseDoubleClaim(c.path, base, ours, theirs);
    refuseRunConflict(c.path, base, ours, theirs);
    let merged: string | null = null;
    const structured = base !== null && ours !== null && theirs !== null ? structuredKind(c.path) : null;
    if (structured) {
      // a change record, a run, a workflow run, a notification: field by field (both sides append to lists)
      // each side was checked when it was read; a record that still does not parse is merged as text
      const [b, o, t] = [base!, ours!, theirs!].map((text) => structured.parse(text, c.path));
      const m = mergeFields(b!, o!, t!);
      const text = structured.serialize(m.merged);
      // a merge that is no record its place takes (a list merged into a shape its rules refuse): ours, below
      if (!mergedRecordProblem(c.path, text)) merged = text;
      for (const field of merged === null ? [] : m.overwritten) {
        const theirValue = (t as Record<string, unknown>)[field];
        out.overwritten.push({
          commit: entry.commit,
          op: entry.op?.op ?? '?',
          path: c.path,
          field,
          theirs: JSON.stringify(theirValue ?? null),
        });
      }
    } else if (base !== null && ours !== null && theirs !== null) {
      const m = await mergeText(store.repo, base, ours, theirs);
      if (m.clean && !mergedRecordProblem(c.path, m.text)) merged = m.text;
    }
    if (merged === null) {
      // ours wins; theirs stays in the record's history, and is said
      out.overwritten.push({
        commit: entry.commit,
        op: entry.op?.op ?? '?',
        path: c.path,
        field: null,
        theirs: theirs === null ? '(removed)' : oneLine(theirs),
      });
      changes.set(c.path, ours === null ? null : Buffer.from(ours));
    } else if (merged !== theirs) changes.set(c.path, Buffer.from(merged));
  }
  return changes;
}

/**
 * A bead that ours claimed (or moved) in a record's commit (a run's start, bead
 * work's checkpoint) while the other side claimed or moved it too: the whole
 * operation no longer applies, as a claim of a bead claimed first would not.
 */
function refuseDoubleClaim(path: string, base: string | null, ours: string | null, theirs: string | null): void {
  const id = idFromPath(path);
  if (!id || base === null || ours === null || theirs === null) return;
  const [b, o, t] = [base, ours, theirs].map((text) => parseStoredBead(text, path));
  const held = (x: Bead) => `${x.status}\u0000${x.assignee ?? ''}`;
  if (held(o!) !== held(b!) && held(t!) !== held(b!) && held(o!) !== held(t!))
    throw new ConflictError(
      `bead '${id}' is ${t!.status}${t!.assignee ? ` (held by '${t!.assignee}')` : ''} on the other side`,
    );
}

/**
 * A run record is its machine's: when the other side changed one that runs on
 * another host than this one, that host's version stands and our change to
 * it does not apply; and a run both sides moved on (two dispatchers that both
 * started it) is started once: the other side's move stands, ours is left out.
 */
function refuseRunConflict(path: string, base: string | null, ours: string | null, theirs: string | null): void {
  if (theirs === null || !/^agents\/[^/]+\/r-[^/]+\.json$/.test(path)) return;
  const run = parseRun(theirs, path);
  if (run.host && run.host !== thisHost())
    throw new ConflictError(`run '${run.id}' runs on '${run.host}': only that machine updates it`);
  if (base === null || ours === null) return;
  const [b, o] = [parseRun(base, path), parseRun(ours, path)];
  if (o.status !== b.status && run.status !== b.status)
    throw new ConflictError(`run '${run.id}' is ${run.status} on the other side (it moved it on first)`);
}

/** A JSON object, or a SaseError naming the record (so the operation is left out, never the sync stopped). */
function parseObject(text: string, path: string): object {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    // said below
  }
  throw new FatalError(`'${path}' is not a JSON object`);
}

/** How a record merged field by field is read and written again; null for one merged as text. */
function structuredKind(
  path: string,
): { parse: (text: string, path: string) => object; serialize: (value: object) => string } | null {
  if (/^changes\/[^/]+\.cs$/.test(path))
    return { parse: parseChangeSpec, serialize: (v) => serializeChangeSpec(v as ChangeSpec) };
  if (/^(agents\/[^/]+\/r-[^/]+|workflows\/[^/]+|notifications\/[^/]+)\.json$/.test(path))
    return { parse: parseObject, serialize: (v) => canonicalJson(v) };
  return null;
}

/** A summary line with the renamed ids in it renamed. */
function renameInText(text: string, renamed: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [from, to] of renamed) out = out.split(from).join(to);
  return out;
}

function oneLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}
