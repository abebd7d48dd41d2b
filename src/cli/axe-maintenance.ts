// What the maintenance commands print: the maintenance in force, or none.
import type { Maintenance } from '../app/axe/maintenance.ts';
import { maintenanceToWire } from '../wire/axe-state.ts';
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { cardTime } from './time.ts';

export const MAINTENANCE_OUTPUT =
  'One NDJSON record {v, kind: "axe_maintenance", active, reason, since, owner {pid, host} or null, cleared (why a marker that no longer held was removed, or null)}. On a terminal, a line.';

export function printMaintenance(ctx: Ctx, m: Maintenance | null, cleared: string | null): void {
  if (ctx.format !== 'text') {
    writeRecord(ctx, maintenanceToWire(m, cleared));
    return;
  }
  if (cleared) ctx.stderr.write(`${cleared}\n`);
  ctx.stdout.write(
    m
      ? `in maintenance since ${cardTime(ctx, m.since)}: ${m.reason}${m.owner ? ` (while pid ${m.owner.pid} lives, at most 24 hours)` : ' (at most 24 hours)'}\n`
      : 'not in maintenance: ticks run\n',
  );
}
