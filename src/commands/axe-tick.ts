import { readRegistry } from '../app/axe/registry.ts';
import { tickFor } from '../app/axe/tick.ts';
import { axeConfigOf, tickLines } from '../cli/axe-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { parseDuration } from '../core/axe/duration.ts';
import type { TickReport } from '../core/axe/views.ts';
import { UsageError } from '../core/errors.ts';
import { exitAfter } from '../proc/agent-process.ts';
import { openStore, type Store } from '../store/store.ts';
import { tickToWire } from '../wire/axe-state.ts';

/** How long a stopped tick may take to end its pass before it is ended. */
const STOP_GRACE_MS = 20_000;

export const spec = defineCommand({
  name: 'axe-tick',
  prints: ['axe-tick'],
  summary: 'one pass of the Axe: run the lumberjacks that are due, each its chops in order',
  args: [],
  options: [
    {
      flags: '--for <duration>',
      description:
        'keep ticking until the duration is spent, sleeping until the next lumberjack is due (55s from a once-a-minute schedule)',
    },
    { flags: '--only <lumberjack>', description: 'run this lumberjack only (when it is due)' },
    {
      flags: '--all',
      description: 'tick every repository registered on this machine (sase-axe-install(1))',
      type: 'bool',
    },
    {
      flags: '--dry-run',
      description: 'the chops say what they would do and change nothing; due times are not moved',
      type: 'bool',
    },
  ],
  description: `The Axe is sase's supervision outside any agent: cron, launchd or systemd runs 'sase axe tick --all --for 55s' every minute (sase-axe-install(1) writes the entry), and each tick is one short, idempotent pass, so work moves on while nobody types. A tick with nothing to do changes nothing.

A tick runs the lumberjacks that are due (each has an interval; one that never ran here is due at once), in the order they are configured; each runs its chops in order, each chop within its timeout. The defaults, which apply with no configuration:

- waits (every 10s): reaps runs whose process is gone, starts waiting runs whose waits are met within [axe] max_agent_runners (so a 'sase bead work --detach' epic goes on wave by wave to its land run), carries on workflow runs whose approval was given, and notifies a failed run or phase, a workflow waiting at an approval and a draft epic waiting for approval, each once;
- hooks (30s): runs the hooks of changes whose newest commit has no result, at most [axe] max_hook_runners at once, and launches the mentors those changes lack;
- reviews (2m): polls review comments of mailed changes (through gh for the github provider) into COMMENTS, and notices merged or closed reviews;
- sync (1m): sase sync with [sync] remote (or, with [sync] auto = true, the remote sase sync picks); the Axe's claims are then remote claims, so two machines never launch the same phase. Without either, it does nothing;
- housekeeping (1h): reaps dead runs, cleans finished workspaces older than [axe] keep_workspaces (7d; never one with uncommitted work or commits on no other branch), trims the history, and writes an error digest notification of what failed since the last one.

Configuration (.sase/config.toml), checked whole before anything runs (each problem is a line; any problem stops the tick):

  [axe]
  max_agent_runners = 3      # runs going at once
  max_hook_runners = 2
  keep_workspaces = "7d"
  history = 20               # runs kept per chop on this machine

  [axe.lumberjacks.<name>]   # a default's name overrides it, field by field
  interval = "10s"           # 500ms, 10s, 2m, 1h, 1h30m, 1d
  chops = ["waits", "my-check"]
  enabled = true

  [axe.chops.<name>]         # optional; a chop needs no section
  command = "..."            # default: .sase/axe/chops/<name>, else a built-in, else sase-chop-<name> on PATH
  timeout = "5m"             # default 10m (the hooks chop: 1h)
  run_every = "1h"           # at most this often, whatever its lumberjack's interval
  env = { KEY = "value" }
  enabled = true

A chop is any executable, in any language. It is run in the repository's work tree as '<chop> --context <file>', in a process group of its own that is killed past its timeout, with SASE_CHOP_RESULT_FILE (and SASE_CHOP_CONTEXT, SASE_CHOP, SASE_DRY_RUN) in its environment. The context file holds {v, repository, git_dir, lumberjack, chop, run_id, at, previous: {run_id, at, result} or null, dry_run, targets, result_file}. The chop writes {"v": 1, "status": "ok"|"no_op"|"check_error"|"failed", "summary": "...", "counters": {...}, "launches": [{prompt, provider?, model?, workspace?, bead?, wait_on?, dedupe_key}]} to the result file, or only exits (0 ok, else failed). A result that is not valid is a check_error saying why. The tick, not the chop, launches the proposed agent runs: each dedupe key names its run (axe.<chop>.<key>), so a key launched once, here or on a synced clone, is never launched again; they start within the runner limit. A built-in chop answers in the tick's own process when it has nothing to do.

Ticks never overlap in a repository: a lock in $GIT_COMMON_DIR/sase/axe/ names its owner's pid and start; a second tick exits 0 at once saying so, and a lock whose owner is gone (a tick killed with SIGKILL) is taken over. The lock never holds up a person's command: state writes stay compare-and-swap. While in maintenance (sase-axe-maintenance-enter(1)) ticks do nothing. What the Axe remembers stays on this machine, under $GIT_COMMON_DIR/sase/axe/: the last tick, each lumberjack's and chop's last run, and each chop's last runs (context.json, result.json, log). Effects on records go through the normal operations.

SIGTERM or SIGINT stops a tick between chops (a running chop's process group is killed) and releases the lock.`,
  output:
    'One NDJSON record per repository and pass (with --for, only passes where a chop did or found something, so the schedule\'s log stays small): {v, kind: "axe_tick", repository, action (ticked, locked or maintenance), reason, at, lumberjacks (those that ran), chops: [{v, kind: "chop_run", chop, lumberjack, run_id, at, seconds, how (in-process, process or none), status, summary, counters, launched: [{dedupe_key, action (launched, deduped, error or dry-run), run, reason}], dir}], next_due_at, notes}. On a terminal, a line per chop run.',
  exit: [
    [1, 'a chop failed or found a problem (the others still ran)'],
    [128, "the Axe's configuration has problems (each is a line on stderr; nothing ran)"],
  ],
  examples: [
    { cmd: 'sase axe tick', text: 'one pass here' },
    { cmd: 'sase axe tick --all --for 55s', text: 'what the schedule entry runs every minute' },
    { cmd: 'sase axe tick --only waits --dry-run', text: 'what starting waiting runs would do now' },
  ],
  seeAlso: [
    'sase-axe-install',
    'sase-axe-status',
    'sase-axe-lumberjack-list',
    'sase-axe-chop-list',
    'sase-agent-dispatch',
  ],
  async run(ctx, _args, opts) {
    let forMs = 0;
    if (opts.for !== undefined) {
      const ms = parseDuration(opts.for);
      if (ms === null) throw new UsageError(`--for '${opts.for}' is not a duration (such as 55s, 2m or 1h30m)`);
      forMs = ms;
    }
    // each later pass opens its stores afresh and closes them after (a tick that runs for a minute
    // sees the state as a new command would; nothing read earlier lingers)
    const opened = new Map<string, Store>();
    const open = async (path: string) => {
      const s = await openStore({ cwd: path, env: ctx.env }, { clock: ctx.clock, random: ctx.random });
      opened.set(path, s);
      return s;
    };
    const closeAll = () => {
      for (const s of opened.values()) s.close();
      opened.clear();
    };
    let paths: string[] = [];
    // the repository at hand: its store serves the first pass (a single tick opens no other)
    let first: Store | null = null;
    if (opts.all) {
      paths = readRegistry(ctx.env);
      if (!paths.length) ctx.stderr.write("warning: no repository is registered ('sase axe install' registers one)\n");
    } else {
      first = await ctx.store();
      await axeConfigOf(ctx, first);
      paths = [first.repo.topLevel ?? first.repo.commonDir];
    }
    const ctl = new AbortController();
    const stop = () => {
      ctl.abort();
      // a pass stuck past all reason must not keep the schedule's next tick out
      exitAfter(STOP_GRACE_MS);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    const reports: TickReport[] = [];
    let errors = 0;
    try {
      await tickFor({
        forMs,
        keepGoing: !!opts.all || forMs > 0,
        only: opts.only ?? null,
        dryRun: opts.dryRun ?? false,
        env: ctx.env,
        random: ctx.random,
        signal: ctl.signal,
        nowMs: () => ctx.clock.wallMs(),
        stores: async () => {
          closeAll();
          if (first) {
            const store = first;
            first = null;
            return [{ path: paths[0]!, store, error: null }];
          }
          return Promise.all(
            paths.map(async (path) => {
              try {
                return { path, store: await open(path), error: null };
              } catch (err) {
                return { path, store: null, error: (err as Error).message.split('\n')[0]! };
              }
            }),
          );
        },
        onReport: (r) => {
          reports.push(r);
          // ticking for a while (the schedule's way), a pass that did nothing is not told: the log stays small
          const quiet = r.action === 'ticked' && !r.notes.length && r.chops.every((c) => c.result.status === 'no_op');
          if (forMs && quiet) return;
          if (ctx.format === 'text') {
            const lines = tickLines(ctx.colors, r, paths.length > 1 || !!opts.all);
            if (lines.length) ctx.stdout.write(`${lines.join('\n')}\n`);
          } else writeRecord(ctx, tickToWire(r));
        },
        onError: (path, message) => {
          errors++;
          ctx.stderr.write(`error: ${path}: ${message}\n`);
        },
      });
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      closeAll();
    }
    const failed = reports.some((r) =>
      r.chops.some((c) => c.result.status === 'failed' || c.result.status === 'check_error'),
    );
    return failed || errors ? 1 : 0;
  },
});
