import { mainWorkTree, registryPath, uninstallAxe } from '../app/axe/install.ts';
import { axeEntryText, axeWarnings } from '../cli/axe-entry-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkEntryText } from '../core/axe/schedule.ts';
import { UsageError } from '../core/errors.ts';
import { axeUninstallToWire } from '../wire/axe.ts';

export const spec = defineCommand({
  name: 'axe-uninstall',
  prints: ['axe-uninstall'],
  summary: "take this repository out of the Axe's registry, and the schedule entry once none is left",
  args: [
    {
      name: 'repo',
      description: "a registered repository's path, also one that is gone (default: this repository's main work tree)",
    },
  ],
  options: [{ flags: '--print', description: 'show what would be removed; change nothing', type: 'bool' }],
  description: `Takes the repository out of the Axe's registry ($XDG_CONFIG_HOME/sase/repos, default ~/.config/sase/repos). When no repository is left, it also takes away the schedule entry that 'sase axe install' wrote, in every scheduler that holds one: the crontab line ending in '# sase-axe' (every other line of the crontab kept as it is), the systemd timer (turned off with 'systemctl --user disable --now sase-axe.timer', then sase-axe.service and sase-axe.timer removed), the launchd agent (booted out, then dev.sase.axe.plist removed).

A repository that is not registered is no error: nothing changes but the entry, which goes when the registry is empty. The log file is kept.

--print says what would be taken away, and changes nothing.`,
  output:
    'One NDJSON record {v, kind: "axe_uninstall", id (the repository), repo, unregistered (whether this run took it out of the registry), repos (the repositories left), removed [{scheduler, path (null for the crontab line), text}] (the entries taken away: only when no repository is left), dry_run}. On a terminal, a few lines saying the same; with --print, what would be removed, each after a line "# <path>".',
  exit: [[128, 'no home folder, or the scheduler cannot be read or written (crontab failing)']],
  examples: [
    {
      cmd: 'sase axe uninstall',
      text: 'stop ticking this repository (and remove the schedule entry if it was the last)',
    },
    { cmd: 'sase axe uninstall ~/src/old-project', text: 'take out a repository that was moved or deleted' },
    { cmd: 'sase axe uninstall --print', text: 'what would go' },
  ],
  seeAlso: ['sase-axe-install', 'sase-axe-tick'],
  async run(ctx, args, opts) {
    const named = args[0];
    if (named !== undefined) {
      if (named === '' || named.length > 4096)
        throw new UsageError('a repository path is not empty nor longer than 4096');
      checkEntryText('repository', named);
    }
    const repo = named === undefined ? mainWorkTree((await ctx.store()).repo) : registryPath(ctx.cwd, named);
    const report = await uninstallAxe(ctx.env, repo, { dryRun: opts.print === true });
    axeWarnings(ctx, report.warnings);
    if (ctx.format !== 'text') {
      writeRecord(ctx, axeUninstallToWire(report));
      return 0;
    }
    const n = report.repos.length;
    if (report.dryRun) {
      const left = `${n} ${n === 1 ? 'repository' : 'repositories'} left`;
      const what = report.unregistered ? `would unregister '${repo}'` : `'${repo}' is not registered`;
      ctx.stdout.write(`# ${what} (${left})\n${axeEntryText(report.removed)}`);
      return 0;
    }
    const lines = [
      `${report.unregistered ? 'unregistered' : 'not registered:'} '${repo}' (${n} ${n === 1 ? 'repository' : 'repositories'} left)`,
      ...[...new Set(report.removed.map((p) => p.scheduler))].map(
        (s) =>
          `${s}: removed ${report.removed
            .filter((p) => p.scheduler === s)
            .map((p) => p.path ?? 'the crontab line')
            .join(', ')}`,
      ),
    ];
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
});
