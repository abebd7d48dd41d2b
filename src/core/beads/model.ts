// Beads: the record, its vocabulary, and the checks a stored bead must pass.
// Pure: no I/O. The store keeps beads at beads/<shard>/<id>.json.
import { canonicalJson } from '../canonical.ts';
import { checkIdentity, FatalError, UsageError } from '../errors.ts';

export const ISSUE_TYPES = ['plan', 'phase', 'task'] as const;
export const TIERS = ['plan', 'epic', 'legend'] as const;
export const STATUSES = ['open', 'claimed', 'in_progress', 'closed'] as const;
export const RESOLUTIONS = ['done', 'canceled', 'superseded'] as const;
export const SIZES = ['xsmall', 'small', 'medium', 'large', 'xlarge'] as const;

export type IssueType = (typeof ISSUE_TYPES)[number];
export type Tier = (typeof TIERS)[number];
export type Status = (typeof STATUSES)[number];
export type Resolution = (typeof RESOLUTIONS)[number];
export type Size = (typeof SIZES)[number];

export interface Dependency {
  depends_on_id: string;
  created_at: string;
  created_by: string | null;
}

export interface Link {
  kind: string;
  target: string;
}

export interface CloseRecord {
  closed_at: string | null;
  close_reason: string | null;
  resolution: Resolution | null;
  reopened_at: string;
  reopened_by: string | null;
}

/**
 * A blocker sase cannot see (an external reference, or a bead that is not
 * stored, as a dependency or as the parent) that someone marked satisfied.
 */
export interface Satisfied {
  ref: string;
  satisfied_at: string;
  satisfied_by: string | null;
}

export interface Bead {
  v: 1;
  kind: 'bead';
  id: string;
  title: string;
  issue_type: IssueType;
  tier: Tier | null;
  parent_id: string | null;
  status: Status;
  priority: number;
  assignee: string | null;
  owner: string | null;
  description: string;
  notes: string;
  design: string | null;
  size: Size | null;
  model: string | null;
  labels: string[];
  links: Link[];
  dependencies: Dependency[];
  created_at: string;
  created_by: string | null;
  updated_at: string;
  closed_at: string | null;
  close_reason: string | null;
  resolution: Resolution | null;
  close_history: CloseRecord[];
  /**
   * Ids among parent_id and the dependencies that named no stored bead when
   * the record was written (an import whose input left them out). Absent when
   * empty; the reference blocks until the bead exists or it is satisfied.
   */
  missing?: string[];
  /** Blockers sase cannot see marked satisfied (sase bead dep satisfy), by ref. Absent when empty. */
  satisfied?: Satisfied[];
}

/** The fields a bead carries only when they are not empty. */
export const OPTIONAL_KEYS = ['missing', 'satisfied'] as const;

export const LIMITS = {
  title: 500,
  text: 1 << 20, // description, notes, design: 1 MiB each
  label: 100,
  name: 200,
};

// prefix-hash with optional dotted child numbers; the prefix may itself hold dashes: at most 100
// characters of /^[a-z0-9][a-z0-9_]*(?:-[a-z0-9_]+)*-[a-z0-9]+(?:\.[0-9]+)*$/ (isValidIdAt scans it)
const PREFIX_RE = /^[a-z0-9][a-z0-9_]*(?:-[a-z0-9_]+)*$/;

export function isValidId(id: string): boolean {
  return isValidIdAt(id, 0, id.length);
}

/** Whether `s.slice(start, end)` is a valid bead id, told without making the slice. */
export function isValidIdAt(s: string, start: number, end: number): boolean {
  return idHashAt(s, start, end) >= 0;
}

/**
 * Where the hash of the id `s.slice(start, end)` starts (its index in `s`),
 * or -1 when that is not a valid bead id: the id pattern above scanned by
 * hand, making no string (the cold build checks 100,000 ids, each in a path
 * and in its record). The top part (up to the first dot) is two or more
 * dash-separated non-empty segments of a-z, 0-9 and _, the first not starting
 * with _ and the last (the hash) without _; then zero or more '.<digits>'.
 */
export function idHashAt(s: string, start: number, end: number): number {
  if (end - start > 100 || end <= start) return -1;
  let c = s.charCodeAt(start);
  if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return -1;
  let i = start + 1;
  let segment = start; // where the current segment starts
  let underscore = false; // whether the current segment holds '_'
  for (; i < end; i++) {
    c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) continue;
    if (c === 95) underscore = true;
    else if (c === 45) {
      if (i === segment) return -1;
      segment = i + 1;
      underscore = false;
    } else break;
  }
  if (segment === start || i === segment || underscore) return -1;
  // the child numbers: ('.' [0-9]+)*
  for (let j = i; j < end; ) {
    if (s.charCodeAt(j) !== 46) return -1;
    const digits = ++j;
    while (j < end) {
      c = s.charCodeAt(j);
      if (c < 48 || c > 57) break;
      j++;
    }
    if (j === digits) return -1;
  }
  return segment;
}

// bd's cross-project reference: external:<project>:<capability>
const EXTERNAL_RE = /^external:[A-Za-z0-9][A-Za-z0-9_.-]*:[A-Za-z0-9_.:/-]+$/;

/** An external reference (external:<project>:<capability>): a blocker in another project, never a bead here. */
export function isExternalRef(ref: string): boolean {
  return ref.length <= 200 && EXTERNAL_RE.test(ref);
}

/** What a dependency may name: a bead id or an external reference. */
export function isBlockerRef(ref: string): boolean {
  return isValidId(ref) || isExternalRef(ref);
}

/**
 * The bead with its missing and satisfied lists set, each in its one
 * canonical form: sorted, unique, and left out when empty.
 */
export function withOutside(b: Bead, lists: { missing?: string[]; satisfied?: Satisfied[] }): Bead {
  const out: Bead = { ...b };
  const missing = lists.missing === undefined ? b.missing : [...new Set(lists.missing)].sort();
  const bySat = new Map((lists.satisfied ?? b.satisfied ?? []).map((s) => [s.ref, s]));
  const satisfied = [...bySat.values()].sort((x, y) => (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0));
  delete out.missing;
  delete out.satisfied;
  if (missing?.length) out.missing = missing;
  if (satisfied.length) out.satisfied = satisfied;
  return out;
}

export function isValidPrefix(prefix: string): boolean {
  return prefix.length <= 40 && PREFIX_RE.test(prefix);
}

export interface IdParts {
  prefix: string;
  hash: string;
  /** '.1.2' for a grandchild, '' for a top-level id */
  suffix: string;
}

export function splitId(id: string): IdParts {
  const dot = id.indexOf('.');
  const top = dot < 0 ? id : id.slice(0, dot);
  const dash = top.lastIndexOf('-');
  return { prefix: top.slice(0, dash), hash: top.slice(dash + 1), suffix: dot < 0 ? '' : id.slice(dot) };
}

export function shardOf(id: string): string {
  return splitId(id).hash.slice(0, 2);
}

/** the state's directory of bead records */
export const BEADS_DIR = 'beads';

export function beadPath(id: string): string {
  if (!isValidId(id)) throw new UsageError(`'${id}' is not a valid bead id`);
  return `beads/${shardOf(id)}/${id}.json`;
}

export function idFromPath(path: string): string | null {
  const m = /^beads\/[a-z0-9_]{1,2}\/(.+)\.json$/.exec(path);
  return m && isValidId(m[1]!) ? m[1]! : null;
}

export function serializeBead(bead: Bead): string {
  return canonicalJson(bead);
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** A one-line text (title, name): no control characters, not empty, bounded. */
export function checkLine(field: string, value: string, max: number): string {
  if (value.trim() === '') throw new UsageError(`${field} must not be empty`);
  if (/[\n\r\u0000-\u001f\u007f]/.test(value))
    throw new UsageError(`${field} must be one line without control characters`);
  if (value.length > max) throw new UsageError(`${field} is too long (${value.length} characters, at most ${max})`);
  return value;
}

/** A multi-line text: tabs and newlines allowed, other control characters not. */
export function checkText(field: string, value: string, max = LIMITS.text): string {
  if (CONTROL.test(value.replace(/\r\n/g, '\n'))) throw new UsageError(`${field} must not contain control characters`);
  if (value.length > max) throw new UsageError(`${field} is too long (${value.length} characters, at most ${max})`);
  return value;
}

export function checkChoice<T extends string>(field: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${field} '${value}' is not one of ${choices.join(', ')}`);
  }
  return value as T;
}

export function checkPriority(value: unknown): number {
  // only a digit, optionally after 'p': Number() would take '', ' ', '0x2' or '1e0'
  const n =
    typeof value === 'number' ? value : /^p?[0-9]$/i.test(String(value)) ? Number(String(value).slice(-1)) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 4)
    throw new UsageError(`priority '${String(value)}' is not a whole number from 0 to 4`);
  return n;
}

const badBead = (where: string, what: string) => new FatalError(`${where}: ${what}`);

/** Structural check of a stored bead; names the first problem found. */
export function validateBead(b: unknown, where: string): Bead {
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw badBead(where, 'not a JSON object');
  const r = b as Record<string, unknown>;
  if (r.kind !== 'bead') throw badBead(where, `kind is not 'bead'`);
  if (r.v !== 1) throw badBead(where, `unsupported version ${JSON.stringify(r.v)}`);
  if (typeof r.id !== 'string' || !isValidId(r.id)) throw badBead(where, `invalid id ${JSON.stringify(r.id)}`);
  if (typeof r.title !== 'string') throw badBead(where, 'title is not a string');
  if (!ISSUE_TYPES.includes(r.issue_type as IssueType))
    throw badBead(where, `issue_type ${JSON.stringify(r.issue_type)} is unknown`);
  if (r.tier !== null && !TIERS.includes(r.tier as Tier))
    throw badBead(where, `tier ${JSON.stringify(r.tier)} is unknown`);
  if (!STATUSES.includes(r.status as Status)) throw badBead(where, `status ${JSON.stringify(r.status)} is unknown`);
  if (!Number.isInteger(r.priority) || (r.priority as number) < 0 || (r.priority as number) > 4)
    throw badBead(where, 'priority is not 0-4');
  if (r.parent_id !== null && (typeof r.parent_id !== 'string' || !isValidId(r.parent_id)))
    throw badBead(where, 'parent_id is invalid');
  const deps = r.dependencies;
  if (!Array.isArray(deps)) throw badBead(where, 'dependencies is not a list');
  for (let i = 0; i < deps.length; i++) {
    const d = deps[i] as Dependency;
    if (!d || typeof d.depends_on_id !== 'string' || !isBlockerRef(d.depends_on_id))
      throw badBead(where, 'a dependency names an invalid id');
  }
  if (
    r.missing !== undefined &&
    !(Array.isArray(r.missing) && r.missing.every((m) => typeof m === 'string' && isValidId(m)))
  )
    throw badBead(where, 'missing is not a list of bead ids');
  if (
    r.satisfied !== undefined &&
    !(
      Array.isArray(r.satisfied) &&
      r.satisfied.every(
        (s: Satisfied) =>
          s &&
          typeof s.ref === 'string' &&
          isBlockerRef(s.ref) &&
          typeof s.satisfied_at === 'string' &&
          (s.satisfied_by === null || typeof s.satisfied_by === 'string'),
      )
    )
  )
    throw badBead(where, 'satisfied is not a list of {ref, satisfied_at, satisfied_by}');
  if (!Array.isArray(r.labels) || !Array.isArray(r.links) || !Array.isArray(r.close_history))
    throw badBead(where, 'labels, links or close_history is not a list');
  if (r.size !== null && !SIZES.includes(r.size as Size))
    throw badBead(where, `size ${JSON.stringify(r.size)} is unknown`);
  if (r.resolution !== null && !RESOLUTIONS.includes(r.resolution as Resolution))
    throw badBead(where, 'resolution is unknown');
  if (typeof r.created_at !== 'string') throw badBead(where, 'created_at is not a string');
  if (typeof r.updated_at !== 'string') throw badBead(where, 'updated_at is not a string');
  return r as unknown as Bead;
}

export function parseBead(text: string, where: string): Bead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FatalError(`${where}: not valid JSON`);
  }
  return validateBead(value, where);
}

/** A bead as stored at `path` (beads/<shard>/<id>.json): refused, naming the path, when it holds another bead's record. */
export function parseStoredBead(text: string, path: string): Bead {
  const bead = parseBead(text, path);
  if (!isPathOf(path, bead.id)) checkIdentity(path, bead.id, idFromPath(path));
  return bead;
}

/**
 * Whether `path` is beads/<shard>/<id>.json for the valid id `id`, that is
 * whether idFromPath(path) === id, told without making a string. Only the
 * form of the shard is judged, as idFromPath does.
 */
function isPathOf(path: string, id: string): boolean {
  const at = path.length - 5 - id.length; // where the id starts: after beads/, one or two characters and /
  if (at < 8 || at > 9 || path.charCodeAt(at - 1) !== 47) return false;
  if (!path.startsWith('beads/') || !path.startsWith(id, at) || !path.endsWith('.json')) return false;
  for (let i = 6; i < at - 1; i++) {
    const c = path.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

export function newBead(fields: Partial<Bead> & Pick<Bead, 'id' | 'title' | 'created_at'>): Bead {
  return {
    v: 1,
    kind: 'bead',
    issue_type: 'task',
    tier: null,
    parent_id: null,
    status: 'open',
    priority: 2,
    assignee: null,
    owner: null,
    description: '',
    notes: '',
    design: null,
    size: null,
    model: null,
    labels: [],
    links: [],
    dependencies: [],
    created_by: null,
    updated_at: fields.created_at,
    closed_at: null,
    close_reason: null,
    resolution: null,
    close_history: [],
    ...fields,
  };
}
