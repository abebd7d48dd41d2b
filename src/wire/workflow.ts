// The JSON forms of workflow specs and workflow runs (version 1). A run
// recorded as running whose process is gone is shown failed (dead), as an
// agent run is, until it is resumed; `next` says the command that carries a
// stopped run on.

import type { Outputs } from '../core/workflows/outputs.ts';
import type {
  Approval,
  Attempt,
  StepRecord,
  StepState,
  WfLiveness,
  WfRun,
  WfRunStatus,
} from '../core/workflows/run.ts';
import type { CheckedWorkflow, StepKind, WorkflowEntry } from '../core/workflows/spec.ts';
import { runOrder, type StepSpec, type Workflow } from '../core/workflows/spec.ts';
import type { InputType } from '../core/xprompts/xprompt.ts';

/** A step of a spec (steps of a parallel step nested). */
export interface StepSpecWire {
  id: string;
  kind: StepKind;
  description: string | null;
  needs: string[];
  if: string | null;
  for_each: string | null;
  timeout: number | null;
  retries: number;
  fail_fast: boolean;
  provider: string | null;
  model: string | null;
  ws: string | null;
  prompt: string | null;
  run: string | null;
  steps: StepSpecWire[];
}

function stepToWire(s: StepSpec): StepSpecWire {
  return {
    id: s.id,
    kind: s.kind,
    description: s.description,
    needs: s.needs,
    if: s.if,
    for_each: s.for_each,
    timeout: s.timeout,
    retries: s.retries,
    fail_fast: s.fail_fast,
    provider: s.provider,
    model: s.model,
    ws: s.ws,
    prompt: s.prompt,
    run: s.run,
    steps: s.steps.map(stepToWire),
  };
}

export interface WorkflowInputWire {
  name: string;
  type: InputType;
  default: string | null;
  required: boolean;
  description: string | null;
}

/** A workflow spec, checked (version 1). */
export interface WorkflowRecord {
  v: 1;
  kind: 'workflow';
  id: string;
  name: string;
  path: string;
  source: WorkflowEntry['source'];
  valid: boolean;
  problems: string[];
  description: string | null;
  provider: string | null;
  model: string | null;
  inputs: WorkflowInputWire[];
  steps: StepSpecWire[];
  /** the top-level step ids in the order they run */
  order: string[];
}

export function workflowToWire(c: CheckedWorkflow): WorkflowRecord {
  const wf: Workflow | null = c.workflow;
  return {
    v: 1,
    kind: 'workflow',
    id: c.entry.name,
    name: c.entry.name,
    path: c.entry.display,
    source: c.entry.source,
    valid: wf !== null,
    problems: c.problems,
    description: wf?.description ?? null,
    provider: wf?.provider ?? null,
    model: wf?.model ?? null,
    inputs: (wf?.inputs ?? []).map((i) => ({
      name: i.name,
      type: i.type,
      default: i.default,
      required: i.required,
      description: i.description,
    })),
    steps: (wf?.steps ?? []).map(stepToWire),
    order: wf ? runOrder(wf).map((s) => s.id) : [],
  };
}

function seconds(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

export interface AttemptWire {
  n: number;
  state: Attempt['state'];
  started_at: string;
  ended_at: string | null;
  seconds: number | null;
  exit_code: number | null;
  error: string | null;
  agent_run: string | null;
  log: string | null;
  /** a failed script's last meaningful lines of stderr (else of its output), oldest first; [] otherwise */
  tail: string[];
}

/** A step of a workflow run as it stands. */
export interface StepRunWire {
  id: string;
  step: string;
  kind: StepKind;
  parent: string | null;
  index: number | null;
  item: unknown;
  state: StepState;
  attempts: AttemptWire[];
  outputs: Outputs;
  started_at: string | null;
  ended_at: string | null;
  seconds: number | null;
  error: string | null;
  agent_runs: string[];
  approval: Approval | null;
  prompt_parts: string[];
}

export function stepRecordToWire(s: StepRecord): StepRunWire {
  return {
    id: s.id,
    step: s.step,
    kind: s.kind,
    parent: s.parent,
    index: s.index,
    item: s.index === null ? null : s.item,
    state: s.state,
    attempts: s.attempts.map((a) => ({
      n: a.n,
      state: a.state,
      started_at: a.started_at,
      ended_at: a.ended_at,
      seconds: a.seconds,
      exit_code: a.exit_code,
      error: a.error,
      agent_run: a.agent_run,
      log: a.log ?? null,
      tail: a.tail ?? [],
    })),
    outputs: s.outputs,
    started_at: s.started_at,
    ended_at: s.ended_at,
    seconds: seconds(s.started_at, s.ended_at),
    error: s.error,
    agent_runs: s.agent_runs,
    approval: s.approval,
    prompt_parts: s.prompt_parts,
  };
}

/** The command that carries a stopped run on, or null. */
export function nextCommand(run: WfRun, dead: boolean): string | null {
  const waiting = run.steps.find((s) => s.state === 'waiting_approval');
  if (run.status === 'waiting_approval')
    return waiting ? `sase wf approve ${run.id} ${waiting.id}` : `sase wf resume ${run.id}`;
  if (run.status === 'failed' || dead) return `sase wf resume ${run.id}`;
  return null;
}

/** A workflow run (version 1). */
export interface WfRunRecord {
  v: 1;
  kind: 'workflow_run';
  id: string;
  workflow: string;
  source: string;
  /** as a reader should believe it: failed when the run is dead */
  status: WfRunStatus;
  recorded_status: WfRunStatus;
  dead: boolean;
  alive: boolean | null;
  error: string | null;
  waiting_on: string | null;
  next: string | null;
  inputs: Record<string, string>;
  provider: string | null;
  model: string | null;
  pid: number | null;
  host: string | null;
  resumes: number;
  created_at: string;
  seq: number | null;
  updated_at: string;
  ended_at: string | null;
  seconds: number | null;
  steps: StepRunWire[];
}

export function wfRunToWire(run: WfRun, liveness: WfLiveness = 'unknown'): WfRunRecord {
  const dead = liveness === 'dead';
  const waiting = run.steps.find((s) => s.state === 'waiting_approval');
  return {
    v: 1,
    kind: 'workflow_run',
    id: run.id,
    workflow: run.workflow,
    source: run.source,
    status: dead ? 'failed' : run.status,
    recorded_status: run.status,
    dead,
    alive: liveness === 'alive' ? true : dead ? false : null,
    error: dead
      ? `interrupted: the process carrying it on is gone (not resumed yet: 'sase wf resume ${run.id}')`
      : run.error,
    waiting_on: waiting?.id ?? null,
    next: nextCommand(run, dead),
    inputs: run.inputs,
    provider: run.provider,
    model: run.model,
    pid: run.pid,
    host: run.host,
    resumes: run.resumes,
    created_at: run.created_at,
    seq: run.seq ?? null,
    updated_at: run.updated_at,
    ended_at: run.ended_at,
    seconds: seconds(run.created_at, run.ended_at),
    steps: run.steps.map(stepRecordToWire),
  };
}

/** The context file a script step gets ($SASE_CONTEXT, version 1): its run, its step, the inputs, every step's outputs. */
export interface WorkflowContextRecord {
  v: 1;
  kind: 'workflow_context';
  run: string;
  workflow: string;
  step: string;
  inputs: Record<string, string>;
  /** a for_each instance's item and place */
  item: unknown;
  index: number | null;
  steps: Record<string, { kind: StepKind; state: StepState; outputs: Outputs }>;
}

export function workflowContextToWire(run: WfRun, step: StepRecord): WorkflowContextRecord {
  const steps: WorkflowContextRecord['steps'] = {};
  for (const s of run.steps) steps[s.id] = { kind: s.kind, state: s.state, outputs: s.outputs };
  return {
    v: 1,
    kind: 'workflow_context',
    run: run.id,
    workflow: run.workflow,
    step: step.id,
    inputs: run.inputs,
    item: step.index === null ? null : step.item,
    index: step.index,
    steps,
  };
}
