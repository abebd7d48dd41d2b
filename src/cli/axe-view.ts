// What the Axe's commands share: the configuration loaded with every problem
// told (a line each) before the command gives up, and how ticks, chops and
// lumberjacks are shown on a terminal.
import { AxeConfigError, loadAxeConfig } from '../app/axe/config.ts';
import type { AxeConfig } from '../core/axe/config.ts';
import { formatDuration } from '../core/axe/duration.ts';
import type { ChopOutcome, ChopView, LumberjackView, TickReport } from '../core/axe/views.ts';
import type { ListShape } from '../core/list-ops.ts';
import type { Store } from '../store/store.ts';
import type { Colors, Ctx } from './context.ts';
import { clean } from './render.ts';
import { relativeTime } from './time.ts';

/** Chops and lumberjacks in the order a tick meets them unless --sort is given; --grep searches the name and last summary. */
export const AXE_SHAPE: ListShape<ChopView | LumberjackView> = {
  fields: ['name', 'enabled', 'last_run_at', 'last_status'],
  text: (r) => [r.name, r.last_summary],
};

/** [axe] checked whole: each problem on stderr, then the one fatal error (nothing ran). */
export async function axeConfigOf(ctx: Ctx, store: Store): Promise<AxeConfig> {
  try {
    return await loadAxeConfig(store.repo);
  } catch (err) {
    if (err instanceof AxeConfigError && err.problems.length > 1) {
      for (const p of err.problems) ctx.stderr.write(`error: ${p}\n`);
      err.message = `${err.problems.length} problems in the Axe's configuration; nothing ran`;
    }
    throw err;
  }
}

export function statusColor(c: Colors, status: string | null): (s: string) => string {
  if (status === 'failed' || status === 'check_error' || status === 'degraded') return c.red;
  if (status === 'ok' || status === 'healthy') return c.green;
  return c.dim;
}

export function chopLine(c: Colors, o: ChopOutcome): string {
  const launched = o.launched.filter((l) => l.action === 'launched').length;
  return `${o.lumberjack}/${o.chop}: ${statusColor(c, o.result.status)(o.result.status)}${o.result.summary ? ` ${clean(o.result.summary)}` : ''}${launched ? ` (launched ${launched})` : ''} ${c.dim(`${o.seconds.toFixed(2)}s`)}`;
}

export function tickLines(c: Colors, r: TickReport, many: boolean): string[] {
  const where = many ? `${r.repository}: ` : '';
  const out = r.notes.map((n) => `${where}${c.yellow(n)}`);
  if (r.action !== 'ticked')
    return [...out, `${where}${r.action === 'locked' ? 'skipped' : 'in maintenance'}: ${r.reason}`];
  if (!r.chops.length) out.push(`${where}nothing due`);
  for (const o of r.chops) out.push(`${where}${chopLine(c, o)}`);
  return out;
}

/** A time of the Axe's as how long ago (or how soon) it is: against the wall clock, which schedules the Axe's runs. */
function axeTime(ctx: Ctx, iso: string): string {
  return relativeTime(iso, ctx.clock.wallMs());
}

/** Its last run: the result and how long ago. */
function lastRun(ctx: Ctx, status: string | null, at: string | null): string {
  if (!status) return 'never ran';
  return `${statusColor(ctx.colors, status)(status)}${at ? ` ${axeTime(ctx, at)}` : ''}`;
}

/** When it runs next: 'in 5 min', or now (and since when it is due). */
function nextRun(ctx: Ctx, at: string | null): string {
  if (!at) return 'now';
  const when = axeTime(ctx, at);
  return Date.parse(at) > ctx.clock.wallMs() ? when : `now (due ${when})`;
}

export function lumberjackLine(ctx: Ctx, l: LumberjackView): string {
  const c = ctx.colors;
  const state = l.enabled ? '' : c.dim(' (disabled)');
  const last = lastRun(ctx, l.last_status, l.last_run_at);
  return `${c.bold(l.name)}${state} every ${formatDuration(l.interval_ms)}: ${l.chops.join(', ')}; last ${last}${l.enabled ? `; next ${nextRun(ctx, l.next_due_at)}` : ''}${l.last_summary ? `\n  ${clean(l.last_summary)}` : ''}`;
}

export function chopViewLine(ctx: Ctx, v: ChopView): string {
  const c = ctx.colors;
  const where = v.problem ? c.red(v.problem) : (v.where ?? '');
  const last = lastRun(ctx, v.last_status, v.last_run_at);
  return `${c.bold(v.name)}${v.enabled ? '' : c.dim(' (disabled)')}: ${where}; timeout ${formatDuration(v.timeout_ms)}${v.run_every_ms ? `, at most every ${formatDuration(v.run_every_ms)}` : ''}; last ${last}${v.last_summary ? `\n  ${clean(v.last_summary)}` : ''}`;
}
