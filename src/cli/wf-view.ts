// How workflow specs and runs look: NDJSON records on pipes; on a terminal a
// table (lists), a card with the step graph (show) or the steps' states
// (status), and a line a step as a run goes on.

import type { StepRunWire, StepSpecWire, WfRunRecord, WorkflowRecord } from '../wire/workflow.ts';
import { statusColor } from './colors.ts';
import type { Colors, Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, printTable, table, width } from './render.ts';
import { cardTime, tableTime } from './time.ts';

function duration(s: number | null | undefined): string {
  if (s === null || s === undefined) return '';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${m}m` : m ? `${m}m${Math.round(s % 60)}s` : `${Math.round(s * 10) / 10}s`;
}

/** Workflow specs: a table on a terminal. */
export function printWorkflows(ctx: Ctx, records: readonly WorkflowRecord[]): void {
  printTable(ctx, records, (c) => [
    { header: 'NAME', get: (r) => r.name, color: (s, r) => (r.valid ? c.bold(s) : c.red(s)) },
    { header: 'STEPS', get: (r) => (r.valid ? String(r.order.length) : '-') },
    {
      header: 'INPUTS',
      get: (r) => r.inputs.map((i) => `${i.name}${i.required ? '' : '?'}:${i.type}`).join(' '),
    },
    { header: 'SOURCE', get: (r) => r.source },
    {
      header: 'DESCRIPTION',
      get: (r) => (r.valid ? (r.description ?? '') : `invalid: ${r.problems[0]}`),
      flex: true,
    },
  ]);
}

function stepLines(c: Colors, steps: readonly StepSpecWire[], indent: string, numbered: boolean): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    const extras: string[] = [];
    if (s.needs.length) extras.push(`needs ${s.needs.join(', ')}`);
    if (s.if) extras.push(`if ${s.if}`);
    if (s.for_each) extras.push(`for each of ${s.for_each}`);
    if (s.timeout) extras.push(`timeout ${s.timeout}s`);
    if (s.retries) extras.push(`retries ${s.retries}`);
    if (s.fail_fast) extras.push('fail fast');
    const mark = numbered ? `${String(i + 1).padStart(2)}.` : i === steps.length - 1 ? '└' : '├';
    // the kinds line up: the id fills the line to column 20 whatever the indent
    const id = clean(s.id).padEnd(Math.max(1, 20 - indent.length - mark.length - 1));
    out.push(
      `${indent}${mark} ${c.bold(id)} ${c.cyan(s.kind.padEnd(9))}${extras.length ? ` ${c.dim(clean(extras.join('; ')))}` : ''}`.trimEnd(),
    );
    if (s.steps.length) out.push(...stepLines(c, s.steps, `${indent}    `, false));
  });
  return out;
}

/** One spec: its inputs and its step graph, in the order the steps run. */
export function printWorkflowCard(ctx: Ctx, r: WorkflowRecord): void {
  if (ctx.format !== 'text') {
    writeRecord(ctx, r);
    return;
  }
  const c = ctx.colors;
  const out = [`${c.bold(clean(r.name))}  ${c.dim(clean(`${r.source}: ${r.path}`))}`];
  if (r.description) out.push(clean(r.description));
  if (r.inputs.length) {
    out.push('', c.bold('inputs:'));
    for (const i of r.inputs)
      out.push(
        `  ${clean(i.name)} (${i.type})  ${i.required ? c.yellow('required') : `default ${JSON.stringify(i.default)}`}${i.description ? `  ${c.dim(clean(i.description))}` : ''}`,
      );
  }
  const byId = new Map(r.steps.map((s) => [s.id, s]));
  out.push(
    '',
    c.bold('steps:'),
    ...stepLines(
      c,
      r.order.map((id) => byId.get(id)!),
      '  ',
      true,
    ),
  );
  ctx.stdout.write(out.join('\n') + '\n');
}

function currentStep(r: WfRunRecord): string {
  const live =
    r.steps.find((s) => s.state === 'waiting_approval') ??
    r.steps.find((s) => s.state === 'running' && s.parent === null) ??
    r.steps.find((s) => s.state === 'failed' && s.parent === null);
  return live ? live.id : '';
}

/** Workflow runs: a table on a terminal (ids in their short form when `shorts` has one). */
export function printWfRuns(ctx: Ctx, records: readonly WfRunRecord[], shorts?: ReadonlyMap<string, string>): void {
  printTable(ctx, records, (c) => [
    { header: 'ID', get: (r) => shorts?.get(r.id) ?? r.id, color: (s) => c.cyan(s) },
    { header: 'WORKFLOW', get: (r) => r.workflow },
    {
      header: 'STATUS',
      get: (r) => (r.dead ? 'failed (dead)' : r.status),
      color: (s, r) => statusColor(c, 'workflow', r.status, s),
    },
    { header: 'STEP', get: currentStep },
    { header: 'CREATED', get: (r) => tableTime(ctx, r.created_at) },
    { header: 'NOTE', get: (r) => r.error ?? (r.next ? `next: ${r.next}` : ''), flex: true },
  ]);
}

/** One run: its steps with their states, attempts, times and agent runs, and what to do next. */
export function printWfRunCard(ctx: Ctx, r: WfRunRecord): void {
  if (ctx.format !== 'text') {
    writeRecord(ctx, r);
    return;
  }
  const c = ctx.colors;
  const out = [
    `${c.bold(clean(`${r.workflow} (${r.id})`))}  ${statusColor(c, 'workflow', r.status, r.dead ? 'failed (dead)' : r.status.replace('_', ' '))}`,
  ];
  const inputs = Object.entries(r.inputs);
  if (inputs.length) out.push(`${c.dim('inputs'.padEnd(10))} ${clean(inputs.map(([k, v]) => `${k}=${v}`).join(' '))}`);
  out.push(`${c.dim('created'.padEnd(10))} ${cardTime(ctx, r.created_at)}`);
  if (r.ended_at) out.push(`${c.dim('ended'.padEnd(10))} ${cardTime(ctx, r.ended_at)}`);
  if (r.pid) out.push(`${c.dim('process'.padEnd(10))} pid ${r.pid} on ${clean(String(r.host))}`);
  if (r.error) out.push(`${c.dim('error'.padEnd(10))} ${c.red(clean(r.error))}`);
  out.push('');
  ctx.stdout.write(out.join('\n') + '\n');
  ctx.stdout.write(
    table(
      r.steps,
      [
        { header: 'STEP', get: (s) => `${s.parent !== null ? '  ' : ''}${s.id}` },
        { header: 'KIND', get: (s) => s.kind },
        {
          header: 'STATE',
          get: (s) => s.state.replace('_', ' '),
          color: (t, s) => statusColor(c, 'workflow', s.state, t),
        },
        { header: 'TRIES', get: (s) => (s.attempts.length ? String(s.attempts.length) : '') },
        { header: 'TIME', get: (s) => duration(s.seconds) },
        { header: 'AGENT', get: (s) => (s.agent_runs.length ? s.agent_runs[s.agent_runs.length - 1]! : '') },
        {
          header: 'NOTE',
          get: (s) => {
            if (s.approval)
              return `${s.approval.decision} by ${s.approval.by}${s.approval.note ? `: ${s.approval.note}` : ''}`;
            if (s.state === 'waiting_approval') return String(s.outputs?.question ?? 'waiting for approval');
            return s.error ?? '';
          },
          flex: true,
        },
      ],
      c,
      width(ctx),
    ),
  );
  for (const s of r.steps) {
    const tail = failedTail(s);
    if (!tail.length) continue;
    ctx.stdout.write(`\n${c.red(clean(s.id))} ${c.dim('failed; the last lines it printed:')}\n`);
    for (const l of tail) ctx.stdout.write(`  ${clean(l)}\n`);
  }
  if (r.next) ctx.stdout.write(`\n${c.dim('next:')} ${r.next}\n`);
}

/** The last lines a failed step's command printed (its last attempt's), or none. */
function failedTail(s: StepRunWire): string[] {
  if (s.state !== 'failed') return [];
  return s.attempts[s.attempts.length - 1]?.tail ?? [];
}

/** A step that changed state, as a run goes on in the foreground (a terminal only). */
export function printStepLine(ctx: Ctx, step: StepRunWire, agentRun: string | null = null): void {
  const c = ctx.colors;
  const state = step.state;
  if (agentRun)
    return void ctx.stdout.write(`${c.bold(clean(step.id).padEnd(14))} ${c.dim(`agent run ${agentRun}`)}\n`);
  const last = step.attempts[step.attempts.length - 1];
  let extra = '';
  if (state === 'done' && (last?.seconds ?? step.seconds) !== null)
    extra = ` ${c.dim(duration(last?.seconds ?? step.seconds))}`;
  else if ((state === 'failed' || state === 'skipped') && step.error) extra = ` ${c.dim(clean(step.error))}`;
  else if (state === 'running' && step.attempts.length > 1)
    extra = ` ${c.dim(`attempt ${step.attempts.length}${step.error ? ` (after: ${clean(step.error)})` : ''}`)}`;
  ctx.stdout.write(
    `${c.bold(clean(step.id).padEnd(14))} ${statusColor(c, 'workflow', state, state.replace('_', ' '))}${extra}\n`,
  );
  for (const l of failedTail(step)) ctx.stdout.write(`${' '.repeat(15)}${c.dim(clean(l))}\n`);
}
