// How plans and diagnostics look: NDJSON records on pipes, a table or
// compiler-style lines on a terminal.

import type { Diagnostic } from '../core/sdd/diagnostics.ts';
import type { BeadRef } from '../wire/bead.ts';
import { diagnosticToWire, type PlanShowRecord, type PromptRecord, type SddFileRecord } from '../wire/plan.ts';
import { statusColor } from './colors.ts';
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, printWritten, table, width } from './render.ts';
import { cardTime, tableTime } from './time.ts';

/** A plan's or prompt's status, if it has one (a prompt that parses has none). */
function statusOf(r: SddFileRecord): string | undefined {
  return 'status' in r ? r.status : undefined;
}

/**
 * What a plan write did: on a terminal a line a plan ('approved login: Fix
 * the login page (approved)'), elsewhere its record.
 */
export function printWrittenPlans(ctx: Ctx, records: readonly SddFileRecord[], verb: string): void {
  printWritten(ctx, records, (r, c) => {
    const status = statusOf(r);
    return {
      verb,
      id: r.slug,
      title: 'title' in r ? r.title : null,
      note: status ? ` (${statusColor(c, 'plan', status)})` : '',
    };
  });
}

/** Plan and prompt records: a table on a terminal (tier, slug, title, status, bead, updated). */
export function printPlans(ctx: Ctx, records: readonly SddFileRecord[]): void {
  if (ctx.format !== 'text') {
    for (const r of records) writeRecord(ctx, r);
    return;
  }
  if (!records.length) return;
  ctx.stdout.write(
    table(
      records,
      [
        { header: 'TIER', get: (r) => (r.kind === 'prompt' ? 'prompt' : String(r.tier)) },
        { header: 'SLUG', get: (r) => r.slug, color: (s) => ctx.colors.cyan(s) },
        {
          header: 'STATUS',
          get: (r) => statusOf(r) ?? '',
          color: (s, r) => statusColor(ctx.colors, 'plan', String(statusOf(r)), s),
        },
        { header: 'BEAD', get: (r) => (r.kind === 'plan' ? (r.bead ?? '') : '') },
        {
          header: 'UPDATED',
          get: (r) => (r.updated_at ? tableTime(ctx, r.updated_at) : ''),
        },
        { header: 'TITLE', get: (r) => (r.kind === 'plan' ? (r.title ?? '') : (r.plan ?? '')), flex: true },
      ],
      ctx.colors,
      width(ctx, 40),
    ),
  );
}

/** One diagnostic as a compiler-style line: `path:line: error: message [code]`. */
export function diagnosticLine(ctx: Ctx, d: Diagnostic, colors = ctx.colors): string {
  const where = d.line ? `${d.path}:${d.line}` : d.path;
  const sev = d.severity === 'error' ? colors.red('error') : colors.yellow('warning');
  return `${colors.bold(clean(where))}: ${sev}: ${clean(d.message)} [${d.code}]`;
}

/** Diagnostics as the command's output: NDJSON records, or lines on a terminal. */
export function printDiagnostics(ctx: Ctx, list: Diagnostic[]): void {
  for (const d of list) {
    if (ctx.format === 'text') ctx.stdout.write(diagnosticLine(ctx, d) + '\n');
    else writeRecord(ctx, diagnosticToWire(d));
  }
}

/** Diagnostics that explain a refusal: always text, on stderr. */
export function reportDiagnostics(ctx: Ctx, list: Diagnostic[]): void {
  for (const d of list) ctx.stderr.write(diagnosticLine(ctx, d, ctx.errColors) + '\n');
}

/** A prompt on a terminal: its path, the plan it names, its text. */
export function printPromptCard(ctx: Ctx, r: PromptRecord): void {
  const c = ctx.colors;
  const out = [
    `${c.bold(clean(r.path))}  ${c.dim('prompt')}`,
    `plan:     ${r.plan ? c.cyan(clean(r.plan)) : c.dim('none')}`,
    '',
  ];
  for (const line of r.body.split('\n')) out.push(clean(line));
  ctx.stdout.write(out.join('\n').trimEnd() + '\n');
}

/** The card of `sdd show`: the plan, its links resolved, then its body. */
export function printPlanCard(ctx: Ctx, r: PlanShowRecord): void {
  const c = ctx.colors;
  const beadText = (b: BeadRef | null) =>
    b
      ? `${c.cyan(clean(b.short_id))} ${b.status === 'missing' ? c.red('missing') : statusColor(c, 'bead', b.status)}`
      : c.dim('none');
  const out: string[] = [];
  out.push(`${c.bold(clean(r.title))}`);
  out.push(`${r.tier}  ${statusColor(c, 'plan', r.status)}  ${c.dim(clean(r.path))}`);
  out.push(`goal:     ${clean(r.goal)}`);
  const p = r.prompt_record;
  if (p) {
    const back = !p.exists
      ? c.red(' (missing)')
      : p.plan === r.path
        ? ''
        : c.yellow(` (names ${p.plan ? clean(p.plan) : 'no plan'} back)`);
    out.push(`prompt:   ${clean(p.path)}${back}`);
  }
  out.push(`bead:     ${beadText(r.bead_record)}`);
  if (r.model) out.push(`model:    ${clean(r.model)}`);
  if (r.size) out.push(`size:     ${r.size}`);
  const phases = r.phases ?? [];
  if (phases.length) {
    out.push('phases:');
    const beads = r.phase_beads ?? [];
    const w = Math.max(...phases.map((ph) => ph.id.length));
    phases.forEach((ph, i) => {
      const deps = ph.depends_on.length ? c.dim(`  after ${ph.depends_on.join(', ')}`) : '';
      const bead = beads[i]?.bead;
      out.push(
        `  ${String(i + 1).padStart(2)}. ${c.bold(clean(ph.id).padEnd(w))}  ${bead ? beadText(bead) + '  ' : ''}${c.dim(ph.size)}  ${clean(ph.title)}${deps}`,
      );
    });
  }
  const epics = r.epic_plans ?? [];
  if (epics.length) {
    out.push('epics:');
    for (const e of epics) {
      const status = e.status === 'missing' ? c.red('missing') : statusColor(c, 'plan', e.status);
      out.push(`  ${c.bold(clean(e.slug))}  ${status}${e.bead ? `  ${c.cyan(clean(e.bead))}` : ''}`);
    }
  }
  if (r.commits.length) {
    out.push('commits:');
    for (const k of r.commits) {
      out.push(
        `  ${c.yellow(k.commit.slice(0, 10))} ${k.subject === null ? c.dim('(not in this clone)') : clean(k.subject)}${k.bead ? c.dim(`  ${clean(k.bead)}`) : ''}`,
      );
    }
  }
  out.push(
    `created:  ${r.created_at ? cardTime(ctx, r.created_at) : ''}${r.updated_at ? `  updated: ${cardTime(ctx, r.updated_at)}` : ''}`,
  );
  out.push('');
  for (const line of r.body.split('\n')) out.push(clean(line));
  ctx.stdout.write(out.join('\n').trimEnd() + '\n');
}
