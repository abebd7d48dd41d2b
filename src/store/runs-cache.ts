// The runs of each bead, in the derived cache (ARCHITECTURE.md 2b): for one
// state tip, every run id with the bead it works and, for a run working a
// bead, its head (what `bead show` lists of it), so `bead show` starts no git
// process to read run records. Brought up to a new tip by the run records
// `git diff-tree` names; rebuilt from every record when it cannot be; always
// safe to delete.
//
// cache/runs-by-bead.tsv: a header line {"format","tip"}, then a line a run,
// `<bead as JSON, or null>\t<id>\t<head>`, the head a JSON array of
// HEAD_FIELDS' values; the lines sorted, so a bead's runs are together and
// found by a binary search, no other line read. The head is empty for a run
// working no bead, and for a record that cannot be trusted (malformed, or not
// where its id puts it): that record is read, and refused, by whoever wants
// it. JSON text holds no raw tab or newline (nor anything below a tab), so
// a line's fields are found without parsing it, and sorting whole lines
// sorts them by bead first.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AGENTS_DIR, checkStoredRun, type RunHead, runFromJson, runHead, runPath } from '../core/agents/run.ts';
import { diffTrees } from '../git/history.ts';
import { localPath } from '../git/repo.ts';
import { writeFileAtomic } from '../proc/files.ts';
import type { Snapshot } from './snapshot.ts';

const FORMAT = 2;
const RUN_FILE = /^agents\/[^/]+\/(r-[0-9a-z]{8})\.json$/;
/** A head's fields in the order the index keeps them (its id and bead are the line's own fields). */
const HEAD_FIELDS = [
  'name',
  'status',
  'error',
  'wait_reason',
  'started_at',
  'ended_at',
  'seq',
  'created_at',
  'retry_of',
  'resume_of',
  'pid',
  'host',
] as const satisfies readonly (keyof RunHead)[];

function runIndexPath(snap: Snapshot): string {
  return localPath(snap.repo, 'cache', 'runs-by-bead.tsv');
}

/** Where format 1 kept the index (JSON): removed when the new one is written. */
function oldIndexPath(snap: Snapshot): string {
  return localPath(snap.repo, 'cache', 'runs-by-bead.json');
}

/** The stored index text and the tip it is for, when it is of this format. */
function load(snap: Snapshot): { tip: string | null; text: string } | null {
  try {
    const text = readFileSync(runIndexPath(snap), 'utf8');
    const head = JSON.parse(text.slice(0, text.indexOf('\n'))) as { format?: unknown; tip?: unknown };
    return head.format === FORMAT ? { tip: typeof head.tip === 'string' ? head.tip : null, text } : null;
  } catch {
    return null;
  }
}

/** The index's lines by run id. */
function linesOf(text: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const tab = line.indexOf('\t');
    if (tab >= 0) lines.set(line.slice(tab + 1, line.indexOf('\t', tab + 1)), line);
  }
  return lines;
}

/** A run's line, from its record at `path` (read here; checked whole only for its head). */
async function lineOf(snap: Snapshot, id: string, path: string): Promise<string> {
  const text = await snap.readText(path);
  let value: unknown = null;
  try {
    value = text === null ? null : JSON.parse(text);
  } catch {
    // a malformed record works no bead here: it is reported by whoever reads it whole
  }
  const field = (value as { bead?: unknown } | null)?.bead;
  const bead = typeof field === 'string' ? field : null;
  let head = '';
  if (bead !== null && path === runPath(id)) {
    try {
      const run = runHead(checkStoredRun(path, runFromJson(value, path)));
      head = JSON.stringify(HEAD_FIELDS.map((k) => run[k]));
    } catch {
      // left empty: the record is read, and refused, where it is wanted
    }
  }
  return `${JSON.stringify(bead)}\t${id}\t${head}`;
}

async function build(snap: Snapshot): Promise<Map<string, string>> {
  const paths: string[] = [];
  for (const s of ((await snap.tree(AGENTS_DIR)) ?? []).filter((e) => e.mode === '40000'))
    for (const e of (await snap.tree(`${AGENTS_DIR}/${s.name}`)) ?? [])
      if (RUN_FILE.test(`${AGENTS_DIR}/${s.name}/${e.name}`)) paths.push(`${AGENTS_DIR}/${s.name}/${e.name}`);
  const ids = paths.map((p) => RUN_FILE.exec(p)![1]!);
  const lines = await Promise.all(paths.map((p, i) => lineOf(snap, ids[i]!, p)));
  return new Map(ids.map((id, i) => [id, lines[i]!]));
}

/** The index text for the snapshot's tip: as stored when it is for that tip, else brought up to it and stored. */
async function currentIndex(snap: Snapshot): Promise<string> {
  const old = load(snap);
  if (old && old.tip === snap.tip) return old.text;
  let lines: Map<string, string> | null = null;
  if (old?.tip && snap.tip) {
    try {
      const changes = await diffTrees(snap.repo, old.tip, snap.tip);
      lines = linesOf(old.text);
      for (const c of changes) {
        const id = RUN_FILE.exec(c.path)?.[1];
        if (!id) continue;
        if (c.oid === null) lines.delete(id);
        else lines.set(id, await lineOf(snap, id, c.path));
      }
    } catch {
      lines = null; // the cached tip is gone (history rewritten): start over
    }
  }
  lines ??= await build(snap);
  const body = [...lines.values()].sort().map((line) => `${line}\n`);
  const text = `${JSON.stringify({ format: FORMAT, tip: snap.tip })}\n${body.join('')}`;
  try {
    mkdirSync(join(runIndexPath(snap), '..'), { recursive: true });
    writeFileAtomic(runIndexPath(snap), text);
    rmSync(oldIndexPath(snap), { force: true });
  } catch {
    // a cache that cannot be written is read from the records next time
  }
  return text;
}

/** Every run id at the snapshot's tip, the cache brought up to date first. */
export async function runIds(snap: Snapshot): Promise<string[]> {
  return [...linesOf(await currentIndex(snap)).keys()];
}

/** A run of the index: its head, or null when its record is to be read. */
export interface IndexedRun {
  id: string;
  head: RunHead | null;
}

/** The runs working any of these beads, found in the index: only their lines are read. */
export async function runsOfBeadsIndexed(snap: Snapshot, beads: readonly string[]): Promise<IndexedRun[]> {
  const text = await currentIndex(snap);
  const found: IndexedRun[] = [];
  for (const bead of new Set(beads)) {
    const key = JSON.stringify(bead);
    for (let start = firstLineFrom(text, key); start < text.length; ) {
      const tab = text.indexOf('\t', start);
      if (tab < 0 || text.slice(start, tab) !== key) break;
      const tab2 = text.indexOf('\t', tab + 1);
      let end = text.indexOf('\n', tab);
      if (end < 0) end = text.length;
      if (tab2 < 0 || tab2 > end) break; // a damaged line: the index is made again next time the tip moves
      const id = text.slice(tab + 1, tab2);
      found.push({ id, head: headOf(id, bead, text.slice(tab2 + 1, end)) });
      start = end + 1;
    }
  }
  return found;
}

/** Where the first line whose bead field is not below `key` starts (the lines are sorted by it), by a binary search. */
function firstLineFrom(text: string, key: string): number {
  let lo = text.indexOf('\n') + 1; // the first line after the header
  let hi = text.length;
  if (lo === 0) return hi;
  // lo and hi are line starts; the line holding `mid` decides which half the answer is in
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = text.lastIndexOf('\n', mid - 1) + 1;
    const tab = text.indexOf('\t', start);
    if (tab >= 0 && text.slice(start, tab) < key) {
      const end = text.indexOf('\n', mid);
      lo = end < 0 ? text.length : end + 1;
    } else hi = start;
  }
  return lo;
}

/** A head from its line, or null when it is empty or damaged (the record is read instead). */
function headOf(id: string, bead: string, text: string): RunHead | null {
  if (!text) return null;
  try {
    const values = JSON.parse(text) as unknown[];
    if (!Array.isArray(values) || values.length !== HEAD_FIELDS.length) return null;
    return { id, bead, ...Object.fromEntries(HEAD_FIELDS.map((k, i) => [k, values[i]])) } as RunHead;
  } catch {
    return null;
  }
}
