// Plan statuses that follow their beads: a claimed phase starts the epic,
// its last closed phase finishes it. Every bead write passes through here, so
// the YAML parser is loaded only when a changed bead names a plan.

import type { Bead } from '../beads/model.ts';
import { applyBeadOp, type BeadChange, type BeadOp } from '../beads/ops.ts';
import type { FileChange, SddReader, StateChanges } from './ops.ts';
import { type PlanStatus, parseSddPath } from './paths.ts';
import type { Plan } from './plan.ts';

/** A bead operation together with the plan statuses it moves, in one set of changes. */
export async function applyBeadOpWithPlans(reader: SddReader, op: BeadOp): Promise<StateChanges> {
  const beads = await applyBeadOp(reader, op);
  return { beads, files: await planStatusEffects(reader, beads) };
}

const ACTIVE: PlanStatus[] = ['approved', 'in_progress', 'done'];

/** The plan a bead carries out (its `design`), when that plan names the bead or its parent. */
async function planOfBead(reader: SddReader, b: Bead): Promise<{ path: string; plan: Plan } | null> {
  if (!b.design) return null;
  const at = parseSddPath(b.design);
  if (!at || at.dir === 'prompts') return null;
  const text = await reader.readFile(b.design);
  if (text === null) return null;
  const { parsePlan } = await import('./plan.ts');
  const { plan } = parsePlan(text, b.design);
  if (!plan?.bead || (plan.bead !== b.id && plan.bead !== b.parent_id)) return null;
  return { path: b.design, plan };
}

/**
 * Plan statuses that bead changes imply: a plan whose bead or a phase is
 * claimed or started is in progress; one whose bead is closed, or whose
 * phases are all closed, is done; reopening work on a done plan resumes it.
 */
export async function planStatusEffects(reader: SddReader, changes: BeadChange[]): Promise<FileChange[]> {
  const after = new Map(changes.map((c) => [c.id, c.bead]));
  const statusOf = async (id: string) => (after.has(id) ? after.get(id)?.status : (await reader.get(id))?.status);
  const plans = new Map<string, Plan>();
  for (const c of changes) {
    if (!c.bead) continue;
    const found = await planOfBead(reader, c.bead);
    if (found && ACTIVE.includes(found.plan.status)) plans.set(found.path, found.plan);
  }
  const out: FileChange[] = [];
  for (const [path, plan] of plans) {
    const own = await statusOf(plan.bead!);
    const phaseIds = plan.tier === 'epic' ? plan.phases.map((_, i) => `${plan.bead}.${i + 1}`) : [];
    const phaseStatuses = await Promise.all(phaseIds.map(statusOf));
    const all = [own, ...phaseStatuses];
    let next: PlanStatus = plan.status;
    const phasesDone =
      phaseStatuses.some((s) => s === 'closed') && phaseStatuses.every((s) => s === 'closed' || s === undefined);
    if (own === 'closed' || phasesDone) next = 'done';
    else if (all.some((s) => s === 'claimed' || s === 'in_progress' || s === 'closed')) next = 'in_progress';
    else if (plan.status === 'done') next = 'in_progress';
    if (next !== plan.status) {
      const { serializePlan } = await import('./plan.ts');
      out.push({ path, text: serializePlan({ ...plan, status: next }) });
    }
  }
  return out;
}
