import { runHooks } from '../app/changes/hooks.ts';
import { statusColor } from '../cli/colors.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { warn, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from '../core/changes/hooks.ts';
import { formatDuration } from '../core/changes/spec.ts';
import { UsageError } from '../core/errors.ts';
import { hookRunToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-hook-run',
  prints: ['hook-run'],
  summary: "run a change's hooks against one of its commits and record the results",
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [
    {
      flags: '--commit <n>',
      description: 'the commit to test, by its number in COMMITS (default: the latest)',
      type: 'int',
    },
    { flags: '--hook <n>', description: 'run only this hook, by its number in HOOKS', type: 'int' },
    {
      flags: '--timeout <seconds>',
      description: `the time limit of each hook (default ${DEFAULT_HOOK_TIMEOUT_SECONDS})`,
      type: 'int',
      default: DEFAULT_HOOK_TIMEOUT_SECONDS,
    },
  ],
  description: `Runs every hook of the change (or the one given with --hook), one after the other, against one of its recorded commits: the latest in COMMITS, or --commit N. A change with no commits recorded is refused (record them with sase-cs-commit(1)).

Each hook runs in a fresh temporary worktree, detached at that commit's SHA, under $GIT_COMMON_DIR/sase/worktrees/: the user's work tree, HEAD and branches are never touched. The hook's text is given as it is to sh -c, with the worktree as its directory, stdin closed, and these environment variables: SASE_CHANGE (the change's name), SASE_COMMIT (the commit's number) and SASE_COMMIT_SHA. No record field is ever pasted into the command. The worktree is removed afterwards by force, however the hook left it (even deleted).

A hook that runs longer than --timeout seconds is stopped: its whole process group gets SIGTERM, then SIGKILL; the run is FAILED and its log says "timed out after" the limit. Processes a hook leaves running in the background are killed when it ends.

Output (stdout and stderr together) is kept up to 1 MiB: beyond that, the first and last 512 KiB around a "[... N bytes cut ...]" line. Each log is stored beside the change, changes/<name>/hooks/<hook>-<commit>.log, and each run is a drawer line of its hook, "(<commit>) [<time>] PASSED|FAILED (<duration>)", replacing an earlier run against the same commit. All runs are recorded in one commit of the state ref; a change edited meanwhile keeps its edits, and a run whose hook was removed meanwhile is reported but not recorded.

On a terminal, progress goes to stderr as each hook runs.`,
  output:
    'One NDJSON record per run, kind "hook-run": {v, kind, id ("<change>#<hook>@<commit>"), change, hook (its number in HOOKS), command, blocking (false for a \'!\' hook), commit (its number in COMMITS), sha, result ("PASSED" or "FAILED"), at (when it started), seconds, exit_code (null when killed), timed_out, output_bytes (all the hook printed), log (the stored log\'s path in refs/sase/state, readable with git show refs/sase/state:<log>; null when the run was not recorded)}. On a terminal, one line per run.',
  exit: [
    [1, "a blocking hook failed (a '!' hook failing does not count), or the change has no commits recorded"],
    [4, 'no such change, commit number or hook number, or the commit is not in this repository'],
    [129, 'a bad --commit, --hook or --timeout'],
  ],
  examples: [
    { cmd: 'sase cs hook-run ready_cache_store', text: 'every hook against the latest commit' },
    {
      cmd: 'sase cs hook-run ready_cache_store --commit 1 --hook 2 --timeout 60',
      text: 'the second hook against the first commit, for at most a minute',
    },
    {
      cmd: 'git show refs/sase/state:changes/ready_cache_store/hooks/1-2.log',
      text: 'the output of hook 1 against commit 2',
    },
  ],
  seeAlso: ['sase-cs-hook-add', 'sase-cs-hook-rm', 'sase-cs-commit', 'sase-cs-show', 'sase-cs-submit'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    const positive = <N extends number | undefined>(flag: string, v: N): N => {
      if (v !== undefined && v < 1) throw new UsageError(`option '${flag}' must be at least 1`);
      return v;
    };
    const commit = positive('--commit', opts.commit);
    const hook = positive('--hook', opts.hook);
    const timeoutSeconds = positive('--timeout', opts.timeout);
    const store = await ctx.store();
    const tty = ctx.stderrIsTTY;
    const e = ctx.errColors;
    const runs = await runHooks(store, {
      name,
      commit,
      hook,
      timeoutSeconds,
      env: ctx.env,
      now: () => isoNow(ctx),
      onStart: (i, total, command) => {
        if (tty) ctx.stderr.write(`hook ${i}/${total}: ${command} ... `);
      },
      onEnd: (r) => {
        if (tty)
          ctx.stderr.write(
            `${statusColor(e, 'hook', r.result)} ${formatDuration(r.seconds)}${r.timed_out ? ' (timed out)' : ''}\n`,
          );
      },
      warn: (m) => warn(ctx, m),
    });
    if (ctx.format === 'text') {
      const c = ctx.colors;
      if (runs.length === 0) ctx.stdout.write(`change '${name}' has no hooks\n`);
      for (const r of runs) {
        ctx.stdout.write(
          `${statusColor(c, 'hook', r.result)} ${r.hook} ${r.command} ${c.dim(`(${formatDuration(r.seconds)}, commit ${r.commit} ${r.sha.slice(0, 12)})`)}${r.log ? ` ${c.dim(r.log)}` : ''}\n`,
        );
      }
    } else for (const r of runs) writeRecord(ctx, hookRunToWire(r));
    return runs.some((r) => r.result === 'FAILED' && r.blocking) ? 1 : 0;
  },
});
