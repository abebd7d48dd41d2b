// A shard's excerpts (FORMATS.md, "Bead excerpts"): excerpts/<shard> in the
// state holds, for the records of beads/<shard>, what the bead table keeps of
// each, a line a bead, under a header naming the shard's tree. Written with
// the records in the same commit, so a cold read of 100,000 beads parses a
// fifth of the bytes; trusted only while the header names the shard's tree
// as it is, so a shard written without them (an older sase) costs speed,
// never a wrong answer.
import type { Bead } from './model.ts';
import { type Excerpt, excerptOf } from './table.ts';

export const EXCERPTS_DIR = 'excerpts';

/** Whether `path` is a shard's excerpts: derived, made again by every writer, never copied. */
export const isExcerptsPath = (path: string) => path.startsWith(`${EXCERPTS_DIR}/`);
const EXCERPTS_VERSION = 1;

type Line = [
  id: string,
  oid: string,
  title: string,
  issue_type: string,
  tier: string | null,
  status: string,
  priority: number,
  parent_id: string | null,
  assignee: string | null,
  deps: string[],
  labels: string[],
  created_at: string,
  updated_at: string,
  satisfied: string[],
];

/** One bead's line (with its newline): the same record, the same bytes. */
export function excerptLine(bead: Bead, oid: string): string {
  return lineOf(excerptOf(bead, oid));
}

export function lineOf(e: Excerpt): string {
  const line: Line = [
    e.id,
    e.oid,
    e.title,
    e.issue_type,
    e.tier,
    e.status,
    e.priority,
    e.parent_id,
    e.assignee,
    e.deps,
    e.labels,
    e.created_at,
    e.updated_at,
    e.satisfied ?? [],
  ];
  return `${JSON.stringify(line)}\n`;
}

function headerLine(tree: string): string {
  return `${JSON.stringify({ tree, v: EXCERPTS_VERSION })}\n`;
}

/** The file for a shard whose tree is `tree`, from its beads' lines (any order). */
export function excerptsFile(tree: string, lines: Iterable<[id: string, line: string]>): string {
  const sorted = [...lines].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return headerLine(tree) + sorted.map(([, l]) => l).join('');
}

/** The tree a file names, or null when it is not a file of this version. */
export function excerptsTree(body: Buffer): string | null {
  const nl = body.indexOf(10);
  if (nl < 0) return null;
  try {
    const h = JSON.parse(body.subarray(0, nl).toString('utf8')) as { tree?: unknown; v?: unknown };
    return h.v === EXCERPTS_VERSION && typeof h.tree === 'string' ? h.tree : null;
  } catch {
    return null;
  }
}

/**
 * The lines after the header by id, each with its record's blob id and the
 * line (with its newline), for a writer that replaces some: read without
 * parsing (an id and a blob id hold no character JSON escapes).
 */
export function excerptLines(body: Buffer): Map<string, { oid: string; line: string }> {
  const lines = new Map<string, { oid: string; line: string }>();
  for (const l of scanLines(body)) lines.set(l.id, { oid: l.oid, line: l.line() });
  return lines;
}

/** Whether every line's blob id passes `test` (stops at the first that does not). */
export function everyExcerptOid(body: Buffer, test: (oid: string) => boolean): boolean {
  for (const l of scanLines(body)) if (!test(l.oid)) return false;
  return true;
}

/** Each line's id and blob id, one by one, and the line itself when asked for. */
function* scanLines(body: Buffer): Generator<{ id: string; oid: string; line: () => string }> {
  const text = body.toString('utf8');
  for (let at = text.indexOf('\n') + 1; at < text.length; ) {
    const end = text.indexOf('\n', at);
    const idEnd = text.indexOf('","', at + 2);
    if (end < 0 || idEnd < 0 || !text.startsWith('["', at)) throw new Error('an excerpt is not a line of its own');
    const from = at;
    yield {
      id: text.slice(at + 2, idEnd),
      oid: text.slice(idEnd + 3, text.indexOf('"', idEnd + 3)),
      line: () => text.slice(from, end + 1),
    };
    at = end + 1;
  }
}

/**
 * The listing of the shard a file describes: a record a line, `<id>.json`
 * with its blob id, in git's order. Its tree is the one the header names
 * only if every entry is a plain file (hash it to know).
 */
export function excerptsListing(body: Buffer): { mode: string; name: string; oid: string }[] {
  return [...excerptLines(body)]
    .map(([id, l]) => ({ mode: '100644', name: `${id}.json`, oid: l.oid }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The excerpts a file holds (blocked not yet known: false); throws on a malformed one. */
export function parseExcerpts(body: Buffer): Excerpt[] {
  return parseExcerptLines(body.subarray(body.indexOf(10) + 1));
}

/** where the lines are made one JSON array, grown as needed (the string parsed is a copy) */
let scratch = Buffer.alloc(0);

/**
 * Excerpts from their lines alone (no header), as a file holds them: one
 * JSON.parse of the lines as an array, its commas put in their newlines'
 * places in the bytes (a newline in JSON text is only ever between lines),
 * so a cold build's 21 MB at 100,000 beads are decoded once and copied no more.
 */
export function parseExcerptLines(lines: Buffer | string): Excerpt[] {
  const bytes = typeof lines === 'string' ? Buffer.from(lines) : lines;
  if (!bytes.length) return [];
  if (bytes[bytes.length - 1] !== 10) throw new Error('an excerpt line is cut short');
  if (scratch.length < bytes.length + 1) scratch = Buffer.allocUnsafe(Math.max(bytes.length + 1, 2 * scratch.length));
  // '[', the lines, their last newline made ']'
  const json = scratch.subarray(0, bytes.length + 1);
  json[0] = 0x5b;
  bytes.copy(json, 1);
  json[bytes.length] = 0x5d;
  for (let at = json.indexOf(10); at >= 0; at = json.indexOf(10, at + 1)) json[at] = 0x2c;
  const rows = JSON.parse(json.toString('utf8')) as unknown[];
  return rows.map(toExcerpt);
}

const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const strs = (v: unknown): v is string[] => Array.isArray(v) && v.every(str);

function toExcerpt(row: unknown): Excerpt {
  if (!Array.isArray(row) || row.length !== 14) throw new Error('an excerpt is not a line of 14 fields');
  const [id, oid, title, issue_type, tier, status, priority, parent_id, assignee, deps, labels, c, u, satisfied] =
    row as Line;
  if (
    !(str(id) && str(oid) && str(title) && str(issue_type) && strOrNull(tier) && str(status)) ||
    !(Number.isInteger(priority) && strOrNull(parent_id) && strOrNull(assignee)) ||
    !(strs(deps) && strs(labels) && str(c) && str(u) && strs(satisfied))
  )
    throw new Error(`the excerpt of '${String(id)}' has a field of the wrong type`);
  return {
    id,
    title,
    issue_type,
    tier,
    status,
    priority,
    parent_id,
    assignee,
    deps,
    labels,
    created_at: c,
    updated_at: u,
    satisfied,
    oid,
    blocked: false,
  };
}
