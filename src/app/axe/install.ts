// Installing the Axe on this machine: a repository goes in the registry
// (app/axe/registry.ts) and the user gets ONE schedule entry, in cron,
// launchd or systemd, that runs `sase axe tick --all` for every registered
// repository. Uninstalling takes the repository out, and the entry too when
// no repository is left. The texts are core/axe/schedule.ts's; the
// programs (crontab, systemctl, launchctl) are proc/scheduler.ts's.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import {
  type ChosenBy,
  checkEntryText,
  cronLine,
  DEFAULT_EVERY_MS,
  type EntryPart,
  entryPeriod,
  type InstallReport,
  LAUNCHD_LABEL,
  launchdPlist,
  ourCronLines,
  partServes,
  SCHEDULERS,
  type Scheduler,
  SYSTEMD_SERVICE,
  SYSTEMD_TIMER,
  systemdService,
  systemdTimer,
  type TickEntry,
  tickBudget,
  tickCommand,
  type UninstallReport,
  withCronLine,
  withoutCronLine,
} from '../../core/axe/schedule.ts';
import { FatalError, withHint } from '../../core/errors.ts';
import type { Repo } from '../../git/repo.ts';
import { writeFileAtomic } from '../../proc/files.ts';
import {
  launchctl,
  nodePath,
  platform,
  programFailure,
  readCrontab,
  saseBinPath,
  systemctlUser,
  systemdUserWorks,
  userId,
  writeCrontab,
} from '../../proc/scheduler.ts';
import { which } from '../../proc/which.ts';
import { readRegistry, register, registryFile, unregister } from './registry.ts';

type Env = Record<string, string | undefined>;

// ---- where things go

function home(env: Env): string {
  const h = env.HOME;
  if (!h || !isAbsolute(h)) throw new FatalError('no home folder to install the Axe in (set HOME)');
  return h;
}

/** $XDG_STATE_HOME/sase/axe.log (default ~/.local/state/sase/axe.log). */
export function axeLogFile(env: Env): string {
  const state = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : null;
  return join(state ?? join(home(env), '.local', 'state'), 'sase', 'axe.log');
}

function systemdUserDir(env: Env): string {
  const config = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : null;
  return join(config ?? join(home(env), '.config'), 'systemd', 'user');
}

function launchdPlistFile(env: Env): string {
  return join(home(env), 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
}

/** The repository's main work tree: its own top level, or the main one's when run in a linked worktree. */
export function mainWorkTree(repo: Pick<Repo, 'gitDir' | 'commonDir' | 'topLevel'>): string {
  if (!repo.topLevel)
    throw withHint(
      new FatalError('the Axe ticks repositories with a work tree; this one is bare'),
      'run it in a clone with a work tree',
    );
  if (resolve(repo.gitDir) !== resolve(repo.commonDir) && basename(repo.commonDir) === '.git') {
    const main = dirname(repo.commonDir);
    if (existsSync(join(main, '.git'))) return realpathSync(main);
  }
  return repo.topLevel;
}

/**
 * The PATH the entry runs with: node's and git's folders first (a scheduler's
 * environment is bare), then the absolute folders of this one's PATH (the
 * providers, gh and hooks the tick may run), then the system's.
 */
export function entryPath(env: Env, node: string, git: string): string {
  const dirs = [
    dirname(node),
    dirname(git),
    ...(env.PATH ?? '').split(delimiter),
    '/usr/local/bin',
    '/usr/bin',
    '/bin',
  ];
  return [...new Set(dirs.filter((d) => isAbsolute(d)))].join(delimiter);
}

/** What the entry runs, with which environment, logging where. */
export function tickEntry(env: Env, everyMs: number): TickEntry {
  const git = which('git', env);
  if (!git) throw withHint(new FatalError('git not found on PATH'), 'the tick needs git: install it first');
  const node = nodePath();
  const sase = saseBinPath();
  const vars: Array<[string, string]> = [['PATH', entryPath(env, node, git)]];
  // the tick reads the registry where this run writes it
  if (env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME)) vars.push(['XDG_CONFIG_HOME', env.XDG_CONFIG_HOME]);
  const entry: TickEntry = { node, sase, everyMs, env: vars, log: axeLogFile(env) };
  checkEntryText('the path of node', node);
  checkEntryText('the path of sase', sase);
  checkEntryText('the log file', entry.log);
  for (const [k, v] of vars) checkEntryText(k, v);
  return entry;
}

// ---- what each scheduler holds

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The parts of the entry that `scheduler` holds now (none when it holds no entry). */
async function installedParts(env: Env, scheduler: Scheduler): Promise<EntryPart[]> {
  if (scheduler === 'cron') {
    // no crontab program, or one this user may not use: no entry of ours there
    const table = await readCrontab(env).catch(() => '');
    return ourCronLines(table).map((text) => ({ scheduler, path: null, text }));
  }
  const files =
    scheduler === 'launchd'
      ? [launchdPlistFile(env)]
      : [join(systemdUserDir(env), SYSTEMD_SERVICE), join(systemdUserDir(env), SYSTEMD_TIMER)];
  return files.flatMap((path) => {
    const text = readText(path);
    return text === null ? [] : [{ scheduler, path, text }];
  });
}

async function installedEntries(env: Env): Promise<Map<Scheduler, EntryPart[]>> {
  const out = new Map<Scheduler, EntryPart[]>();
  for (const s of SCHEDULERS) {
    const parts = await installedParts(env, s);
    if (parts.length) out.set(s, parts);
  }
  return out;
}

/**
 * The scheduler whose entry runs the ticks over this environment's registry
 * (the one a tick run by it reads), or null: what `sase axe status` tells.
 */
export async function installedScheduler(env: Env): Promise<Scheduler | null> {
  const configHome = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : null;
  if (!env.HOME || !isAbsolute(env.HOME)) return null;
  for (const [s, parts] of await installedEntries(env)) if (parts.every((p) => partServes(p, configHome))) return s;
  return null;
}

/** The machine's scheduler: systemd when `systemctl --user` answers, launchd on macOS, else cron. */
export async function defaultScheduler(env: Env): Promise<Scheduler> {
  if (platform() === 'darwin') return 'launchd';
  return (await systemdUserWorks(env)) ? 'systemd' : 'cron';
}

function entryParts(env: Env, scheduler: Scheduler, entry: TickEntry): EntryPart[] {
  if (scheduler === 'cron') return [{ scheduler, path: null, text: cronLine(entry) }];
  if (scheduler === 'launchd') return [{ scheduler, path: launchdPlistFile(env), text: launchdPlist(entry) }];
  const dir = systemdUserDir(env);
  return [
    { scheduler, path: join(dir, SYSTEMD_SERVICE), text: systemdService(entry) },
    { scheduler, path: join(dir, SYSTEMD_TIMER), text: systemdTimer(entry) },
  ];
}

// ---- putting an entry in and taking it away

/** Turns the entry on; true when its scheduler took it, else the warnings say why not. */
async function enable(env: Env, scheduler: Scheduler, plist: string | null, warnings: string[]): Promise<boolean> {
  if (scheduler === 'systemd') {
    for (const args of [['daemon-reload'], ['enable', '--now', SYSTEMD_TIMER]]) {
      const r = await systemctlUser(env, args);
      if (r.code !== 0) {
        warnings.push(
          `'systemctl --user ${args.join(' ')}' failed: ${programFailure(r)}; the units are written: run 'systemctl --user daemon-reload && systemctl --user enable --now ${SYSTEMD_TIMER}' where the user's systemd runs`,
        );
        return false;
      }
    }
    return true;
  }
  if (scheduler === 'launchd' && plist) {
    const domain = `gui/${userId()}`;
    await launchctl(env, ['bootout', `${domain}/${LAUNCHD_LABEL}`]); // an older one; absent is fine
    const r = await launchctl(env, ['bootstrap', domain, plist]);
    if (r.code !== 0) {
      warnings.push(
        `'launchctl bootstrap ${domain}' failed: ${programFailure(r)}; the agent is written: run 'launchctl bootstrap ${domain} ${plist}' to load it`,
      );
      return false;
    }
    return true;
  }
  return false;
}

/** Takes `scheduler`'s entry away: the crontab line, or the files after turning them off. */
async function removeEntry(env: Env, scheduler: Scheduler, parts: EntryPart[], warnings: string[]): Promise<void> {
  if (scheduler === 'cron') {
    const table = await readCrontab(env);
    const rest = withoutCronLine(table);
    if (rest !== table) await writeCrontab(env, rest);
    return;
  }
  if (scheduler === 'systemd') {
    const r = await systemctlUser(env, ['disable', '--now', SYSTEMD_TIMER]);
    // where the user's systemd does not answer, no timer of ours runs
    if (r.code !== 0 && (await systemdUserWorks(env)))
      warnings.push(
        `'systemctl --user disable --now ${SYSTEMD_TIMER}' failed: ${programFailure(r)}; removing its units`,
      );
  } else {
    const r = await launchctl(env, ['bootout', `gui/${userId()}/${LAUNCHD_LABEL}`]);
    if (r.code !== 0 && r.error) warnings.push(`'launchctl bootout' failed: ${programFailure(r)}; removing the agent`);
  }
  for (const p of parts) if (p.path) rmSync(p.path, { force: true });
  if (scheduler === 'systemd') await systemctlUser(env, ['daemon-reload']); // best effort: it may not run here
}

function needsRegistry(env: Env): void {
  if (!registryFile(env))
    throw new FatalError('no home folder to keep the Axe registry in (set HOME or XDG_CONFIG_HOME)');
}

export async function installAxe(
  env: Env,
  repo: string,
  opts: { scheduler: Scheduler | null; everyMs: number | null; dryRun: boolean },
): Promise<InstallReport> {
  needsRegistry(env);
  tickEntry(env, DEFAULT_EVERY_MS); // git, the home and the paths checked before any scheduler is asked
  const installed = await installedEntries(env);
  let chosenBy: ChosenBy = 'option';
  let scheduler = opts.scheduler;
  if (!scheduler) {
    const held = [...installed.keys()];
    if (held.length) {
      scheduler = held[0]!;
      chosenBy = 'installed';
    } else {
      scheduler = await defaultScheduler(env);
      chosenBy = 'default';
    }
  }
  // without --every, the period of the entry in place (a second repository changes nothing)
  const held = installed.get(scheduler) ?? [...installed.values()][0] ?? [];
  const entry = tickEntry(env, opts.everyMs ?? entryPeriod(held) ?? DEFAULT_EVERY_MS);
  const parts = entryParts(env, scheduler, entry);
  const removed = [...installed].filter(([s]) => s !== scheduler).flatMap(([, p]) => p);
  const before = readRegistry(env);
  const registered = !before.includes(repo);
  const repos = registered ? [...before, repo] : before;
  const warnings: string[] = [];

  let changed: boolean;
  let table = '';
  if (scheduler === 'cron') {
    try {
      table = await readCrontab(env);
    } catch (err) {
      if (!opts.dryRun) throw err; // --print shows the line all the same
    }
    changed = withCronLine(table, parts[0]!.text) !== table;
  } else changed = parts.some((p) => readText(p.path!) !== p.text);

  let enabled: boolean | null = null;
  if (!opts.dryRun) {
    mkdirSync(dirname(entry.log), { recursive: true });
    if (scheduler === 'cron') {
      if (changed) await writeCrontab(env, withCronLine(table, parts[0]!.text));
    } else {
      for (const p of parts) {
        mkdirSync(dirname(p.path!), { recursive: true });
        writeFileAtomic(p.path!, p.text);
      }
      enabled = await enable(env, scheduler, parts[0]!.path, warnings);
    }
    for (const [s, p] of installed) if (s !== scheduler) await removeEntry(env, s, p, warnings);
    if (registered) register(env, repo);
  }
  return {
    repo,
    registered,
    repos,
    scheduler,
    chosenBy,
    everyMs: entry.everyMs,
    forMs: tickBudget(entry.everyMs),
    command: tickCommand(entry),
    parts,
    changed,
    enabled,
    removed,
    log: entry.log,
    dryRun: opts.dryRun,
    warnings,
  };
}

export async function uninstallAxe(env: Env, repo: string, opts: { dryRun: boolean }): Promise<UninstallReport> {
  needsRegistry(env);
  const before = readRegistry(env);
  const unregistered = before.includes(repo);
  const repos = before.filter((p) => p !== repo);
  const installed = repos.length ? new Map<Scheduler, EntryPart[]>() : await installedEntries(env);
  const warnings: string[] = [];
  if (!opts.dryRun) {
    for (const [s, p] of installed) await removeEntry(env, s, p, warnings);
    if (unregistered) unregister(env, repo);
  }
  return { repo, unregistered, repos, removed: [...installed.values()].flat(), dryRun: opts.dryRun, warnings };
}

/** A repository named on the command line, as the registry writes it (absolute, links resolved when it exists). */
export function registryPath(cwd: string, named: string): string {
  const abs = resolve(cwd, named);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}
