import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineCommand } from '../cli/spec.ts';
import type { Ctx } from '../cli/context.ts';
import { isoNow } from '../cli/context.ts';
import { putPlanText } from '../cli/sdd-put.ts';
import { reportDiagnostics } from '../cli/sdd-view.ts';
import { printRunLine } from '../cli/agent-view.ts';
import { landRecord, printWork, WorkView, workRecord } from '../cli/work-view.ts';
import { NotFoundError, RefusedError, UsageError } from '../core/errors.ts';
import { hasErrors } from '../core/sdd/diagnostics.ts';
import { parsePlan } from '../core/sdd/plan.ts';
import { isFinished, type AgentRun } from '../core/agents/run.ts';
import type { Bead } from '../core/beads/model.ts';
import { followRuns, reapRuns } from '../app/agents/control.ts';
import { dispatchRuns } from '../app/agents/dispatch.ts';
import { listRuns } from '../store/runs.ts';
import { wireRun } from '../app/agents/view.ts';
import { readBeads, resolveIds } from '../store/bead-store.ts';
import { checkpointEpic, planEpic, workConfig, workTask, type EpicPlan, type WorkOptions } from '../app/beads/work.ts';
import { approvePlan } from '../store/sdd-approve.ts';
import { findPlan } from '../store/sdd.ts';
import type { Store } from '../store/store.ts';
import { withRuns } from '../core/beads/work.ts';
import { beadPrefix } from '../app/config/config.ts';

const POLL_MS = 300;
const REAP_EVERY_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const spec = defineCommand({
  name: 'bead-work',
  summary: "work an epic with a team of agent runs, scheduled by its phases' dependencies",
  args: [
    {
      name: 'target',
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
      description: 'print the schedule (phase, wave, blockers, run, model) and change nothing',
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

SCHEDULE: the epic's phases that are not closed, in waves: a phase joins the first wave after all its blockers inside the epic. A cycle is an error naming it; a blocker outside the epic must be closed, else the epic is refused naming it. Phases of one wave whose scope globs (the plan's phase scope) overlap are run one after the other, and the schedule says so (after). Each phase's model is its own, else [bead_work.models] for its size.

CHECKPOINT: one commit claims every phase still to do for its run (named by the phase's bead id, <epic>.<n>), puts the epic in progress for its land run (<epic>.land) and writes the waiting run records, each waiting on the runs and beads of its blockers; the land run waits on every phase. A phase's prompt is the XPrompt tagged work_phase_bead (a built-in one by default: the epic, the plan, the phase and its description, how its bead is closed), the land run's the one tagged land_epic. Running sase bead work again never duplicates beads or runs: it continues where the last one stopped: closed phases are skipped, runs that exist are left as they are, waiting ones wait, and with --retry-failed failed or killed runs are retried in the workspaces they kept.

STACKS: when a phase starts, its workspace begins at its blockers' work: the one blocker's branch, or a merge of several made by sase (without a checkout), so a dependent phase builds on what its blockers actually did. The land run starts from every phase's work merged onto the epic's base, recorded first as a change (land_<epic>, with all the phases' commits), and works on it as a follow-up (see sase-agent-run(1) --cs), so the result can be reviewed, hooked, mailed and submitted.

FAILURE: a failed phase keeps its dependants and the land run waiting (never fail-open); the epic stays in progress; sase agent list and sase agent show say which phase failed and why.

In the foreground (the default) it dispatches runs (sase-agent-dispatch(1), at most --jobs at once) until the land run ends, with a live view of the phases on stderr (redrawn on a terminal, a line per change otherwise), and exits 0 only when the land run is done. Interrupting it stops the dispatching, not the runs; running it again carries on. With --detach it returns after the checkpoint, and sase agent dispatch (or Axe) carries the epic on.

BUDGETS: [budget] per_run, per_epic and per_day in config (a cost in the provider's currency, or "<n> tokens") stop further dispatch when reached; the runs left waiting say which budget.`,
  output:
    'One NDJSON record a phase and one for the land run, kind "work": {v, kind, id (the run name), epic, bead, title, land (true for the land run), wave (0: closed, nothing to run), blockers, after (a phase of its wave it waits for because their scopes overlap), model, size, bead_status, run_id, run_status, started_at, ended_at, error}; the land record also has changespec. With --dry-run, as planned; with --detach, after the checkpoint; otherwise as the work ended. For a task bead, its run record (see sase-agent-run(1)). On a terminal, a table.',
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
    { cmd: 'sase bead work ready-cache --dry-run', text: 'the schedule of an epic plan, changing nothing' },
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
    const env = () => ({ cwd: ctx.cwd, env: ctx.env, at: isoNow(ctx), random: ctx.random });
    const work: WorkOptions = {
      provider: opts.provider ?? null,
      retryFailed: opts.retryFailed ?? false,
    };
    const jobs = opts.jobs ?? (await workConfig(store)).jobs ?? undefined;
    if (jobs !== undefined && jobs < 1) throw new UsageError('--jobs must be at least 1');
    let code = 0;
    for (const target of args) {
      const bead = await targetBead(ctx, store, target, opts.dryRun ?? false);
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
        await printSchedule(ctx, store, ep, await listRuns(await store.snapshot()));
        continue;
      }
      if (opts.dryRun) {
        await printSchedule(ctx, store, ep, await listRuns(await store.snapshot()));
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
        await printSchedule(ctx, store, ep, await listRuns(await store.snapshot()));
        continue;
      }
      const land = await driveEpic(ctx, store, ep, jobs, env);
      await printSchedule(ctx, store, ep, await listRuns(await store.snapshot()));
      if (land?.status !== 'done') code = 1;
    }
    return code;
  },
});

/** The bead a target names: a bead id, or an epic plan (handed in from a file, and approved, when needed). */
async function targetBead(ctx: Ctx, store: Store, target: string, dryRun: boolean): Promise<Bead | null> {
  const snap = await store.snapshot();
  let path: string | null = null;
  const file = resolve(ctx.cwd, target);
  if (target.endsWith('.md') && existsSync(file) && !target.startsWith('sdd/')) {
    const put = await putPlanText(ctx, readFileSync(file, 'utf8'), target, false);
    if (hasErrors(put.prepared.diagnostics)) {
      reportDiagnostics(ctx, put.prepared.diagnostics);
      throw new RefusedError(`plan file '${target}' does not validate; nothing worked`);
    }
    path = put.prepared.path;
  } else {
    try {
      const [id] = await resolveIds(snap, [target]);
      return (await readBeads(snap, [id!]))[0] ?? null;
    } catch (err) {
      if (!(err instanceof NotFoundError) && !(err instanceof UsageError)) throw err;
      try {
        path = (await findPlan(snap, target)).path;
      } catch {
        throw new NotFoundError(`no bead or plan '${target}'`);
      }
    }
  }
  if (path === null) throw new NotFoundError(`no bead or plan '${target}'`);
  if (dryRun) {
    const text = (await (await store.snapshot()).readText(path))!;
    const bead = parsePlan(text, path).plan?.bead;
    if (!bead)
      throw new RefusedError(
        `plan '${path}' is not approved yet; a dry run changes nothing (approve it, or run without --dry-run)`,
      );
    return (await readBeads(await store.snapshot(), [bead]))[0] ?? null;
  }
  const r = await approvePlan(store, path, {
    at: isoNow(ctx),
    random: ctx.random,
    prefix: await beadPrefix(store.repo),
  });
  if (hasErrors(r.diagnostics)) {
    reportDiagnostics(ctx, r.diagnostics);
    throw new RefusedError(`plan '${path}' does not validate; nothing worked`);
  }
  if (r.plan?.tier !== 'epic') throw new RefusedError(`plan '${path}' is a ${r.plan?.tier ?? '?'}, not an epic`);
  if (r.commit) ctx.stderr.write(`approved ${path}: ${r.plan.bead}\n`);
  return r.beads[0] ?? null;
}

async function records(store: Store, ep: EpicPlan, runs: AgentRun[]): Promise<Record<string, unknown>[]> {
  const now = new Map(
    (
      await readBeads(
        await store.snapshot(),
        ep.schedule.phases.map((p) => p.id),
      )
    ).map((b) => [b.id, b.status]),
  );
  const { phases: was, land } = withRuns(ep.schedule, runs);
  const phases = was.map((p) => ({ ...p, status: now.get(p.id) ?? p.status }));
  const waves = Math.max(0, ...phases.map((p) => p.wave));
  return [
    ...phases.map((p) => workRecord(ep.epic.id, p)),
    landRecord(ep.epic.id, ep.schedule.land.run, ep.schedule.land.model, land, waves + 1),
  ];
}

async function printSchedule(ctx: Ctx, store: Store, ep: EpicPlan, runs: AgentRun[]): Promise<void> {
  printWork(ctx, await records(store, ep, runs));
}

/** On a terminal, asks before starting runs (unless --yes). */
async function confirm(ctx: Ctx, ep: EpicPlan, yes: boolean): Promise<boolean> {
  if (yes || !ctx.stdinIsTTY || !ctx.stderrIsTTY) return true;
  const n = ep.schedule.phases.filter((p) => p.wave > 0).length;
  ctx.stderr.write(`work ${ep.epic.id} (${ep.epic.title}): ${n} phase run${n === 1 ? '' : 's'} and a land run? [y/N] `);
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: ctx.stdin });
  const line: string = await new Promise((res) => rl.once('line', res));
  rl.close();
  return /^y(es)?$/i.test(line.trim());
}

/**
 * Dispatches until the epic's land run ends, or until nothing can move: no
 * run of the epic going and none started (a failed phase, a budget). Returns
 * the land run as it ended, or null.
 */
async function driveEpic(
  ctx: Ctx,
  store: Store,
  ep: EpicPlan,
  jobs: number | undefined,
  env: () => {
    cwd: string;
    env: Record<string, string | undefined>;
    at: string;
    random(n: number): Promise<Uint8Array>;
  },
): Promise<AgentRun | null> {
  const view = new WorkView(ctx);
  const names = new Set([...ep.schedule.phases.map((p) => p.run), ep.schedule.land.run]);
  let lastReap = 0;
  for (;;) {
    // a dead run would hold the epic forever; looking for one every few seconds is enough
    if (Date.now() - lastReap >= REAP_EVERY_MS) {
      await reapRuns(store);
      lastReap = Date.now();
    }
    // a run that ends during the pass, after the dispatcher read it as going, still counts as moving: the next pass starts what it releases
    const before = await listRuns(await store.snapshot());
    const pass = await dispatchRuns(store, env(), { max: jobs });
    const runs = await listRuns(await store.snapshot());
    const recs = await records(store, ep, runs);
    view.update(recs, Date.now());
    const { land, phases } = withRuns(ep.schedule, runs);
    if (land && isFinished(land.status)) return land;
    const mine = [...before, ...runs].filter((r) => r.name !== null && names.has(r.name));
    const moving =
      mine.some((r) => r.status === 'running' || r.status === 'queued') ||
      pass.some((d) => d.action === 'started' && names.has(d.run.name ?? ''));
    if (!moving) {
      const failed = phases.filter((p) => p.run_status === 'failed' || p.run_status === 'killed');
      const held = pass.filter(
        (d) => names.has(d.run.name ?? '') && (d.action === 'budget' || d.action === 'error' || d.action === 'limit'),
      );
      const waitingOnOthers = pass.some((d) => names.has(d.run.name ?? '') && d.action === 'limit');
      if (waitingOnOthers && !failed.length) {
        await sleep(POLL_MS);
        continue; // other work holds the runners: ours start when it ends
      }
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
    await sleep(POLL_MS);
  }
}
