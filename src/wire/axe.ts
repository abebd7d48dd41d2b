// Records about the Axe on this machine (version 1): what `sase axe install`
// and `sase axe uninstall` did, or would do with --print.
import { formatDuration } from '../core/axe/duration.ts';
import type { EntryPart, InstallReport, UninstallReport } from '../core/axe/schedule.ts';

/** One part of a schedule entry: the crontab line (path null), a launchd agent or a systemd unit. */
export interface AxeEntryPart {
  scheduler: 'cron' | 'launchd' | 'systemd';
  path: string | null;
  text: string;
}

export interface AxeInstallRecord {
  v: 1;
  kind: 'axe_install';
  /** the repository's main work tree */
  id: string;
  repo: string;
  /** whether this run added the repository to the registry */
  registered: boolean;
  /** every registered repository, afterwards */
  repos: string[];
  scheduler: 'cron' | 'launchd' | 'systemd';
  /** option, installed (the scheduler already holding the entry) or default (the machine's) */
  chosen_by: 'option' | 'installed' | 'default';
  /** the period ('1m') */
  every: string;
  /** each tick's budget ('55s') */
  for: string;
  /** what the entry runs: node, bin/sase, then its arguments */
  command: string[];
  entry: AxeEntryPart[];
  /** whether the entry's files or line changed */
  changed: boolean;
  /** systemd: the timer enabled; launchd: the agent loaded; null for cron and with --print */
  enabled: boolean | null;
  /** the other schedulers' entries taken away */
  removed: AxeEntryPart[];
  log: string;
  /** --print: nothing was written */
  dry_run: boolean;
}

export interface AxeUninstallRecord {
  v: 1;
  kind: 'axe_uninstall';
  id: string;
  repo: string;
  /** whether this run took the repository out of the registry */
  unregistered: boolean;
  /** the repositories left in the registry */
  repos: string[];
  /** the schedule entries taken away (only when no repository is left) */
  removed: AxeEntryPart[];
  dry_run: boolean;
}

function partToWire(p: EntryPart): AxeEntryPart {
  return { scheduler: p.scheduler, path: p.path, text: p.text };
}

export function axeInstallToWire(r: InstallReport): AxeInstallRecord {
  return {
    v: 1,
    kind: 'axe_install',
    id: r.repo,
    repo: r.repo,
    registered: r.registered,
    repos: r.repos,
    scheduler: r.scheduler,
    chosen_by: r.chosenBy,
    every: formatDuration(r.everyMs),
    for: formatDuration(r.forMs),
    command: r.command,
    entry: r.parts.map(partToWire),
    changed: r.changed,
    enabled: r.enabled,
    removed: r.removed.map(partToWire),
    log: r.log,
    dry_run: r.dryRun,
  };
}

export function axeUninstallToWire(r: UninstallReport): AxeUninstallRecord {
  return {
    v: 1,
    kind: 'axe_uninstall',
    id: r.repo,
    repo: r.repo,
    unregistered: r.unregistered,
    repos: r.repos,
    removed: r.removed.map(partToWire),
    dry_run: r.dryRun,
  };
}
