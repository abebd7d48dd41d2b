// The Axe's configuration: [axe] in .sase/config.toml, its lumberjacks
// (scheduled loops) and chops (the executables they run), over the defaults
// below: a section of a default's name overrides that default field by field.
// Checked fail-closed: every problem is a line naming its key, and a tick
// with any problem runs nothing. Pure.
import { formatDuration, parseDuration } from './duration.ts';

export interface LumberjackConfig {
  name: string;
  interval_ms: number;
  chops: string[];
  enabled: boolean;
}

export interface ChopConfig {
  name: string;
  /** a shell command (the context options are appended); null: .sase/axe/chops/<name>, a built-in, else sase-chop-<name> */
  command: string | null;
  timeout_ms: number;
  /** at most this often, whatever its lumberjack's interval; null: every time its lumberjack runs */
  run_every_ms: number | null;
  env: Record<string, string>;
  enabled: boolean;
}

export interface AxeConfig {
  lumberjacks: LumberjackConfig[];
  chops: Map<string, ChopConfig>;
  max_agent_runners: number | null;
  max_hook_runners: number;
  /** finished workspaces older than this are cleaned by housekeeping */
  keep_workspaces_ms: number;
  /** runs kept per chop in the machine-local history */
  history: number;
}

export const DEFAULT_LUMBERJACKS: ReadonlyArray<Omit<LumberjackConfig, 'enabled'>> = [
  { name: 'waits', interval_ms: 10_000, chops: ['waits'] },
  { name: 'hooks', interval_ms: 30_000, chops: ['hooks'] },
  { name: 'reviews', interval_ms: 120_000, chops: ['reviews'] },
  { name: 'sync', interval_ms: 60_000, chops: ['sync'] },
  { name: 'housekeeping', interval_ms: 3_600_000, chops: ['housekeeping'] },
];

export const DEFAULT_CHOP_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_MAX_HOOK_RUNNERS = 2;
export const DEFAULT_KEEP_WORKSPACES_MS = 7 * 86_400_000;
export const DEFAULT_HISTORY = 20;

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const AXE_KEYS = ['max_agent_runners', 'max_hook_runners', 'keep_workspaces', 'history', 'lumberjacks', 'chops'];
const LUMBERJACK_KEYS = ['interval', 'chops', 'enabled'];
const CHOP_KEYS = ['command', 'timeout', 'run_every', 'env', 'enabled'];
const MIN_INTERVAL_MS = 100;

const show = (v: unknown) => (JSON.stringify(v) ?? String(v)).slice(0, 60);
const isTable = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** [axe] as the defaults and the configuration make it, and every problem found (a line each, naming the key). */
export function axeConfig(raw: unknown, file: string): { config: AxeConfig; problems: string[] } {
  const problems: string[] = [];
  const bad = (key: string, what: string, v: unknown) =>
    problems.push(`${file}: 'axe.${key}' must be ${what} (got ${show(v)})`);
  const body = raw === undefined ? {} : raw;
  if (!isTable(body)) {
    problems.push(`${file}: 'axe' must be a table`);
    return { config: defaults(), problems };
  }
  for (const k of Object.keys(body)) if (!AXE_KEYS.includes(k)) problems.push(`${file}: unknown key 'axe.${k}'`);

  const config = defaults();
  const whole = (key: string, min: number) => {
    const v = body[key];
    if (v === undefined) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      bad(key, `a whole number of at least ${min}`, v);
      return null;
    }
    return v;
  };
  config.max_agent_runners = whole('max_agent_runners', 1);
  config.max_hook_runners = whole('max_hook_runners', 1) ?? DEFAULT_MAX_HOOK_RUNNERS;
  config.history = whole('history', 1) ?? DEFAULT_HISTORY;
  const duration = (key: string, v: unknown): number | null => {
    if (v === undefined) return null;
    const ms = typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null) bad(key, 'a duration such as "500ms", "10s", "2m", "1h30m" or "7d"', v);
    return ms;
  };
  config.keep_workspaces_ms = duration('keep_workspaces', body.keep_workspaces) ?? DEFAULT_KEEP_WORKSPACES_MS;

  // lumberjacks: defaults first, in their order, then the configuration's own
  const jacks = body.lumberjacks ?? {};
  if (!isTable(jacks)) problems.push(`${file}: 'axe.lumberjacks' must be a table of [axe.lumberjacks.<name>] sections`);
  else
    for (const [name, sec] of Object.entries(jacks)) {
      const key = `lumberjacks.${name}`;
      if (!NAME_RE.test(name)) {
        problems.push(`${file}: 'axe.${key}': a lumberjack's name is lower-case letters, digits, '-' and '_'`);
        continue;
      }
      if (!isTable(sec)) {
        problems.push(`${file}: 'axe.${key}' must be a table`);
        continue;
      }
      for (const k of Object.keys(sec))
        if (!LUMBERJACK_KEYS.includes(k)) problems.push(`${file}: unknown key 'axe.${key}.${k}'`);
      const known = config.lumberjacks.find((l) => l.name === name);
      const next: LumberjackConfig = known ?? { name, interval_ms: 0, chops: [], enabled: true };
      const interval = duration(`${key}.interval`, sec.interval);
      if (interval !== null) {
        if (interval < MIN_INTERVAL_MS)
          bad(`${key}.interval`, `at least ${formatDuration(MIN_INTERVAL_MS)}`, sec.interval);
        else next.interval_ms = interval;
      } else if (!known && sec.interval === undefined)
        problems.push(`${file}: 'axe.${key}.interval' is missing (a new lumberjack needs its interval)`);
      if (sec.chops !== undefined) {
        const list = sec.chops;
        if (!Array.isArray(list) || !list.length || !list.every((c) => typeof c === 'string' && NAME_RE.test(c)))
          bad(`${key}.chops`, "a non-empty list of chop names (lower-case letters, digits, '-' and '_')", list);
        else next.chops = [...list] as string[];
      } else if (!known) problems.push(`${file}: 'axe.${key}.chops' is missing (a new lumberjack needs its chops)`);
      if (sec.enabled !== undefined) {
        if (typeof sec.enabled !== 'boolean') bad(`${key}.enabled`, 'true or false', sec.enabled);
        else next.enabled = sec.enabled;
      }
      if (!known) config.lumberjacks.push(next);
    }

  const chops = body.chops ?? {};
  if (!isTable(chops)) problems.push(`${file}: 'axe.chops' must be a table of [axe.chops.<name>] sections`);
  else
    for (const [name, sec] of Object.entries(chops)) {
      const key = `chops.${name}`;
      if (!NAME_RE.test(name)) {
        problems.push(`${file}: 'axe.${key}': a chop's name is lower-case letters, digits, '-' and '_'`);
        continue;
      }
      if (!isTable(sec)) {
        problems.push(`${file}: 'axe.${key}' must be a table`);
        continue;
      }
      for (const k of Object.keys(sec))
        if (!CHOP_KEYS.includes(k)) problems.push(`${file}: unknown key 'axe.${key}.${k}'`);
      const c = chopDefaults(name);
      if (sec.command !== undefined) {
        if (typeof sec.command !== 'string' || !sec.command.trim() || sec.command.length > 4096)
          bad(`${key}.command`, 'a non-empty command', sec.command);
        else c.command = sec.command;
      }
      c.timeout_ms = duration(`${key}.timeout`, sec.timeout) ?? c.timeout_ms;
      c.run_every_ms = duration(`${key}.run_every`, sec.run_every) ?? c.run_every_ms;
      if (sec.env !== undefined) {
        if (
          !isTable(sec.env) ||
          !Object.entries(sec.env).every(([k, v]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && typeof v === 'string')
        )
          bad(`${key}.env`, 'a table of environment variables with string values', sec.env);
        else c.env = { ...(sec.env as Record<string, string>) };
      }
      if (sec.enabled !== undefined) {
        if (typeof sec.enabled !== 'boolean') bad(`${key}.enabled`, 'true or false', sec.enabled);
        else c.enabled = sec.enabled;
      }
      config.chops.set(name, c);
    }
  return { config, problems };
}

function defaults(): AxeConfig {
  return {
    lumberjacks: DEFAULT_LUMBERJACKS.map((l) => ({ ...l, chops: [...l.chops], enabled: true })),
    chops: new Map(),
    max_agent_runners: null,
    max_hook_runners: DEFAULT_MAX_HOOK_RUNNERS,
    keep_workspaces_ms: DEFAULT_KEEP_WORKSPACES_MS,
    history: DEFAULT_HISTORY,
  };
}

/** The hooks chop runs hooks one after another, each within its own 10-minute limit: it gets an hour. */
const DEFAULT_TIMEOUTS: Record<string, number> = { hooks: 60 * 60_000 };

function chopDefaults(name: string): ChopConfig {
  const timeout_ms = DEFAULT_TIMEOUTS[name] ?? DEFAULT_CHOP_TIMEOUT_MS;
  return { name, command: null, timeout_ms, run_every_ms: null, env: {}, enabled: true };
}

/** A chop's settings: its section's, else the defaults. */
export function chopConfig(config: AxeConfig, name: string): ChopConfig {
  return config.chops.get(name) ?? chopDefaults(name);
}

/** Every chop named by a lumberjack or a section, in the order first named. */
export function chopNames(config: AxeConfig): string[] {
  const names = new Set<string>();
  for (const l of config.lumberjacks) for (const c of l.chops) names.add(c);
  for (const c of config.chops.keys()) names.add(c);
  return [...names];
}
