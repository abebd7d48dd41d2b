// The tick: one short, idempotent pass over the lumberjacks that are due in a
// repository, each running its chops in order. Ticks of one repository never
// overlap (the tick lock); maintenance makes them do nothing. `tickFor` keeps
// ticking until a duration is spent, sleeping until the next lumberjack is
// due, over one repository or every registered one.
import { setTimeout as sleep } from 'node:timers/promises';
import { type AxeConfig, chopConfig, type LumberjackConfig } from '../../core/axe/config.ts';
import type { ChopStatus } from '../../core/axe/result.ts';
import type { AxeState, ChopOutcome, TickReport } from '../../core/axe/views.ts';
import { isoSeconds, type Random } from '../../core/clock.ts';
import { UsageError } from '../../core/errors.ts';
import type { Store } from '../../store/store.ts';
import { thisHost } from '../agents/runtime.ts';
import { loadAxeConfig } from './config.ts';
import { readAxeState, updateAxeState } from './history.ts';
import { acquireTickLock } from './lock.ts';
import { maintenanceState } from './maintenance.ts';
import { runChop } from './runner.ts';

export interface TickOptions {
  /** this lumberjack only */
  only?: string | null;
  /** run every enabled lumberjack now, due or not (sase axe lumberjack run) */
  force?: boolean;
  dryRun: boolean;
  env: Record<string, string | undefined>;
  random: Random;
  signal?: AbortSignal;
  /** each chop as it ends */
  onChop?(o: ChopOutcome): void;
}

/** When a lumberjack is next due: at once if it never ran here, else its last run plus its interval. */
export function nextDue(l: LumberjackConfig, state: AxeState): number {
  const last = state.lumberjacks[l.name];
  return last && Number.isFinite(last.ms) ? last.ms + l.interval_ms : 0;
}

/** The worst of some statuses, for a lumberjack's line: failed > check_error > ok > no_op. */
function worst(statuses: ChopStatus[]): ChopStatus {
  for (const s of ['failed', 'check_error', 'ok'] as const) if (statuses.includes(s)) return s;
  return 'no_op';
}

function pickLumberjacks(config: AxeConfig, only: string | null | undefined): LumberjackConfig[] {
  if (!only) return config.lumberjacks.filter((l) => l.enabled);
  const l = config.lumberjacks.find((x) => x.name === only);
  if (!l)
    throw new UsageError(`no lumberjack '${only}' (there are: ${config.lumberjacks.map((x) => x.name).join(', ')})`);
  return [l];
}

function earliest(config: AxeConfig, state: AxeState, only: string | null | undefined): number | null {
  const jacks = pickLumberjacks(config, only).filter((l) => l.enabled);
  return jacks.length ? Math.min(...jacks.map((l) => nextDue(l, state))) : null;
}

export async function tickRepo(store: Store, opts: TickOptions): Promise<TickReport> {
  const config = await loadAxeConfig(store.repo);
  const jacks = pickLumberjacks(config, opts.only);
  const startMs = store.clock.wallMs();
  const at = isoSeconds(startMs);
  const repository = store.repo.topLevel ?? store.repo.commonDir;
  const report: TickReport = {
    repository,
    action: 'ticked',
    reason: null,
    at,
    lumberjacks: [],
    chops: [],
    next_due_ms: null,
    notes: [],
  };
  const m = maintenanceState(store.repo, startMs);
  if (m.cleared) report.notes.push(m.cleared);
  if (m.active) {
    report.action = 'maintenance';
    report.reason = `in maintenance since ${m.active.since}: ${m.active.reason}`;
    report.next_due_ms = earliest(config, readAxeState(store.repo), opts.only);
    return report;
  }
  const lock = acquireTickLock(store.repo, at, startMs);
  if (!lock.held) {
    report.action = 'locked';
    report.reason = lock.reason;
    report.next_due_ms = earliest(config, readAxeState(store.repo), opts.only);
    return report;
  }
  if (lock.tookOver) report.notes.push(`took over the lock of a tick that is gone (pid ${lock.tookOver.pid})`);
  try {
    const state = readAxeState(store.repo);
    const due = jacks.filter((l) => opts.force || (l.enabled && nextDue(l, state) <= startMs));
    if (!opts.dryRun)
      updateAxeState(store.repo, (s) => {
        s.last_tick = { started_at: at, ended_at: null, pid: process.pid, host: thisHost(), ran: [] };
      });
    for (const l of due) {
      if (opts.signal?.aborted) break;
      const statuses: ChopStatus[] = [];
      const summaries: string[] = [];
      const lastChops = readAxeState(store.repo).chops;
      for (const name of l.chops) {
        if (opts.signal?.aborted) break;
        const chop = chopConfig(config, name);
        if (!chop.enabled) continue;
        const last = lastChops[name];
        if (
          !opts.force &&
          chop.run_every_ms !== null &&
          last &&
          Number.isFinite(last.ms) &&
          startMs - last.ms < chop.run_every_ms
        )
          continue;
        const outcome = await runChop(store, chop, {
          lumberjack: l.name,
          dryRun: opts.dryRun,
          env: { cwd: repository, env: opts.env, at: isoSeconds(store.clock.wallMs()), random: opts.random },
          random: opts.random,
          signal: opts.signal,
          history: config.history,
          startedMs: store.clock.wallMs(),
        });
        report.chops.push(outcome);
        opts.onChop?.(outcome);
        statuses.push(outcome.result.status);
        if (outcome.result.summary) summaries.push(`${name}: ${outcome.result.summary}`);
      }
      report.lumberjacks.push(l.name);
      if (!opts.dryRun)
        updateAxeState(store.repo, (s) => {
          s.lumberjacks[l.name] = {
            at,
            ms: startMs,
            status: worst(statuses),
            summary: summaries.join('; ').slice(0, 500),
          };
        });
    }
    const after = opts.dryRun
      ? readAxeState(store.repo)
      : updateAxeState(store.repo, (s) => {
          s.last_tick = {
            started_at: at,
            ended_at: isoSeconds(store.clock.wallMs()),
            pid: process.pid,
            host: thisHost(),
            ran: report.lumberjacks,
          };
        });
    report.next_due_ms = earliest(config, after, opts.only);
  } finally {
    lock.release();
  }
  return report;
}

export interface TickForOptions extends TickOptions {
  /** keep ticking this long (ms); 0: one pass */
  forMs: number;
  /** the repositories' stores, opened afresh each pass (a registry may name many) */
  stores(): Promise<Array<{ path: string; store: Store | null; error: string | null }>>;
  onReport?(r: TickReport): void;
  onError?(path: string, message: string): void;
  nowMs(): number;
  /** a repository that fails is told (onError) and the others go on; otherwise its error ends the tick */
  keepGoing?: boolean;
}

/** Ticks every repository until the duration is spent; returns every report. */
export async function tickFor(opts: TickForOptions): Promise<TickReport[]> {
  const deadline = opts.nowMs() + opts.forMs;
  const all: TickReport[] = [];
  for (;;) {
    let next = Number.POSITIVE_INFINITY;
    for (const { path, store, error } of await opts.stores()) {
      if (opts.signal?.aborted) break;
      if (!store) {
        opts.onError?.(path, error ?? 'cannot be opened');
        continue;
      }
      try {
        const r = await tickRepo(store, opts);
        all.push(r);
        opts.onReport?.(r);
        if (r.next_due_ms !== null) next = Math.min(next, r.next_due_ms);
      } catch (err) {
        if (!opts.keepGoing) throw err;
        opts.onError?.(path, (err as Error).message.split('\n')[0]!);
      }
    }
    if (opts.signal?.aborted || !opts.forMs || !Number.isFinite(next)) break;
    const now = opts.nowMs();
    // a lumberjack due within the window runs in it; nothing due before the end: this tick is over
    const wait = Math.max(next - now, 50);
    if (now + wait >= deadline) break;
    try {
      await sleep(wait, undefined, { signal: opts.signal });
    } catch {
      break;
    }
  }
  return all;
}
