// Bead operations. Each is data (recorded in the commit that applies it) and
// a function from the current state to the records it writes. Validation lives
// here, so a bad request changes nothing, and replaying the log re-runs the
// same functions.
import { ConflictError, NotFoundError, RefusedError, UsageError, withHint } from '../errors.ts';
import {
  checkOpFields,
  type FieldRule,
  isBoolean,
  isString,
  isStringList,
  isStringOrNull,
  type Op,
  oneOf,
  unknownOp,
} from '../oplog.ts';
import { findCycle } from './graph.ts';
import { notFound } from './ids.ts';
import {
  type Bead,
  ISSUE_TYPES,
  isBlockerRef,
  isExternalRef,
  isValidId,
  RESOLUTIONS,
  type Resolution,
  SIZES,
  STATUSES,
  TIERS,
  validateBead,
  withOutside,
} from './model.ts';

/** What an operation may ask of the state it applies to. */
export interface BeadReader {
  get(id: string): Promise<Bead | null>;
  /** ids whose parent_id is `id` */
  childrenOf(id: string): Promise<string[]>;
  /** ids that depend on `id` */
  dependantsOf(id: string): Promise<string[]>;
}

export interface BeadChange {
  id: string;
  /** the new record, or null to delete it */
  bead: Bead | null;
}

export type BeadOp =
  | { op: 'bead.create'; bead: Bead }
  | {
      op: 'bead.update';
      ids: string[];
      set: Partial<Bead>;
      add_labels?: string[];
      remove_labels?: string[];
      at: string;
      actor: string;
    }
  | {
      op: 'bead.close';
      ids: string[];
      reason: string | null;
      resolution: Resolution;
      force: boolean;
      at: string;
      actor: string;
    }
  | { op: 'bead.reopen'; ids: string[]; at: string; actor: string }
  | { op: 'bead.rm'; ids: string[]; force: boolean; at: string; actor: string }
  | { op: 'bead.note'; id: string; text: string; at: string; actor: string }
  | { op: 'bead.dep-add'; id: string; blocker: string; at: string; actor: string }
  | { op: 'bead.dep-rm'; id: string; blocker: string; at: string; actor: string }
  | { op: 'bead.dep-satisfy'; id: string; refs: string[]; undo: boolean; at: string; actor: string }
  | { op: 'bead.claim'; ids: string[]; as: string; at: string; actor: string }
  | { op: 'bead.release'; ids: string[]; force: boolean; at: string; actor: string }
  | { op: 'bead.import'; ids: string[]; at: string; actor: string };

// ---- operations read from a commit ----------------------------------------

const isId = (v: unknown): boolean => typeof v === 'string' && isValidId(v);
const ID: FieldRule = [isId, 'a bead id'];
const BLOCKER: FieldRule = [(v) => typeof v === 'string' && isBlockerRef(v), 'a bead id or an external reference'];
const IDS: FieldRule = [(v) => Array.isArray(v) && v.every(isId), 'a list of bead ids'];
const AT: FieldRule = [isString, 'a string'];
const ACTOR: FieldRule = [isString, 'a string'];
const FORCE: FieldRule = [isBoolean, 'true or false'];
const LABELS: FieldRule = [(v) => v === undefined || isStringList(v), 'a list of labels'];
const nullOr = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);

/** Each field a `bead.update` may set, with the check its value must pass. */
const SETTABLE: Record<string, (v: unknown) => boolean> = {
  title: isString,
  description: isString,
  notes: isString,
  design: isStringOrNull,
  status: oneOf(STATUSES),
  priority: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 4,
  assignee: isStringOrNull,
  owner: isStringOrNull,
  size: nullOr(oneOf(SIZES)),
  model: isStringOrNull,
  tier: nullOr(oneOf(TIERS)),
  issue_type: oneOf(ISSUE_TYPES),
};

function isBeadRecord(v: unknown): boolean {
  try {
    validateBead(v, 'bead');
    return true;
  } catch {
    return false;
  }
}

const SET: FieldRule = [
  (v) =>
    !!v &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.entries(v).every(([k, x]) => Object.hasOwn(SETTABLE, k) && SETTABLE[k]!(x)),
  'an object of fields a bead update sets, each of its type',
];

const BEAD_OP_FIELDS: Record<BeadOp['op'], Record<string, FieldRule>> = {
  'bead.create': { bead: [isBeadRecord, 'a bead record'] },
  'bead.update': { ids: IDS, set: SET, add_labels: LABELS, remove_labels: LABELS, at: AT, actor: ACTOR },
  'bead.close': {
    ids: IDS,
    reason: [isStringOrNull, 'a string or null'],
    resolution: [oneOf(RESOLUTIONS), `one of ${RESOLUTIONS.join(', ')}`],
    force: FORCE,
    at: AT,
    actor: ACTOR,
  },
  'bead.reopen': { ids: IDS, at: AT, actor: ACTOR },
  'bead.rm': { ids: IDS, force: FORCE, at: AT, actor: ACTOR },
  'bead.note': { id: ID, text: [isString, 'a string'], at: AT, actor: ACTOR },
  'bead.dep-add': { id: ID, blocker: BLOCKER, at: AT, actor: ACTOR },
  'bead.dep-rm': { id: ID, blocker: BLOCKER, at: AT, actor: ACTOR },
  'bead.dep-satisfy': {
    id: ID,
    refs: [(v) => Array.isArray(v) && v.every((r) => typeof r === 'string' && isBlockerRef(r)), 'a list of references'],
    undo: [isBoolean, 'true or false'],
    at: AT,
    actor: ACTOR,
  },
  'bead.claim': { ids: IDS, as: [isString, 'a string'], at: AT, actor: ACTOR },
  'bead.release': { ids: IDS, force: FORCE, at: AT, actor: ACTOR },
  'bead.import': { ids: IDS, at: AT, actor: ACTOR },
};

/** A bead operation read from a commit, checked field by field before it is applied (see checkOpFields). */
export function checkBeadOp(op: Op): BeadOp {
  const rules = Object.hasOwn(BEAD_OP_FIELDS, op.op) ? BEAD_OP_FIELDS[op.op as BeadOp['op']] : null;
  if (!rules) throw unknownOp(op);
  return checkOpFields<BeadOp>(op, rules);
}

async function must(reader: BeadReader, id: string): Promise<Bead> {
  const b = await reader.get(id);
  if (!b) throw notFound(id);
  return b;
}

/** Applies one operation; returns the changed records (empty for a no-op). */
export async function applyBeadOp(reader: BeadReader, op: BeadOp): Promise<BeadChange[]> {
  switch (op.op) {
    case 'bead.create':
      return applyCreate(reader, op.bead);
    case 'bead.update': {
      const out: BeadChange[] = [];
      for (const id of op.ids) out.push(await applyUpdate(reader, op, id));
      return out;
    }
    case 'bead.close':
      return applyClose(reader, op);
    case 'bead.reopen':
      return applyReopen(reader, op);
    case 'bead.rm':
      return applyRemove(reader, op);
    case 'bead.note': {
      const b = await must(reader, op.id);
      const entry = `[${op.at}] ${op.actor}: ${op.text}`;
      return [
        {
          id: b.id,
          bead: { ...b, notes: b.notes ? `${b.notes.replace(/\n+$/, '')}\n${entry}` : entry, updated_at: op.at },
        },
      ];
    }
    case 'bead.dep-add':
      return applyDepAdd(reader, op);
    case 'bead.dep-rm': {
      const b = await must(reader, op.id);
      if (!b.dependencies.some((d) => d.depends_on_id === op.blocker)) {
        throw new NotFoundError(`'${op.id}' does not depend on '${op.blocker}'`);
      }
      // a dependency sase could not see takes its marks with it
      const next = withOutside(b, {
        missing: (b.missing ?? []).filter((m) => m !== op.blocker || m === b.parent_id),
        satisfied: (b.satisfied ?? []).filter((x) => x.ref !== op.blocker || x.ref === b.parent_id),
      });
      return [
        {
          id: b.id,
          bead: {
            ...next,
            dependencies: b.dependencies.filter((d) => d.depends_on_id !== op.blocker),
            updated_at: op.at,
          },
        },
      ];
    }
    case 'bead.dep-satisfy':
      return applyDepSatisfy(reader, op);
    case 'bead.claim':
      return applyClaim(reader, op);
    case 'bead.release':
      return applyRelease(reader, op);
    case 'bead.import':
      // replayed from the records in the commit's own tree (see store/replay.ts)
      return [];
  }
}

async function applyCreate(reader: BeadReader, bead: Bead): Promise<BeadChange[]> {
  if (!isValidId(bead.id)) throw new UsageError(`'${bead.id}' is not a valid bead id`);
  if (await reader.get(bead.id)) throw new ConflictError(`bead '${bead.id}' already exists`);
  if (bead.issue_type === 'plan' && !bead.tier) throw new UsageError('a plan needs a tier (plan, epic or legend)');
  if (bead.issue_type !== 'plan' && bead.tier)
    throw new UsageError(`only a plan has a tier; '${bead.issue_type}' does not`);
  if (bead.parent_id) {
    const parent = await reader.get(bead.parent_id);
    if (!parent) throw notFound(bead.parent_id);
    if (bead.issue_type === 'phase' && !(parent.issue_type === 'plan' && parent.tier === 'epic')) {
      throw new RefusedError(
        `a phase's parent must be an epic; '${parent.id}' is a ${parent.issue_type}${parent.tier ? ` (${parent.tier})` : ''}`,
      );
    }
    if (parent.status === 'closed') throw new RefusedError(`parent '${parent.id}' is closed`);
  } else if (bead.issue_type === 'phase') {
    throw new UsageError('a phase needs a parent epic (--parent)');
  }
  for (const d of bead.dependencies) {
    if (d.depends_on_id === bead.id) throw new RefusedError(`'${bead.id}' cannot depend on itself`);
    if (!(await reader.get(d.depends_on_id))) throw notFound(d.depends_on_id);
  }
  return [{ id: bead.id, bead }];
}

/** The next child id of a parent, `<parent>.<n>` after the highest taken in `ids`. */
export function nextChildId(parentId: string, ids: Iterable<string>): string {
  let max = 0;
  for (const id of ids) {
    if (!id.startsWith(parentId + '.')) continue;
    const n = Number(id.slice(parentId.length + 1));
    if (Number.isInteger(n) && n > max) max = n;
  }
  return `${parentId}.${max + 1}`;
}

const UPDATABLE = new Set([
  'title',
  'description',
  'notes',
  'design',
  'status',
  'priority',
  'assignee',
  'owner',
  'size',
  'model',
  'tier',
  'issue_type',
]);

async function applyUpdate(
  reader: BeadReader,
  op: Extract<BeadOp, { op: 'bead.update' }>,
  id: string,
): Promise<BeadChange> {
  const b = await must(reader, id);
  for (const key of Object.keys(op.set))
    if (!UPDATABLE.has(key)) throw new UsageError(`field '${key}' cannot be updated`);
  if (op.set.status === 'closed')
    throw withHint(new UsageError(`use 'sase bead close' to close a bead`), `sase bead close ${id}`);
  if (op.set.status && b.status === 'closed') {
    throw withHint(new RefusedError(`bead '${b.id}' is closed`), `reopen it first with 'sase bead reopen ${b.id}'`);
  }
  const next: Bead = { ...b, ...op.set, updated_at: op.at };
  if (op.set.status === 'open') next.assignee = op.set.assignee ?? null;
  let labels = [...next.labels];
  for (const l of op.add_labels ?? []) if (!labels.includes(l)) labels.push(l);
  labels = labels.filter((l) => !(op.remove_labels ?? []).includes(l));
  next.labels = labels.sort();
  if (next.issue_type === 'plan' && !next.tier) throw new UsageError('a plan needs a tier');
  if (next.issue_type !== 'plan' && next.tier) throw new UsageError(`only a plan has a tier`);
  return { id: b.id, bead: next };
}

async function openDescendants(reader: BeadReader, id: string, out: Bead[], seen: Set<string>): Promise<void> {
  for (const c of await reader.childrenOf(id)) {
    if (seen.has(c)) continue;
    seen.add(c);
    const child = await reader.get(c);
    if (!child) continue;
    if (child.status !== 'closed') out.push(child);
    await openDescendants(reader, c, out, seen);
  }
}

async function applyClose(reader: BeadReader, op: Extract<BeadOp, { op: 'bead.close' }>): Promise<BeadChange[]> {
  if (op.force && !op.reason) throw new UsageError('--force needs a --reason');
  const targets: Bead[] = [];
  for (const id of op.ids) targets.push(await must(reader, id));
  const closing = new Map<string, Bead>();
  for (const b of targets) if (b.status !== 'closed') closing.set(b.id, b);
  for (const b of [...closing.values()]) {
    const open: Bead[] = [];
    await openDescendants(reader, b.id, open, new Set());
    const stillOpen = open.filter((c) => !closing.has(c.id));
    if (stillOpen.length && !op.force) {
      throw withHint(
        new RefusedError(`bead '${b.id}' has open children: ${stillOpen.map((c) => c.id).join(', ')}`),
        'close them first, or use --force --reason R to close them too',
      );
    }
    for (const c of stillOpen) closing.set(c.id, c);
  }
  return [...closing.values()].map((b) => ({
    id: b.id,
    bead: {
      ...b,
      status: 'closed',
      closed_at: op.at,
      close_reason: op.reason,
      resolution: op.resolution,
      updated_at: op.at,
    },
  }));
}

async function applyReopen(reader: BeadReader, op: Extract<BeadOp, { op: 'bead.reopen' }>): Promise<BeadChange[]> {
  const out: BeadChange[] = [];
  for (const id of op.ids) {
    const b = await must(reader, id);
    if (b.status !== 'closed') throw new RefusedError(`bead '${b.id}' is not closed (it is ${b.status})`);
    if (b.parent_id) {
      const parent = await reader.get(b.parent_id);
      if (parent?.status === 'closed' && !op.ids.includes(parent.id)) {
        throw withHint(
          new RefusedError(`parent '${parent.id}' of '${b.id}' is closed`),
          `reopen it too: sase bead reopen ${parent.id} ${b.id}`,
        );
      }
    }
    const record = {
      closed_at: b.closed_at,
      close_reason: b.close_reason,
      resolution: b.resolution,
      reopened_at: op.at,
      reopened_by: op.actor,
    };
    out.push({
      id: b.id,
      bead: {
        ...b,
        status: 'open',
        assignee: null,
        closed_at: null,
        close_reason: null,
        resolution: null,
        close_history: [...b.close_history, record],
        updated_at: op.at,
      },
    });
  }
  return out;
}

async function applyRemove(reader: BeadReader, op: Extract<BeadOp, { op: 'bead.rm' }>): Promise<BeadChange[]> {
  const removing = new Map<string, Bead>();
  const queue = [...op.ids];
  for (const id of queue) {
    if (removing.has(id)) continue;
    const b = await must(reader, id);
    removing.set(id, b);
    const children = await reader.childrenOf(id);
    const outside = children.filter((c) => !op.ids.includes(c));
    if (outside.length && !op.force) {
      throw withHint(
        new RefusedError(`bead '${id}' has children: ${outside.join(', ')}`),
        'remove them too, or use --force',
      );
    }
    queue.push(...outside);
  }
  const edits = new Map<string, Bead>();
  for (const id of removing.keys()) {
    for (const dep of await reader.dependantsOf(id)) {
      if (removing.has(dep)) continue;
      if (!op.force) {
        throw withHint(
          new RefusedError(`bead '${id}' blocks '${dep}'`),
          'remove the dependency first, or use --force to drop it',
        );
      }
      const b = edits.get(dep) ?? (await must(reader, dep));
      const next = withOutside(b, {
        missing: b.missing?.filter((m) => m !== id || m === b.parent_id),
        satisfied: b.satisfied?.filter((x) => x.ref !== id || x.ref === b.parent_id),
      });
      edits.set(dep, {
        ...next,
        dependencies: b.dependencies.filter((d) => d.depends_on_id !== id),
        updated_at: op.at,
      });
    }
  }
  return [
    ...[...removing.keys()].map((id) => ({ id, bead: null })),
    ...[...edits.values()].map((b) => ({ id: b.id, bead: b })),
  ];
}

async function applyDepAdd(reader: BeadReader, op: Extract<BeadOp, { op: 'bead.dep-add' }>): Promise<BeadChange[]> {
  const b = await must(reader, op.id);
  // an external reference is no bead here: nothing to find, and no loop can pass through it
  const external = isExternalRef(op.blocker);
  if (!external) await must(reader, op.blocker);
  if (b.dependencies.some((d) => d.depends_on_id === op.blocker)) return [];
  if (external) {
    const dependencies = [...b.dependencies, { depends_on_id: op.blocker, created_at: op.at, created_by: op.actor }];
    return [{ id: b.id, bead: { ...b, dependencies, updated_at: op.at } }];
  }
  const cycle = await findCycle(op.id, op.blocker, async (id) => {
    const n = await reader.get(id);
    return n ? n.dependencies.map((d) => d.depends_on_id) : [];
  });
  if (cycle) throw new RefusedError(`adding '${op.id}' -> '${op.blocker}' would make a cycle: ${cycle.join(' -> ')}`);
  const dependencies = [...b.dependencies, { depends_on_id: op.blocker, created_at: op.at, created_by: op.actor }];
  return [{ id: b.id, bead: { ...b, dependencies, updated_at: op.at } }];
}

/** Marks blockers sase cannot see (external references, beads not stored) satisfied, or takes the mark back. */
async function applyDepSatisfy(
  reader: BeadReader,
  op: Extract<BeadOp, { op: 'bead.dep-satisfy' }>,
): Promise<BeadChange[]> {
  const b = await must(reader, op.id);
  const refs = new Set([...(b.parent_id ? [b.parent_id] : []), ...b.dependencies.map((d) => d.depends_on_id)]);
  let satisfied = [...(b.satisfied ?? [])];
  for (const ref of op.refs) {
    if (!refs.has(ref)) throw new NotFoundError(`'${b.id}' neither depends on '${ref}' nor has it as its parent`);
    const has = satisfied.some((s) => s.ref === ref);
    if (op.undo) satisfied = satisfied.filter((s) => s.ref !== ref);
    else if (await reader.get(ref))
      throw withHint(
        new RefusedError(`'${ref}' is a bead of this repository: it stops blocking '${b.id}' when it is closed`),
        `close it: sase bead close ${ref}`,
      );
    else if (!has) satisfied.push({ ref, satisfied_at: op.at, satisfied_by: op.actor });
  }
  if (satisfied.length === (b.satisfied ?? []).length && satisfied.every((s, i) => s === b.satisfied![i])) return [];
  return [{ id: b.id, bead: { ...withOutside(b, { satisfied }), updated_at: op.at } }];
}

async function applyClaim(reader: BeadReader, op: Extract<BeadOp, { op: 'bead.claim' }>): Promise<BeadChange[]> {
  const out: BeadChange[] = [];
  for (const id of op.ids) {
    const b = await must(reader, id);
    if (b.status !== 'open') {
      const by = b.assignee ? ` by '${b.assignee}'` : '';
      throw new ConflictError(`bead '${b.id}' is not open (it is ${b.status}${by})`);
    }
    out.push({ id: b.id, bead: { ...b, status: 'claimed', assignee: op.as, updated_at: op.at } });
  }
  return out;
}

async function applyRelease(reader: BeadReader, op: Extract<BeadOp, { op: 'bead.release' }>): Promise<BeadChange[]> {
  const out: BeadChange[] = [];
  for (const id of op.ids) {
    const b = await must(reader, id);
    if (b.status !== 'claimed' && b.status !== 'in_progress')
      throw new RefusedError(`bead '${b.id}' is not claimed (it is ${b.status})`);
    if (!op.force && b.assignee && b.assignee !== op.actor) {
      throw withHint(
        new RefusedError(`bead '${b.id}' is held by '${b.assignee}', not '${op.actor}'`),
        'use --force to release it anyway',
      );
    }
    out.push({ id: b.id, bead: { ...b, status: 'open', assignee: null, updated_at: op.at } });
  }
  return out;
}

/** The subject ids an operation names, for the log. */
export function opSubjects(op: BeadOp): string[] {
  switch (op.op) {
    case 'bead.create':
      return [op.bead.id];
    case 'bead.note':
      return [op.id];
    case 'bead.dep-add':
    case 'bead.dep-rm':
      return [op.id, op.blocker];
    case 'bead.dep-satisfy':
      return [op.id];
    default:
      return op.ids;
  }
}

/** The human first line of an operation's commit. */
export function opSummary(op: BeadOp): string {
  const ids = opSubjects(op);
  const list = ids.length > 3 ? `${ids.slice(0, 3).join(' ')} (+${ids.length - 3})` : ids.join(' ');
  switch (op.op) {
    case 'bead.create':
      return `create ${op.bead.id} ${JSON.stringify(op.bead.title.slice(0, 60))}`;
    case 'bead.dep-add':
      return `dep add ${op.id} -> ${op.blocker}`;
    case 'bead.dep-rm':
      return `dep rm ${op.id} -> ${op.blocker}`;
    case 'bead.dep-satisfy':
      return `dep ${op.undo ? 'unsatisfy' : 'satisfy'} ${op.id} -> ${op.refs.join(' ')}`;
    case 'bead.import':
      return `import ${ids.length} beads`;
    default:
      return `${op.op.slice(5)} ${list}`;
  }
}
