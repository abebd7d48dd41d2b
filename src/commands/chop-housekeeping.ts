import { chopSpecDoc, runBuiltinChopCommand } from '../cli/chop-command.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  ...chopSpecDoc('housekeeping', {
    description:
      "Keeps a repository tidy, as the housekeeping lumberjack of sase axe runs it every hour: reaps runs whose process is gone, cleans finished workspaces made longer ago than [axe] keep_workspaces (7d by default; never one with uncommitted work or commits on no other branch: what it keeps, and why, is in its log), trims each chop's history to [axe] history runs, and writes the error digest: one axe.digest notification naming every chop, run, phase and hook that failed since the last digest (none when nothing failed).",
  }),
  async run(ctx, args, opts) {
    return runBuiltinChopCommand(ctx, 'housekeeping', args, opts);
  },
});
