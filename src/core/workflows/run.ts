// Workflow runs: one record a run, workflows/<run-id>.json in the state ref,
// holding the spec as it was started (a resume follows it, whatever the file
// says now), the inputs, the run's status and every step's state, attempts,
// outputs, times, agent runs and approval. This module owns the record and
// the pure decisions on it: which step runs next, what a resume resets, the
// values a step sees (its references, environment and context file). Pure.

import { checkRunName, randomRunId } from '../agents/run.ts';
import { canonicalJson } from '../canonical.ts';
import { FatalError, UsageError } from '../errors.ts';
import { failureLine } from '../failure-text.ts';
import { type Ref, valueText } from './expr.ts';
import type { Outputs } from './outputs.ts';
import { allSteps, envName, runOrder, type StepKind, type StepSpec, type Workflow } from './spec.ts';

export const WF_DIR = 'workflows';
export const WF_RUN_STATUSES = ['running', 'waiting_approval', 'done', 'failed'] as const;
export type WfRunStatus = (typeof WF_RUN_STATUSES)[number];
export const STEP_STATES = ['pending', 'running', 'done', 'failed', 'skipped', 'waiting_approval'] as const;
export type StepState = (typeof STEP_STATES)[number];

const ID_RE = /^w-[0-9a-z]{8}$/;
/** An environment value larger than this is left out (it is still in the context file). */
export const MAX_ENV_VALUE = 64 * 1024;

export interface Attempt {
  n: number;
  started_at: string;
  ended_at: string | null;
  state: 'running' | 'done' | 'failed';
  error: string | null;
  exit_code: number | null;
  seconds: number | null;
  /** the agent run of an agent step's attempt */
  agent_run: string | null;
  /** a script's output (stdout and stderr), stored in the ref at this path */
  log?: string | null;
  /** a failed script's last meaningful lines of stderr (else of its output), oldest first */
  tail?: string[];
}

export interface Approval {
  decision: 'approved' | 'rejected';
  note: string | null;
  by: string;
  at: string;
}

export interface StepRecord {
  /** the step's id, or `<id>[<k>]` for the k-th instance of a for_each step */
  id: string;
  /** the id in the spec */
  step: string;
  kind: StepKind;
  /** the parallel step holding it, or the for_each step an instance is of */
  parent: string | null;
  /** an instance's place and item */
  index: number | null;
  item: unknown;
  state: StepState;
  attempts: Attempt[];
  outputs: Outputs;
  started_at: string | null;
  ended_at: string | null;
  /** why it failed, or why it was skipped */
  error: string | null;
  agent_runs: string[];
  approval: Approval | null;
  /** an agent step: the prompt steps whose text went before its prompt */
  prompt_parts: string[];
}

export interface WfRun {
  v: 1;
  kind: 'workflow_run';
  id: string;
  workflow: string;
  /** where the spec was read from */
  source: string;
  spec: Workflow;
  inputs: Record<string, string>;
  /** the default provider and model of its agent steps, given when it was started */
  provider: string | null;
  model: string | null;
  status: WfRunStatus;
  error: string | null;
  created_at: string;
  /** how many runs the ref held before this one, plus one: orders runs made within one second */
  seq: number;
  ended_at: string | null;
  updated_at: string;
  /** the process carrying it on now (sase-wf-run in the foreground, or sase-wf-exec) */
  pid: number | null;
  host: string | null;
  resumes: number;
  steps: StepRecord[];
}

export function isWfRunId(text: string): boolean {
  return ID_RE.test(text);
}

export function wfRunIdFrom(bytes: Uint8Array): string {
  return randomRunId('w', bytes);
}

export function wfRunPath(id: string): string {
  if (!isWfRunId(id)) throw new UsageError(`'${id}' is not a workflow run id`);
  return `${WF_DIR}/${id}.json`;
}

export function isFinishedRun(status: WfRunStatus): boolean {
  return status === 'done' || status === 'failed';
}

function blankStep(s: StepSpec, parent: string | null): StepRecord {
  return {
    id: s.id,
    step: s.id,
    kind: s.kind,
    parent,
    index: null,
    item: null,
    state: 'pending',
    attempts: [],
    outputs: {},
    started_at: null,
    ended_at: null,
    error: null,
    agent_runs: [],
    approval: null,
    prompt_parts: [],
  };
}

export function newWfRun(o: {
  id: string;
  workflow: Workflow;
  source: string;
  inputs: Record<string, string>;
  at: string;
  provider: string | null;
  model: string | null;
  seq?: number;
}): WfRun {
  const steps = o.workflow.steps.flatMap((s) => [blankStep(s, null), ...s.steps.map((c) => blankStep(c, s.id))]);
  return {
    v: 1,
    kind: 'workflow_run',
    id: o.id,
    workflow: o.workflow.name,
    source: o.source,
    spec: o.workflow,
    inputs: o.inputs,
    provider: o.provider,
    model: o.model,
    status: 'running',
    error: null,
    created_at: o.at,
    seq: o.seq ?? 1,
    ended_at: null,
    updated_at: o.at,
    pid: null,
    host: null,
    resumes: 0,
    steps,
  };
}

export function parseWfRun(text: string, path: string): WfRun {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new FatalError(`${path}: not valid JSON`);
  }
  const r = v as WfRun;
  if (
    !r ||
    typeof r !== 'object' ||
    r.kind !== 'workflow_run' ||
    r.v !== 1 ||
    !isWfRunId(String(r.id)) ||
    !Array.isArray(r.steps) ||
    !r.spec
  ) {
    throw new FatalError(`${path}: not a workflow run record`);
  }
  if (!WF_RUN_STATUSES.includes(r.status)) throw new FatalError(`${path}: unknown status '${String(r.status)}'`);
  return r;
}

/** Oldest first: by creation time, then by seq within a second. */
export function compareWfRuns(a: WfRun, b: WfRun): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  if ((a.seq ?? 0) !== (b.seq ?? 0)) return (a.seq ?? 0) - (b.seq ?? 0);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function serializeWfRun(run: WfRun): string {
  return canonicalJson(run);
}

export function stepRecord(run: WfRun, id: string): StepRecord | null {
  return run.steps.find((s) => s.id === id) ?? null;
}

export function specOf(run: WfRun, step: string): StepSpec {
  const s = allSteps(run.spec).find((x) => x.id === step);
  if (!s) throw new FatalError(`workflow run '${run.id}' has no step '${step}' in its spec`);
  return s;
}

/** The run with one step record changed. */
export function withStep(run: WfRun, id: string, patch: Partial<StepRecord>): WfRun {
  if (!stepRecord(run, id)) throw new FatalError(`workflow run '${run.id}' has no step '${id}'`);
  return { ...run, steps: run.steps.map((s) => (s.id === id ? { ...s, ...patch } : s)) };
}

export function instanceId(step: string, k: number): string {
  return `${step}[${k}]`;
}

export function instancesOf(run: WfRun, step: string): StepRecord[] {
  return run.steps.filter((s) => s.parent === step && s.index !== null).sort((a, b) => a.index! - b.index!);
}

/** The run with the instance records of a for_each step (kept as they are when they exist: a resume). */
export function withInstances(run: WfRun, step: string, items: unknown[]): WfRun {
  if (instancesOf(run, step).length) return run;
  const spec = specOf(run, step);
  const made = items.map((item, k) => ({ ...blankStep(spec, step), id: instanceId(step, k), index: k, item }));
  const at = run.steps.findIndex((s) => s.id === step);
  return { ...run, steps: [...run.steps.slice(0, at + 1), ...made, ...run.steps.slice(at + 1)] };
}

/** The next top-level step to carry on with: the first, in run order, not done or skipped. */
export function nextStep(run: WfRun): StepSpec | null {
  for (const s of runOrder(run.spec)) {
    const r = stepRecord(run, s.id);
    if (r && r.state !== 'done' && r.state !== 'skipped') return s;
  }
  return null;
}

/** The step the run waits on for an approval, or null. */
export function waitingStep(run: WfRun): StepRecord | null {
  return run.steps.find((s) => s.state === 'waiting_approval') ?? null;
}

/**
 * A failed or interrupted run made ready to go on: the steps that failed or
 * were left running (and those waiting for an approval that was refused) go
 * back to pending, keeping their attempts; what is done stays done.
 */
export function resetForResume(run: WfRun, at: string): WfRun {
  const steps = run.steps.map((s): StepRecord => {
    const attempts = s.attempts.map((a) =>
      a.state === 'running' ? { ...a, state: 'failed' as const, ended_at: at, error: 'interrupted' } : a,
    );
    if (s.state === 'failed' || s.state === 'running') {
      return {
        ...s,
        attempts,
        state: 'pending',
        error: null,
        ended_at: null,
        approval: s.kind === 'approval' ? null : s.approval,
      };
    }
    return { ...s, attempts };
  });
  return { ...run, steps, status: 'running', error: null, ended_at: null, resumes: run.resumes + 1 };
}

/**
 * The run following a new version of its spec (a resume with --reload): the
 * steps must be the same (ids, kinds, the parallel step each is in), the
 * recorded inputs must still bind. Otherwise why not, in a line.
 */
export function respec(run: WfRun, wf: Workflow, inputs: Record<string, string>): WfRun | string {
  const shape = (w: Workflow) =>
    w.steps.flatMap((s) => [`${s.id}:${s.kind}`, ...s.steps.map((c) => `${s.id}/${c.id}:${c.kind}`)]).join(' ');
  if (shape(wf) !== shape(run.spec))
    return `its steps are not the run's (${shape(run.spec)}), so the run cannot follow it`;
  return { ...run, spec: wf, inputs };
}

/** The text of the prompt steps done and not yet taken by an agent step, in the order they ran. */
export function pendingPromptParts(run: WfRun): StepRecord[] {
  const taken = new Set(run.steps.flatMap((s) => s.prompt_parts));
  return run.steps
    .filter((s) => s.kind === 'prompt' && s.state === 'done' && !taken.has(s.id))
    .sort((a, b) =>
      (a.ended_at ?? '') < (b.ended_at ?? '')
        ? -1
        : (a.ended_at ?? '') > (b.ended_at ?? '')
          ? 1
          : run.steps.indexOf(a) - run.steps.indexOf(b),
    );
}

function dig(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || cur === undefined) return null;
    if (typeof cur === 'string') {
      // a key=value output holding JSON text
      try {
        cur = JSON.parse(cur);
      } catch {
        return null;
      }
    }
    if (typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur ?? null;
}

/** What a reference means for a step of this run now; null when there is no such value (yet). */
export function resolver(
  run: WfRun,
  instance: { item: unknown; index: number | null } | null = null,
): (ref: Ref) => unknown {
  return (ref) => {
    switch (ref.kind) {
      case 'input':
        return run.inputs[ref.name] ?? null;
      case 'output':
        return dig(stepRecord(run, ref.step)?.outputs[ref.key], ref.path);
      case 'state':
        return stepRecord(run, ref.step)?.state ?? null;
      case 'item':
        return instance ? dig(instance.item, ref.path) : null;
      case 'index':
        return instance?.index ?? null;
    }
  };
}

/** The list a for_each names: a list, or text holding a JSON list; else why not. */
export function forEachItems(value: unknown): unknown[] | string {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    try {
      const v = JSON.parse(value);
      if (Array.isArray(v)) return v;
    } catch {
      // not JSON
    }
    return `a text that is not a JSON list`;
  }
  return value === null ? 'nothing (no such value)' : `a ${typeof value}`;
}

/** The finished steps' outputs, as the context file and the environment give them. */
function finished(run: WfRun): StepRecord[] {
  return run.steps.filter((s) => s.state === 'done' && s.index === null);
}

/**
 * The environment variables a script gets: SASE_WF_RUN, SASE_WF_STEP,
 * SASE_IN_<NAME> for each input, SASE_STEP_<ID>_<KEY> for each output of
 * each finished step (text as it is, other values as JSON; keys that make no
 * variable name and values over MAX_ENV_VALUE are only in the context file),
 * and SASE_ITEM, SASE_INDEX for a for_each instance.
 */
export function stepEnv(run: WfRun, step: StepRecord): Record<string, string> {
  const env: Record<string, string> = { SASE_WF_RUN: run.id, SASE_WF_NAME: run.workflow, SASE_WF_STEP: step.id };
  const put = (name: string, v: unknown) => {
    const text = valueText(v);
    if (text.length <= MAX_ENV_VALUE && !text.includes('\0')) env[name] = text;
  };
  for (const [k, v] of Object.entries(run.inputs)) put(`SASE_IN_${envName(k)}`, v);
  for (const s of finished(run)) {
    for (const [k, v] of Object.entries(s.outputs)) {
      if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(k)) put(`SASE_STEP_${envName(s.id)}_${envName(k)}`, v);
    }
  }
  if (step.index !== null) {
    put('SASE_ITEM', step.item);
    env.SASE_INDEX = String(step.index);
  }
  return env;
}

/** How a process exit reads in a step's error: how it ended, and the line of its tail that says why. */
export function exitError(
  p: { exitCode: number | null; signal: string | null; timedOut: boolean; interrupted: boolean },
  timeout: number | null,
  tail: readonly string[],
): string {
  if (p.timedOut) return `timed out after ${timeout}s`;
  if (p.interrupted) return 'interrupted';
  const why = failureLine(tail);
  const how = p.signal ? `killed by ${p.signal}` : p.exitCode === null ? 'could not start' : `exit code ${p.exitCode}`;
  return why ? `${how}: ${why}` : how;
}

/** A run name for an agent step's run: `<workflow>.<step>` (an instance x[2] as x.2), as run names are written. */
export function agentRunName(run: WfRun, id: string): string {
  let name = `${run.workflow}.${id}`
    .toLowerCase()
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/[^a-z0-9._-]/g, '-');
  if (!/^[a-z0-9]/.test(name)) name = `w${name}`;
  return checkRunName(name.slice(0, 100));
}

export function stepLogPath(runId: string, stepId: string, n: number): string {
  return `${WF_DIR}/${runId}/${stepId.replace(/\[(\d+)\]$/, '@$1')}.${n}.log`;
}

// ---- liveness

export type WfLiveness = 'alive' | 'dead' | 'unknown';
