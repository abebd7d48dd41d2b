// A run's end judged before it is recorded: what its agent left behind and
// what it said. Work left uncommitted in a workspace sase made is committed
// by sase in a commit naming the run (or, with [agents] on_uncommitted =
// "fail", the run fails and says so), so that "done" never hides work that
// is nowhere in git; a failed run's reason is its agent's own last error
// line, not only its exit code; and an agent's no-change marker (its final
// line {"sase":"noop","reason":"..."}) is read.
import type { AgentRun, RunStatus } from '../../core/agents/run.ts';
import { lastErrorLine, noopReason } from '../../core/agents/transcript.ts';
import { onUncommitted } from '../../core/config.ts';
import { failureLine } from '../../git/exec.ts';
import { hasUncommittedWork, inFolder } from '../../git/workspaces.ts';
import { commitWorkTree } from '../../git/worktree-commit.ts';
import type { Store } from '../../store/store.ts';
import { loadConfig } from '../config/config.ts';

export interface Outcome {
  status: Extract<RunStatus, 'done' | 'failed' | 'killed'>;
  exit_code: number | null;
  signal: string | null;
  error: string | null;
}

export interface Judged {
  outcome: Outcome;
  /** what sase did about the agent's work, in a line */
  note: string | null;
  /** the reason the agent gave for making no change */
  noop: string | null;
}

/** The commit message of work a run left uncommitted: it names the run (and the bead), so `git log` tells who. */
function finalizerMessage(run: AgentRun): string {
  const who = run.name ? `${run.id} (${run.name})` : run.id;
  return [
    `sase: work left uncommitted by run ${run.id}`,
    '',
    `Run ${who} ended with this work uncommitted in its workspace; sase committed it.`,
    '',
    `Sase-Run: ${run.id}`,
    ...(run.bead ? [`Sase-Bead: ${run.bead}`] : []),
  ].join('\n');
}

/** An exit that says only how the agent ended, with nothing of why. */
const BARE_EXIT = /^(exit code -?\d+|ended by SIG[A-Z0-9]+)$/;

/**
 * A failed run's error with the agent's own reason: `error` as it is when it
 * says more than how the agent exited, else the last error line of its log
 * before it (`boom (exit code 1)`). Runs recorded before reasons were kept
 * are explained the same way from their stored log.
 */
export function failureReason(error: string | null, log: string): string | null {
  if (error !== null && !BARE_EXIT.test(error)) return error;
  const said = lastErrorLine(log);
  if (!said) return error;
  return error ? `${said} (${error})` : said;
}

export async function judgeEnd(store: Store, run: AgentRun, outcome: Outcome, log: string): Promise<Judged> {
  if (outcome.status === 'failed') {
    const error = failureReason(outcome.error, log);
    if (error !== outcome.error) return { outcome: { ...outcome, error }, note: null, noop: null };
  }
  if (outcome.status !== 'done') return { outcome, note: null, noop: null };
  const noop = noopReason(log);
  const ws = run.workspace;
  // a mentor reviews, it does not change the branch it reads
  if (!ws || run.mentor || (await hasUncommittedWork(store.repo, ws.path)) !== true)
    return { outcome, note: null, noop };
  if (ws.n === null || ws.n === 0)
    // a folder of the user's own (#cd:, the main checkout): its changes are theirs to commit
    return { outcome, note: `left uncommitted work in ${ws.path} (not a workspace of sase's: not committed)`, noop };
  const where = `workspace #${ws.n}`;
  if (onUncommitted(await loadConfig(store.repo)) === 'fail')
    return {
      outcome: {
        ...outcome,
        status: 'failed',
        error: `the agent left uncommitted work in ${where} ([agents] on_uncommitted = "fail")`,
      },
      note: null,
      noop: null,
    };
  try {
    const sha = await commitWorkTree(inFolder(store.repo, ws.path), finalizerMessage(run));
    return {
      outcome,
      note: sha ? `sase committed the work the agent left uncommitted (${sha.slice(0, 12)})` : null,
      noop,
    };
  } catch (err) {
    return {
      outcome: {
        ...outcome,
        status: 'failed',
        error: `cannot commit the work left uncommitted in ${where}: ${failureLine(err)}`,
      },
      note: null,
      noop: null,
    };
  }
}
