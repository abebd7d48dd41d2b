// Bulk bead I/O. An import is one commit: every record serialised here,
// compared with the stored blob by id (no record is read to decide), written
// in one tree rewrite and one compare-and-swap. An export reads every bead
// through the one cat-file process.

import { isEpic, withPhase } from '../core/beads/bd.ts';
import { cyclesIn, type GraphNode, graphNode, openBlockers } from '../core/beads/graph.ts';
import type { ImportOutcome } from '../core/beads/import.ts';
import type { Incoming } from '../core/beads/incoming.ts';
import { type Bead, beadPath, parseStoredBead, serializeBead, shardOf } from '../core/beads/model.ts';
import { type BeadOp, opSummary } from '../core/beads/ops.ts';
import { checkPath, MAX_STATE_BLOB } from '../core/layout.ts';
import { GitError } from '../git/exec.ts';
import { hashObject, loadHashing } from '../git/objects.ts';
import { type BeadRecord, beadToWire } from '../wire/bead.ts';
import type { Progress } from './bead-cache.ts';
import { BEADS_DIR, readBeads, shortIdMap } from './beads.ts';
import type { Snapshot } from './snapshot.ts';
import { readStateObject, walkStateFiles } from './snapshot.ts';
import type { Store } from './store.ts';
import type { Changes } from './tree-writer.ts';

/** What importing `incoming` on top of `snap` writes, and how each record fares. */
export async function planImport(
  snap: Snapshot,
  incoming: Incoming[],
  at: string,
): Promise<{ outcome: Omit<ImportOutcome, 'commit'>; changes: Changes }> {
  await loadHashing();
  const byId = new Map(incoming.map((i) => [i.bead.id, i]));
  // shard listings answer "stored?" and "unchanged?" by blob id alone
  const shards = new Set<string>();
  for (const { bead } of incoming) {
    shards.add(shardOf(bead.id));
    if (bead.parent_id) shards.add(shardOf(bead.parent_id));
    for (const d of bead.dependencies) shards.add(shardOf(d.depends_on_id));
  }
  const listing = new Map<string, Map<string, string>>();
  await Promise.all(
    [...shards].map(async (s) => {
      const entries = await snap.tree(`${BEADS_DIR}/${s}`);
      listing.set(s, new Map((entries ?? []).map((e) => [e.name, e.oid])));
    }),
  );
  const storedOid = (id: string) => listing.get(shardOf(id))?.get(`${id}.json`) ?? null;

  // the few stored records that matter: parents deciding a phase, and beads whose record had no times
  const need = new Set<string>();
  for (const i of incoming) {
    const parent = i.bead.parent_id;
    if (i.phaseIfEpicParent && parent && !byId.has(parent) && storedOid(parent)) need.add(parent);
    if (i.untimed && storedOid(i.bead.id)) need.add(i.bead.id);
  }
  const stored = new Map((await readBeads(snap, [...need])).map((b) => [b.id, b]));

  const outcome: Omit<ImportOutcome, 'commit'> = { created: [], updated: [], unchanged: [], dangling: [], cycles: [] };
  const finals = new Map<string, Bead>();
  const texts: string[] = [];
  for (const i of incoming) {
    let bead = i.bead;
    if (i.phaseIfEpicParent) {
      const parent = bead.parent_id!;
      bead = withPhase(bead, isEpic(byId.get(parent)?.bead ?? stored.get(parent)));
    }
    const old = i.untimed ? stored.get(bead.id) : undefined;
    if (old)
      bead = {
        ...bead,
        created_at: old.created_at,
        updated_at: bead.updated_at === at ? old.updated_at : bead.updated_at,
      };
    finals.set(bead.id, bead);
    texts.push(serializeBead(bead));
    const missing = [bead.parent_id, ...bead.dependencies.map((d) => d.depends_on_id)].filter(
      (r): r is string => r !== null && !byId.has(r) && !storedOid(r),
    );
    if (missing.length) outcome.dangling.push({ id: bead.id, line: i.line, missing });
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
  outcome.cycles = cyclesIn(finals.keys(), (id) =>
    (finals.get(id)?.dependencies ?? []).map((d) => d.depends_on_id).filter((d) => finals.has(d)),
  );
  return { outcome, changes };
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
    const { outcome } = await planImport(await store.snapshot(), incoming, opts.at);
    return { ...outcome, commit: null };
  }
  const { result, commit } = await store.transact(async (snap) => {
    const { outcome, changes } = await planImport(snap, incoming, opts.at);
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
