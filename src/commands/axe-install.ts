import { installAxe, mainWorkTree } from '../app/axe/install.ts';
import { axeEntryText, axeWarnings } from '../cli/axe-entry-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { formatDuration } from '../core/axe/duration.ts';
import { parseEvery, type Scheduler } from '../core/axe/schedule.ts';
import { UsageError } from '../core/errors.ts';
import { axeInstallToWire } from '../wire/axe.ts';

export const spec = defineCommand({
  name: 'axe-install',
  prints: ['axe-install'],
  summary: 'register this repository with the Axe and schedule its tick (cron, launchd or systemd)',
  args: [],
  options: [
    { flags: '--cron', description: "a line in the user's crontab", type: 'bool' },
    { flags: '--launchd', description: 'a launchd agent in ~/Library/LaunchAgents (macOS)', type: 'bool' },
    { flags: '--systemd', description: 'a systemd user service and timer in ~/.config/systemd/user', type: 'bool' },
    {
      flags: '--every <duration>',
      description:
        "how often the tick runs (default: the entry's in place, else 1m; whole seconds, at least 10s; cron: whole minutes that divide an hour, or hours that divide a day)",
      complete: 'none',
    },
    { flags: '--print', description: 'show what would be written; write nothing, register nothing', type: 'bool' },
  ],
  description: `Puts this repository (its main work tree, also when run in a linked worktree) in the Axe's registry, $XDG_CONFIG_HOME/sase/repos (default ~/.config/sase/repos), and installs one schedule entry for the user that runs 'sase axe tick --all --for <budget>': every registered repository gets a tick. The budget is the period less 5 seconds (--every 1m: --for 55s; --every 5m: --for 4m55s), so that one tick ends before the next is due.

One entry serves every repository: installing a second repository only registers it, and installing again changes nothing (without --every, the entry in place keeps its period). The entry, in the scheduler chosen:

- --cron: one line in the user's crontab (read with 'crontab -l', written with 'crontab -'), ending in the comment '# sase-axe' by which it is found again; every other line is kept as it is;
- --launchd: the agent ~/Library/LaunchAgents/dev.sase.axe.plist (StartInterval, RunAtLoad), loaded with 'launchctl bootstrap gui/<uid>';
- --systemd: sase-axe.service (Type=oneshot) and sase-axe.timer (OnBootSec, OnUnitActiveSec) in $XDG_CONFIG_HOME/systemd/user, turned on with 'systemctl --user daemon-reload' and 'systemctl --user enable --now sase-axe.timer'. When the user's systemd cannot be reached the units are written anyway and a warning says how to turn them on.

Without one of these: the scheduler that already holds the entry; else systemd when 'systemctl --user' answers, launchd on macOS, else cron. Naming another scheduler moves the entry there: the old one is taken away.

A scheduler's environment is bare, so the entry names absolute paths: the node running this and this installation's bin/sase. It sets PATH to the folders of node and git, then the absolute folders of the current PATH (the agents, gh and hooks a tick may run), then /usr/local/bin, /usr/bin and /bin; and XDG_CONFIG_HOME when it is set, so that the tick reads this registry. Install again after moving sase or node, or changing PATH. The tick's output is appended to $XDG_STATE_HOME/sase/axe.log (default ~/.local/state/sase/axe.log).

The cron line reads:

    * * * * * PATH=<dirs> [XDG_CONFIG_HOME=<dir>] <node> <sase> axe tick --all --for 55s >> <log> 2>&1 # sase-axe

with values that need it in single quotes. A path holding a control character (or, for cron, a '%') is refused.

--print shows exactly the line or files it would write, and writes nothing: neither the entry nor the registry.`,
  output:
    'One NDJSON record {v, kind: "axe_install", id (the repository), repo, registered (whether this run added it to the registry), repos (the registry afterwards), scheduler (cron, launchd or systemd), chosen_by (option, installed or default), every, for (the budget of each tick), command (what the entry runs: node, bin/sase and its arguments), entry [{scheduler, path (null for the crontab line), text}], changed (whether the entry was written anew), enabled (systemd: the timer turned on; launchd: the agent loaded; null for cron and --print), removed [{scheduler, path, text}] (another scheduler\'s entry taken away), log, dry_run}. On a terminal, a few lines saying the same; with --print, each file (or the line) after a line "# <path>" naming it.',
  exit: [
    [128, 'no home folder, git not found, or the scheduler cannot be read or written (crontab missing or failing)'],
    [129, 'more than one scheduler named, or a period the scheduler cannot keep'],
  ],
  examples: [
    {
      cmd: 'sase axe install',
      text: "register this repository and schedule the tick every minute with the machine's scheduler",
    },
    { cmd: 'sase axe install --cron --print', text: 'show the crontab line, change nothing' },
    { cmd: 'sase axe install --systemd --every 5m', text: 'a systemd timer, a tick every five minutes' },
  ],
  seeAlso: ['sase-axe-uninstall', 'sase-axe-tick', 'crontab', 'launchctl', 'systemd.timer'],
  async run(ctx, _args, opts) {
    const named = (['cron', 'launchd', 'systemd'] as const).filter((s) => opts[s]);
    if (named.length > 1)
      throw new UsageError(`--${named[0]} and --${named[1]} do not go together: the Axe has one schedule entry`);
    const everyMs = opts.every === undefined ? null : parseEvery(opts.every);
    const store = await ctx.store();
    const repo = mainWorkTree(store.repo);
    const report = await installAxe(ctx.env, repo, {
      scheduler: (named[0] ?? null) as Scheduler | null,
      everyMs,
      dryRun: opts.print === true,
    });
    axeWarnings(ctx, report.warnings);
    if (ctx.format !== 'text') {
      writeRecord(ctx, axeInstallToWire(report));
      return 0;
    }
    if (report.dryRun) {
      ctx.stdout.write(axeEntryText(report.parts));
      return 0;
    }
    const n = report.repos.length;
    const lines = [
      `${report.registered ? 'registered' : 'already registered'} '${repo}' (${n} ${n === 1 ? 'repository' : 'repositories'} in the registry)`,
      `${report.scheduler}: ${report.parts.map((p) => p.path ?? 'the crontab line').join(', ')} ${report.changed ? 'installed' : 'already in place'}` +
        (report.enabled === true ? (report.scheduler === 'systemd' ? ', timer enabled' : ', agent loaded') : ''),
      ...report.removed.map((p) => `${p.scheduler}: removed ${p.path ?? 'the crontab line'}`),
      `a tick every ${formatDuration(report.everyMs)}: sase axe tick --all --for ${formatDuration(report.forMs)}; log ${report.log}`,
    ];
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
});
