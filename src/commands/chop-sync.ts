import { chopSpecDoc, runBuiltinChopCommand } from '../cli/chop-command.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  ...chopSpecDoc('sync', {
    description:
      "Keeps this repository's state in step with the remote a person chose, as the sync lumberjack of sase axe runs it every minute: sase-sync(1) with [sync] remote (or, with [sync] auto = true, the remote sase sync picks); without either it does nothing, so a repository that never chose to share its state is never pushed. It also shares the work of this machine's finished runs as refs/sase/work/<run-id> on the remote and fetches the others', so a phase or a land run started here builds on work done on another machine. Operations a sync leaves out are told by sync's own notifications.",
  }),
  async run(ctx, args, opts) {
    return runBuiltinChopCommand(ctx, 'sync', args, opts);
  },
});
