import { chopSpecDoc, runBuiltinChopCommand } from '../cli/chop-command.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  ...chopSpecDoc('waits', {
    description:
      "Moves work on between people's commands, as the waits lumberjack of sase axe runs it every 10 seconds: reaps runs whose process is gone (sase-agent-reap(1)), so a dead phase does not hold its epic; starts the waiting runs whose waits are met, within [axe] max_agent_runners (sase-agent-dispatch(1)), so an epic worked with 'sase bead work --detach' goes on wave by wave to its land run with no foreground; carries on workflow runs whose approval was given (in the background, as 'sase wf resume --detach'); and notifies, each event once, a failed run or phase (action: retry), a workflow waiting at an approval step (action: approve) and a draft epic that validates (action: approve). When [sync] remote is set (or [sync] auto), its dispatches are remote claims: a run another machine claimed first is left to that machine.\n\nAfter a pass that found nothing to do while no run was going or waiting, the next pass answers at once, without reading a record, as long as the state ref has not moved.",
  }),
  async run(ctx, args, opts) {
    return runBuiltinChopCommand(ctx, 'waits', args, opts);
  },
});
