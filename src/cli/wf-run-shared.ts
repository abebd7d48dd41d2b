// What the commands that carry workflow runs on share (wf-run, wf-resume,
// wf-approve --resume, and agent-run's `#!name(...)` prompts): the clock and
// environment the executor gets, carrying a run on in this process (its
// steps printed as they go on a terminal; Ctrl-C stops it, resumable) or in
// a detached sase-wf-exec, and saying how it stopped.

import {
  createWfRun,
  executeWfRun,
  type StartRequest,
  spawnWfExec,
  type WfExecEnv,
  wfLiveness,
} from '../app/workflows/executor.ts';
import { UsageError } from '../core/errors.ts';
import type { WfRun } from '../core/workflows/run.ts';
import { parseAssignment } from '../core/workflows/spec.ts';
import type { Store } from '../store/store.ts';
import { stepRecordToWire, wfRunToWire } from '../wire/workflow.ts';
import { statusColor } from './colors.ts';
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean } from './render.ts';
import { printStepLine } from './wf-view.ts';

export function wfEnv(ctx: Ctx): WfExecEnv {
  return {
    cwd: ctx.cwd,
    env: ctx.env,
    random: (n) => ctx.random(n),
  };
}

/**
 * The inputs given as `--input k=v` (repeatable) and as `k=v` arguments. The
 * option parser splits a list option's values at commas: a piece without
 * '=' belongs to the value before it.
 */
export function inputPairs(fromOption: readonly string[] | undefined, args: string[]): Array<[string, string]> {
  const pieces = fromOption ?? [];
  const joined: string[] = [];
  for (const p of pieces) {
    if (p.includes('=') || !joined.length) joined.push(p);
    else joined[joined.length - 1] += `,${p}`;
  }
  return [...joined, ...args].map((a) => {
    try {
      return parseAssignment(a);
    } catch {
      throw new UsageError(`'${a}' is not an input: expected <name>=<value>`);
    }
  });
}

/** Says how a run stopped (a record on a pipe, a line on a terminal; hints on stderr) and returns the exit code. */
export function reportRun(ctx: Ctx, run: WfRun, interrupted = false): number {
  const rec = wfRunToWire(run, wfLiveness(run, ctx.clock.now().getTime()));
  if (ctx.format === 'id') ctx.stdout.write(`${run.id}\n`);
  else if (ctx.format !== 'text') writeRecord(ctx, rec);
  else {
    const c = ctx.colors;
    ctx.stdout.write(
      `workflow run ${c.bold(`${clean(run.workflow)} (${run.id})`)}: ${statusColor(c, 'workflow', run.status, run.status.replace('_', ' '))}${run.error ? ` (${clean(run.error)})` : ''}\n`,
    );
  }
  const waiting = run.steps.find((s) => s.state === 'waiting_approval');
  if (run.status === 'waiting_approval' && waiting) {
    const q = waiting.outputs.question;
    ctx.stderr.write(
      `step '${waiting.id}' waits for approval${typeof q === 'string' && q.trim() ? `: ${clean(q.trim())}` : ''}\n`,
    );
    ctx.stderr.write(
      `hint: approve it with 'sase wf approve ${run.id} ${waiting.id} --resume' (or refuse it: --reject --note <why>)\n`,
    );
  } else if (run.status === 'failed') {
    ctx.stderr.write(`hint: 'sase wf resume ${run.id}' carries it on from where it stopped\n`);
  }
  if (interrupted) return 130;
  return run.status === 'failed' ? 1 : 0;
}

/** Carries a run on: here, until it ends or waits for an approval; or in a detached sase-wf-exec. */
export async function carryOn(
  ctx: Ctx,
  store: Store,
  run: WfRun,
  opts: { readonly detach?: boolean },
): Promise<number> {
  const env = wfEnv(ctx);
  if (opts.detach) {
    spawnWfExec(store, run, env);
    if (ctx.format === 'text')
      ctx.stdout.write(
        `started workflow run ${ctx.colors.bold(`${clean(run.workflow)} (${run.id})`)} in the background; 'sase wf status ${run.id}' follows it\n`,
      );
    else reportRun(ctx, run);
    return 0;
  }
  const text = ctx.format === 'text';
  if (text) ctx.stdout.write(`workflow run ${ctx.colors.bold(`${clean(run.workflow)} (${run.id})`)}\n`);
  return executeHere(ctx, store, run.id, text);
}

/** Carries a run on in this process until it ends or waits; SIGINT, SIGTERM and SIGHUP stop it (resumable). Steps are printed as they change when `show`. */
export async function executeHere(ctx: Ctx, store: Store, id: string, show: boolean): Promise<number> {
  const ctl = new AbortController();
  const stop = () => ctl.abort();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, stop);
  let ended: WfRun;
  try {
    ended = await executeWfRun(store, id, {
      env: wfEnv(ctx),
      signal: ctl.signal,
      onStep: show ? (_r, s) => printStepLine(ctx, stepRecordToWire(s)) : undefined,
      onAgent: show ? (_r, s, agent) => printStepLine(ctx, stepRecordToWire(s), agent) : undefined,
    });
  } finally {
    for (const s of signals) process.off(s, stop);
  }
  return reportRun(ctx, ended, ctl.signal.aborted);
}

/** Starts a workflow (checked first: nothing is recorded for a bad spec or bad inputs) and carries it on. */
export async function startWorkflow(ctx: Ctx, req: StartRequest): Promise<number> {
  const store = await ctx.store();
  const run = await createWfRun(store, req, wfEnv(ctx));
  return carryOn(ctx, store, run, { detach: req.detach });
}
