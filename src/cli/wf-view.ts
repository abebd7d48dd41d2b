// How workflow specs and runs look: NDJSON records on pipes; on a terminal a
// table (lists), a card with the step graph (show) or the steps' states
// (status), and a line a step as a run goes on.
import type { Colors, Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, printTable, table } from './render.ts';

type Rec = Record<string, any>;

export function wfStateColor(c: Colors, state: string, text = state): string {
  switch (state) {
    case 'done':
      return c.green(text);
    case 'failed':
      return c.red(text);
    case 'running':
      return c.yellow(text);
    case 'waiting_approval':
      return c.magenta(text);
    case 'skipped':
    case 'pending':
      return c.dim(text);
    default:
      return text;
  }
}

function duration(s: number | null | undefined): string {
  if (s === null || s === undefined) return '';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${m}m` : m ? `${m}m${Math.round(s % 60)}s` : `${Math.round(s * 10) / 10}s`;
}

function width(ctx: Ctx): number {
  return (ctx.stdout as { columns?: number }).columns ?? 100;
}

/** Workflow specs: a table on a terminal. */
export function printWorkflows(ctx: Ctx, records: Rec[]): void {
  printTable(ctx, records, (c) => [
    { header: 'NAME', get: (r: Rec) => String(r.name), color: (s, r) => (r.valid ? c.bold(s) : c.red(s)) },
    { header: 'STEPS', get: (r: Rec) => (r.valid ? String(r.order.length) : '-') },
    {
      header: 'INPUTS',
      get: (r: Rec) => r.inputs.map((i: Rec) => `${i.name}${i.required ? '' : '?'}:${i.type}`).join(' '),
    },
    { header: 'SOURCE', get: (r: Rec) => String(r.source) },
    {
      header: 'DESCRIPTION',
      get: (r: Rec) => (r.valid ? String(r.description ?? '') : `invalid: ${r.problems[0]}`),
      flex: true,
    },
  ]);
}

function stepLines(c: Colors, steps: Rec[], indent: string, numbered: boolean): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    const extras: string[] = [];
    if (s.needs?.length) extras.push(`needs ${s.needs.join(', ')}`);
    if (s.if) extras.push(`if ${s.if}`);
    if (s.for_each) extras.push(`for each of ${s.for_each}`);
    if (s.timeout) extras.push(`timeout ${s.timeout}s`);
    if (s.retries) extras.push(`retries ${s.retries}`);
    if (s.fail_fast) extras.push('fail fast');
    const mark = numbered ? `${String(i + 1).padStart(2)}.` : i === steps.length - 1 ? '└' : '├';
    // the kinds line up: the id fills the line to column 20 whatever the indent
    const id = clean(String(s.id)).padEnd(Math.max(1, 20 - indent.length - mark.length - 1));
    out.push(
      `${indent}${mark} ${c.bold(id)} ${c.cyan(String(s.kind).padEnd(9))}${extras.length ? ` ${c.dim(clean(extras.join('; ')))}` : ''}`.trimEnd(),
    );
    if (s.steps?.length) out.push(...stepLines(c, s.steps, `${indent}    `, false));
  });
  return out;
}

/** One spec: its inputs and its step graph, in the order the steps run. */
export function printWorkflowCard(ctx: Ctx, r: Rec): void {
  if (ctx.format !== 'text') return writeRecord(ctx, r);
  const c = ctx.colors;
  const out = [`${c.bold(clean(String(r.name)))}  ${c.dim(clean(`${r.source}: ${r.path}`))}`];
  if (r.description) out.push(clean(String(r.description)));
  if (r.inputs.length) {
    out.push('', c.bold('inputs:'));
    for (const i of r.inputs)
      out.push(
        `  ${clean(i.name)} (${i.type})  ${i.required ? c.yellow('required') : `default ${JSON.stringify(i.default)}`}${i.description ? `  ${c.dim(clean(i.description))}` : ''}`,
      );
  }
  const byId = new Map<string, Rec>(r.steps.map((s: Rec) => [s.id, s]));
  out.push(
    '',
    c.bold('steps:'),
    ...stepLines(
      c,
      r.order.map((id: string) => byId.get(id)!),
      '  ',
      true,
    ),
  );
  ctx.stdout.write(out.join('\n') + '\n');
}

function currentStep(r: Rec): string {
  const live =
    r.steps.find((s: Rec) => s.state === 'waiting_approval') ??
    r.steps.find((s: Rec) => s.state === 'running' && s.parent === null) ??
    r.steps.find((s: Rec) => s.state === 'failed' && s.parent === null);
  return live ? String(live.id) : '';
}

/** Workflow runs: a table on a terminal. */
export function printWfRuns(ctx: Ctx, records: Rec[]): void {
  printTable(ctx, records, (c) => [
    { header: 'ID', get: (r: Rec) => String(r.id), color: (s) => c.cyan(s) },
    { header: 'WORKFLOW', get: (r: Rec) => String(r.workflow) },
    {
      header: 'STATUS',
      get: (r: Rec) => (r.dead ? 'failed (dead)' : String(r.status)),
      color: (s, r) => wfStateColor(c, String(r.status), s),
    },
    { header: 'STEP', get: currentStep },
    { header: 'CREATED', get: (r: Rec) => String(r.created_at) },
    { header: 'NOTE', get: (r: Rec) => String(r.error ?? (r.next ? `next: ${r.next}` : '')), flex: true },
  ]);
}

/** One run: its steps with their states, attempts, times and agent runs, and what to do next. */
export function printWfRunCard(ctx: Ctx, r: Rec): void {
  if (ctx.format !== 'text') return writeRecord(ctx, r);
  const c = ctx.colors;
  const out = [
    `${c.bold(clean(`${r.workflow} (${r.id})`))}  ${wfStateColor(c, String(r.status), r.dead ? 'failed (dead)' : String(r.status).replace('_', ' '))}`,
  ];
  const inputs = Object.entries(r.inputs as Record<string, string>);
  if (inputs.length) out.push(`${c.dim('inputs'.padEnd(10))} ${clean(inputs.map(([k, v]) => `${k}=${v}`).join(' '))}`);
  out.push(`${c.dim('created'.padEnd(10))} ${r.created_at}`);
  if (r.ended_at) out.push(`${c.dim('ended'.padEnd(10))} ${r.ended_at}`);
  if (r.pid) out.push(`${c.dim('process'.padEnd(10))} pid ${r.pid} on ${clean(String(r.host))}`);
  if (r.error) out.push(`${c.dim('error'.padEnd(10))} ${c.red(clean(String(r.error)))}`);
  out.push('');
  ctx.stdout.write(out.join('\n') + '\n');
  ctx.stdout.write(
    table(
      r.steps,
      [
        { header: 'STEP', get: (s: Rec) => `${s.parent !== null ? '  ' : ''}${s.id}` },
        { header: 'KIND', get: (s: Rec) => String(s.kind) },
        {
          header: 'STATE',
          get: (s: Rec) => String(s.state).replace('_', ' '),
          color: (t, s) => wfStateColor(c, String(s.state), t),
        },
        { header: 'TRIES', get: (s: Rec) => (s.attempts.length ? String(s.attempts.length) : '') },
        { header: 'TIME', get: (s: Rec) => duration(s.seconds) },
        { header: 'AGENT', get: (s: Rec) => (s.agent_runs.length ? s.agent_runs[s.agent_runs.length - 1] : '') },
        {
          header: 'NOTE',
          get: (s: Rec) => {
            if (s.approval)
              return `${s.approval.decision} by ${s.approval.by}${s.approval.note ? `: ${s.approval.note}` : ''}`;
            if (s.state === 'waiting_approval') return String(s.outputs?.question ?? 'waiting for approval');
            return String(s.error ?? '');
          },
          flex: true,
        },
      ],
      c,
      width(ctx),
    ),
  );
  if (r.next) ctx.stdout.write(`\n${c.dim('next:')} ${r.next}\n`);
}

/** A step that changed state, as a run goes on in the foreground (a terminal only). */
export function printStepLine(ctx: Ctx, step: Rec, agentRun: string | null = null): void {
  const c = ctx.colors;
  const state = String(step.state);
  if (agentRun)
    return void ctx.stdout.write(`${c.bold(clean(String(step.id)).padEnd(14))} ${c.dim(`agent run ${agentRun}`)}\n`);
  const last = step.attempts[step.attempts.length - 1];
  let extra = '';
  if (state === 'done' && (last?.seconds ?? step.seconds) !== null)
    extra = ` ${c.dim(duration(last?.seconds ?? step.seconds))}`;
  else if ((state === 'failed' || state === 'skipped') && step.error) extra = ` ${c.dim(clean(String(step.error)))}`;
  else if (state === 'running' && step.attempts.length > 1)
    extra = ` ${c.dim(`attempt ${step.attempts.length}${step.error ? ` (after: ${clean(String(step.error))})` : ''}`)}`;
  ctx.stdout.write(
    `${c.bold(clean(String(step.id)).padEnd(14))} ${wfStateColor(c, state, state.replace('_', ' '))}${extra}\n`,
  );
}
