// Beads in the state ref: reading them from a snapshot, resolving typed ids
// against their shard, and committing bead operations.

import { parseIdInput, resolveAgainst, shortIds } from '../core/beads/ids.ts';
import {
  BEADS_DIR,
  type Bead,
  beadPath,
  idFromPath,
  isValidId,
  parseStoredBead,
  serializeBead,
  splitId,
} from '../core/beads/model.ts';
import { type BeadChange, type BeadOp, opSummary } from '../core/beads/ops.ts';
import { pushTo } from '../core/collections.ts';
import { applyBeadOpWithPlans } from '../core/sdd/effects.ts';
import type { FileChange, SddReader } from '../core/sdd/ops.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';
import type { Changes } from './tree-writer.ts';

export { BEADS_DIR };

/** The ids stored in one shard directory. */
export async function shardIds(snap: Snapshot, shard: string): Promise<string[]> {
  const entries = await snap.tree(`${BEADS_DIR}/${shard}`);
  const out: string[] = [];
  for (const e of entries ?? []) {
    const id = idFromPath(`${BEADS_DIR}/${shard}/${e.name}`);
    if (id) out.push(id);
  }
  return out;
}

/** Every id that could match a typed hash prefix (its shard's ids). */
async function candidatesFor(snap: Snapshot, hashPrefix: string): Promise<string[]> {
  const head = hashPrefix.slice(0, 2);
  if (head.length === 2) return shardIds(snap, head);
  const shards = ((await snap.tree(BEADS_DIR)) ?? []).filter((e) => e.name.startsWith(head)).map((e) => e.name);
  return (await Promise.all(shards.map((s) => shardIds(snap, s)))).flat();
}

/** Resolves what a person typed (full id, short id, hash prefix) to full ids. */
export async function resolveIds(snap: Snapshot, inputs: string[]): Promise<string[]> {
  return Promise.all(
    inputs.map(async (input) => {
      const ref = parseIdInput(input);
      return resolveAgainst(input, await candidatesFor(snap, ref.hashPrefix));
    }),
  );
}

/** The shortest unique form of each id. */
export async function shortIdMap(snap: Snapshot, ids: string[]): Promise<Map<string, string>> {
  const byShard = new Map<string, string[]>();
  for (const id of ids) {
    const shard = splitId(id).hash.slice(0, 2);
    pushTo(byShard, shard, id);
  }
  const out = new Map<string, string>();
  await Promise.all(
    [...byShard].map(async ([shard, list]) => {
      const hashes = (await shardIds(snap, shard)).map((id) => splitId(id).hash);
      for (const [k, v] of shortIds(list, hashes)) out.set(k, v);
    }),
  );
  return out;
}

export interface RelationIndex {
  childrenOf(id: string): Promise<string[]>;
  dependantsOf(id: string): Promise<string[]>;
}

/**
 * The reader operations get over a snapshot: beads and plan files. Children named `<id>.<n>` come from the shard;
 * other parent links and reverse dependencies need the whole-store index,
 * loaded only when an operation asks for them.
 */
export class SnapshotBeadReader implements SddReader {
  private cache = new Map<string, Promise<Bead | null>>();
  private index: Promise<RelationIndex> | null = null;

  constructor(
    readonly snap: Snapshot,
    private readonly relations: () => Promise<RelationIndex>,
  ) {}

  get(id: string): Promise<Bead | null> {
    let hit = this.cache.get(id);
    if (!hit) {
      hit = isValidId(id)
        ? this.snap.readText(beadPath(id)).then((t) => (t === null ? null : parseStoredBead(t, beadPath(id))))
        : Promise.resolve(null);
      this.cache.set(id, hit);
    }
    return hit;
  }

  readFile(path: string): Promise<string | null> {
    return this.snap.readText(path);
  }

  async list(dir: string): Promise<string[]> {
    return ((await this.snap.tree(dir)) ?? []).filter((e) => e.mode !== '40000').map((e) => e.name);
  }

  private rel(): Promise<RelationIndex> {
    this.index ??= this.relations();
    return this.index;
  }

  async childrenOf(id: string): Promise<string[]> {
    return (await this.rel()).childrenOf(id);
  }

  async dependantsOf(id: string): Promise<string[]> {
    return (await this.rel()).dependantsOf(id);
  }
}

/** Bead and file changes as the paths and contents the tree writer takes. */
export function stateChangesToTree(beads: BeadChange[], files: FileChange[] = []): Changes {
  const out: Changes = new Map();
  for (const c of beads) out.set(beadPath(c.id), c.bead ? Buffer.from(serializeBead(c.bead)) : null);
  for (const f of files) out.set(f.path, f.text === null ? null : Buffer.from(f.text));
  return out;
}

export interface BeadCommit {
  changes: BeadChange[];
  commit: string | null;
  op: BeadOp;
}

/**
 * Builds an operation from the current state and commits it; rebuilt and
 * re-applied on every retry, so a lost race is decided on the winner's state.
 */
export async function commitBeadOp(
  store: Store,
  relations: (snap: Snapshot) => Promise<RelationIndex>,
  makeOp: (reader: SnapshotBeadReader) => Promise<BeadOp>,
): Promise<BeadCommit> {
  const { result, commit } = await store.transact(async (snap) => {
    const reader = new SnapshotBeadReader(snap, () => relations(snap));
    const op = await makeOp(reader);
    const { beads: changes, files } = await applyBeadOpWithPlans(reader, op);
    return { op, summary: opSummary(op), changes: stateChangesToTree(changes, files), result: { changes, op } };
  });
  return { ...result, commit };
}

/** Reads many beads through the one cat-file process; missing ones (external references too) are skipped. */
export async function readBeads(snap: Snapshot, ids: string[]): Promise<Bead[]> {
  const texts = await Promise.all(ids.map((id) => (isValidId(id) ? snap.readText(beadPath(id)) : null)));
  const out: Bead[] = [];
  texts.forEach((t, i) => {
    if (t !== null) out.push(parseStoredBead(t, beadPath(ids[i]!)));
  });
  return out;
}
