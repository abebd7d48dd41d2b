// The status of a change and the moves FORMATS.md allows: WIP -> Draft|Ready,
// Draft -> Ready, Ready -> Mailed|Draft, Mailed -> Submitted, any status that
// is not terminal -> Archived, Submitted -> Reverted. Submitted, Reverted and
// Archived are otherwise terminal.
import { RefusedError } from '../errors.ts';
import { CHANGE_STATUSES, type ChangeSpec, type ChangeStatus } from './spec.ts';

const MOVES: Record<ChangeStatus, ChangeStatus[]> = {
  WIP: ['Draft', 'Ready', 'Archived'],
  Draft: ['Ready', 'Archived'],
  Ready: ['Mailed', 'Draft', 'Archived'],
  Mailed: ['Submitted', 'Archived'],
  Submitted: ['Reverted'],
  Reverted: [],
  Archived: [],
};

export function allowedMoves(from: ChangeStatus): ChangeStatus[] {
  return MOVES[from];
}

export function canMove(from: ChangeStatus, to: ChangeStatus): boolean {
  return MOVES[from].includes(to);
}

export const TERMINAL: ChangeStatus[] = CHANGE_STATUSES.filter(
  (s) => s === 'Submitted' || s === 'Reverted' || s === 'Archived',
);

/** The change with its new status and the move logged in TIMESTAMPS; refused moves name the allowed ones. */
export function moveStatus(c: ChangeSpec, to: ChangeStatus, at: string): ChangeSpec {
  if (c.status === to) return c;
  if (!canMove(c.status, to)) {
    const allowed = MOVES[c.status];
    throw new RefusedError(
      `change '${c.name}' is ${c.status}; it can move to ${allowed.length ? allowed.join(', ') : 'nothing (it is final)'}, not ${to}`,
    );
  }
  return { ...c, status: to, timestamps: [...c.timestamps, { at, event: `STATUS ${c.status} -> ${to}` }] };
}

/** Logs an event in TIMESTAMPS. */
export function stamp(c: ChangeSpec, at: string, event: string): ChangeSpec {
  return { ...c, timestamps: [...c.timestamps, { at, event }] };
}
