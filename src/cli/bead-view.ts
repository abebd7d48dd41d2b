// How beads look: NDJSON records on pipes, a table or a card on a terminal.

import { compareReady, type GraphNode } from '../core/beads/graph.ts';
import type { ListShape } from '../core/list-ops.ts';
import type { BeadRecord, BeadRef, BeadShowRecord, BlockedBeadRecord } from '../wire/bead.ts';
import { statusColor } from './colors.ts';
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { type Column, clean, printWritten, table, width } from './render.ts';
import { cardTime } from './time.ts';

type Listed = BeadRecord | BlockedBeadRecord;

/** What --grep searches in a bead; a cache excerpt has the title only. */
export interface BeadText extends Pick<GraphNode, 'priority' | 'created_at' | 'id'> {
  title: string;
  description?: string;
  notes?: string;
  design?: string | null;
}

/** How bead lists sort and search: priority, then age, then id by default. */
export const BEAD_SHAPE: ListShape<BeadText> = {
  fields: [
    'id',
    'priority',
    'created_at',
    'updated_at',
    'status',
    'title',
    'issue_type',
    'tier',
    'assignee',
    'parent_id',
  ],
  defaultSort: 'priority,created_at,id',
  // the same order as a plain function: lists of 100,000 beads sort fast
  compare: compareReady,
  text: (b) => [b.title, b.description, b.notes, b.design],
};

/** The same for a list whose own order is the answer (ready's, dependency order): only --sort changes it. */
export const BEAD_SHAPE_AS_GIVEN: ListShape<BeadText> = { ...BEAD_SHAPE, defaultSort: undefined, compare: undefined };

/** What --grep searches, for option descriptions. */
export const BEAD_SEARCHED = 'title, description, notes or design';

function typeLabel(r: BeadRecord): string {
  return r.tier ? `${r.issue_type}/${r.tier}` : r.issue_type;
}

/** Prints bead records in the context's format; `blockers`: with what blocks each (sase bead blocked). */
export function printBeads(ctx: Ctx, records: readonly Listed[], opts: { blockers?: boolean } = {}): void {
  if (ctx.format !== 'text') {
    for (const r of records) writeRecord(ctx, r);
    return;
  }
  if (!records.length) return;
  const c = ctx.colors;
  const cols: Column<Listed>[] = [
    { header: 'ID', get: (r) => r.short_id ?? r.id, color: (s) => c.cyan(s) },
    { header: 'P', get: (r) => `P${r.priority}` },
    {
      header: 'STATUS',
      get: (r) => r.status + (r.blocked ? ' (blocked)' : ''),
      color: (s, r) => statusColor(c, 'bead', r.status, s),
    },
    { header: 'TYPE', get: typeLabel },
    { header: 'ASSIGNEE', get: (r) => r.assignee ?? '' },
    { header: 'TITLE', get: (r) => r.title, flex: true },
  ];
  if (opts.blockers)
    cols.splice(cols.length - 1, 0, {
      header: 'BLOCKED BY',
      get: (r) => ('blocked_by' in r ? r.blocked_by : []).join(', '),
    });
  ctx.stdout.write(table(records, cols, c, width(ctx, 40)));
}

/** What a bead write did: a line a bead on a terminal (see printWritten), else the records. */
export function printWrittenBeads(ctx: Ctx, records: readonly BeadRecord[], verb: string): void {
  printWritten(ctx, records, (r, c) => ({
    verb,
    id: r.short_id ?? r.id,
    title: r.title,
    note: r.blocked && r.status === 'open' ? c.red(' (blocked)') : '',
  }));
}

/** The card of `sase bead show` on a terminal. */
export function printBeadCard(ctx: Ctx, r: BeadShowRecord): void {
  const c = ctx.colors;
  // a blocker sase cannot see (missing, external) says whether it is marked satisfied
  const satisfied = new Set((r.satisfied ?? []).map((s) => s.ref));
  const ref = (x: BeadRef) =>
    `${c.cyan(clean(x.short_id ?? x.id))} ${statusColor(c, 'bead', x.status)}` +
    (x.status === 'missing' || x.status === 'external'
      ? satisfied.has(x.id)
        ? c.dim(' (satisfied)')
        : c.red(' (blocks until satisfied)')
      : ` ${clean(x.title ?? '')}`);
  const out: string[] = [];
  out.push(`${c.bold(c.cyan(r.id))}  ${c.bold(clean(r.title))}`);
  out.push(
    `${statusColor(c, 'bead', r.status)}${r.blocked ? c.red(' (blocked)') : ''}  P${r.priority}  ${typeLabel(r)}` +
      (r.size ? `  ${r.size}` : '') +
      (r.assignee ? `  @${clean(r.assignee)}` : ''),
  );
  if (r.parent) out.push(`parent:     ${ref(r.parent)}`);
  const lists: Array<[string, BeadRef[]]> = [
    ['children', r.children],
    ['blocked by', r.blockers],
    ['blocks', r.dependants],
  ];
  for (const [label, items] of lists) {
    if (!items.length) continue;
    out.push(`${label}:`);
    for (const it of items) out.push(`  ${ref(it)}`);
  }
  if (r.runs.length) {
    out.push('runs:');
    for (const x of r.runs) {
      const why = x.status === 'waiting' ? x.wait_reason : x.error;
      out.push(
        `  ${c.cyan(clean(x.name ?? x.id))} ${statusColor(c, 'beadRun', x.status)} ${c.dim(x.id)}${why ? `: ${clean(why)}` : ''}`,
      );
    }
  }
  if (r.labels.length) out.push(`labels:     ${r.labels.map(clean).join(', ')}`);
  for (const l of r.links ?? []) out.push(`link:       ${clean(l.kind)} ${clean(l.target)}`);
  if (r.design) out.push(`design:     ${clean(r.design)}`);
  out.push(`created:    ${cardTime(ctx, r.created_at)}${r.created_by ? ` by ${clean(r.created_by)}` : ''}`);
  out.push(`updated:    ${cardTime(ctx, r.updated_at)}`);
  if (r.status === 'closed')
    out.push(
      `closed:     ${r.closed_at ? cardTime(ctx, r.closed_at) : ''} (${r.resolution})${r.close_reason ? `: ${clean(r.close_reason)}` : ''}`,
    );
  for (const h of r.close_history ?? [])
    out.push(
      c.dim(
        `reopened:   ${cardTime(ctx, h.reopened_at)} (was closed ${h.closed_at ? cardTime(ctx, h.closed_at) : '?'}${h.close_reason ? `: ${clean(h.close_reason)}` : ''})`,
      ),
    );
  const text = (label: string, v: string) => {
    if (!v) return;
    out.push('', c.bold(label));
    for (const line of v.split('\n')) out.push('  ' + line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?'));
  };
  text('Description', r.description);
  text('Notes', r.notes);
  ctx.stdout.write(out.join('\n') + '\n');
}
