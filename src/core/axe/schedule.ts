// The Axe's schedule entry, as each scheduler takes it: a crontab line, a
// launchd agent (a property list) or a systemd user service and timer. Each
// runs `sase axe tick --all --for <budget>` with absolute paths, the PATH it
// needs and its output appended to a log file. Pure: the paths come in.
import { UsageError } from '../errors.ts';
import { formatDuration, parseDuration } from './duration.ts';

export const SCHEDULERS = ['cron', 'launchd', 'systemd'] as const;
export type Scheduler = (typeof SCHEDULERS)[number];

/** The comment that marks our crontab line, so that it can be found again. */
export const CRON_MARKER = '# sase-axe';
export const LAUNCHD_LABEL = 'dev.sase.axe';
export const SYSTEMD_SERVICE = 'sase-axe.service';
export const SYSTEMD_TIMER = 'sase-axe.timer';

/** The shortest period: a tick has a budget of the period less GAP_MS. */
export const MIN_EVERY_MS = 10_000;
/** What a tick's budget leaves of its period, so that it ends before the next is due. */
export const GAP_MS = 5_000;

/** What every scheduler's entry is made of. */
export interface TickEntry {
  /** the absolute path of node */
  node: string;
  /** the absolute path of this installation's bin/sase */
  sase: string;
  /** the period, in milliseconds */
  everyMs: number;
  /** the environment the tick runs with: PATH first, then what else it needs (XDG_CONFIG_HOME) */
  env: Array<[string, string]>;
  /** the absolute path of the log its output is appended to */
  log: string;
}

/** The period without --every and without an entry in place. */
export const DEFAULT_EVERY_MS = 60_000;

/** The budget of a tick that runs every `everyMs`: the period less 5 s (every 1m: 55s; every 5m: 4m55s). */
export function tickBudget(everyMs: number): number {
  return everyMs - GAP_MS;
}

/** The period --every names, or a usage error. */
export function parseEvery(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`--every '${text}' is not a duration (like 1m, 5m, 1h30m)`);
  if (ms < MIN_EVERY_MS || ms % 1000 !== 0)
    throw new UsageError(`--every '${text}' must be whole seconds, at least ${formatDuration(MIN_EVERY_MS)}`);
  return ms;
}

/** The arguments of bin/sase that the entry runs. */
export function tickArgs(everyMs: number): string[] {
  return ['axe', 'tick', '--all', '--for', formatDuration(tickBudget(everyMs))];
}

/** The whole command the entry runs: node, bin/sase, then tickArgs. */
export function tickCommand(e: TickEntry): string[] {
  return [e.node, e.sase, ...tickArgs(e.everyMs)];
}

/** Refuses a path or value no scheduler's file can carry safely (a control character, a line break). */
export function checkEntryText(what: string, value: string): void {
  if (/[\0-\x1f\x7f]/.test(value)) throw new UsageError(`${what} '${JSON.stringify(value)}' holds a control character`);
}

// ---- what install and uninstall report

/** One file (or the crontab line) of a schedule entry. */
export interface EntryPart {
  scheduler: Scheduler;
  /** the file; null for the crontab line */
  path: string | null;
  /** the file's text, or the crontab line */
  text: string;
}

/** How the scheduler was chosen: named by an option, the one already holding the entry, or the machine's default. */
export type ChosenBy = 'option' | 'installed' | 'default';

export interface InstallReport {
  repo: string;
  /** whether this run added the repository to the registry (or would, with --print) */
  registered: boolean;
  /** the registry afterwards */
  repos: string[];
  scheduler: Scheduler;
  chosenBy: ChosenBy;
  everyMs: number;
  forMs: number;
  /** what the entry runs */
  command: string[];
  parts: EntryPart[];
  /** whether the entry's files (or line) changed */
  changed: boolean;
  /** systemd: the timer enabled; launchd: the agent loaded; null for cron and --print */
  enabled: boolean | null;
  /** entries of the other schedulers taken away (one entry per user) */
  removed: EntryPart[];
  log: string;
  dryRun: boolean;
  warnings: string[];
}

export interface UninstallReport {
  repo: string;
  /** whether this run took the repository out of the registry (or would) */
  unregistered: boolean;
  repos: string[];
  /** the entries taken away: every scheduler's, once no repository is left */
  removed: EntryPart[];
  dryRun: boolean;
  warnings: string[];
}

// ---- cron

/** cron's five time fields for a period, or null when cron cannot keep it evenly. */
export function cronTimes(everyMs: number): string | null {
  const minutes = everyMs / 60_000;
  if (!Number.isInteger(minutes)) return null;
  if (minutes < 60) return 60 % minutes === 0 ? `${minutes === 1 ? '*' : `*/${minutes}`} * * * *` : null;
  const hours = minutes / 60;
  if (!Number.isInteger(hours)) return null;
  if (hours < 24) return 24 % hours === 0 ? `0 ${hours === 1 ? '*' : `*/${hours}`} * * *` : null;
  return hours === 24 ? '0 0 * * *' : null;
}

/** A word as sh reads it: as it is when it is plain, else in single quotes. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Our crontab line: `<times> PATH=... <node> <sase> axe tick --all --for 55s >> <log> 2>&1 # sase-axe`.
 * cron runs it with /bin/sh and a bare environment; '%' means a new line to
 * cron, so a value holding one is refused.
 */
export function cronLine(e: TickEntry): string {
  const times = cronTimes(e.everyMs);
  if (!times)
    throw new UsageError(
      `cron cannot run a tick every ${formatDuration(e.everyMs)} evenly (whole minutes that divide an hour, whole hours that divide a day, or 1d)`,
    );
  const words = [...e.env.map(([k, v]) => `${k}=${shQuote(v)}`), ...tickCommand(e).map(shQuote)];
  const line = `${times} ${words.join(' ')} >> ${shQuote(e.log)} 2>&1 ${CRON_MARKER}`;
  if (line.includes('%'))
    throw new UsageError("a path in the crontab line holds a '%', which cron reads as a new line");
  return line;
}

function isOurCronLine(line: string): boolean {
  return line.trimEnd().endsWith(CRON_MARKER) && !line.trimStart().startsWith('#');
}

/** Our lines in a crontab (one, or none; more only when edited by hand). */
export function ourCronLines(table: string): string[] {
  return table.split('\n').filter(isOurCronLine);
}

/** A crontab's text without our line (every other line kept as it is), ending with a new line when not empty. */
export function withoutCronLine(table: string): string {
  const kept = table.split('\n').filter((l) => !isOurCronLine(l));
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  return kept.length ? `${kept.join('\n')}\n` : '';
}

/** A crontab's text with `line` as our one line: an old one replaced in its place, else added at the end. */
export function withCronLine(table: string, line: string): string {
  let placed = false;
  const out: string[] = [];
  for (const l of table.split('\n')) {
    if (!isOurCronLine(l)) out.push(l);
    else if (!placed) {
      out.push(line);
      placed = true;
    }
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  if (!placed) out.push(line);
  return `${out.join('\n')}\n`;
}

// ---- reading an entry back

/** The period of an entry in place, from the budget its command passes to --for; null when none is found. */
export function entryPeriod(parts: EntryPart[]): number | null {
  for (const p of parts) {
    const m = /--for(?:<\/string>\s*<string>|\s+)([0-9a-z]+)/.exec(p.text);
    const budget = m ? parseDuration(m[1]!) : null;
    if (budget !== null) return budget + GAP_MS;
  }
  return null;
}

/**
 * Whether an entry's part runs the ticks over the registry of an environment
 * whose XDG_CONFIG_HOME is `configHome` (null: unset, the default under the
 * scheduler's HOME): the entry carries XDG_CONFIG_HOME exactly when the
 * environment that installed it had it.
 */
export function partServes(part: EntryPart, configHome: string | null): boolean {
  const [k, v] = ['XDG_CONFIG_HOME', configHome ?? ''];
  if (part.scheduler === 'cron')
    return configHome === null ? !part.text.includes(` ${k}=`) : part.text.includes(` ${k}=${shQuote(v)} `);
  if (part.scheduler === 'launchd') {
    const key = `<key>${k}</key>`;
    return configHome === null
      ? !part.text.includes(key)
      : part.text.includes(`${key}\n    <string>${xml(v)}</string>`);
  }
  if (!part.text.includes('\n[Service]\n')) return true; // the timer: the service says
  return configHome === null
    ? !part.text.includes(`${k}=`)
    : part.text.includes(`\nEnvironment=${unitWord(`${k}=${v}`, false)}\n`);
}

// ---- launchd

function xml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The launchd agent: ~/Library/LaunchAgents/dev.sase.axe.plist. */
export function launchdPlist(e: TickEntry): string {
  const str = (s: string) => `<string>${xml(s)}</string>`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  ${str(LAUNCHD_LABEL)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...tickCommand(e).map((a) => `    ${str(a)}`),
    '  </array>',
    '  <key>EnvironmentVariables</key>',
    '  <dict>',
    ...e.env.flatMap(([k, v]) => [`    <key>${xml(k)}</key>`, `    ${str(v)}`]),
    '  </dict>',
    '  <key>StartInterval</key>',
    `  <integer>${Math.round(e.everyMs / 1000)}</integer>`,
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>StandardOutPath</key>',
    `  ${str(e.log)}`,
    '  <key>StandardErrorPath</key>',
    `  ${str(e.log)}`,
    '</dict>',
    '</plist>',
  ];
  return `${lines.join('\n')}\n`;
}

// ---- systemd

/**
 * A word of ExecStart= (an argument: '$' doubled, no variables; the program's
 * own name is taken as it is) or Environment=:
 * '%' doubled (no specifiers), quoted when it holds a space, quote or backslash.
 */
function unitWord(word: string, exec: boolean): string {
  let escaped = word.replaceAll('%', '%%');
  if (exec) escaped = escaped.replaceAll('$', '$$$$');
  return /^[^\s"'\\;]+$/.test(escaped) ? escaped : `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A path in a unit's setting that is not split into words: only specifiers need escaping. */
function unitPath(path: string): string {
  return path.replaceAll('%', '%%');
}

/** The service the timer starts: one tick, output appended to the log. */
export function systemdService(e: TickEntry): string {
  // systemd's string_is_safe: no quote or backslash in the name of the program it runs
  if (/["'\\]/.test(e.node))
    throw new UsageError(
      `the path of node '${e.node}' holds a quote or backslash, which systemd refuses in a program's name`,
    );
  return [
    '[Unit]',
    'Description=sase Axe: one tick of every registered repository',
    '',
    '[Service]',
    'Type=oneshot',
    ...e.env.map(([k, v]) => `Environment=${unitWord(`${k}=${v}`, false)}`),
    `ExecStart=${tickCommand(e)
      .map((w, i) => unitWord(w, i > 0))
      .join(' ')}`,
    `StandardOutput=append:${unitPath(e.log)}`,
    `StandardError=append:${unitPath(e.log)}`,
    '',
  ].join('\n');
}

/** The timer: a minute after boot, then `every` after each tick started. */
export function systemdTimer(e: Pick<TickEntry, 'everyMs'>): string {
  return [
    '[Unit]',
    'Description=sase Axe: a tick every ' + formatDuration(e.everyMs),
    '',
    '[Timer]',
    'OnBootSec=1min',
    // a timer started long after boot fires at once, then every period
    'OnActiveSec=0',
    `OnUnitActiveSec=${Math.round(e.everyMs / 1000)}s`,
    'AccuracySec=1s',
    `Unit=${SYSTEMD_SERVICE}`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}
