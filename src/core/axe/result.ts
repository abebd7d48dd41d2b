// A chop's answer, the JSON contract every chop keeps whatever its language:
// it writes {v: 1, status, summary, counters, launches} to the file named by
// SASE_CHOP_RESULT_FILE, or only exits (0 ok, else failed). Pure: reading a
// result checks every field and says what is wrong in one line.

export const CHOP_STATUSES = ['ok', 'no_op', 'check_error', 'failed'] as const;
export type ChopStatus = (typeof CHOP_STATUSES)[number];

/** An agent run a chop proposes; the runner launches it, once per dedupe_key. */
export interface ProposedLaunch {
  prompt: string;
  provider?: string;
  model?: string;
  workspace?: string;
  bead?: string;
  wait_on?: string[];
  dedupe_key: string;
}

export interface ChopResult {
  v: 1;
  status: ChopStatus;
  summary: string;
  counters: Record<string, number>;
  launches: ProposedLaunch[];
}

export const RESULT_LIMITS = { summary: 2000, launches: 100, prompt: 256 * 1024, key: 200, counters: 50 };

export function chopResult(status: ChopStatus, summary: string, counters: Record<string, number> = {}): ChopResult {
  return { v: 1, status, summary, counters, launches: [] };
}

const isStr = (v: unknown): v is string => typeof v === 'string';

function launchProblem(l: unknown, i: number): string | null {
  const at = `launches[${i}]`;
  if (!l || typeof l !== 'object' || Array.isArray(l)) return `${at} is not an object`;
  const o = l as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['prompt', 'provider', 'model', 'workspace', 'bead', 'wait_on', 'dedupe_key'].includes(k))
      return `${at} has an unknown field '${k}'`;
  if (!isStr(o.prompt) || !o.prompt.trim()) return `${at}.prompt must be a non-empty string`;
  if (o.prompt.length > RESULT_LIMITS.prompt) return `${at}.prompt is over ${RESULT_LIMITS.prompt} characters`;
  if (!isStr(o.dedupe_key) || !o.dedupe_key.trim()) return `${at}.dedupe_key must be a non-empty string`;
  if (o.dedupe_key.length > RESULT_LIMITS.key) return `${at}.dedupe_key is over ${RESULT_LIMITS.key} characters`;
  for (const k of ['provider', 'model', 'workspace', 'bead'])
    if (o[k] !== undefined && o[k] !== null && (!isStr(o[k]) || (o[k] as string).length > 500))
      return `${at}.${k} must be a string`;
  if (o.wait_on !== undefined && o.wait_on !== null && (!Array.isArray(o.wait_on) || !o.wait_on.every(isStr)))
    return `${at}.wait_on must be a list of strings`;
  return null;
}

/** The result a chop wrote, checked; a string naming the first problem when it is not a valid result. */
export function parseChopResult(text: string): ChopResult | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return `result is not JSON (${(err as Error).message.split('\n')[0]})`;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'result is not a JSON object';
  const o = v as Record<string, unknown>;
  if (o.v !== 1) return `result 'v' must be 1 (got ${JSON.stringify(o.v)?.slice(0, 40)})`;
  if (!CHOP_STATUSES.includes(o.status as ChopStatus))
    return `result 'status' must be one of ${CHOP_STATUSES.join(', ')} (got ${JSON.stringify(o.status)?.slice(0, 40)})`;
  if (o.summary !== undefined && !isStr(o.summary)) return "result 'summary' must be a string";
  const counters = o.counters ?? {};
  if (!counters || typeof counters !== 'object' || Array.isArray(counters))
    return "result 'counters' must be an object of numbers";
  const entries = Object.entries(counters as Record<string, unknown>);
  if (entries.length > RESULT_LIMITS.counters) return `result 'counters' has over ${RESULT_LIMITS.counters} entries`;
  for (const [k, n] of entries)
    if (typeof n !== 'number' || !Number.isFinite(n)) return `result counter '${k.slice(0, 40)}' is not a number`;
  const launches = o.launches ?? [];
  if (!Array.isArray(launches)) return "result 'launches' must be a list";
  if (launches.length > RESULT_LIMITS.launches) return `result has over ${RESULT_LIMITS.launches} launches`;
  for (let i = 0; i < launches.length; i++) {
    const p = launchProblem(launches[i], i);
    if (p) return `result ${p}`;
  }
  return {
    v: 1,
    status: o.status as ChopStatus,
    summary: ((o.summary as string | undefined) ?? '').slice(0, RESULT_LIMITS.summary),
    counters: Object.fromEntries(entries) as Record<string, number>,
    launches: launches as ProposedLaunch[],
  };
}

/** What a chop that only exited answered: 0 ok, else failed. */
export function exitResult(code: number | null, signal: string | null, summary: string): ChopResult {
  return chopResult(
    code === 0 ? 'ok' : 'failed',
    summary || (code === 0 ? 'exited 0' : signal ? `killed by ${signal}` : `exited ${code}`),
  );
}
