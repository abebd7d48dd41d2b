// Bulk bead I/O. An import is one commit: every record serialised here,
// compared with the stored blob by id (no record is read to decide), written
// in one tree rewrite and one compare-and-swap. An export reads every bead
// through the one cat-file process.

import { isEpic, withPhase } from '../core/beads/bd.ts';
import { type Edge, type GraphNode, graphNode, loopClosingEdges, openBlockers } from '../core/beads/graph.ts';
import type { ImportOutcome } from '../core/beads/import.ts';
import type { Incoming } from '../core/beads/incoming.ts';
import {
  type Bead,
  beadPath,
  isValidId,
  parseStoredBead,
  serializeBead,
  shardOf,
  withOutside,
} from '../core/beads/model.ts';
import { type BeadOp, opSummary } from '../core/beads/ops.ts';
import { checkPath, MAX_STATE_BLOB } from '../core/layout.ts';
import { GitError } from '../git/exec.ts';
import { hashObject, loadHashing } from '../git/objects.ts';
import { type BeadRecord, beadToWire } from '../wire/bead.ts';
import { freshTable, type Progress } from './bead-cache.ts';
import { BEADS_DIR, readBeads, shortIdMap } from './beads.ts';
import type { Snapshot } from './snapshot.ts';
import { readStateObject, walkStateFiles } from './snapshot.ts';
import type { Store } from './store.ts';
import type { Changes } from './tree-writer.ts';

/** The parent and dependencies of stored beads, for finding the cycles an import would close. */
export interface StoredEdges {
  deps(id: string): readonly string[];
  parent(id: string): string | null;
}

/**
 * What importing `incoming` on top of `snap` writes, and how each record
 * fares. An edge that would close a cycle (with the input's earlier edges and
 * the stored ones, which `storedEdges` gives when an edge reaches the store) is
 * left out; a parent or dependency naming a bead neither imported nor stored
 * is kept and recorded in the bead's `missing` list.
 */
export async function planImport(
  snap: Snapshot,
  incoming: Incoming[],
  at: string,
  storedEdges?: () => Promise<StoredEdges>,
): Promise<{ outcome: Omit<ImportOutcome, 'commit'>; changes: Changes }> {
  await loadHashing();
  const byId = new Map(incoming.map((i) => [i.bead.id, i]));
  // shard listings answer "stored?" and "unchanged?" by blob id alone
  const shards = new Set<string>();
  for (const { bead } of incoming) {
    shards.add(shardOf(bead.id));
    for (const r of refsOf(bead)) if (isValidId(r)) shards.add(shardOf(r));
  }
  const listing = new Map<string, Map<string, string>>();
  await Promise.all(
    [...shards].map(async (s) => {
      const entries = await snap.tree(`${BEADS_DIR}/${s}`);
      listing.set(s, new Map((entries ?? []).map((e) => [e.name, e.oid])));
    }),
  );
  const storedOid = (id: string) => (isValidId(id) ? (listing.get(shardOf(id))?.get(`${id}.json`) ?? null) : null);
  const exists = (id: string) => byId.has(id) || storedOid(id) !== null;

  // edges that would close a cycle are left out, the later one in input order
  const depEdges: Edge[] = [];
  const parentEdges: Edge[] = [];
  let reachesStore = false;
  for (const { bead } of incoming) {
    const edges = (to: string, list: Edge[]) => {
      if (!exists(to)) return;
      list.push({ from: bead.id, to });
      if (!byId.has(to)) reachesStore = true;
    };
    if (bead.parent_id) edges(bead.parent_id, parentEdges);
    for (const d of bead.dependencies) edges(d.depends_on_id, depEdges);
  }
  const stored = reachesStore && storedEdges ? await storedEdges() : null;
  const fixedDeps = (id: string) => (byId.has(id) || !stored ? [] : stored.deps(id));
  const fixedParent = (id: string) => {
    const p = byId.has(id) || !stored ? null : stored.parent(id);
    return p ? [p] : [];
  };
  const outcome: Omit<ImportOutcome, 'commit'> = {
    created: [],
    updated: [],
    unchanged: [],
    dangling: [],
    cycles: [],
    retyped: [],
  };
  const cut = new Set<string>(); // `${from}\n${to}` of dependencies left out; parents left out by `${from}\n`
  for (const [as, list, fixed] of [
    ['dependency', depEdges, fixedDeps],
    ['parent', parentEdges, fixedParent],
  ] as const) {
    for (const { edge, cycle } of await loopClosingEdges(list, fixed)) {
      cut.add(as === 'parent' ? `${edge.from}\n` : `${edge.from}\n${edge.to}`);
      outcome.cycles.push({ id: edge.from, line: byId.get(edge.from)!.line, as, target: edge.to, cycle });
    }
  }
  outcome.cycles.sort((a, b) => a.line - b.line);
  const withoutLoops = (b: Bead): Bead =>
    cut.size === 0
      ? b
      : {
          ...b,
          parent_id: cut.has(`${b.id}\n`) ? null : b.parent_id,
          dependencies: b.dependencies.filter((d) => !cut.has(`${b.id}\n${d.depends_on_id}`)),
        };

  // the few stored records that matter: parents deciding a phase, and beads whose record had no times
  const need = new Set<string>();
  for (const i of incoming) {
    const parent = withoutLoops(i.bead).parent_id;
    const typed = i.phaseIfEpicParent || i.bead.issue_type === 'phase';
    if (typed && parent && !byId.has(parent) && storedOid(parent)) need.add(parent);
    if (i.untimed && storedOid(i.bead.id)) need.add(i.bead.id);
  }
  const storedBeads = new Map((await readBeads(snap, [...need])).map((b) => [b.id, b]));

  const finals = new Map<string, Bead>();
  const texts: string[] = [];
  for (const i of incoming) {
    let bead = withoutLoops(i.bead);
    const parent = bead.parent_id ? (byId.get(bead.parent_id)?.bead ?? storedBeads.get(bead.parent_id)) : undefined;
    if (i.phaseIfEpicParent && parent) bead = withPhase(bead, isEpic(parent));
    else if (bead.issue_type === 'phase' && (bead.parent_id === null || (parent && !isEpic(parent)))) {
      // a phase's parent must be an epic (sase bead create refuses, sase fsck reports): kept as a task;
      // one whose parent is missing stays a phase (what the parent is cannot be known)
      outcome.retyped.push({ id: bead.id, line: i.line, parent: bead.parent_id });
      bead = { ...bead, issue_type: 'task' };
    }
    const old = i.untimed ? storedBeads.get(bead.id) : undefined;
    if (old)
      bead = {
        ...bead,
        created_at: old.created_at,
        updated_at: bead.updated_at === at ? old.updated_at : bead.updated_at,
      };
    // what is missing is decided here, against this store; marks of references it no longer has are dropped
    const refs = refsOf(bead);
    const missing = refs.filter((r) => isValidId(r) && !exists(r));
    if (missing.length || bead.missing || bead.satisfied)
      bead = withOutside(bead, { missing, satisfied: (bead.satisfied ?? []).filter((x) => refs.includes(x.ref)) });
    if (missing.length)
      outcome.dangling.push({ id: bead.id, line: i.line, missing, parent: missing.includes(bead.parent_id ?? '') });
    finals.set(bead.id, bead);
    texts.push(serializeBead(bead));
  }
  // one encoding for all records, then views into it: 100,000 small Buffer.from calls cost a second
  const bytes = Buffer.from(texts.join(''));
  const changes: Changes = new Map();
  let offset = 0;
  [...finals.keys()].forEach((id, k) => {
    const data = bytes.subarray(offset, (offset += Buffer.byteLength(texts[k]!)));
    const had = storedOid(id);
    if (had === hashObject(snap.repo, 'blob', data)) outcome.unchanged.push(id);
    else {
      (had ? outcome.updated : outcome.created).push(id);
      changes.set(beadPath(id), data);
    }
  });
  return { outcome, changes };
}

/** The ids a bead names as its parent and its blockers, parent first. */
function refsOf(b: Bead): string[] {
  return [...(b.parent_id ? [b.parent_id] : []), ...b.dependencies.map((d) => d.depends_on_id)];
}

export interface ImportOptions {
  at: string;
  actor: string;
  /** plan against the current state and write nothing */
  dryRun?: boolean;
}

/**
 * Writes every incoming bead in one commit (an upsert: a stored bead with
 * the same id is replaced). Re-planned on every retry of the compare-and-swap.
 */
export async function importBeads(store: Store, incoming: Incoming[], opts: ImportOptions): Promise<ImportOutcome> {
  if (opts.dryRun) {
    const snap = await store.snapshot();
    const { outcome } = await planImport(snap, incoming, opts.at, () => storedEdgesAt(store, snap));
    return { ...outcome, commit: null };
  }
  const { result, commit } = await store.transact(async (snap) => {
    const { outcome, changes } = await planImport(snap, incoming, opts.at, () => storedEdgesAt(store, snap));
    // the op names the records; their contents are in this commit's tree (replay reads them there)
    const op: BeadOp = {
      op: 'bead.import',
      ids: [...outcome.created, ...outcome.updated].sort(),
      at: opts.at,
      actor: opts.actor,
    };
    return { op, summary: opSummary(op), changes, result: outcome };
  });
  return { ...result, commit };
}

/** Every stored bead's parent and dependencies, from the bead cache (brought up to the snapshot's tip). */
async function storedEdgesAt(store: Store, snap: Snapshot): Promise<StoredEdges> {
  const table = await freshTable(store, snap.tip);
  return {
    deps: (id) => table.beads.get(id)?.deps ?? [],
    parent: (id) => table.beads.get(id)?.parent_id ?? null,
  };
}

/** Every bead at the snapshot's tip, in no particular order: its shards, then every record, through one cat-file. */
export async function readAllBeads(store: Store, snap: Snapshot, progress?: Progress): Promise<Bead[]> {
  if (!snap.tip) return [];
  const files = (await walkStateFiles(store.cat, store.repo, `${snap.tip}:${BEADS_DIR}`, BEADS_DIR)) ?? [];
  for (const f of files) checkPath(f.path, f.mode);
  let done = 0;
  return Promise.all(
    files.map(async (f) => {
      const obj = await readStateObject(store.cat, f.oid, f.path, MAX_STATE_BLOB);
      if (!obj) throw new GitError(['cat-file'], 128, `missing blob ${f.oid} for ${f.path}`);
      if (progress && ++done % 2000 === 0) progress(done, files.length);
      return parseStoredBead(obj.data.toString('utf8'), f.path);
    }),
  );
}

/**
 * Wire records (as sase-bead-list prints them) for `chosen`, with each one's
 * blocked flag decided against `all` in memory: an export has every bead
 * at hand, so asking the store bead by bead would only be slower.
 */
export async function wireRecordsFrom(snap: Snapshot, chosen: Bead[], all: Bead[]): Promise<BeadRecord[]> {
  const nodes = new Map<string, GraphNode>();
  for (const b of all) nodes.set(b.id, graphNode(b));
  const lookup = (id: string) => nodes.get(id);
  const shorts = await shortIdMap(
    snap,
    chosen.map((b) => b.id),
  );
  return chosen.map((b) =>
    beadToWire(b, shorts.get(b.id) ?? b.id, { blocked: openBlockers(nodes.get(b.id)!, lookup).length > 0 }),
  );
}
