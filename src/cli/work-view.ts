// How `sase bead work` looks: the schedule as NDJSON records or a table; while
// it runs, a live view of the phases on stderr (redrawn in place on a
// terminal, a line per change of state otherwise).

import { secondsBetween } from '../core/agents/run.ts';
import { formatDuration } from '../core/changes/spec.ts';
import type { WorkRecord } from '../wire/work.ts';
import { statusColor } from './colors.ts';
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, table, width } from './render.ts';

function state(r: WorkRecord): string {
  if (r.run_status) return r.run_status;
  return r.bead_status === 'closed' ? 'closed' : 'planned';
}

/** The schedule (or its end) as records, or a table on a terminal. */
export function printWork(ctx: Ctx, records: readonly WorkRecord[]): void {
  if (ctx.format === 'id') {
    for (const r of records) ctx.stdout.write(`${r.id}\n`);
    return;
  }
  if (ctx.format !== 'text') {
    for (const r of records) writeRecord(ctx, r);
    return;
  }
  const c = ctx.colors;
  ctx.stdout.write(
    table(
      records,
      [
        { header: 'WAVE', get: (r) => (r.land ? 'land' : r.wave ? String(r.wave) : '-') },
        { header: 'PHASE', get: (r) => r.id, color: (s) => c.cyan(s) },
        { header: 'STATE', get: state, color: (s, r) => statusColor(c, 'run', state(r), s) },
        { header: 'MODEL', get: (r) => r.model ?? '' },
        {
          header: 'AFTER',
          get: (r) => [...r.blockers, ...(r.after ? [`${r.after} (scope)`] : [])].join(', '),
        },
        { header: 'TITLE', get: (r) => r.title, flex: true },
      ],
      c,
      width(ctx),
    ),
  );
}

function elapsed(r: WorkRecord, nowMs: number): string {
  const s = r.started_at ? secondsBetween(r.started_at, r.ended_at ?? new Date(nowMs).toISOString()) : null;
  return s === null ? '' : formatDuration(s);
}

/** The live view: redrawn in place on a terminal; a line a change of state otherwise. */
export class WorkView {
  private drawn = 0;
  private last = new Map<string, string>();

  constructor(private readonly ctx: Ctx) {}

  update(records: readonly WorkRecord[], nowMs: number): void {
    const err = this.ctx.stderr;
    if (this.ctx.stderrIsTTY) {
      const c = this.ctx.errColors;
      const lines = records.map(
        (r) =>
          `${r.id.padEnd(22)} ${statusColor(c, 'run', state(r), state(r).padEnd(8))} ${elapsed(r, nowMs).padStart(7)}  ${clean(r.error ?? r.title).slice(0, 60)}`,
      );
      if (this.drawn) err.write(`\x1b[${this.drawn}A`);
      for (const l of lines) err.write(`\r\x1b[K${l}\n`);
      this.drawn = lines.length;
      return;
    }
    for (const r of records) {
      const s = state(r);
      if (this.last.get(r.id) === s) continue;
      this.last.set(r.id, s);
      if (s === 'planned' || s === 'closed') continue;
      err.write(
        `${r.id}: ${s}${r.run_id ? ` (${r.run_id}${r.ended_at ? `, ${elapsed(r, nowMs)}` : ''})` : ''}${r.error && s !== 'running' ? `: ${clean(r.error)}` : ''}\n`,
      );
    }
  }
}
