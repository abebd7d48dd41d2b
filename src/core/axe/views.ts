// What the Axe reports, as the app builds it and the wire prints it: a
// chop's run, a tick's pass, the memory of this machine, and the views of
// lumberjacks, chops and the whole Axe. Types only.
import type { ChopResult, ChopStatus } from './result.ts';

export interface LaunchOutcome {
  dedupe_key: string;
  action: 'launched' | 'deduped' | 'error' | 'dry-run';
  /** the run's id */
  run: string | null;
  reason: string | null;
}

export interface ChopOutcome {
  chop: string;
  lumberjack: string;
  run_id: string;
  at: string;
  seconds: number;
  /** where it ran: this process, a process of its own, or not at all */
  how: 'in-process' | 'process' | 'none';
  result: ChopResult;
  launched: LaunchOutcome[];
  /** the run's folder in the history (context.json, result.json, log) */
  dir: string;
}

export interface TickReport {
  repository: string;
  /** ticked: the due lumberjacks ran (maybe none); locked: another tick runs; maintenance: ticks are off */
  action: 'ticked' | 'locked' | 'maintenance';
  reason: string | null;
  at: string;
  lumberjacks: string[];
  chops: ChopOutcome[];
  /** when the next lumberjack is due (wall-clock ms), null when none is enabled */
  next_due_ms: number | null;
  /** a stale lock or maintenance marker this tick cleared */
  notes: string[];
}

export interface LumberjackView {
  name: string;
  interval_ms: number;
  chops: string[];
  enabled: boolean;
  last_run_at: string | null;
  last_status: string | null;
  last_summary: string | null;
  next_due_at: string | null;
}

export interface ChopView {
  name: string;
  /** where its code is: 'built-in (sase-chop-x)', a path, a command; null when not found */
  where: string | null;
  problem: string | null;
  timeout_ms: number;
  run_every_ms: number | null;
  enabled: boolean;
  lumberjacks: string[];
  last_run_at: string | null;
  last_status: string | null;
  last_summary: string | null;
  last_run_id: string | null;
}

export type Health = 'healthy' | 'degraded' | 'not_installed';

export interface AxeStatus {
  repository: string;
  health: Health;
  problems: string[];
  registered: boolean;
  registry: string | null;
  /** the schedule entry found ('cron', 'systemd', 'launchd'), or null */
  scheduler: string | null;
  maintenance: { reason: string; since: string } | null;
  lock: { pid: number; host: string; since: string; alive: boolean } | null;
  last_tick: AxeState['last_tick'];
  lumberjacks: LumberjackView[];
  chops: ChopView[];
}

export interface LastRun {
  at: string;
  /** the wall clock's milliseconds then: when the next run is due */
  ms: number;
  status: ChopStatus | 'skipped';
  summary: string;
}

export interface ChopLast extends LastRun {
  run_id: string;
  seconds: number;
}

export interface AxeState {
  v: 1;
  last_tick: { started_at: string; ended_at: string | null; pid: number; host: string; ran: string[] } | null;
  lumberjacks: Record<string, LastRun>;
  chops: Record<string, ChopLast>;
  /** when the last error digest was written (the next one sums up what failed since) */
  last_digest_at: string | null;
}
