// How notifications look: NDJSON records on pipes; on a terminal a table
// (list, read, dismiss) or a card (show). Record fields are cleaned of
// control characters before they reach a screen.

import { isSnoozed } from '../core/notifications/model.ts';
import type { NotificationRecord } from '../wire/notification.ts';
import { statusColor } from './colors.ts';
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, printTable, printWritten } from './render.ts';
import { cardTime, relativeTime, tableTime } from './time.ts';

/** The state as a person reads it: snoozed ones say until when. */
function stateLabel(r: NotificationRecord, nowMs: number): string {
  return isSnoozed(r, nowMs)
    ? `${r.state} (snoozed, wakes ${r.snoozed_until ? relativeTime(r.snoozed_until, nowMs) : '?'})`
    : r.state;
}

/** Notifications as a table on a terminal (ids in their short form when `shorts` has one), records otherwise. */
export function printNotifications(
  ctx: Ctx,
  records: readonly NotificationRecord[],
  shorts?: ReadonlyMap<string, string>,
): void {
  const nowMs = ctx.clock.now().getTime();
  printTable(ctx, records, (c) => [
    { header: 'ID', get: (r) => shorts?.get(r.id) ?? r.id, color: (s) => c.cyan(s) },
    {
      header: 'STATE',
      get: (r) => stateLabel(r, nowMs),
      color: (s, r) => statusColor(c, 'notification', r.state, s),
    },
    { header: 'SEVERITY', get: (r) => r.severity, color: (s, r) => statusColor(c, 'severity', r.severity, s) },
    { header: 'TYPE', get: (r) => r.type },
    { header: 'CREATED', get: (r) => tableTime(ctx, r.created_at) },
    {
      header: 'TITLE',
      get: (r) => r.title,
      color: (s, r) => (r.state === 'unread' ? c.bold(s) : s),
      flex: true,
    },
  ]);
}

/**
 * What a notification write did: on a terminal a line a notification ('read
 * n-4k2p: Sync failed (read)'; `verb` 'unchanged' for one already so),
 * elsewhere its record.
 */
export function printWrittenNotifications(
  ctx: Ctx,
  records: readonly NotificationRecord[],
  verb: (r: NotificationRecord) => string,
  /** ids in their short form, as tables show them */
  shorts?: ReadonlyMap<string, string>,
): void {
  const nowMs = ctx.clock.now().getTime();
  printWritten(ctx, records, (r, c) => ({
    verb: verb(r),
    id: shorts?.get(r.id) ?? r.id,
    title: r.title,
    note: ` (${statusColor(c, 'notification', r.state, stateLabel(r, nowMs))})`,
  }));
}

/** One notification as a card on a terminal, its record otherwise. */
export function printNotificationCard(ctx: Ctx, r: NotificationRecord): void {
  if (ctx.format !== 'text') {
    writeRecord(ctx, r);
    return;
  }
  const c = ctx.colors;
  const field = (name: string, value: string) => `${c.dim(name.padEnd(10))} ${value}`;
  const out = [`${c.bold(c.cyan(r.id))}  ${c.bold(clean(r.title))}`];
  out.push(
    `${statusColor(c, 'severity', r.severity)}  ${statusColor(c, 'notification', r.state, stateLabel(r, ctx.clock.now().getTime()))}  ${r.type}`,
  );
  out.push(field('created', `${cardTime(ctx, r.created_at)}${r.host ? ` on ${clean(r.host)}` : ''}`));
  if (r.about.length) out.push(field('about', clean(r.about.map((a) => `${a.kind} ${a.id}`).join(', '))));
  if (r.action) out.push(field('action', clean(`${r.action.verb} ${r.action.target}`)));
  if (r.body) {
    out.push('');
    for (const line of r.body.trimEnd().split(/\r?\n/)) out.push(`  ${clean(line)}`);
  }
  ctx.stdout.write(out.join('\n') + '\n');
}
