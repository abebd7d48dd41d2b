// Waits: when a waiting run may start. A run waits on agents (a run id, or a
// name meaning the newest run of that name) and on beads. It may start when
// every named agent finished successfully and every named bead is closed; a
// dependency that failed keeps it waiting, and says so. Pure.
import type { AgentRun, RunOrder, RunStatus, Wait } from './run.ts';
import { compareRuns, waitLabel } from './run.ts';

export interface WaitFacts {
  /** the run an agent wait names, or null when there is none */
  agent(ref: string): AgentRun | null;
  /** a bead's status, or null when there is no such bead */
  beadStatus(id: string): string | null;
}

export interface WaitVerdict {
  ready: boolean;
  /** a dependency failed: the run cannot start until it is retried or the wait removed */
  stuck: boolean;
  /** what it waits for, in a line (null when ready) */
  reason: string | null;
}

function agentState(w: string, run: AgentRun | null): { done: boolean; failed: boolean; why: string } {
  if (!run) return { done: false, failed: false, why: `agent '${w}' (no such run yet)` };
  const s: RunStatus = run.status;
  if (s === 'done') return { done: true, failed: false, why: '' };
  if (s === 'failed' || s === 'killed')
    return { done: false, failed: true, why: `agent '${w}' ${s === 'killed' ? 'was killed' : 'failed'} (${run.id})` };
  return { done: false, failed: false, why: `agent '${w}' (${s})` };
}

export function evaluateWaits(waits: Wait[], facts: WaitFacts): WaitVerdict {
  const pending: string[] = [];
  const failed: string[] = [];
  for (const w of waits) {
    if ('agent' in w) {
      const st = agentState(w.agent, facts.agent(w.agent));
      if (st.failed) failed.push(st.why);
      else if (!st.done) pending.push(st.why);
    } else {
      const s = facts.beadStatus(w.bead);
      if (s === null) pending.push(`${waitLabel(w)} (no such bead)`);
      else if (s !== 'closed') pending.push(`${waitLabel(w)} (${s})`);
    }
  }
  if (failed.length) return { ready: false, stuck: true, reason: `blocked: ${[...failed, ...pending].join(', ')}` };
  if (pending.length) return { ready: false, stuck: false, reason: `waiting for ${pending.join(', ')}` };
  return { ready: true, stuck: false, reason: null };
}

/** The newest of the runs an agent reference matches: its id, else its name. */
export function newestMatching<R extends RunOrder & Pick<AgentRun, 'name'>>(runs: R[], ref: string): R | null {
  const byId = runs.find((r) => r.id === ref);
  if (byId) return byId;
  let best: R | null = null;
  for (const r of runs) if (r.name === ref && (!best || newer(r, best))) best = r;
  return best;
}

/** Whether run a came after run b (see compareRuns). */
function newer(a: RunOrder, b: RunOrder): boolean {
  return compareRuns(a, b) > 0;
}

export function judge(run: AgentRun, runs: AgentRun[], beads: Map<string, string>): WaitVerdict {
  return evaluateWaits(run.waits, {
    agent: (ref) => newestMatching(runs, ref),
    beadStatus: (id) => beads.get(id) ?? null,
  });
}
