// Runs that go on from an earlier one: a retry (the same workspace with the
// failed attempt's work in it, the prompt plus what the attempt printed last)
// and a resume (the provider's resume command with the stored session).
import { existsSync } from 'node:fs';
import { retryPrompt, tailOf } from '../../core/agents/prompts.ts';
import { providerNamed } from '../../core/agents/providers.ts';
import { type AgentRun, isFinished, runLogPath } from '../../core/agents/run.ts';
import { NotFoundError, RefusedError, withHint } from '../../core/errors.ts';
import { readBeads } from '../../store/beads.ts';
import { readPrompt, readRun } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { loadProviders } from '../config/providers.ts';
import { reapRuns } from './control.ts';
import type { RunRequest } from './launch.ts';
import { liveness } from './runtime.ts';

/** The run as it ended: a dead run is reaped first, a run still going is refused. */
async function ended(store: Store, run: AgentRun, verb: string): Promise<AgentRun> {
  if (!isFinished(run.status) && liveness(store.repo, run, store.clock.now().getTime()) === 'dead') {
    await reapRuns(store);
    run = (await readRun(await store.snapshot(), run.id)) ?? run;
  }
  if (!isFinished(run.status))
    throw withHint(
      new RefusedError(`run '${run.id}' is ${run.status}; only an ended run can be ${verb}`),
      `'sase agent kill ${run.id}' stops it`,
    );
  return run;
}

/** The reference to the workspace a run worked in, which must still be there. */
function sameWorkspace(run: AgentRun): string {
  const w = run.workspace;
  if (!w) throw new RefusedError(`run '${run.id}' never had a workspace`);
  if (!existsSync(w.path))
    throw withHint(
      new NotFoundError(`the workspace of run '${run.id}' is gone ('${w.path}')`),
      "start afresh with 'sase run'",
    );
  return w.n === null ? `#cd:${w.path}` : `#${w.n}`;
}

async function openBead(store: Store, run: AgentRun): Promise<string | null> {
  if (!run.bead) return null;
  const [b] = await readBeads(await store.snapshot(), [run.bead]);
  return b && b.status !== 'closed' ? b.id : null;
}

/** What a run that goes on from `run` keeps of it: provider, model, name, its still open bead, workspace, change, limits. */
async function carriedOver(store: Store, run: AgentRun, prompt: string): Promise<RunRequest> {
  return {
    prompt,
    raw: true,
    provider: run.provider,
    model: run.model,
    name: run.name,
    bead: await openBead(store, run),
    ws: sameWorkspace(run),
    close: run.close_bead,
    timeout: run.timeout,
    csFollowUp: run.changespec,
  };
}

/** A retry of a failed or killed run. */
export async function retryRequest(store: Store, failed: AgentRun): Promise<RunRequest> {
  const run = await ended(store, failed, 'retried');
  if (run.status === 'done')
    throw new RefusedError(
      `run '${run.id}' is done; there is nothing to retry ('sase agent resume ${run.id}' continues its session)`,
    );
  const snap = await store.snapshot();
  const log = (await snap.readText(runLogPath(run.id))) ?? '';
  return {
    ...(await carriedOver(store, run, retryPrompt(await readPrompt(snap, run), run, tailOf(log)))),
    mentor: run.mentor,
    retry_of: run.id,
  };
}

/** What a resume tells the agent when it is told nothing else. */
export const DEFAULT_RESUME_PROMPT = 'Continue where you stopped.';

/** A resume of a run's session, with a new prompt. */
export async function resumeRequest(store: Store, earlier: AgentRun, prompt: string): Promise<RunRequest> {
  const run = await ended(store, earlier, 'resumed');
  if (!run.session) throw new RefusedError(`run '${run.id}' has no session id to resume (its provider reported none)`);
  const provider = providerNamed(run.provider, await loadProviders(store.repo));
  if (!provider.resume)
    throw new RefusedError(`provider '${provider.name}' cannot resume a session (it has no resume command)`);
  return { ...(await carriedOver(store, run, prompt)), resume_of: run.id, session: run.session };
}
