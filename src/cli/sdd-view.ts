// How plans and diagnostics look: NDJSON records on pipes, a table or
// compiler-style lines on a terminal.
import type { Ctx } from './context.ts';
import type { Diagnostic } from '../core/sdd/diagnostics.ts';
import { writeRecord } from './io.ts';
import { clean, statusColor, table } from './render.ts';
import { diagnosticToWire } from '../wire/plan.ts';

type Rec = Record<string, unknown>;

export function planStatusColor(ctx: Ctx, status: string, text = status): string {
  const c = ctx.colors;
  switch (status) {
    case 'draft':
      return c.cyan(text);
    case 'approved':
      return c.green(text);
    case 'in_progress':
      return c.yellow(text);
    case 'done':
    case 'abandoned':
      return c.dim(text);
    case 'invalid':
      return c.red(text);
    default:
      return text;
  }
}

/** Plan and prompt records: a table on a terminal (tier, slug, title, status, bead, updated). */
export function printPlans(ctx: Ctx, records: Rec[]): void {
  if (ctx.format !== 'text') {
    for (const r of records) writeRecord(ctx, r);
    return;
  }
  if (!records.length) return;
  const cols = (ctx.stdout as { columns?: number }).columns;
  ctx.stdout.write(
    table(
      records,
      [
        { header: 'TIER', get: (r) => (r.kind === 'prompt' ? 'prompt' : String(r.tier)) },
        { header: 'SLUG', get: (r) => String(r.slug), color: (s) => ctx.colors.cyan(s) },
        {
          header: 'STATUS',
          get: (r) => String(r.status ?? ''),
          color: (s, r) => planStatusColor(ctx, String(r.status), s),
        },
        { header: 'BEAD', get: (r) => String(r.bead ?? '') },
        {
          header: 'UPDATED',
          get: (r) =>
            String(r.updated_at ?? '')
              .replace('T', ' ')
              .replace(/:\d\dZ$/, ''),
        },
        { header: 'TITLE', get: (r) => String(r.title ?? r.plan ?? ''), flex: true },
      ],
      ctx.colors,
      cols && cols > 40 ? cols : 100,
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
export function printPromptCard(ctx: Ctx, r: Rec): void {
  const c = ctx.colors;
  const out = [
    `${c.bold(clean(String(r.path)))}  ${c.dim('prompt')}`,
    `plan:     ${r.plan ? c.cyan(clean(String(r.plan))) : c.dim('none')}`,
    '',
  ];
  for (const line of String(r.body).split('\n')) out.push(clean(line));
  ctx.stdout.write(out.join('\n').trimEnd() + '\n');
}

/** The card of `sdd show`: the plan, its links resolved, then its body. */
export function printPlanCard(ctx: Ctx, r: Rec): void {
  const c = ctx.colors;
  const beadText = (b: Rec | null) =>
    b
      ? `${c.cyan(clean(String(b.short_id)))} ${b.status === 'missing' ? c.red('missing') : statusColor(c, String(b.status))}`
      : c.dim('none');
  const out: string[] = [];
  out.push(`${c.bold(clean(String(r.title)))}`);
  out.push(`${String(r.tier)}  ${planStatusColor(ctx, String(r.status))}  ${c.dim(clean(String(r.path)))}`);
  out.push(`goal:     ${clean(String(r.goal))}`);
  const p = r.prompt_record as Rec | null;
  if (p) {
    const back = !p.exists
      ? c.red(' (missing)')
      : p.plan === r.path
        ? ''
        : c.yellow(` (names ${p.plan ? clean(String(p.plan)) : 'no plan'} back)`);
    out.push(`prompt:   ${clean(String(p.path))}${back}`);
  }
  out.push(`bead:     ${beadText(r.bead_record as Rec | null)}`);
  if (r.model) out.push(`model:    ${clean(String(r.model))}`);
  if (r.size) out.push(`size:     ${r.size}`);
  const phases = (r.phases as Rec[] | null) ?? [];
  if (phases.length) {
    out.push('phases:');
    const beads = (r.phase_beads as Rec[] | null) ?? [];
    const w = Math.max(...phases.map((ph) => String(ph.id).length));
    phases.forEach((ph, i) => {
      const deps = (ph.depends_on as string[]).length ? c.dim(`  after ${(ph.depends_on as string[]).join(', ')}`) : '';
      const bead = beads[i]?.bead as Rec | null;
      out.push(
        `  ${String(i + 1).padStart(2)}. ${c.bold(clean(String(ph.id)).padEnd(w))}  ${bead ? beadText(bead) + '  ' : ''}${c.dim(String(ph.size))}  ${clean(String(ph.title))}${deps}`,
      );
    });
  }
  const epics = (r.epic_plans as Rec[] | null) ?? [];
  if (epics.length) {
    out.push('epics:');
    for (const e of epics) {
      const status = e.status === 'missing' ? c.red('missing') : planStatusColor(ctx, String(e.status));
      out.push(`  ${c.bold(clean(String(e.slug)))}  ${status}${e.bead ? `  ${c.cyan(clean(String(e.bead)))}` : ''}`);
    }
  }
  const commits = (r.commits as Rec[]) ?? [];
  if (commits.length) {
    out.push('commits:');
    for (const k of commits) {
      out.push(
        `  ${c.yellow(String(k.commit).slice(0, 10))} ${k.subject === null ? c.dim('(not in this clone)') : clean(String(k.subject))}${k.bead ? c.dim(`  ${clean(String(k.bead))}`) : ''}`,
      );
    }
  }
  out.push(`created:  ${r.created_at ?? ''}${r.updated_at ? `  updated: ${r.updated_at}` : ''}`);
  out.push('');
  for (const line of String(r.body).split('\n')) out.push(clean(line));
  ctx.stdout.write(out.join('\n').trimEnd() + '\n');
}
