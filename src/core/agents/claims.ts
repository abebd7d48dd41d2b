// The bead operations that hand a bead to a run.
import type { Bead } from '../beads/model.ts';
import type { BeadOp } from '../beads/ops.ts';
import { ConflictError, NotFoundError, RefusedError } from '../errors.ts';
import type { AgentRun } from './run.ts';

/** The bead operations that hand a bead to a run: claimed while it waits, in progress once it starts. */
export function claimOps(b: Bead | null, run: AgentRun, start: boolean, at: string, actor: string): BeadOp[] {
  if (!run.bead) return [];
  if (!b) throw new NotFoundError(`no bead '${run.bead}'`);
  if (b.status === 'closed') throw new RefusedError(`bead '${b.id}' is closed`);
  const mine = [run.id, run.name, run.retry_of, run.resume_of].filter((x): x is string => !!x);
  if (b.status !== 'open' && b.assignee && !mine.includes(b.assignee))
    throw new ConflictError(`bead '${b.id}' is ${b.status} by '${b.assignee}'`);
  const status = start ? 'in_progress' : 'claimed';
  if (b.status === status && b.assignee === run.id) return [];
  return [{ op: 'bead.update', ids: [b.id], set: { status, assignee: run.id }, at, actor }];
}
