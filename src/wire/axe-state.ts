// The Axe's records (version 1): a tick's pass over a repository with the
// chops it ran, and the status of the Axe, its lumberjacks and its chops.

import { formatDuration } from '../core/axe/duration.ts';
import type { AxeStatus, ChopOutcome, ChopView, LumberjackView, TickReport } from '../core/axe/views.ts';
import { isoSeconds } from '../core/clock.ts';

export function chopRunToWire(o: ChopOutcome) {
  return {
    v: 1 as const,
    kind: 'chop_run' as const,
    chop: o.chop,
    lumberjack: o.lumberjack,
    run_id: o.run_id,
    at: o.at,
    seconds: o.seconds,
    how: o.how,
    status: o.result.status,
    summary: o.result.summary,
    counters: o.result.counters,
    launched: o.launched,
    dir: o.dir,
  };
}

export function tickToWire(r: TickReport) {
  return {
    v: 1 as const,
    kind: 'axe_tick' as const,
    repository: r.repository,
    action: r.action,
    reason: r.reason,
    at: r.at,
    lumberjacks: r.lumberjacks,
    chops: r.chops.map(chopRunToWire),
    next_due_at: r.next_due_ms === null ? null : isoSeconds(r.next_due_ms),
    notes: r.notes,
  };
}

export function lumberjackToWire(l: LumberjackView) {
  return {
    v: 1 as const,
    kind: 'lumberjack' as const,
    name: l.name,
    interval: formatDuration(l.interval_ms),
    chops: l.chops,
    enabled: l.enabled,
    last_run_at: l.last_run_at,
    last_status: l.last_status,
    last_summary: l.last_summary,
    next_due_at: l.next_due_at,
  };
}

export function chopToWire(c: ChopView) {
  return {
    v: 1 as const,
    kind: 'chop' as const,
    name: c.name,
    where: c.where,
    problem: c.problem,
    timeout: formatDuration(c.timeout_ms),
    run_every: c.run_every_ms === null ? null : formatDuration(c.run_every_ms),
    enabled: c.enabled,
    lumberjacks: c.lumberjacks,
    last_run_at: c.last_run_at,
    last_status: c.last_status,
    last_summary: c.last_summary,
    last_run_id: c.last_run_id,
  };
}

export function axeStatusToWire(s: AxeStatus) {
  return {
    v: 1 as const,
    kind: 'axe_status' as const,
    repository: s.repository,
    health: s.health,
    problems: s.problems,
    registered: s.registered,
    registry: s.registry,
    scheduler: s.scheduler,
    maintenance: s.maintenance,
    lock: s.lock,
    last_tick: s.last_tick,
    lumberjacks: s.lumberjacks.map(lumberjackToWire),
    chops: s.chops.map(chopToWire),
  };
}

export function maintenanceToWire(
  m: { reason: string; since: string; owner: { pid: number; host: string } | null } | null,
  cleared: string | null,
) {
  return {
    v: 1 as const,
    kind: 'axe_maintenance' as const,
    active: m !== null,
    reason: m?.reason ?? null,
    since: m?.since ?? null,
    owner: m?.owner ? { pid: m.owner.pid, host: m.owner.host } : null,
    cleared,
  };
}
