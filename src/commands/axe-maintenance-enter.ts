import { enterMaintenance } from '../app/axe/maintenance.ts';
import { MAINTENANCE_OUTPUT, printMaintenance } from '../cli/axe-maintenance.ts';
import { isoNow } from '../cli/context.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkLength, UsageError } from '../core/errors.ts';
import { invokerPid } from '../proc/agent-process.ts';

export const spec = defineCommand({
  name: 'axe-maintenance-enter',
  prints: ['axe-maintenance'],
  summary: 'stop the Axe here for a while: ticks do nothing until exit',
  args: [],
  options: [
    { flags: '--reason <text>', description: 'why (shown by status and by every tick that steps aside)' },
    {
      flags: '--owner <pid>',
      description: 'it lasts while this process lives (default: the process that ran this command, your shell)',
      type: 'int',
    },
  ],
  description: `Puts the repository in maintenance: every tick does nothing (it says so and exits 0) until sase-axe-maintenance-exit(1). A forgotten marker clears itself: when its owner (your shell, or --owner) is gone, or after 24 hours. A tick that is running finishes its pass. Entering again replaces the reason.`,
  output: MAINTENANCE_OUTPUT,
  exit: [[129, 'no --reason, or an owner that is not a running process']],
  examples: [
    { cmd: "sase axe maintenance enter --reason 'upgrading sase'", text: 'pause the Axe while this shell lives' },
  ],
  seeAlso: ['sase-axe-maintenance-exit', 'sase-axe-maintenance-status', 'sase-axe-tick'],
  async run(ctx, _args, opts) {
    const reason = (opts.reason ?? '').trim();
    if (!reason) throw new UsageError("--reason is required (say why the Axe stops, e.g. --reason 'upgrading')");
    checkLength('--reason', reason, 500);
    if (/[\0-\x1f]/.test(reason)) throw new UsageError('--reason must be one line of text');
    const owner = opts.owner ?? invokerPid();
    if (!Number.isSafeInteger(owner) || owner < 1) throw new UsageError(`--owner '${owner}' is not a process id`);
    try {
      process.kill(owner, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw new UsageError(`--owner ${owner}: no such process`);
    }
    const store = await ctx.store();
    printMaintenance(ctx, enterMaintenance(store.repo, reason, isoNow(ctx), owner), null);
  },
});
