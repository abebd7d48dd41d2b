import { chopSpecDoc, runBuiltinChopCommand } from '../cli/chop-command.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  ...chopSpecDoc('hooks', {
    description: `One pass over the open changes (not Submitted, Reverted or Archived) that have a recorded commit; targets, when given, restrict it to those changes.

Hooks: a hook has no result when its drawer has no run against the change's newest commit (its number in COMMITS), whatever the result of runs on older commits. Those hooks run as sase-cs-hook-run(1) runs them (a fresh worktree at the commit, the default time limit, output stored beside the change, the runs recorded in HOOKS); when every hook of a change lacks a result they run together and are recorded in one commit, else each alone, so no hook runs twice on a commit. A change's hooks run one after the other; at most [axe] max_hook_runners changes (default 2) run theirs at the same time. A hook that fails is recorded FAILED and not run again on that commit: a new commit runs them all again.

Mentors: once every hook has a result on the newest commit and the blocking ones (no leading '!') PASSED, each mentor profile whose paths select the change and that has no MENTORS entry for that commit is launched, as sase-cs-mentor(1) --detach does (a run in a workspace of its own, going on in the background). A profile is launched once per commit, whatever its run's end.

Notifications: a mentor run that ended COMMENTED while its profile's comments on the change are still open makes one change.comments notification (about the change and the run), once.

So a second pass right after the first finds nothing to do: it answers no_op and writes nothing. The tick answers that in its own process, from the records alone, and starts this executable only when something is due. The result's counters: hooks, hooks_failed, changes, skipped, mentors, notifications, errors. A change whose newest commit is not in this repository (recorded on another machine, not fetched yet) is skipped, a line in the log saying so, and tried again on the next pass. A change whose hooks or mentors could not be started otherwise (a provider not on PATH, an XPrompt missing) is named in the summary and makes the result failed; the others go on. Mentor profiles that cannot be read (a [mentors.<profile>] without paths) make it check_error, the hooks still running.`,
    examples: [
      { cmd: 'sase-chop-hooks', text: 'run what is due now, here, by hand' },
      { cmd: 'sase-chop-hooks --dry-run', text: 'which hooks and mentors are due, running none' },
      { cmd: 'sase-chop-hooks ready_cache_store', text: 'only that change' },
    ],
  }),
  async run(ctx, args, opts) {
    return runBuiltinChopCommand(ctx, 'hooks', args, opts);
  },
});
