// `sase bead work` on the wire: one record a phase of the epic and one for
// its land run (kind "work", version 1).
import type { AgentRun, RunStatus } from '../core/agents/run.ts';
import type { PhaseState } from '../core/beads/work.ts';

export interface WorkRecord {
  v: 1;
  kind: 'work';
  /** the run's name: the phase's bead id, or <epic>.land; in a preview of a plan not yet approved, the phase's id in the plan, or land */
  id: string;
  /** null in a preview: the epic is not made yet */
  epic: string | null;
  bead: string | null;
  /** a preview only: the plan not yet approved that this schedule is of */
  plan?: string;
  title: string;
  land: boolean;
  /** 0: closed, nothing to run */
  wave: number;
  blockers: string[];
  /** a phase of its wave it waits for because their scopes overlap */
  after: string | null;
  model: string | null;
  size: string | null;
  bead_status: string | null;
  run_id: string | null;
  run_status: RunStatus | null;
  started_at: string | null;
  ended_at: string | null;
  error: string | null;
  /** the land run's change */
  changespec?: string | null;
}

export function phaseToWire(epic: string, p: PhaseState): WorkRecord {
  return {
    v: 1,
    kind: 'work',
    id: p.run,
    epic,
    bead: p.id,
    title: p.title,
    land: false,
    wave: p.wave,
    blockers: p.blockers,
    after: p.after,
    model: p.model,
    size: p.size,
    bead_status: p.status,
    run_id: p.run_id,
    run_status: p.run_status,
    started_at: p.started_at,
    ended_at: p.ended_at,
    error: p.error,
  };
}

/** A preview's records: a phase each, by its id in the plan, then the land run; no bead or run exists yet. */
export function previewToWire(plan: string, phases: PhaseState[], landModel: string | null): WorkRecord[] {
  const waves = Math.max(0, ...phases.map((p) => p.wave));
  const none = { bead_status: null, run_id: null, run_status: null, started_at: null, ended_at: null, error: null };
  return [
    ...phases.map((p) => ({ ...phaseToWire('', p), epic: null, bead: null, plan, ...none })),
    { ...landToWire('', 'land', landModel, null, waves + 1), epic: null, bead: null, plan, changespec: null },
  ];
}

export function landToWire(
  epic: string,
  name: string,
  model: string | null,
  land: AgentRun | null,
  wave: number,
): WorkRecord {
  return {
    v: 1,
    kind: 'work',
    id: name,
    epic,
    bead: epic,
    title: 'land',
    land: true,
    wave,
    blockers: [],
    after: null,
    model,
    size: null,
    bead_status: null,
    run_id: land?.id ?? null,
    run_status: land?.status ?? null,
    started_at: land?.started_at ?? null,
    ended_at: land?.ended_at ?? null,
    error: land?.error ?? null,
    changespec: land?.changespec ?? null,
  };
}
