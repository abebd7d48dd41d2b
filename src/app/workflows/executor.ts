// Carrying a workflow run on: its top-level steps one after another in run
// order (each after the steps it needs), a parallel step's sub-steps
// together, a for_each step's instances one after another. Every change of a
// step (running, an attempt's end, done, failed, skipped, waiting for an
// approval) is committed as it happens, so a run stopped anywhere goes on
// from the record: what is done stays done. A step that fails after its
// retries fails the run; an approval step stops it (waiting_approval).
//
// Scripts (bash, python) run from an argument array, never with a value
// pasted into their text: inputs and earlier outputs reach them as
// environment variables and a context file. Agent steps are agent runs
// (launched and followed like sase-agent-run's), whose output is read from
// what the agent said.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRunArgv, providerNamed } from '../../core/agents/providers.ts';
import { isFinished, runLogPath } from '../../core/agents/run.ts';
import { nowIso } from '../../core/clock.ts';
import { FatalError, NotFoundError, RefusedError, withHint } from '../../core/errors.ts';
import { failureTail } from '../../core/failure-text.ts';
import {
  conditionRefs,
  evalCondition,
  parseCondition,
  parseRef,
  renderTemplate,
  valueText,
} from '../../core/workflows/expr.ts';
import { agentOutput, type Outputs, parseOutputs } from '../../core/workflows/outputs.ts';
import type { WfLiveness } from '../../core/workflows/run.ts';
import {
  type Attempt,
  agentRunName,
  exitError,
  forEachItems,
  instancesOf,
  newWfRun,
  nextStep,
  pendingPromptParts,
  resetForResume,
  resolver,
  respec,
  type StepRecord,
  stepEnv,
  stepLogPath,
  stepRecord,
  type WfRun,
  type WfRunStatus,
  waitingStep,
  wfRunIdFrom,
  withInstances,
  withStep,
} from '../../core/workflows/run.ts';
import type { WorkflowEntry } from '../../core/workflows/spec.ts';
import { allSteps, bindInputs, type StepSpec, type Workflow } from '../../core/workflows/spec.ts';
import { localDir } from '../../git/repo.ts';
import { processExists, startDetached } from '../../proc/agent-process.ts';
import { runHookProcess } from '../../proc/hooks.ts';
import { readRun } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { commitWfRun, countWfRuns, readWfRun } from '../../store/workflow-runs.ts';
import { workflowContextToWire } from '../../wire/workflow.ts';
import { followRuns, killRun } from '../agents/control.ts';
import { checkProgram, DEFAULT_PROVIDER, type LaunchEnv, launchRuns, planRuns } from '../agents/launch.ts';
import { liveness, thisHost } from '../agents/runtime.ts';
import { loadConfig } from '../config/config.ts';
import { loadProviders } from '../config/providers.ts';
import { mainCheckout } from '../workspaces/workspaces.ts';
import { expandWithXPrompts } from '../xprompts/library.ts';
import { loadWorkflow } from './specs.ts';

/** An agent's transcript is read up to this much while it is followed. */
const MAX_TRANSCRIPT = 8 << 20;
/** A run recorded as running with no process yet counts as starting for this long. */
const STARTING_GRACE_MS = 60_000;

export interface WfExecEnv {
  cwd: string;
  env: Record<string, string | undefined>;
  random(n: number): Promise<Uint8Array>;
}

export interface WfHooks {
  /** a step changed state */
  onStep?(run: WfRun, step: StepRecord): void;
  /** an agent step started its agent run */
  onAgent?(run: WfRun, step: StepRecord, agentRun: string): void;
}

export interface ExecOptions extends WfHooks {
  env: WfExecEnv;
  /** stops the run (Ctrl-C, SIGTERM): running steps fail as interrupted */
  signal?: AbortSignal;
}

/** Whether the process carrying a running run on is there (on this host; elsewhere it cannot be told). */
export function wfLiveness(run: WfRun, nowMs: number): WfLiveness {
  if (run.status !== 'running') return 'unknown';
  if (run.pid === null) return nowMs - Date.parse(run.updated_at) < STARTING_GRACE_MS ? 'alive' : 'dead';
  if (run.host !== thisHost()) return 'unknown';
  return processExists(run.pid) ? 'alive' : 'dead';
}

/** Machine-local files of a run: context files, the detached executor's stderr. */
function runtimeDir(store: Store, runId: string): string {
  return localDir(store.repo, 'workflows', runId);
}

// ---- starting

export interface StartRequest {
  name: string;
  inputs: Array<[string, string]>;
  provider: string | null;
  model: string | null;
  /** a detached run is carried on by sase-wf-exec; a foreground one by this process */
  detach: boolean;
}

/** The provider each agent step would use, checked now so a missing one stops the run before it starts. */
async function checkProviders(store: Store, wf: Workflow, req: StartRequest, env: WfExecEnv): Promise<void> {
  const agents = allSteps(wf).filter((s) => s.kind === 'agent' && !/%provider:/.test(s.prompt ?? ''));
  if (!agents.length) return;
  const table = await loadProviders(store.repo);
  const defaults = ((await loadConfig(store.repo)).agents ?? {}) as { provider?: string; model?: string };
  for (const s of agents) {
    const name = s.provider ?? req.provider ?? wf.provider ?? defaults.provider ?? DEFAULT_PROVIDER;
    const provider = providerNamed(name, table);
    checkProgram(provider, env.env);
    if (/%model:/.test(s.prompt ?? '')) continue;
    // the model the step's run will get (as planRuns picks it): a missing or refused one stops the run now
    const fallback = name === (defaults.provider ?? DEFAULT_PROVIDER) ? (defaults.model ?? null) : null;
    checkRunArgv(provider, s.model ?? req.model ?? wf.model ?? fallback);
  }
}

/**
 * Checks a workflow and the values given to it (a malformed spec is fatal,
 * a bad value a usage error: nothing is written), then records the new run.
 * A foreground run is recorded as carried on by this process.
 */
export async function createWfRun(store: Store, req: StartRequest, env: WfExecEnv): Promise<WfRun> {
  const { entry, workflow } = await loadWorkflow(store.repo, req.name);
  const inputs = bindInputs(workflow, req.inputs);
  await checkProviders(store, workflow, req, env);
  const id = wfRunIdFrom(await env.random(8));
  const at = nowIso(store.clock);
  return commitWfRun(store, 'new', id, at, async (now, snap) => {
    if (now) throw new FatalError(`workflow run id '${id}' is taken`);
    const fresh = newWfRun({
      id,
      workflow,
      source: entry.display,
      inputs,
      at,
      provider: req.provider,
      model: req.model,
      seq: (await countWfRuns(snap)) + 1,
    });
    const run: WfRun = req.detach ? fresh : { ...fresh, pid: process.pid, host: thisHost() };
    return { run, result: run };
  });
}

/** Starts `sase-wf-exec <id>` detached for a run recorded without a process. */
export function spawnWfExec(store: Store, run: WfRun, env: WfExecEnv): void {
  const dir = runtimeDir(store, run.id);
  startDetached({
    command: 'sase-wf-exec',
    args: [run.id],
    cwd: mainCheckout(store.repo) ?? env.cwd,
    env: env.env,
    errorLog: join(dir, 'exec.err'),
  });
}

// ---- resuming and approving

/**
 * Makes a run ready to go on (sase-wf-resume): refused when it is done, is
 * carried on by a live process, or waits for an approval not given yet.
 * Failed and interrupted steps go back to pending; the run is recorded as
 * carried on by this process (or by none yet, for a detached resume).
 */
export async function prepareResume(
  store: Store,
  id: string,
  _env: WfExecEnv,
  detach: boolean,
  reload = false,
): Promise<WfRun> {
  const at = nowIso(store.clock);
  let fresh: { entry: WorkflowEntry; workflow: Workflow } | null = null;
  if (reload) {
    const current = await readWfRun(await store.snapshot(), id);
    if (!current) throw new NotFoundError(`no workflow run '${id}'`);
    fresh = await loadWorkflow(store.repo, current.workflow);
  }
  return commitWfRun(store, 'resume', id, at, (now) => {
    if (!now) throw new NotFoundError(`no workflow run '${id}'`);
    if (now.status === 'done') throw new RefusedError(`workflow run '${id}' is done; there is nothing to resume`);
    if (now.status === 'running' && wfLiveness(now, store.clock.now().getTime()) !== 'dead') {
      throw new RefusedError(
        `workflow run '${id}' is running${now.pid !== null ? ` (pid ${now.pid} on ${now.host})` : ''}`,
      );
    }
    const waiting = waitingStep(now);
    if (now.status === 'waiting_approval' && waiting) {
      throw withHint(
        new RefusedError(`workflow run '${id}' waits for the approval of step '${waiting.id}'`),
        `approve it with 'sase wf approve ${id} ${waiting.id}' (or refuse it with --reject)`,
      );
    }
    let reset = resetForResume(now, at);
    if (fresh) {
      const next = respec(reset, fresh.workflow, bindInputs(fresh.workflow, Object.entries(now.inputs)));
      if (typeof next === 'string') throw new RefusedError(`${fresh.entry.display}: ${next}`);
      reset = { ...next, source: fresh.entry.display };
    }
    const run: WfRun = { ...reset, pid: detach ? null : process.pid, host: detach ? null : thisHost() };
    return { run, detail: { state: 'running' }, result: run };
  });
}

/**
 * Records a decision on the step a run waits on: approved, the step is done
 * (its outputs: approved, note) and the run can go on; rejected, the step
 * fails with the note and so does the run (a resume asks again).
 */
export async function decideApproval(
  store: Store,
  id: string,
  step: string,
  d: { reject: boolean; note: string | null; by: string },
  _env: WfExecEnv,
): Promise<WfRun> {
  const at = nowIso(store.clock);
  return commitWfRun(store, 'approve', id, at, (now) => {
    if (!now) throw new NotFoundError(`no workflow run '${id}'`);
    const rec = stepRecord(now, step);
    if (!rec)
      throw withHint(
        new NotFoundError(`workflow run '${id}' has no step '${step}'`),
        `its steps: ${now.steps.map((s) => s.id).join(', ')}`,
      );
    if (rec.kind !== 'approval')
      throw new RefusedError(
        `step '${step}' of workflow run '${id}' is ${rec.kind === 'agent' ? 'an' : 'a'} ${rec.kind} step, not an approval`,
      );
    if (rec.state !== 'waiting_approval')
      throw new RefusedError(
        `step '${step}' of workflow run '${id}' is not waiting for an approval (it is ${rec.state.replace('_', ' ')})`,
      );
    const approval = { decision: d.reject ? ('rejected' as const) : ('approved' as const), note: d.note, by: d.by, at };
    let run: WfRun;
    if (d.reject) {
      run = withStep(now, step, {
        state: 'failed',
        approval,
        ended_at: at,
        error: `rejected${d.note ? `: ${d.note}` : ''}`,
      });
      run = {
        ...run,
        status: 'failed',
        ended_at: at,
        error: `step '${step}' was rejected${d.note ? `: ${d.note}` : ''}`,
      };
    } else {
      run = withStep(now, step, {
        state: 'done',
        approval,
        ended_at: at,
        error: null,
        outputs: { ...rec.outputs, approved: true, note: d.note },
      });
    }
    return { run, detail: { step, state: approval.decision }, result: run };
  });
}

// ---- executing

type Outcome = 'done' | 'failed' | 'waiting' | 'interrupted';

interface AttemptResult {
  ok: boolean;
  outputs: Outputs;
  error: string | null;
  exit_code: number | null;
  /** stopped from outside (interrupted, or a sibling failed under fail_fast) */
  stopped: boolean;
  log: string | null;
  /** a failed script's last meaningful lines */
  tail?: string[];
}

class Executor {
  private chain: Promise<unknown> = Promise.resolve();
  private run!: WfRun;
  private readonly signal: AbortSignal;

  constructor(
    private readonly store: Store,
    private readonly id: string,
    private readonly opts: ExecOptions,
  ) {
    this.signal = opts.signal ?? new AbortController().signal;
  }

  private get env(): WfExecEnv {
    return this.opts.env;
  }

  /** One change of the record, built on it as it is in the ref; changes are made one at a time. */
  private update(
    verb: string,
    detail: Record<string, unknown>,
    mutate: (r: WfRun) => WfRun,
    files: Array<{ path: string; text: string }> = [],
  ): Promise<WfRun> {
    const next = this.chain.then(() =>
      commitWfRun(this.store, verb, this.id, this.at(), (now) => {
        if (!now) throw new NotFoundError(`no workflow run '${this.id}'`);
        const run = mutate(now);
        return { run, files, detail, result: run };
      }),
    );
    this.chain = next.catch(() => {});
    return next.then((r) => {
      this.run = r;
      return r;
    });
  }

  private async setStep(
    id: string,
    patch: Partial<StepRecord> | ((rec: StepRecord) => Partial<StepRecord>),
    files: Array<{ path: string; text: string }> = [],
  ): Promise<StepRecord> {
    let state: string | undefined;
    const run = await this.update(
      'step',
      { step: id },
      (r) => {
        const rec = stepRecord(r, id)!;
        const p = typeof patch === 'function' ? patch(rec) : patch;
        state = p.state;
        return withStep(r, id, p);
      },
      files,
    );
    const rec = stepRecord(run, id)!;
    if (state) this.opts.onStep?.(run, rec);
    return rec;
  }

  private interrupted(): boolean {
    return this.signal.aborted;
  }

  async execute(): Promise<WfRun> {
    const at = this.at();
    this.run = await commitWfRun(this.store, 'claim', this.id, at, (now) => {
      if (!now) throw new NotFoundError(`no workflow run '${this.id}'`);
      if (now.status !== 'running')
        throw new RefusedError(`workflow run '${this.id}' is ${now.status.replace('_', ' ')}, not running`);
      if (now.pid !== null && now.pid !== process.pid && wfLiveness(now, this.store.clock.now().getTime()) !== 'dead') {
        throw new RefusedError(`workflow run '${this.id}' is carried on by pid ${now.pid} on ${now.host}`);
      }
      if (now.pid === process.pid && now.host === thisHost()) return { run: null, result: now };
      // taken over from a process that died: what it left running starts again
      const base = now.pid !== null ? resetForResume(now, at) : now;
      const run = { ...base, pid: process.pid, host: thisHost() };
      return { run, result: run };
    });
    try {
      for (;;) {
        if (this.interrupted()) return await this.end('failed', 'interrupted');
        const s = nextStep(this.run);
        if (!s) return await this.end('done', null);
        const outcome = await this.top(s);
        if (outcome === 'waiting') return await this.end('waiting_approval', null);
        if (outcome === 'interrupted') return await this.end('failed', 'interrupted');
        if (outcome === 'failed')
          return await this.end('failed', `step '${s.id}' failed: ${stepRecord(this.run, s.id)?.error ?? 'failed'}`);
      }
    } catch (err) {
      // a fault of sase itself (the ref, the disk): the run is left failed, to be resumed
      await this.end('failed', `stopped: ${(err as Error).message}`).catch(() => {});
      throw err;
    }
  }

  private end(status: WfRunStatus, error: string | null): Promise<WfRun> {
    const at = this.at();
    return this.update(status === 'waiting_approval' ? 'wait' : 'end', { state: status }, (r) => ({
      ...r,
      status,
      error,
      ended_at: status === 'done' || status === 'failed' ? at : null,
      pid: null,
      host: null,
      // steps left running by an interruption are failed, so a resume starts them again
      steps: r.steps.map((s) =>
        s.state === 'running'
          ? {
              ...s,
              state: 'failed',
              error: 'interrupted',
              ended_at: at,
              attempts: s.attempts.map((a) =>
                a.state === 'running' ? { ...a, state: 'failed', ended_at: at, error: 'interrupted' } : a,
              ),
            }
          : s,
      ),
    }));
  }

  /** Whether a step's `if` lets it run (for a for_each step whose `if` names item or index, each instance decides). */
  private async passes(s: StepSpec, id: string, instance: StepRecord | null): Promise<boolean> {
    if (s.if === null) return true;
    const cond = parseCondition(s.if);
    const perItem = conditionRefs(cond).some((r) => r.kind === 'item' || r.kind === 'index');
    if (perItem !== (instance !== null)) return true;
    if (evalCondition(cond, resolver(this.run, instance))) return true;
    const at = this.at();
    await this.setStep(id, (rec) => ({
      state: 'skipped',
      started_at: rec.started_at ?? at,
      ended_at: at,
      error: `'if' is false: ${s.if}`,
    }));
    return false;
  }

  private async top(s: StepSpec): Promise<Outcome> {
    if (!(await this.passes(s, s.id, null))) return 'done';
    const at = this.at();
    const res = resolver(this.run);
    switch (s.kind) {
      case 'approval': {
        const question = s.prompt === null ? null : renderTemplate(s.prompt, res);
        await this.setStep(s.id, (rec) => ({
          state: 'waiting_approval',
          started_at: rec.started_at ?? at,
          outputs: question === null ? {} : { question },
        }));
        return 'waiting';
      }
      case 'prompt':
        await this.setStep(s.id, (rec) => ({
          state: 'done',
          started_at: rec.started_at ?? at,
          ended_at: at,
          outputs: { text: renderTemplate(s.prompt!, res) },
        }));
        return 'done';
      case 'parallel':
        return this.parallel(s);
      default:
        return this.leaf(s, pendingPromptParts(this.run), this.signal);
    }
  }

  private async parallel(s: StepSpec): Promise<Outcome> {
    await this.setStep(s.id, (rec) => ({ state: 'running', started_at: rec.started_at ?? this.at(), error: null }));
    const parts = pendingPromptParts(this.run);
    const local = new AbortController();
    const onOuter = () => local.abort();
    this.signal.addEventListener('abort', onOuter);
    let outcomes: Outcome[];
    try {
      outcomes = await Promise.all(
        s.steps.map(async (c): Promise<Outcome> => {
          const rec = stepRecord(this.run, c.id);
          if (rec && (rec.state === 'done' || rec.state === 'skipped')) return 'done';
          if (!(await this.passes(c, c.id, null))) return 'done';
          const o = await this.leaf(c, parts, local.signal);
          if (o === 'failed' && s.fail_fast) local.abort();
          return o;
        }),
      );
    } finally {
      this.signal.removeEventListener('abort', onOuter);
    }
    const at = this.at();
    if (this.interrupted() || outcomes.includes('interrupted')) {
      await this.setStep(s.id, { state: 'failed', ended_at: at, error: 'interrupted' });
      return 'interrupted';
    }
    const subs = s.steps.map((c) => stepRecord(this.run, c.id)!);
    const bad = subs.filter((r) => r.state === 'failed');
    if (bad.length) {
      // the sub-steps that failed first, not those fail_fast stopped
      const real = bad.filter((r) => !/^stopped:/.test(r.error ?? ''));
      const names = (real.length ? real : bad).map((r) => `'${r.id}' (${r.error})`);
      await this.setStep(s.id, {
        state: 'failed',
        ended_at: at,
        error: `sub-step${names.length > 1 ? 's' : ''} ${names.join(', ')} failed`,
      });
      return 'failed';
    }
    const outputs = Object.fromEntries(subs.filter((r) => r.state === 'done').map((r) => [r.id, r.outputs]));
    await this.setStep(s.id, { state: 'done', ended_at: at, error: null, outputs });
    return 'done';
  }

  private async leaf(s: StepSpec, parts: StepRecord[], signal: AbortSignal): Promise<Outcome> {
    if (s.for_each === null) return this.attempts(s.id, s, parts, signal);
    const value = resolver(this.run)(parseRef(s.for_each.trim())!);
    const items = forEachItems(value);
    const at = this.at();
    if (typeof items === 'string') {
      await this.setStep(s.id, (rec) => ({
        state: 'failed',
        started_at: rec.started_at ?? at,
        ended_at: at,
        error: `for_each: '${s.for_each}' is ${items}, not a list`,
      }));
      return 'failed';
    }
    await this.update('step', { step: s.id, state: 'running' }, (r) => {
      const rec = stepRecord(r, s.id)!;
      return withStep(withInstances(r, s.id, items), s.id, {
        state: 'running',
        started_at: rec.started_at ?? at,
        error: null,
      });
    });
    this.opts.onStep?.(this.run, stepRecord(this.run, s.id)!);
    for (const inst of instancesOf(this.run, s.id)) {
      if (inst.state === 'done' || inst.state === 'skipped') continue;
      if (!(await this.passes(s, inst.id, inst))) continue;
      const o = await this.attempts(inst.id, s, parts, signal);
      if (o !== 'done') {
        const end = this.at();
        const why = stepRecord(this.run, inst.id)?.error ?? 'failed';
        await this.setStep(s.id, {
          state: 'failed',
          ended_at: end,
          error: o === 'interrupted' ? 'interrupted' : `instance '${inst.id}' failed: ${why}`,
        });
        return o;
      }
    }
    const results = instancesOf(this.run, s.id).map((i) => (i.state === 'done' ? i.outputs : null));
    await this.setStep(s.id, { state: 'done', ended_at: this.at(), error: null, outputs: { results } });
    return 'done';
  }

  /** Runs a step's attempts until one succeeds or its retries are spent. */
  private async attempts(id: string, s: StepSpec, parts: StepRecord[], signal: AbortSignal): Promise<Outcome> {
    const adopted = s.kind === 'agent' ? await this.adopt(id, signal) : null;
    if (adopted) {
      const o = await this.finishAttempt(id, s, adopted.n, adopted.result, parts, false, signal);
      if (o !== 'retry') return o;
    }
    for (let k = 0; k <= s.retries; k++) {
      if (signal.aborted) {
        await this.setStep(id, {
          state: 'failed',
          ended_at: this.at(),
          error: this.interrupted() ? 'interrupted' : 'stopped: a sibling step failed (fail_fast)',
        });
        return this.interrupted() ? 'interrupted' : 'failed';
      }
      const start = this.at();
      let n = 0;
      await this.setStep(id, (rec) => {
        n = rec.attempts.length + 1;
        const attempt: Attempt = {
          n,
          started_at: start,
          ended_at: null,
          state: 'running',
          error: null,
          exit_code: null,
          seconds: null,
          agent_run: null,
        };
        return {
          state: 'running',
          started_at: rec.started_at ?? start,
          error: null,
          attempts: [...rec.attempts, attempt],
        };
      });
      const t0 = this.store.clock.ms();
      const result =
        s.kind === 'agent'
          ? await this.agentAttempt(id, s, parts, n, signal)
          : await this.scriptAttempt(id, s, n, signal);
      const outcome = await this.finishAttempt(
        id,
        s,
        n,
        { ...result, seconds: (this.store.clock.ms() - t0) / 1000 },
        parts,
        k === s.retries,
        signal,
      );
      if (outcome !== 'retry') return outcome;
    }
    return 'failed';
  }

  /** Records an attempt's end (and the step's, when it succeeded or was the last): 'retry' when another attempt follows. */
  private async finishAttempt(
    id: string,
    s: StepSpec,
    n: number,
    r: AttemptResult & { seconds?: number },
    parts: StepRecord[],
    last: boolean,
    signal: AbortSignal,
  ): Promise<Outcome | 'retry'> {
    const at = this.at();
    const final = r.ok || last || r.stopped;
    const files = r.log ? [{ path: stepLogPath(this.id, id, n), text: r.log }] : [];
    const stopError = this.interrupted() ? 'interrupted' : 'stopped: a sibling step failed (fail_fast)';
    const error = r.stopped ? stopError : r.error;
    await this.setStep(
      id,
      (rec) => ({
        attempts: rec.attempts.map((a) =>
          a.n === n
            ? {
                ...a,
                ended_at: at,
                state: r.ok ? 'done' : 'failed',
                error: r.ok ? null : error,
                exit_code: r.exit_code,
                seconds: r.seconds === undefined ? a.seconds : Math.round(r.seconds * 10) / 10,
                log: files.length ? files[0]!.path : null,
                ...(r.ok || !r.tail?.length ? {} : { tail: r.tail }),
              }
            : a,
        ),
        ...(r.ok
          ? {
              state: 'done' as const,
              outputs: r.outputs,
              ended_at: at,
              error: null,
              prompt_parts: s.kind === 'agent' ? parts.map((p) => p.id) : rec.prompt_parts,
            }
          : final
            ? { state: 'failed' as const, ended_at: at, error }
            : { error }),
      }),
      files,
    );
    if (r.ok) return 'done';
    if (r.stopped) return this.interrupted() || !signal.aborted ? 'interrupted' : 'failed';
    return final ? 'failed' : 'retry';
  }

  /** A script attempt: `bash -c <run>` or `python3 -c <run>` in the work tree, with the run's values in its environment. */
  private async scriptAttempt(id: string, s: StepSpec, n: number, signal: AbortSignal): Promise<AttemptResult> {
    const rec = stepRecord(this.run, id)!;
    const file = join(runtimeDir(this.store, this.id), `${id.replace(/\[(\d+)\]$/, '@$1')}.${n}.context.json`);
    writeFileSync(file, JSON.stringify(workflowContextToWire(this.run, rec), null, 2) + '\n', { mode: 0o600 });
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.env.env)) if (v !== undefined) base[k] = v;
    const env = { ...base, ...stepEnv(this.run, rec), SASE_CONTEXT: file };
    const argv = s.kind === 'python' ? ['python3', '-c', s.run!] : ['bash', '-c', s.run!];
    try {
      const p = await runHookProcess({
        command: s.run!,
        argv,
        cwd: this.store.repo.topLevel ?? this.env.cwd,
        env,
        timeoutMs: s.timeout ? Math.round(s.timeout * 1000) : 0,
        clock: this.store.clock,
        signal,
      });
      const log = p.output.toString('utf8');
      const ok = p.exitCode === 0 && !p.timedOut && !p.interrupted;
      const stopped = p.interrupted && !p.timedOut;
      const tail = ok ? [] : failureTail(p.stderr.toString('utf8'), log);
      return {
        ok,
        outputs: ok ? parseOutputs(p.stdout.toString('utf8')) : {},
        error: ok ? null : exitError(p, s.timeout, tail),
        exit_code: p.exitCode,
        stopped,
        log: log || null,
        tail,
      };
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** Now, as records write it. */
  private at(): string {
    return nowIso(this.store.clock);
  }

  /** An agent attempt: the step's prompt (XPrompts and directives of its own text, then the values, after any prompt steps' text) as an agent run, followed to its end. */
  private async agentAttempt(
    id: string,
    s: StepSpec,
    parts: StepRecord[],
    n: number,
    signal: AbortSignal,
  ): Promise<AttemptResult> {
    const rec = stepRecord(this.run, id)!;
    const failed = (error: string): AttemptResult => ({
      ok: false,
      outputs: {},
      error,
      exit_code: null,
      stopped: false,
      log: null,
    });
    let agentId: string;
    try {
      // directives and XPrompts come from the spec's own text, before any value is put in: a value never becomes one
      const exp = await expandWithXPrompts({ cwd: this.env.cwd, env: this.env.env, repo: this.store.repo }, s.prompt!);
      const segs = exp.segments.filter((g) => g.text.trim());
      if (segs.length !== 1)
        return failed(
          `its prompt is ${segs.length ? 'several prompts (--- lines)' : 'empty once its directives are taken out'}; an agent step runs one`,
        );
      const seg = segs[0]!;
      const own = renderTemplate(seg.text, resolver(this.run, rec.index === null ? null : rec));
      const prompt = [...parts.map((p) => valueText(p.outputs.text)), own].filter((t) => t.trim()).join('\n\n');
      const launch: LaunchEnv = { cwd: this.env.cwd, env: this.env.env, at: this.at(), random: this.env.random };
      const req = {
        prompt,
        raw: true,
        provider: seg.directives.provider ?? s.provider ?? this.run.provider ?? this.run.spec.provider,
        model: seg.directives.model ?? s.model ?? this.run.model ?? this.run.spec.model,
        name: seg.directives.name ?? agentRunName(this.run, id),
        ws: s.ws,
        timeout: s.timeout,
      };
      const [agent] = await launchRuns(this.store, await planRuns(this.store, req, launch), launch);
      agentId = agent!.id;
    } catch (err) {
      return failed(`its agent run could not start: ${(err as Error).message}`);
    }
    const rec2 = await this.setStep(id, (r) => ({
      agent_runs: [...r.agent_runs, agentId],
      attempts: r.attempts.map((a) => (a.n === n ? { ...a, agent_run: agentId } : a)),
    }));
    this.opts.onAgent?.(this.run, rec2, agentId);
    return this.followAgent(agentId, signal);
  }

  /** Follows an agent run to its end; its outputs are read from its transcript. */
  private async followAgent(agentId: string, signal: AbortSignal): Promise<AttemptResult> {
    const chunks: Buffer[] = [];
    let size = 0;
    const ended = await followRuns(this.store, [agentId], {
      stopped: () => signal.aborted,
      write: (_r, chunk) => {
        if (size < MAX_TRANSCRIPT) chunks.push(chunk);
        size += chunk.length;
      },
    });
    if (signal.aborted) {
      const now = await readRun(await this.store.snapshot(), agentId);
      if (now && !isFinished(now.status)) await killRun(this.store, now).catch(() => {});
      return { ok: false, outputs: {}, error: 'interrupted', exit_code: null, stopped: true, log: null };
    }
    const r = ended[0];
    if (!r)
      return {
        ok: false,
        outputs: {},
        error: `agent run '${agentId}' is gone`,
        exit_code: null,
        stopped: false,
        log: null,
      };
    let transcript = Buffer.concat(chunks).toString('utf8');
    if (!transcript) transcript = (await (await this.store.snapshot()).readText(runLogPath(agentId))) ?? '';
    if (r.status === 'done')
      return {
        ok: true,
        outputs: agentOutput(transcript),
        error: null,
        exit_code: r.exit_code,
        stopped: false,
        log: null,
      };
    const error = `agent run ${agentId} ${r.status}${r.error ? `: ${r.error}` : r.exit_code !== null ? ` (exit code ${r.exit_code})` : ''}`;
    return { ok: false, outputs: {}, error, exit_code: r.exit_code, stopped: false, log: null };
  }

  /**
   * An agent step interrupted while its agent run went on (the process that
   * carried the workflow on died; the agent's supervisor did not): that
   * attempt is taken up again, followed if the run still goes on, its result
   * taken if it is done, so no agent is started twice for one attempt.
   */
  private async adopt(id: string, signal: AbortSignal): Promise<{ n: number; result: AttemptResult } | null> {
    const rec = stepRecord(this.run, id)!;
    const last = rec.attempts[rec.attempts.length - 1];
    if (!last?.agent_run || last.state !== 'failed' || last.error !== 'interrupted') return null;
    const agent = await readRun(await this.store.snapshot(), last.agent_run);
    if (!agent) return null;
    const goesOn =
      !isFinished(agent.status) &&
      agent.status !== 'waiting' &&
      liveness(this.store.repo, agent, this.store.clock.now().getTime()) !== 'dead';
    if (agent.status !== 'done' && !goesOn) return null;
    await this.setStep(id, (r) => ({
      state: 'running',
      error: null,
      attempts: r.attempts.map((a) => (a.n === last.n ? { ...a, state: 'running', ended_at: null, error: null } : a)),
    }));
    return { n: last.n, result: await this.followAgent(agent.id, signal) };
  }
}

/**
 * Carries a run on to its end or to an approval, in this process: the run
 * must be running and not carried on by another live process. Returns the
 * run as it stopped.
 */
export function executeWfRun(store: Store, id: string, opts: ExecOptions): Promise<WfRun> {
  return new Executor(store, id, opts).execute();
}
