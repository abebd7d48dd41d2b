// Plan operations: approving a plan (its beads, in the same commit) and
// moving its status (the moves beads cause are in effects.ts). Like bead operations they are
// data recorded in the commit and pure functions of the state, so the log
// replays. Storing a plan's text (sdd.put) carries no logic: its content is
// the commit's own (see store/replay.ts).

import { type Bead, isValidId, newBead } from '../beads/model.ts';
import { applyBeadOp, type BeadChange, type BeadReader, nextChildId } from '../beads/ops.ts';
import { NotFoundError, RefusedError } from '../errors.ts';
import { checkOpFields, type FieldRule, isString, isStringList, type Op, oneOf, unknownOp } from '../oplog.ts';
import { PLAN_STATUSES, type PlanStatus, parseSddPath, planPath } from './paths.ts';
import { DRAFT_PHASE_PREFIX } from './placeholders.ts';
import { type Plan, parsePlan, serializePlan, skeletonBody } from './plan.ts';

/** What plan operations may ask of the state: beads, and files by path. */
export interface SddReader extends BeadReader {
  readFile(path: string): Promise<string | null>;
  /** names of the files in a directory ('sdd/legends'), [] when absent */
  list(dir: string): Promise<string[]>;
}

export interface FileChange {
  path: string;
  /** the new text, or null to delete the file */
  text: string | null;
}

export interface StateChanges {
  files: FileChange[];
  beads: BeadChange[];
}

export type SddOp =
  | { op: 'sdd.put'; paths: string[]; at: string; actor: string }
  | { op: 'sdd.approve'; path: string; bead: string; at: string; actor: string }
  | { op: 'sdd.status'; path: string; status: PlanStatus; at: string; actor: string };

const PLAN_PATH: FieldRule = [(v) => typeof v === 'string' && parseSddPath(v) !== null, 'a plan path'];
const STAMP = { at: [isString, 'a string'], actor: [isString, 'a string'] } satisfies Record<string, FieldRule>;
const SDD_OP_FIELDS: Record<SddOp['op'], Record<string, FieldRule>> = {
  'sdd.put': { paths: [isStringList, 'a list of paths'], ...STAMP },
  'sdd.approve': { path: PLAN_PATH, bead: [(v) => typeof v === 'string' && isValidId(v), 'a bead id'], ...STAMP },
  'sdd.status': { path: PLAN_PATH, status: [oneOf(PLAN_STATUSES), `one of ${PLAN_STATUSES.join(', ')}`], ...STAMP },
};

/** A plan operation read from a commit, checked field by field before it is applied (see checkOpFields). */
export function checkSddOp(op: Op): SddOp {
  const rules = Object.hasOwn(SDD_OP_FIELDS, op.op) ? SDD_OP_FIELDS[op.op as SddOp['op']] : null;
  if (!rules) throw unknownOp(op);
  return checkOpFields<SddOp>(op, rules);
}

/** Status moves a person may make with `sdd status`; approval is `sdd approve`'s. */
export const STATUS_MOVES: Record<PlanStatus, PlanStatus[]> = {
  draft: ['abandoned'],
  approved: ['in_progress', 'done', 'abandoned'],
  in_progress: ['approved', 'done', 'abandoned'],
  done: ['in_progress'],
  abandoned: ['draft'],
};

/** Reads and parses a stored plan; a stored plan that no longer parses is reported, not guessed at. */
export async function readPlan(reader: SddReader, path: string): Promise<Plan | null> {
  const text = await reader.readFile(path);
  if (text === null) return null;
  const { plan, diagnostics } = parsePlan(text, path);
  if (!plan)
    throw new RefusedError(
      `'${path}' does not validate (${diagnostics[0]?.code ?? 'invalid'}: ${diagnostics[0]?.message ?? ''}); fix it with 'sase sdd edit'`,
    );
  return plan;
}

export async function applySddOp(reader: SddReader, op: SddOp): Promise<StateChanges> {
  switch (op.op) {
    case 'sdd.put':
      return { files: [], beads: [] }; // the text is the commit's own
    case 'sdd.approve':
      return approve(reader, op);
    case 'sdd.status': {
      const plan = await readPlan(reader, op.path);
      if (!plan) throw new NotFoundError(`no plan '${op.path}'`);
      if (plan.status === op.status) return { files: [], beads: [] };
      const allowed = STATUS_MOVES[plan.status];
      if (!allowed.includes(op.status)) {
        const how = plan.status === 'draft' && op.status === 'approved' ? "; approve it with 'sase sdd approve'" : '';
        throw new RefusedError(
          `plan '${plan.slug}' is ${plan.status}; it can move to ${allowed.join(' or ')}, not ${op.status}${how}`,
        );
      }
      return abandonOrResume(reader, plan, op);
    }
  }
}

/**
 * A status move, with what it does to the plan's beads: abandoning a tale or
 * an epic closes its bead and every open phase as canceled, with the reason,
 * so nothing of it stays ready; taking an abandoned plan up again (draft)
 * forgets those beads, so approving it makes fresh ones. A legend's epics are
 * plans of their own, abandoned one by one.
 */
async function abandonOrResume(
  reader: SddReader,
  plan: Plan,
  op: Extract<SddOp, { op: 'sdd.status' }>,
): Promise<StateChanges> {
  let beads: BeadChange[] = [];
  let bead = plan.bead;
  if (op.status === 'abandoned' && plan.bead && plan.tier !== 'legend') {
    const own = await reader.get(plan.bead);
    if (own)
      beads = await applyBeadOp(reader, {
        op: 'bead.close',
        ids: [own.id],
        reason: `plan '${plan.slug}' abandoned`,
        resolution: 'canceled',
        force: true,
        at: op.at,
        actor: op.actor,
      });
  }
  if (plan.status === 'abandoned' && op.status === 'draft') bead = null;
  return { files: [{ path: op.path, text: serializePlan({ ...plan, status: op.status, bead }) }], beads };
}

// ---- approve --------------------------------------------------------------

function planBead(
  plan: Plan,
  path: string,
  id: string,
  parent: string | null,
  op: { at: string; actor: string },
): Bead {
  return newBead({
    id,
    title: plan.title,
    issue_type: 'plan',
    tier: plan.tier === 'tale' ? 'plan' : plan.tier,
    parent_id: parent,
    description: plan.goal,
    design: path,
    size: plan.size,
    model: plan.model,
    owner: op.actor,
    created_at: op.at,
    created_by: op.actor,
  });
}

/** The approved legend that names this epic and has a bead, if any. */
async function legendOf(reader: SddReader, slug: string): Promise<Plan | null> {
  for (const name of await reader.list('sdd/legends')) {
    const at = parseSddPath(`sdd/legends/${name}`);
    if (!at) continue;
    const legend = await readPlan(reader, `sdd/legends/${name}`);
    if (legend?.bead && legend.status !== 'draft' && legend.status !== 'abandoned' && legend.epics.includes(slug))
      return legend;
  }
  return null;
}

/** A draft epic plan for an epic a legend names before anyone wrote it. */
function draftEpic(slug: string, legend: Plan, at: string): Plan {
  const title = slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return {
    tier: 'epic',
    title,
    goal: `part of the legend '${legend.slug}': ${legend.goal}`,
    slug,
    status: 'draft',
    created_at: at,
    prompt: null,
    bead: null,
    model: legend.model,
    size: null,
    phases: [
      {
        id: 'plan',
        title: `${DRAFT_PHASE_PREFIX}${title}`,
        size: 'small',
        depends_on: [],
        description: null,
        model: null,
        scope: [],
      },
    ],
    epics: [],
    body: skeletonBody(
      'epic',
      `This epic is part of the legend '${legend.slug}' (${planPath('legend', legend.slug)}).`,
    ),
  };
}

async function approve(reader: SddReader, op: Extract<SddOp, { op: 'sdd.approve' }>): Promise<StateChanges> {
  const plan = await readPlan(reader, op.path);
  if (!plan) throw new NotFoundError(`no plan '${op.path}'`);
  if (plan.bead) return { files: [], beads: [] }; // approved before: resumable, a no-op
  if (plan.status !== 'draft')
    throw new RefusedError(
      `plan '${plan.slug}' is ${plan.status} but has no bead; set it back with 'sase sdd status ${plan.slug} draft'`,
    );
  const files: FileChange[] = [];
  const beads: BeadChange[] = [];
  let id = op.bead;
  let parent: string | null = null;
  if (plan.tier === 'epic') {
    const legend = await legendOf(reader, plan.slug);
    if (legend?.bead && (await reader.get(legend.bead))) {
      parent = legend.bead;
      id = nextChildId(parent, await reader.childrenOf(parent));
    }
  }
  if (await reader.get(id)) throw new RefusedError(`bead '${id}' exists already`);
  beads.push({ id, bead: planBead(plan, op.path, id, parent, op) });
  if (plan.tier === 'epic') {
    const ids = new Map(plan.phases.map((p, i) => [p.id, `${id}.${i + 1}`]));
    plan.phases.forEach((p, i) => {
      const phaseId = `${id}.${i + 1}`;
      beads.push({
        id: phaseId,
        bead: newBead({
          id: phaseId,
          title: p.title,
          issue_type: 'phase',
          parent_id: id,
          description: p.description ?? '',
          design: op.path,
          size: p.size,
          model: p.model ?? plan.model,
          owner: op.actor,
          dependencies: p.depends_on.map((d) => ({
            depends_on_id: ids.get(d)!,
            created_at: op.at,
            created_by: op.actor,
          })),
          created_at: op.at,
          created_by: op.actor,
        }),
      });
    });
  }
  if (plan.tier === 'legend') {
    for (const slug of plan.epics) {
      const path = planPath('epic', slug);
      const epic = await readPlan(reader, path);
      if (!epic) files.push({ path, text: serializePlan(draftEpic(slug, plan, op.at)) });
      else if (epic.bead) {
        const b = await reader.get(epic.bead);
        if (b && !b.parent_id) beads.push({ id: b.id, bead: { ...b, parent_id: id, updated_at: op.at } });
      }
    }
  }
  files.push({ path: op.path, text: serializePlan({ ...plan, status: 'approved', bead: id }) });
  return { files, beads };
}

/** The beads an approved plan stands for: its own bead and, for an epic, its phases in order. */
export async function planBeads(
  reader: BeadReader,
  plan: Plan,
): Promise<{ bead: Bead | null; phases: Array<Bead | null> }> {
  if (!plan.bead) return { bead: null, phases: [] };
  const bead = await reader.get(plan.bead);
  const phases =
    plan.tier === 'epic' ? await Promise.all(plan.phases.map((_, i) => reader.get(`${plan.bead}.${i + 1}`))) : [];
  return { bead, phases };
}

export function sddSummary(op: SddOp, beads: number): string {
  switch (op.op) {
    case 'sdd.put':
      return `sdd put ${op.paths.join(' ')}`;
    case 'sdd.approve':
      return `sdd approve ${op.path}${beads ? ` (${beads} bead${beads === 1 ? '' : 's'})` : ''}`;
    case 'sdd.status':
      return `sdd status ${op.path} ${op.status}`;
  }
}
