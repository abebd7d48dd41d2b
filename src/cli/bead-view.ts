// How beads look: NDJSON records on pipes, a table or a card on a terminal.
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, statusColor, table } from './render.ts';

type Rec = Record<string, unknown>;

function width(ctx: Ctx): number {
  const cols = (ctx.stdout as { columns?: number }).columns;
  return cols && cols > 40 ? cols : 100;
}

function typeLabel(r: Rec): string {
  return r.tier ? `${r.issue_type}/${r.tier}` : String(r.issue_type);
}

/** Prints bead records in the context's format. */
export function printBeads(ctx: Ctx, records: Rec[], opts: { blockers?: boolean } = {}): void {
  if (ctx.format !== 'text') {
    for (const r of records) writeRecord(ctx, r);
    return;
  }
  if (!records.length) return;
  const c = ctx.colors;
  const cols = [
    { header: 'ID', get: (r: Rec) => String(r.short_id ?? r.id), color: (s: string) => c.cyan(s) },
    { header: 'P', get: (r: Rec) => `P${r.priority}` },
    {
      header: 'STATUS',
      get: (r: Rec) => String(r.status) + (r.blocked ? ' (blocked)' : ''),
      color: (s: string, r: Rec) => statusColor(c, String(r.status), s),
    },
    { header: 'TYPE', get: typeLabel },
    { header: 'ASSIGNEE', get: (r: Rec) => String(r.assignee ?? '') },
    { header: 'TITLE', get: (r: Rec) => String(r.title), flex: true },
  ];
  if (opts.blockers)
    cols.splice(cols.length - 1, 0, {
      header: 'BLOCKED BY',
      get: (r: Rec) => ((r.blockers as string[]) ?? []).join(', '),
    });
  ctx.stdout.write(table(records, cols, c, width(ctx)));
}

/** The card of `sase bead show` on a terminal. */
export function printBeadCard(ctx: Ctx, r: Rec): void {
  const c = ctx.colors;
  const ref = (x: Rec) =>
    `${c.cyan(String(x.short_id ?? x.id))} ${statusColor(c, String(x.status))} ${clean(String(x.title ?? ''))}`;
  const out: string[] = [];
  out.push(`${c.bold(c.cyan(String(r.id)))}  ${c.bold(clean(String(r.title)))}`);
  out.push(
    `${statusColor(c, String(r.status))}${r.blocked ? c.red(' (blocked)') : ''}  P${r.priority}  ${typeLabel(r)}` +
      (r.size ? `  ${r.size}` : '') +
      (r.assignee ? `  @${clean(String(r.assignee))}` : ''),
  );
  if (r.parent) out.push(`parent:     ${ref(r.parent as Rec)}`);
  const lists: Array<[string, Rec[]]> = [
    ['children', (r.children as Rec[]) ?? []],
    ['blocked by', (r.blockers as Rec[]) ?? []],
    ['blocks', (r.dependants as Rec[]) ?? []],
  ];
  for (const [label, items] of lists) {
    if (!items.length) continue;
    out.push(`${label}:`);
    for (const it of items) out.push(`  ${ref(it)}`);
  }
  const runs = (r.runs as Rec[] | undefined) ?? [];
  if (runs.length) {
    out.push('runs:');
    for (const x of runs) {
      const why = x.status === 'waiting' ? x.wait_reason : x.error;
      const st = String(x.status);
      const color = st === 'done' ? c.green : st === 'failed' || st === 'killed' ? c.red : c.yellow;
      out.push(
        `  ${c.cyan(clean(String(x.name ?? x.id)))} ${color(st)} ${c.dim(String(x.id))}${why ? `: ${clean(String(why))}` : ''}`,
      );
    }
  }
  if ((r.labels as string[]).length) out.push(`labels:     ${(r.labels as string[]).map(clean).join(', ')}`);
  for (const l of (r.links as Rec[]) ?? []) out.push(`link:       ${clean(String(l.kind))} ${clean(String(l.target))}`);
  if (r.design) out.push(`design:     ${clean(String(r.design))}`);
  out.push(`created:    ${r.created_at}${r.created_by ? ` by ${clean(String(r.created_by))}` : ''}`);
  out.push(`updated:    ${r.updated_at}`);
  if (r.status === 'closed')
    out.push(
      `closed:     ${r.closed_at} (${r.resolution})${r.close_reason ? `: ${clean(String(r.close_reason))}` : ''}`,
    );
  for (const h of (r.close_history as Rec[]) ?? [])
    out.push(
      c.dim(
        `reopened:   ${h.reopened_at} (was closed ${h.closed_at}${h.close_reason ? `: ${clean(String(h.close_reason))}` : ''})`,
      ),
    );
  const text = (label: string, v: unknown) => {
    if (!v) return;
    out.push('', c.bold(label));
    for (const line of String(v).split('\n'))
      out.push('  ' + line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?'));
  };
  text('Description', r.description);
  text('Notes', r.notes);
  ctx.stdout.write(out.join('\n') + '\n');
}
