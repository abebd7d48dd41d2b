// The runs of each bead, in the derived cache (ARCHITECTURE.md 2b): for one
// state tip, every run id with the bead it works and, for a run working a
// bead, its head (what `bead show` lists of it), so `bead show` starts no git
// process to read run records. Brought up to a new tip by the run records
// `git diff-tree` names; rebuilt from every record when it cannot be; always
// safe to delete.
//
// cache/runs-by-bead.tsv: a header line {"format","tip"}, then a line a run,
// by id: `<id>\t<bead as JSON, or null>\t<head>`, the head a JSON array of
// HEAD_FIELDS' values. The head is empty for a run working no bead, and for a
// record that cannot be trusted (malformed, or not where its id puts it):
// that record is read, and refused, by whoever wants it. JSON text holds no
// raw tab or newline, so a line's fields are found without parsing it, and
// only the lines of the beads asked about are parsed.
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

export function runIndexPath(snap: Snapshot): string {
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
  for (const line of text.split('\n').slice(1)) if (line) lines.set(line.slice(0, line.indexOf('\t')), line);
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
  return `${id}\t${JSON.stringify(bead)}\t${head}`;
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
  const body = [...lines.keys()].sort().map((id) => `${lines.get(id)}\n`);
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

/** The runs working any of these beads, found in the index: only their lines are parsed. */
export async function runsOfBeadsIndexed(snap: Snapshot, beads: readonly string[]): Promise<IndexedRun[]> {
  const text = await currentIndex(snap);
  const want = new Map(beads.map((b) => [JSON.stringify(b), b]));
  const found: IndexedRun[] = [];
  for (let start = text.indexOf('\n') + 1; start > 0 && start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const tab = text.indexOf('\t', start);
    const tab2 = tab < 0 ? -1 : text.indexOf('\t', tab + 1);
    const bead = tab2 >= 0 && tab2 < end ? want.get(text.slice(tab + 1, tab2)) : undefined;
    if (bead !== undefined) {
      const id = text.slice(start, tab);
      found.push({ id, head: headOf(id, bead, text.slice(tab2 + 1, end)) });
    }
    start = end + 1;
  }
  return found;
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
