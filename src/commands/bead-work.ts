import { followRuns } from '../app/agents/control.ts';
import type { LaunchEnv } from '../app/agents/launch.ts';
import { wireRun } from '../app/agents/view.ts';
import { checkpointEpic, type EpicPlan, planEpic, type WorkOptions, workConfig, workTask } from '../app/beads/work.ts';
import {
  driveEpic,
  PlanRefusedError,
  previewRecords,
  resolveWorkTarget,
  workRecords,
} from '../app/beads/work-drive.ts';
import { printRunLine } from '../cli/agent-view.ts';
import { askYes } from '../cli/ask.ts';
import type { Ctx } from '../cli/context.ts';
import { isoNow } from '../cli/context.ts';
import { reportDiagnostics } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { printWork, WorkView } from '../cli/work-view.ts';
import { isFinished } from '../core/agents/run.ts';
import { RefusedError, UsageError } from '../core/errors.ts';
import { listRuns } from '../store/runs.ts';
import type { Store } from '../store/store.ts';

export const spec = defineCommand({
  name: 'bead-work',
  prints: ['work', 'agent'],
  summary: "work an epic with a team of agent runs, scheduled by its phases' dependencies",
  args: [
    {
      name: 'target',
      complete: 'beads',
      description: 'an epic bead, an epic plan (its slug, its path in the store, or a plan file), or a task bead',
      required: true,
      variadic: true,
    },
  ],
  options: [
    {
      flags: '--jobs <n>',
      description: 'at most n runs at once (default: [bead_work] jobs, else the runner limit)',
      type: 'int',
    },
    {
      flags: '--dry-run',
      description:
        'print the schedule (phase, wave, blockers, run, model) and change nothing; a plan not yet approved is previewed',
      type: 'bool',
    },
    {
      flags: '--detach',
      description: 'return after the checkpoint; sase agent dispatch carries the epic on',
      type: 'bool',
    },
    { flags: '--provider <name>', description: 'the agent CLI the runs use (default: [agents] provider, else claude)' },
    {
      flags: '--retry-failed',
      description: 'retry the runs that failed or were killed, in the workspaces they kept',
      type: 'bool',
    },
    {
      flags: '--yes',
      description: 'start without asking (it asks only when stdin and stderr are terminals)',
      type: 'bool',
    },
  ],
  description: `Turns an approved epic into a team of agent runs that respects the plan's dependencies. A target that is an epic plan is validated and approved first if it is not yet (a plan file is handed in as by sase sdd put); a task bead gets one run.

PREVIEW: with --dry-run, a plan not yet approved (or a plan file) is validated and its schedule printed as it would be once approved, with nothing stored: its phases named by their ids in the plan, their waves, blockers and models, and the land run; a note on stderr says that running it without --dry-run approves the plan first.

SCHEDULE: the epic's phases that are not closed, in waves: a phase joins the first wave after all its blockers inside the epic. A cycle is an error naming it; a blocker outside the epic must be closed, else the epic is refused naming it. Phases of one wave whose scope globs (the plan's phase scope) overlap are run one after the other, and the schedule says so (after). Each phase's model is its own, else [bead_work.models] for its size.

CHECKPOINT: one commit claims every phase still to do for its run (named by the phase's bead id, <epic>.<n>), puts the epic in progress for its land run (<epic>.land) and writes the waiting run records, each waiting on the runs and beads of its blockers; the land run waits on every phase. A phase's prompt is the XPrompt tagged work_phase_bead (a built-in one by default: the epic, the plan, the phase and its description, how its bead is closed), the land run's the one tagged land_epic. Running sase bead work again never duplicates beads or runs: it continues where the last one stopped: closed phases are skipped, runs that exist are left as they are, waiting ones wait, and with --retry-failed failed or killed runs are retried in the workspaces they kept.

STACKS: when a phase starts, its workspace begins at its blockers' work: the one blocker's branch, or a merge of several made by sase (without a checkout), so a dependent phase builds on what its blockers actually did. The land run starts from every phase's work merged onto the epic's base, recorded first as a change (land_<epic>, with all the phases' commits), and works on it as a follow-up (see sase-agent-run(1) --cs), so the result can be reviewed, hooked, mailed and submitted.

FAILURE: a failed phase keeps its dependants and the land run waiting (never fail-open); the epic stays in progress; sase agent list and sase agent show say which phase failed and why.

In the foreground (the default) it dispatches runs (sase-agent-dispatch(1), at most --jobs at once) until the land run ends, with a live view of the phases on stderr (redrawn on a terminal, a line per change otherwise), and exits 0 only when the land run is done. Interrupting it stops the dispatching, not the runs; running it again carries on. With --detach it returns after the checkpoint, and sase agent dispatch (or Axe) carries the epic on.

BUDGETS: [budget] per_run, per_epic and per_day in config (a cost in the provider's currency, or "<n> tokens") stop further dispatch when reached; the runs left waiting say which budget.`,
  output:
    'One NDJSON record a phase and one for the land run, kind "work": {v, kind, id (the run name), epic, bead, title, land (true for the land run), wave (0: closed, nothing to run), blockers, after (a phase of its wave it waits for because their scopes overlap), model, size, bead_status, run_id, run_status, started_at, ended_at, error}; the land record also has changespec. With --dry-run, as planned; in a preview of a plan not yet approved, id is the id of the phase in the plan (land for the land run), epic and bead are null and plan names the plan; with --detach, after the checkpoint; otherwise as the work ended. For a task bead, its run record (see sase-agent-run(1)). On a terminal, a table.',
  exit: [
    [
      1,
      'the land run (or the task run) did not end done: a phase failed, a budget was reached, or a run was killed; or refused: not an epic, a cycle, an open blocker outside the epic, a plan that does not validate',
    ],
    [3, 'a phase or the epic is held by someone else'],
    [4, 'no such bead or plan'],
    [128, "the provider's program is not on PATH"],
    [129, 'a bad option or provider'],
  ],
  examples: [
    {
      cmd: 'sase bead work ready-cache --dry-run',
      text: 'the schedule of an epic plan, changing nothing (a plan not yet approved is previewed)',
    },
    { cmd: 'sase bead work ready-cache --jobs 2', text: 'approve it if needed, then work it, two runs at a time' },
    {
      cmd: 'sase bead work sase-k3f9 --detach && sase agent dispatch',
      text: 'checkpoint only; dispatch (or Axe) carries it on',
    },
    { cmd: 'sase bead work sase-k3f9 --retry-failed', text: 'after fixing what made a phase fail' },
  ],
  seeAlso: ['sase-agent-dispatch', 'sase-agent-run', 'sase-sdd-approve', 'sase-bead-ready', 'sase-cs-submit'],
  async run(ctx, args, opts) {
    const store = await ctx.store();
    const env = (): LaunchEnv => ({ cwd: ctx.cwd, env: ctx.env, at: isoNow(ctx), random: ctx.random });
    const work: WorkOptions = {
      provider: opts.provider ?? null,
      retryFailed: opts.retryFailed ?? false,
    };
    const jobs = opts.jobs ?? (await workConfig(store)).jobs ?? undefined;
    if (jobs !== undefined && jobs < 1) throw new UsageError('--jobs must be at least 1');
    let code = 0;
    for (const target of args) {
      const t = await workTarget(ctx, store, target, opts.dryRun ?? false);
      if (t.preview) {
        // a person previews before approving: the schedule it would get, approved by the real run
        printWork(ctx, await previewRecords(store, t.preview.path, t.preview.plan));
        ctx.stderr.write(
          `note: plan '${t.preview.path}' is not approved yet: this is the schedule it would get; 'sase bead work ${target}' without --dry-run approves it first\n`,
        );
        continue;
      }
      const bead = t.bead;
      if (!bead) continue;
      if (bead.issue_type !== 'plan') {
        if (opts.dryRun) {
          ctx.stdout.write(ctx.format === 'text' ? `${bead.id}: one run of the task\n` : '');
          continue;
        }
        const run = await workTask(store, bead, work, env());
        const [end] = opts.detach ? [run] : await followRuns(store, [run.id], { write: () => {} });
        printRunLine(ctx, wireRun(store, end ?? run, ctx.clock.now().getTime()), 'run');
        if (!opts.detach && end?.status !== 'done') code = 1;
        continue;
      }
      const ep = await planEpic(store, bead);
      for (const w of ep.schedule.warnings) ctx.stderr.write(`warning: ${w}\n`);
      if (bead.status === 'closed') {
        // worked before, to its end: nothing to do
        await printSchedule(ctx, store, ep);
        continue;
      }
      if (opts.dryRun) {
        await printSchedule(ctx, store, ep);
        continue;
      }
      if (!(await confirm(ctx, ep, opts.yes ?? false))) throw new RefusedError('not started');
      const cp = await checkpointEpic(store, ep, work, env());
      if (cp.created.length)
        ctx.stderr.write(
          `checkpoint: ${cp.created.length} run${cp.created.length === 1 ? '' : 's'} waiting for ${bead.id}\n`,
        );
      for (const r of cp.retried) ctx.stderr.write(`retrying ${r.name} as ${r.id} (was ${r.retry_of})\n`);
      if (opts.detach) {
        await printSchedule(ctx, store, ep);
        continue;
      }
      const land = await drive(ctx, store, ep, jobs, env);
      await printSchedule(ctx, store, ep);
      if (land?.status !== 'done') code = 1;
    }
    return code;
  },
});

/** What a target names (a bead, or in a dry run a plan to preview); a plan that does not validate shows its findings. */
async function workTarget(ctx: Ctx, store: Store, target: string, dryRun: boolean) {
  try {
    const t = await resolveWorkTarget(store, target, { cwd: ctx.cwd, dryRun });
    if (t.approved && t.bead) ctx.stderr.write(`approved ${t.approved}: ${t.bead.id}\n`);
    return t;
  } catch (err) {
    if (err instanceof PlanRefusedError) reportDiagnostics(ctx, err.diagnostics);
    throw err;
  }
}

async function printSchedule(ctx: Ctx, store: Store, ep: EpicPlan): Promise<void> {
  printWork(ctx, await workRecords(store, ep, await listRuns(await store.snapshot())));
}

/** On a terminal, asks before starting runs (unless --yes). */
async function confirm(ctx: Ctx, ep: EpicPlan, yes: boolean): Promise<boolean> {
  if (yes || !ctx.stdinIsTTY || !ctx.stderrIsTTY) return true;
  const n = ep.schedule.phases.filter((p) => p.wave > 0).length;
  return askYes(ctx, `work ${ep.epic.id} (${ep.epic.title}): ${n} phase run${n === 1 ? '' : 's'} and a land run?`);
}

/** Drives the epic with the live view on stderr; says why when it stops short of a done land run. */
async function drive(ctx: Ctx, store: Store, ep: EpicPlan, jobs: number | undefined, env: () => LaunchEnv) {
  const view = new WorkView(ctx);
  const end = await driveEpic(store, ep, {
    jobs,
    env,
    onPass: (records) => view.update(records, ctx.clock.now().getTime()),
  });
  const { land, failed, held } = end;
  if (land && isFinished(land.status)) return land;
  for (const p of failed)
    ctx.stderr.write(
      `error: phase ${p.id} ${p.run_status === 'killed' ? 'was killed' : 'failed'} (${p.run_id}): ${p.error ?? 'no reason recorded'}; its dependants wait\n`,
    );
  for (const d of held) if (d.action !== 'limit') ctx.stderr.write(`error: ${d.run.name}: ${d.reason}\n`);
  if (land?.status === 'waiting' && !failed.length && !held.length)
    ctx.stderr.write(`error: ${ep.schedule.land.run} waits: ${land.wait_reason ?? '?'}\n`);
  ctx.stderr.write(
    `hint: fix it, then 'sase bead work ${ep.epic.id}${failed.length ? ' --retry-failed' : ''}' carries on\n`,
  );
  return land;
}
