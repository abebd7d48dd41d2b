// The runs of each bead, in the derived cache (ARCHITECTURE.md 2b): every run
// id with the bead it works, for one state tip, so `bead show` reads the few
// runs of its bead instead of every run record. Brought up to a new tip by
// the run records `git diff-tree` names; rebuilt from every record when it
// cannot be; always safe to delete.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENTS_DIR } from '../core/agents/run.ts';
import { diffTrees } from '../git/history.ts';
import { localPath } from '../git/repo.ts';
import { writeFileAtomic } from '../proc/files.ts';
import type { Snapshot } from './snapshot.ts';

const FORMAT = 1;
const RUN_FILE = /^agents\/[^/]+\/(r-[0-9a-z]{8})\.json$/;

interface RunIndex {
  format: number;
  tip: string | null;
  /** run id -> the bead it works (null: none) */
  runs: Record<string, string | null>;
}

export function runIndexPath(snap: Snapshot): string {
  return localPath(snap.repo, 'cache', 'runs-by-bead.json');
}

function load(snap: Snapshot): RunIndex | null {
  try {
    const index = JSON.parse(readFileSync(runIndexPath(snap), 'utf8')) as RunIndex;
    return index.format === FORMAT ? index : null;
  } catch {
    return null;
  }
}

/** The bead a stored run works, read from its record (the field alone: the record is checked where it is used). */
async function beadOf(snap: Snapshot, path: string): Promise<string | null> {
  const text = await snap.readText(path);
  if (text === null) return null;
  try {
    const bead = (JSON.parse(text) as { bead?: unknown }).bead;
    return typeof bead === 'string' ? bead : null;
  } catch {
    return null; // a malformed record is reported by whoever reads it whole
  }
}

async function build(snap: Snapshot): Promise<RunIndex> {
  const runs: Record<string, string | null> = {};
  const paths: string[] = [];
  for (const s of ((await snap.tree(AGENTS_DIR)) ?? []).filter((e) => e.mode === '40000'))
    for (const e of (await snap.tree(`${AGENTS_DIR}/${s.name}`)) ?? [])
      if (RUN_FILE.test(`${AGENTS_DIR}/${s.name}/${e.name}`)) paths.push(`${AGENTS_DIR}/${s.name}/${e.name}`);
  await Promise.all(
    paths.map(async (p) => {
      runs[RUN_FILE.exec(p)![1]!] = await beadOf(snap, p);
    }),
  );
  return { format: FORMAT, tip: snap.tip, runs };
}

/** Every run id at the snapshot's tip with the bead it works, the cache brought up to date first. */
export async function runIndex(snap: Snapshot): Promise<Record<string, string | null>> {
  const old = load(snap);
  if (old && old.tip === snap.tip) return old.runs;
  let index: RunIndex | null = null;
  if (old?.tip && snap.tip) {
    try {
      const changes = await diffTrees(snap.repo, old.tip, snap.tip);
      index = { format: FORMAT, tip: snap.tip, runs: old.runs };
      for (const c of changes) {
        const id = RUN_FILE.exec(c.path)?.[1];
        if (!id) continue;
        if (c.oid === null) delete index.runs[id];
        else index.runs[id] = await beadOf(snap, c.path);
      }
    } catch {
      index = null; // the cached tip is gone (history rewritten): start over
    }
  }
  index ??= await build(snap);
  try {
    mkdirSync(join(runIndexPath(snap), '..'), { recursive: true });
    writeFileAtomic(runIndexPath(snap), JSON.stringify(index));
  } catch {
    // a cache that cannot be written is read from the records next time
  }
  return index.runs;
}

/** The ids of the runs working any of these beads. */
export async function runIdsOfBeads(snap: Snapshot, beads: readonly string[]): Promise<string[]> {
  const want = new Set(beads);
  return Object.entries(await runIndex(snap))
    .filter(([, bead]) => bead !== null && want.has(bead))
    .map(([id]) => id);
}
