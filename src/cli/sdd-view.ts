// How plans and diagnostics look: NDJSON records on pipes, a table or
// compiler-style lines on a terminal.
import type { Ctx } from './context.ts';
import type { Diagnostic } from '../core/sdd/diagnostics.ts';
import { writeRecord } from './io.ts';
import { clean, table } from './render.ts';
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
        { header: 'STATUS', get: (r) => String(r.status ?? ''), color: (s, r) => planStatusColor(ctx, String(r.status), s) },
        { header: 'BEAD', get: (r) => String(r.bead ?? '') },
        { header: 'UPDATED', get: (r) => String(r.updated_at ?? '').replace('T', ' ').replace(/:\d\dZ$/, '') },
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
