// What the Axe is doing in a repository, from what this machine remembers:
// each lumberjack's last run, result and next due time, each chop's place and
// last result, the lock, maintenance, and whether it is healthy (a failing or
// missing chop, a stale lock, or no tick for a long while make it degraded).
import { type AxeConfig, chopConfig, chopNames } from '../../core/axe/config.ts';
import type { AxeState, AxeStatus, ChopView, Health, LumberjackView } from '../../core/axe/views.ts';
import { isoSeconds } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import { readAxeState } from './history.ts';
import { lockState } from './lock.ts';
import { maintenanceState } from './maintenance.ts';
import { readRegistry, registryFile } from './registry.ts';
import { findChop } from './runner.ts';
import { nextDue } from './tick.ts';

export function lumberjackViews(config: AxeConfig, state: AxeState): LumberjackView[] {
  return config.lumberjacks.map((l) => {
    const last = state.lumberjacks[l.name];
    return {
      name: l.name,
      interval_ms: l.interval_ms,
      chops: l.chops,
      enabled: l.enabled,
      last_run_at: last?.at ?? null,
      last_status: last?.status ?? null,
      last_summary: last?.summary ?? null,
      next_due_at: l.enabled && last ? isoSeconds(nextDue(l, state)) : null,
    };
  });
}

export function chopViews(store: Store, config: AxeConfig, state: AxeState): ChopView[] {
  return chopNames(config).map((name) => {
    const c = chopConfig(config, name);
    const where = findChop(store, c, store.repo.env);
    const last = state.chops[name];
    return {
      name,
      where: where.kind === 'missing' ? null : where.display,
      problem: where.kind === 'missing' ? where.reason : null,
      timeout_ms: c.timeout_ms,
      run_every_ms: c.run_every_ms,
      enabled: c.enabled,
      lumberjacks: config.lumberjacks.filter((l) => l.chops.includes(name)).map((l) => l.name),
      last_run_at: last?.at ?? null,
      last_status: last?.status ?? null,
      last_summary: last?.summary ?? null,
      last_run_id: last?.run_id ?? null,
    };
  });
}

/** No tick for this many of the schedule's periods is a problem. */
const MISSED_TICKS = 3;

export function axeStatus(store: Store, config: AxeConfig, nowMs: number, scheduler: string | null): AxeStatus {
  const repository = store.repo.topLevel ?? store.repo.commonDir;
  const state = readAxeState(store.repo);
  const registered = readRegistry(store.repo.env).includes(repository);
  const problems: string[] = [];
  const lumberjacks = lumberjackViews(config, state);
  const chops = chopViews(store, config, state);
  for (const c of chops) {
    if (!c.enabled || !c.lumberjacks.some((l) => lumberjacks.find((j) => j.name === l)?.enabled)) continue;
    if (c.problem) problems.push(c.problem);
    else if (c.last_status === 'failed' || c.last_status === 'check_error')
      problems.push(
        `chop '${c.name}' ${c.last_status === 'failed' ? 'failed' : 'found a problem'} at ${c.last_run_at}: ${c.last_summary}`,
      );
  }
  const lock = lockState(store.repo);
  if (lock && !lock.alive)
    problems.push(`stale lock: its tick (pid ${lock.owner.pid}) is gone; the next tick takes it over`);
  const m = maintenanceState(store.repo, nowMs).active;
  const enabled = config.lumberjacks.filter((l) => l.enabled);
  // the schedule starts a tick every minute that ticks until the next (--for), each pass noted: a minute is the period
  const period = 60_000;
  const lastTick = state.last_tick?.ended_at ?? state.last_tick?.started_at ?? null;
  if ((registered || scheduler) && !m && enabled.length) {
    if (!lastTick) problems.push('no tick yet');
    else if (nowMs - Date.parse(lastTick) > MISSED_TICKS * period)
      problems.push(`no tick since ${lastTick} (over ${MISSED_TICKS} periods)`);
  }
  const health: Health = !registered || !scheduler ? 'not_installed' : problems.length ? 'degraded' : 'healthy';
  if (!registered) problems.unshift(`this repository is not registered ('sase axe install' does it)`);
  else if (!scheduler) problems.unshift(`no schedule entry runs the Axe ('sase axe install' writes one)`);
  return {
    repository,
    health,
    problems,
    registered,
    registry: registryFile(store.repo.env),
    scheduler,
    maintenance: m ? { reason: m.reason, since: m.since } : null,
    lock: lock ? { pid: lock.owner.pid, host: lock.owner.host, since: lock.owner.since, alive: lock.alive } : null,
    last_tick: state.last_tick,
    lumberjacks,
    chops,
  };
}
