// Text for people: tables and cards on a terminal, coloured per stream.

import type { NamedRecord } from '../wire/record.ts';
import type { Colors, Ctx } from './context.ts';
import { writeRecord } from './io.ts';

// terminal control sequences in record fields must never reach the screen
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' || c === '\t' ? ' ' : '?'));
}

export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}

export interface Column<R> {
  header: string;
  /** the cell text (already cleaned) and an optional colouring */
  get: (row: R) => string;
  color?: (cell: string, row: R) => string;
  /** this column takes what width is left */
  flex?: boolean;
}

/**
 * The width a table may take on this terminal: its columns, else 100. With
 * `narrowest`, a terminal that narrow or narrower gets 100 too.
 */
export function width(ctx: Ctx, narrowest?: number): number {
  const cols = (ctx.stdout as { columns?: number }).columns;
  if (cols === undefined || (narrowest !== undefined && cols <= narrowest)) return 100;
  return cols;
}

export function table<R>(rows: readonly R[], cols: readonly Column<R>[], colors: Colors, width = 100): string {
  const cells = rows.map((r) => cols.map((c) => clean(c.get(r))));
  const widths = cols.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const fixed = widths.reduce((a, w, i) => (cols[i]!.flex ? a : a + w + 2), 0);
  cols.forEach((c, i) => {
    if (c.flex) widths[i] = Math.max(10, Math.min(widths[i]!, width - fixed));
  });
  const line = (parts: string[]) => parts.join('  ').trimEnd();
  const out = [line(cols.map((c, i) => colors.bold(c.header.padEnd(widths[i]!))))];
  cells.forEach((row, r) => {
    out.push(
      line(
        row.map((cell, i) => {
          const text = truncate(cell, widths[i]!).padEnd(widths[i]!);
          const col = cols[i]!;
          return col.color ? col.color(text, rows[r]!) : text;
        }),
      ),
    );
  });
  return out.join('\n') + '\n';
}

/** Records as NDJSON on a pipe, or a table of them on a terminal (nothing for none). */
export function printTable<R extends NamedRecord>(
  ctx: Ctx,
  records: readonly R[],
  columns: (c: Colors) => Column<R>[],
): void {
  if (ctx.format !== 'text') {
    for (const r of records) writeRecord(ctx, r);
    return;
  }
  if (!records.length) return;
  ctx.stdout.write(table(records, columns(ctx.colors), ctx.colors, width(ctx)));
}
