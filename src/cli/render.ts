// Text for people: tables and cards on a terminal, coloured per stream.
// Widths are display widths (string-width): a wide (CJK) character takes two
// columns, a combining mark none, so columns stay straight whatever the text.
import stringWidth from 'string-width';
import type { NamedRecord } from '../wire/record.ts';
import type { Colors, Ctx } from './context.ts';
import { writeRecord } from './io.ts';

// terminal control sequences in record fields must never reach the screen
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' || c === '\t' ? ' ' : '?'));
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The columns `text` takes on a terminal (ASCII counted without string-width). */
export function textWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** `text` and spaces to make it `width` columns wide. */
export function padWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}

let graphemes: Intl.Segmenter | null = null;

/** `text` cut to at most `width` columns, an ellipsis where cut; never half a character. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (PRINTABLE_ASCII.test(text)) return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
  if (stringWidth(text) <= width) return text;
  graphemes ??= new Intl.Segmenter();
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
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
  const widths = cols.map((c, i) => Math.max(textWidth(c.header), ...cells.map((row) => textWidth(row[i]!))));
  const fixed = widths.reduce((a, w, i) => (cols[i]!.flex ? a : a + w + 2), 0);
  cols.forEach((c, i) => {
    if (c.flex) widths[i] = Math.max(10, Math.min(widths[i]!, width - fixed));
  });
  const line = (parts: string[]) => parts.join('  ').trimEnd();
  const out = [line(cols.map((c, i) => colors.bold(padWidth(c.header, widths[i]!))))];
  cells.forEach((row, r) => {
    out.push(
      line(
        row.map((cell, i) => {
          const text = padWidth(truncate(cell, widths[i]!), widths[i]!);
          const col = cols[i]!;
          return col.color ? col.color(text, rows[r]!) : text;
        }),
      ),
    );
  });
  return out.join('\n') + '\n';
}

/** One record in the line a write prints on a terminal: `<verb> <id>: <title><note>`. */
export interface WrittenLine {
  verb: string;
  id: string;
  title?: string | null;
  /** after the title, already coloured (e.g. ' (blocked)') */
  note?: string;
}

/**
 * What a write did, on a terminal: one line a record ('closed ts-ab1: Fix the
 * login page'), not a one-row table. Elsewhere the records, as they are.
 */
export function printWritten<R extends object>(
  ctx: Ctx,
  records: readonly R[],
  line: (r: R, c: Colors) => WrittenLine,
  wire: (r: R) => NamedRecord = (r) => r as unknown as NamedRecord,
): void {
  if (ctx.format !== 'text') {
    for (const r of records) writeRecord(ctx, wire(r));
    return;
  }
  const c = ctx.colors;
  for (const r of records) {
    const l = line(r, c);
    const title = l.title ? clean(firstLine(l.title)) : '';
    ctx.stdout.write(`${l.verb} ${c.cyan(clean(l.id))}${title ? `: ${title}` : ''}${l.note ?? ''}\n`);
  }
}

/** The first line of a text (a summary of a description). */
export function firstLine(text: string): string {
  return text.trimStart().split('\n', 1)[0]!.trimEnd();
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
