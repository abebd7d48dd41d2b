// Budgets: `[budget] per_run`, `per_epic`, `per_day` in config, each a number
// (in the provider's currency, from the cost runs report) or a string
// "<n> tokens" (input and output tokens). Reached, they stop further
// dispatch; the runs left waiting say which budget and how much was spent.
// What runs spent comes from their recorded usage. Pure.
import { FatalError } from '../errors.ts';
import type { AgentRun } from './run.ts';

export type BudgetUnit = 'cost' | 'tokens';
export interface Limit {
  amount: number;
  unit: BudgetUnit;
}
export interface Budget {
  per_run: Limit | null;
  per_epic: Limit | null;
  per_day: Limit | null;
}

const KEYS = ['per_run', 'per_epic', 'per_day'] as const;

function limitOf(v: unknown, where: string): Limit | null {
  if (v === undefined) return null;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return { amount: v, unit: 'cost' };
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(k|m)?\s*tokens?\s*$/i.exec(v) : null;
  if (m)
    return {
      amount: Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1),
      unit: 'tokens',
    };
  throw new FatalError(`${where} must be a number (a cost) or a string like "200k tokens" (got ${JSON.stringify(v)})`);
}

/** The budget section of config, checked. */
export function parseBudget(section: unknown, source: string): Budget {
  const s = (section ?? {}) as Record<string, unknown>;
  const out: Budget = { per_run: null, per_epic: null, per_day: null };
  for (const k of KEYS) out[k] = limitOf(s[k], `${source}: 'budget.${k}'`);
  return out;
}

export function hasBudget(b: Budget): boolean {
  return KEYS.some((k) => b[k] !== null);
}

function spent(run: AgentRun, unit: BudgetUnit): number {
  const u = run.usage;
  if (!u) return 0;
  return unit === 'cost' ? (u.cost ?? 0) : (u.input_tokens ?? 0) + (u.output_tokens ?? 0);
}

function show(n: number, unit: BudgetUnit): string {
  return unit === 'cost' ? `${Math.round(n * 10000) / 10000}` : `${n} tokens`;
}

/** The epic a run belongs to by its name (`<epic>.<n>`, `<epic>.land`), or null. */
export function epicOfRun(run: AgentRun): string | null {
  const m = run.name ? /^(.+)\.(?:\d+|land)$/.exec(run.name) : null;
  return m ? m[1]! : null;
}

/**
 * Why `run` may not be dispatched now, or null: a budget reached by what the
 * runs of the last day, of its epic, or one run of its epic, spent.
 */
export function overBudget(b: Budget, run: AgentRun, runs: AgentRun[], nowMs: number): string | null {
  if (b.per_day) {
    const day = runs
      .filter((r) => r.ended_at && nowMs - Date.parse(r.ended_at) < 86_400_000)
      .reduce((n, r) => n + spent(r, b.per_day!.unit), 0);
    if (day >= b.per_day.amount)
      return `budget per_day reached: ${show(day, b.per_day.unit)} spent of ${show(b.per_day.amount, b.per_day.unit)} in the last 24 hours`;
  }
  const epic = epicOfRun(run);
  const mates = epic ? runs.filter((r) => epicOfRun(r) === epic) : [];
  if (b.per_epic && epic) {
    const total = mates.reduce((n, r) => n + spent(r, b.per_epic!.unit), 0);
    if (total >= b.per_epic.amount)
      return `budget per_epic reached: ${show(total, b.per_epic.unit)} spent of ${show(b.per_epic.amount, b.per_epic.unit)} on ${epic}`;
  }
  if (b.per_run) {
    const over = (epic ? mates : runs.filter((r) => r.name !== null && r.name === run.name)).find(
      (r) => spent(r, b.per_run!.unit) > b.per_run!.amount || (b.per_run!.amount === 0 && r === run),
    );
    if (over)
      return over === run
        ? `budget per_run is ${show(0, b.per_run.unit)}: no run may start`
        : `budget per_run exceeded by run ${over.id} (${show(spent(over, b.per_run.unit), b.per_run.unit)} of ${show(b.per_run.amount, b.per_run.unit)})`;
  }
  return null;
}
