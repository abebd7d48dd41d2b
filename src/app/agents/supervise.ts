// Supervising one run, in the process `sase-agent-exec` starts detached: the
// record goes from queued to running (with this process's pid, the host and a
// heartbeat), the provider's program runs in the run's workspace with the
// SASE_* variables, its output goes to the live log, and when it ends the run
// is finished (agent-finish.ts). A SIGTERM (sase-agent-kill) or the time limit
// stops the agent's whole process group: SIGTERM, then SIGKILL.
import { argvFor } from '../../core/agents/providers.ts';
import { type AgentRun, transition } from '../../core/agents/run.ts';
import { NotFoundError, RefusedError } from '../../core/errors.ts';
import { unlocatedEnv } from '../../git/worktree.ts';
import { type AgentExit, findProgram, signalGroup, startAgent } from '../../proc/agent-process.ts';
import { commitRuns, readPrompt, readRun } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { loadProvider } from '../config/providers.ts';
import { type Finished, finishRun, type Outcome } from './finish.ts';
import { markMentorRunning } from './mentors.ts';
import { killRequested, liveLogPath, thisHost, touchHeartbeat, writeAgentPid } from './runtime.ts';

const HEARTBEAT_MS = 10_000;
const KILL_GRACE_MS = 5_000;

export interface SuperviseEnv {
  env: Record<string, string | undefined>;
  now(): string;
}

function agentEnv(
  base: Record<string, string | undefined>,
  extra: Record<string, string>,
  run: AgentRun,
): Record<string, string> {
  // the agent's git works in its workspace, not wherever sase was asked from
  const env = { ...unlocatedEnv(base), ...extra };
  env.SASE_RUN = run.id;
  env.SASE_RUN_NAME = run.name ?? run.id;
  env.SASE_WORKSPACE = run.workspace?.path ?? '';
  env.SASE_WORKSPACE_N = run.workspace?.n === null || run.workspace?.n === undefined ? '' : String(run.workspace.n);
  if (run.bead) env.SASE_BEAD_ID = run.bead;
  else delete env.SASE_BEAD_ID;
  if (run.changespec) env.SASE_CS = run.changespec;
  else delete env.SASE_CS;
  return env;
}

/** Marks a queued run running with this process as its supervisor; refused when it is not queued. */
async function claimRun(store: Store, id: string, at: string): Promise<AgentRun> {
  const { result } = await commitRuns(store, at, async ({ snap }) => {
    const run = await readRun(snap, id);
    if (!run) throw new NotFoundError(`no run '${id}'`);
    if (run.status !== 'queued') throw new RefusedError(`run '${id}' is ${run.status}, not queued`);
    const next: AgentRun = {
      ...transition(run, 'running'),
      pid: process.pid,
      host: thisHost(),
      started_at: at,
      heartbeat_at: at,
    };
    return { op: { op: 'agent.start', id }, runs: [next], result: next };
  });
  return result;
}

/** Runs a queued run to its end in this process; returns how it ended. */
export async function superviseRun(store: Store, id: string, env: SuperviseEnv): Promise<Finished> {
  const repo = store.repo;
  const run = await claimRun(store, id, env.now());
  // a mentor's line in its change says RUNNING from now (a failure to say so does not stop the run)
  if (run.mentor) await markMentorRunning(store, run, env.now()).catch(() => {});
  const end = (o: Outcome) => finishRun(store, id, o, env.now());
  let argv: string[];
  let program: string | null;
  let providerEnv: Record<string, string>;
  try {
    const provider = await loadProvider(repo, run.provider);
    const prompt = await readPrompt(await store.snapshot(), run);
    argv = argvFor(provider, { prompt, model: run.model, session: run.session }, { resume: !!run.resume_of });
    program = findProgram(argv[0]!, env.env);
    providerEnv = provider.env;
    if (!program)
      return end({ status: 'failed', exit_code: null, signal: null, error: `'${argv[0]}' not found on PATH` });
    if (!run.workspace)
      return end({ status: 'failed', exit_code: null, signal: null, error: 'the run has no workspace' });
    touchHeartbeat(repo, id);
    const child = startAgent({
      program,
      argv,
      cwd: run.workspace.path,
      env: agentEnv(env.env, providerEnv, run),
      stdin: provider.prompt === 'stdin' ? prompt : null,
      logPath: liveLogPath(repo, id),
    });
    if (child.pid) writeAgentPid(repo, id, child.pid);
    const exit = await watch(repo, run, child.pid, child.exited);
    return end(exit);
  } catch (err) {
    return end({ status: 'failed', exit_code: null, signal: null, error: (err as Error).message.split('\n')[0]! });
  }
}

/** Waits for the agent, keeping the heartbeat, the time limit and a kill request in view. */
function watch(repo: Store['repo'], run: AgentRun, pid: number | null, exited: Promise<AgentExit>): Promise<Outcome> {
  return new Promise((resolve) => {
    let why: 'killed' | 'timeout' | null = null;
    const timers: NodeJS.Timeout[] = [];
    const stop = (reason: 'killed' | 'timeout') => {
      if (why) return;
      why = reason;
      if (!pid) return;
      signalGroup(pid, 'SIGTERM');
      const t = setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
      t.unref();
      timers.push(t);
    };
    const onSignal = () => stop('killed');
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
    for (const s of signals) process.on(s, onSignal);
    timers.push(
      setInterval(() => {
        touchHeartbeat(repo, run.id);
        if (killRequested(repo, run.id)) stop('killed');
      }, HEARTBEAT_MS),
    );
    if (killRequested(repo, run.id)) stop('killed');
    if (run.timeout) timers.push(setTimeout(() => stop('timeout'), run.timeout * 1000));
    void exited.then((x) => {
      for (const t of timers) clearTimeout(t);
      for (const s of signals) process.off(s, onSignal);
      // whatever the agent left running in its group goes with it
      if (pid) signalGroup(pid, 'SIGKILL');
      if (why === 'killed' || killRequested(repo, run.id))
        return resolve({ status: 'killed', exit_code: x.exitCode, signal: x.signal, error: 'killed' });
      if (why === 'timeout')
        return resolve({
          status: 'failed',
          exit_code: x.exitCode,
          signal: x.signal,
          error: `timed out after ${run.timeout}s`,
        });
      if (x.error)
        return resolve({
          status: 'failed',
          exit_code: null,
          signal: null,
          error: `cannot start '${run.provider}': ${x.error}`,
        });
      if (x.exitCode === 0) return resolve({ status: 'done', exit_code: 0, signal: null, error: null });
      resolve({
        status: 'failed',
        exit_code: x.exitCode,
        signal: x.signal,
        error: x.signal ? `ended by ${x.signal}` : `exit code ${x.exitCode}`,
      });
    });
  });
}
