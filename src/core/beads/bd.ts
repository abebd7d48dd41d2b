// The Go `bd` tool's issues.jsonl <-> sase beads. Pure: records in, records out.
//
// bd has more types and statuses than sase. What sase has no field for is kept
// where an export can find it again: the bd type as the label `bd:type=<t>`,
// odd statuses as `bd:pinned` / `bd:status=<s>`, non-blocking edges as links,
// design and acceptance text as headed sections of notes and description.
// What bd has no field for (tier, size, model, resolution, ...) travels in a
// `sase` key of the exported record, which bd ignores and our import reads,
// so export-then-import gives back the same beads.
import { canonicalJson } from '../canonical.ts';
import { type Mapped, normalizeTime, quoteUntrusted } from './incoming.ts';
import {
  type Bead,
  checkPriority,
  type Dependency,
  isExternalRef,
  isValidId,
  type Link,
  newBead,
  type Status,
} from './model.ts';

export const LABEL_TYPE = 'bd:type=';
export const LABEL_PINNED = 'bd:pinned';
export const LABEL_STATUS = 'bd:status=';
export const DESIGN_HEADING = '## Design (from bd)';
export const ACCEPTANCE_HEADING = '## Acceptance criteria (from bd)';
/** the link kind that carries bd's `external_ref` */
export const EXTERNAL_REF = 'external-ref';

type Rec = Record<string, unknown>;

/** Said of an id that cannot become a path safely; ids are never rewritten. */
export const BAD_ID =
  "id cannot be a sase bead id (lower-case letters, digits, '_' and '-', then '-<hash>', optional '.<n>')";

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A design that is a one-line path (sdd/epics/x.md) stays in `design`; other text goes to notes. */
function isDesignPath(s: string): boolean {
  return (
    s.length <= 200 &&
    /^[A-Za-z0-9_.\-/]+$/.test(s) &&
    !s.split('/').includes('..') &&
    (s.includes('/') || s.endsWith('.md'))
  );
}

function appendSection(text: string, heading: string, body: string): string {
  const section = `${heading}\n\n${body}`;
  return text ? `${text}\n\n${section}` : section;
}

/** The inverse of appendSection: [text before, section body] or null. */
function splitSection(text: string, heading: string): [string, string] | null {
  const head = `${heading}\n\n`;
  if (text.startsWith(head)) return ['', text.slice(head.length)];
  const at = text.lastIndexOf(`\n\n${head}`);
  return at < 0 ? null : [text.slice(0, at), text.slice(at + 2 + head.length)];
}

/** The statuses bd knows (custom ones are a user's own, so worth a warning). */
const BD_STATUSES = new Set(['open', 'in_progress', 'blocked', 'deferred', 'closed', 'tombstone', 'pinned', 'hooked']);

/** bd status -> sase status and the label that remembers the original, or null to skip. */
function mapStatus(s: string): { status: Status; label: string | null } | null {
  switch (s) {
    case 'tombstone':
      return null;
    case 'open':
      return { status: 'open', label: null };
    case 'in_progress':
      return { status: 'in_progress', label: null };
    case 'hooked':
      return { status: 'in_progress', label: `${LABEL_STATUS}hooked` };
    case 'pinned':
      return { status: 'open', label: LABEL_PINNED };
    case 'closed':
      return { status: 'closed', label: null };
    default: // blocked (derived in sase), deferred, custom statuses
      return { status: 'open', label: `${LABEL_STATUS}${s}` };
  }
}

// `missing` is left out: an import decides it again against the store it writes to
const BEAD_KEYS = [...Object.keys(newBead({ id: 'x-0', title: 'x', created_at: '' })), 'satisfied'].filter(
  (k) => k !== 'v' && k !== 'kind' && k !== 'id',
) as Array<keyof Bead>;

/**
 * Maps one bd issue (old or new shape, with or without `_type`) to a bead.
 * `at` stands in for a missing creation time.
 */
export function bdToBead(rec: Rec, at: string): Mapped {
  const id = rec.id;
  if (typeof id !== 'string' || id === '') return { id: null, reason: 'record has no id', invalid: true };
  if (!isValidId(id)) {
    return { id, reason: BAD_ID, invalid: true };
  }
  const warnings: string[] = [];
  // what bd would not write is said, never dropped in silence (null and absent are the same)
  const given = (v: unknown) => v !== undefined && v !== null;
  if (given(rec.status) && typeof rec.status !== 'string')
    warnings.push(`status ${quoteUntrusted(rec.status)} is not a string; taken as open`);
  const bdStatus = str(rec.status) ?? 'open';
  const st = mapStatus(bdStatus);
  if (!st) return { id, reason: 'tombstone (deleted in bd)', invalid: false };
  if (!BD_STATUSES.has(bdStatus))
    warnings.push(`status ${quoteUntrusted(bdStatus)} is not one bd knows; kept as the label ${st.label}, open`);
  const bdType = str(rec.issue_type) ?? 'task';
  const labels = new Set<string>();
  if (given(rec.labels) && !Array.isArray(rec.labels))
    warnings.push(`labels ${quoteUntrusted(rec.labels)} is not a list; left out`);
  for (const l of Array.isArray(rec.labels) ? rec.labels : []) labels.add(l as string); // checked later, with the bead
  if (st.label) labels.add(st.label);
  if (rec.pinned === true) labels.add(LABEL_PINNED);
  if (bdType !== 'epic') labels.add(`${LABEL_TYPE}${bdType}`);

  const createdRaw = normalizeTime(rec.created_at);
  const created = createdRaw ?? at;
  const updated = normalizeTime(rec.updated_at) ?? created;
  let priority = 2;
  if (rec.priority !== undefined && rec.priority !== null) {
    try {
      priority = checkPriority(rec.priority);
    } catch {
      warnings.push(`priority ${quoteUntrusted(rec.priority)} is not 0-4; using 2`);
    }
  }

  // edges: the `parent` field first, then dependencies in their order
  let parent: string | null = null;
  const links: Link[] = [];
  const deps: Dependency[] = [];
  const addLink = (kind: string, target: string) => {
    if (!links.some((l) => l.kind === kind && l.target === target)) links.push({ kind, target });
  };
  // bd writes `parent`; a record that says parent_id means the same
  const parentKey = given(rec.parent) ? 'parent' : 'parent_id';
  const parentField = rec[parentKey];
  if (typeof parentField === 'string' && parentField) {
    if (isValidId(parentField)) parent = parentField;
    else {
      addLink('parent-child', parentField);
      warnings.push(`parent ${quoteUntrusted(parentField)} is not a valid id; kept as a link`);
    }
  } else if (given(parentField) && parentField !== '')
    warnings.push(`${parentKey} ${quoteUntrusted(parentField)} is not a bead id; left out`);
  if (given(rec.dependencies) && !Array.isArray(rec.dependencies))
    warnings.push(`dependencies ${quoteUntrusted(rec.dependencies)} is not a list; left out`);
  for (const d of Array.isArray(rec.dependencies) ? (rec.dependencies as Rec[]) : []) {
    const target = d && typeof d === 'object' ? str(d.depends_on_id) : null;
    if (!target) {
      warnings.push(`a dependency ${quoteUntrusted(d)} is not an object with a depends_on_id; left out`);
      continue;
    }
    const kind = str(d.type) ?? 'blocks';
    if (kind === 'parent-child' && isValidId(target)) {
      if (parent === null) parent = target;
      else if (parent !== target) addLink(kind, target);
    } else if (kind === 'blocks' && (isValidId(target) || isExternalRef(target)) && target !== id) {
      // an external:<project>:<capability> blocker stays a dependency: it blocks until marked satisfied
      if (deps.some((x) => x.depends_on_id === target)) continue;
      deps.push({
        depends_on_id: target,
        created_at: normalizeTime(d.created_at) ?? created,
        created_by: str(d.created_by),
      });
    } else {
      if (kind === 'blocks' || kind === 'parent-child')
        warnings.push(`${kind} ${quoteUntrusted(target)} cannot be a dependency; kept as a link`);
      addLink(kind, target);
    }
  }
  const ext = str(rec.external_ref);
  if (ext) addLink(EXTERNAL_REF, ext);

  let description = typeof rec.description === 'string' ? rec.description : '';
  const acceptance = str(rec.acceptance_criteria);
  if (acceptance) description = appendSection(description, ACCEPTANCE_HEADING, acceptance);
  let notes = typeof rec.notes === 'string' ? rec.notes : '';
  for (const c of Array.isArray(rec.comments) ? (rec.comments as Rec[]) : []) {
    if (!c || typeof c.text !== 'string') continue;
    const entry = `[${normalizeTime(c.created_at) ?? '?'}] ${str(c.author) ?? 'unknown'}: ${c.text}`;
    notes = notes ? `${notes.replace(/\n+$/, '')}\n${entry}` : entry;
  }
  let design: string | null = null;
  const designText = str(rec.design);
  if (designText && isDesignPath(designText)) design = designText;
  else if (designText) notes = appendSection(notes, DESIGN_HEADING, designText);

  const closed = st.status === 'closed';
  let bead: Bead = newBead({
    id,
    title: typeof rec.title === 'string' ? rec.title.replace(/[\t\r\n]+/g, ' ').trim() : '',
    issue_type: bdType === 'epic' ? 'plan' : 'task',
    tier: bdType === 'epic' ? 'epic' : null,
    parent_id: parent,
    status: st.status,
    priority,
    assignee: str(rec.assignee),
    owner: str(rec.owner),
    description,
    notes,
    design,
    labels: [...labels].sort(),
    links,
    dependencies: deps,
    created_at: created,
    created_by: str(rec.created_by),
    updated_at: updated,
    closed_at: closed ? (normalizeTime(rec.closed_at) ?? updated) : null,
    close_reason: closed ? str(rec.close_reason) : null,
    resolution: closed ? 'done' : null,
  });
  let typeFixed = false;
  const extra = rec.sase;
  if (extra && typeof extra === 'object' && !Array.isArray(extra)) {
    // fields bd cannot hold, written by our own export; checked with the rest
    const over: Partial<Record<keyof Bead, unknown>> = {};
    for (const k of BEAD_KEYS) if (Object.hasOwn(extra, k)) over[k] = (extra as Rec)[k];
    bead = { ...bead, ...(over as Partial<Bead>) };
    typeFixed = 'issue_type' in over;
  }
  return {
    bead,
    phaseIfEpicParent: !typeFixed && bdType !== 'epic' && bead.parent_id !== null,
    untimed: createdRaw === null,
    warnings,
  };
}

/** The type a bd-mapped bead takes once its parent is known. */
export function withPhase(bead: Bead, parentIsEpic: boolean): Bead {
  return parentIsEpic && bead.issue_type === 'task' ? { ...bead, issue_type: 'phase' } : bead;
}

export function isEpic(b: Pick<Bead, 'issue_type' | 'tier'> | undefined | null): boolean {
  return !!b && b.issue_type === 'plan' && b.tier === 'epic';
}

function bdStatusOf(b: Bead): string {
  if (b.status === 'closed') return 'closed';
  if (b.status === 'open') {
    if (b.labels.includes(LABEL_PINNED)) return 'pinned';
    const s = b.labels.find((l) => l.startsWith(LABEL_STATUS));
    return s ? s.slice(LABEL_STATUS.length) : 'open';
  }
  // claimed has no bd counterpart: bd calls it in progress
  return b.labels.includes(`${LABEL_STATUS}hooked`) ? 'hooked' : 'in_progress';
}

function bdTypeOf(b: Bead): string {
  if (isEpic(b)) return 'epic';
  const t = b.labels.find((l) => l.startsWith(LABEL_TYPE));
  return t ? t.slice(LABEL_TYPE.length) : b.issue_type === 'plan' ? 'epic' : 'task';
}

/** bd's shape of one bead, without the `sase` extension. */
function plainBd(b: Bead): Rec {
  const out: Rec = { id: b.id, title: b.title };
  let description = b.description;
  const acc = splitSection(description, ACCEPTANCE_HEADING);
  if (acc) [description, out.acceptance_criteria] = acc;
  if (description) out.description = description;
  let notes = b.notes;
  let design = b.design;
  const des = splitSection(notes, DESIGN_HEADING);
  if (des && design === null) [notes, design] = des;
  if (design) out.design = design;
  if (notes) out.notes = notes;
  out.status = bdStatusOf(b);
  out.priority = b.priority;
  out.issue_type = bdTypeOf(b);
  if (b.assignee) out.assignee = b.assignee;
  if (b.owner) out.owner = b.owner;
  out.created_at = b.created_at;
  if (b.created_by) out.created_by = b.created_by;
  out.updated_at = b.updated_at;
  if (b.status === 'closed') {
    if (b.closed_at) out.closed_at = b.closed_at;
    if (b.close_reason) out.close_reason = b.close_reason;
  }
  const labels = b.labels.filter((l) => !l.startsWith(LABEL_TYPE) && !l.startsWith(LABEL_STATUS) && l !== LABEL_PINNED);
  if (labels.length) out.labels = labels;
  const edge = (type: string, target: string, createdAt: string, createdBy: string | null) => {
    const e: Rec = { issue_id: b.id, depends_on_id: target, type, created_at: createdAt };
    if (createdBy) e.created_by = createdBy;
    return e;
  };
  const deps: Rec[] = b.dependencies.map((d) => edge('blocks', d.depends_on_id, d.created_at, d.created_by));
  if (b.parent_id) deps.push(edge('parent-child', b.parent_id, b.created_at, b.created_by));
  for (const l of b.links) {
    if (l.kind === EXTERNAL_REF && out.external_ref === undefined) out.external_ref = l.target;
    else deps.push(edge(l.kind, l.target, b.created_at, b.created_by));
  }
  if (deps.length) out.dependencies = deps;
  if (b.parent_id) out.parent = b.parent_id;
  return out;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b) && a.length === 0 && b.length === 0) return true;
  // stored records have sorted keys, mapped ones do not: compare canonically
  return typeof a === 'object' && typeof b === 'object' && canonicalJson(a) === canonicalJson(b);
}

/**
 * Beads as bd issues, in the given order. A bead that bd's fields cannot
 * carry whole gets a `sase` object with the fields that would otherwise come
 * back different from an import.
 */
export function beadsToBd(beads: Bead[]): Rec[] {
  const byId = new Map(beads.map((b) => [b.id, b]));
  return beads.map((b) => {
    const rec = plainBd(b);
    const back = bdToBead(rec, b.created_at);
    if ('reason' in back) return { ...rec, sase: Object.fromEntries(BEAD_KEYS.map((k) => [k, b[k]])) };
    const again = back.phaseIfEpicParent ? withPhase(back.bead, isEpic(byId.get(b.parent_id ?? ''))) : back.bead;
    const extra: Rec = {};
    for (const k of BEAD_KEYS) if (!same(b[k], again[k])) extra[k] = b[k];
    if (Object.keys(extra).length) rec.sase = extra;
    return rec;
  });
}
