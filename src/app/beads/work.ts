// `sase bead work`: an approved epic as a team of runs. The schedule comes
// from core/beads/work.ts; the pre-claim checkpoint is one operation that
// claims every phase still to do for its run, puts the epic in progress for
// its land run and writes the waiting run records (with their prompts and
// waits). Running again continues: phases closed are skipped, runs that
// exist are left as they are (failed ones retried with retryFailed), missing
// ones are made. The runs themselves are started by the dispatcher.

import { claimOps } from '../../core/agents/claims.ts';
import { assignsSession, checkRunArgv, providerNamed } from '../../core/agents/providers.ts';
import { type AgentRun, newRun, promptFile, runIdFrom, type Wait } from '../../core/agents/run.ts';
import { newestMatching } from '../../core/agents/waits.ts';
import type { Bead } from '../../core/beads/model.ts';
import type { BeadOp } from '../../core/beads/ops.ts';
import {
  checkBeadWorkConfig,
  type EpicSchedule,
  landChangeName,
  scheduleEpic,
  type WorkPhase,
} from '../../core/beads/work.ts';
import { BUILTIN_BODIES, LAND_TAG, PHASE_TAG, TASK_TAG } from '../../core/beads/work-prompts.ts';
import { uuidFrom } from '../../core/clock.ts';
import { CONFIG_PATH, syncConfig } from '../../core/config.ts';
import { ConflictError, RefusedError } from '../../core/errors.ts';
import { parsePlan } from '../../core/sdd/plan.ts';
import { fillPlaceholders } from '../../core/xprompts/xprompt.ts';
import { relationsAt } from '../../store/bead-cache.ts';
import { readBeads } from '../../store/beads.ts';
import { commitRuns, listRuns, runCount } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { retryRequest } from '../agents/again.ts';
import { checkProgram, DEFAULT_PROVIDER, type LaunchEnv, launchRuns, planRuns } from '../agents/launch.ts';
import { branchTip, targetBranch } from '../changes/code.ts';
import { loadConfig } from '../config/config.ts';
import { loadProviders } from '../config/providers.ts';
import { syncRemote } from '../sync/default-remote.ts';
import { confirmClaim } from '../sync/remote-claim.ts';
import { openXPrompts } from '../xprompts/library.ts';

export interface WorkOptions {
  provider: string | null;
  retryFailed: boolean;
}

export interface EpicPlan {
  epic: Bead;
  schedule: EpicSchedule;
  /** the plan the epic carries out, when it has one */
  planPath: string | null;
}

export async function workConfig(store: Store) {
  return checkBeadWorkConfig((await loadConfig(store.repo)).bead_work, CONFIG_PATH);
}

/** The schedule of an epic as it stands: its phases, their scopes from the plan, and what blocks them. */
export async function planEpic(store: Store, epic: Bead): Promise<EpicPlan> {
  if (epic.issue_type !== 'plan' || epic.tier !== 'epic')
    throw new RefusedError(`bead '${epic.id}' is not an epic (it is a ${epic.tier ?? epic.issue_type})`);
  const snap = await store.snapshot();
  const children = await relationsAt(store, snap.tip).childrenOf(epic.id);
  const phases = (await readBeads(snap, children)).filter((b) => b.issue_type === 'phase');
  if (!phases.length) throw new RefusedError(`epic '${epic.id}' has no phases`);
  const scopes = new Map<string, string[]>();
  const planPath = epic.design ?? null;
  if (planPath) {
    const text = await snap.readText(planPath);
    const plan = text ? parsePlan(text, planPath).plan : null;
    for (const [i, p] of (plan?.phases ?? []).entries()) scopes.set(`${epic.id}.${i + 1}`, p.scope);
  }
  const work: WorkPhase[] = phases.map((b) => ({ bead: b, scope: scopes.get(b.id) ?? [] }));
  const phaseIds = new Set(phases.map((b) => b.id));
  const outsideIds = [
    ...new Set(phases.flatMap((b) => b.dependencies.map((d) => d.depends_on_id)).filter((id) => !phaseIds.has(id))),
  ];
  const outside = new Map((await readBeads(snap, outsideIds)).map((b) => [b.id, b.status]));
  const { models } = await workConfig(store);
  const schedule = scheduleEpic(
    epic,
    work,
    (id) => outside.get(id) ?? null,
    (size) => (size ? (models[size] ?? null) : null),
  );
  return { epic, schedule, planPath };
}

/** The body for a tag: the first XPrompt carrying it (repository, then user), else the built-in. */
async function promptBody(store: Store, env: LaunchEnv, tag: string): Promise<string> {
  const lib = await openXPrompts({ cwd: env.cwd, env: env.env, repo: store.repo });
  for (const e of lib.entries) {
    const x = lib.get(e.name);
    if (x?.tags.includes(tag)) return x.body;
  }
  return BUILTIN_BODIES[tag]!;
}

export interface Checkpoint {
  /** the newest run of each scheduled phase, then the land run */
  runs: AgentRun[];
  created: AgentRun[];
  retried: AgentRun[];
  /** the commit the new runs start from */
  base: string;
}

/**
 * The pre-claim checkpoint, in one operation: for every phase still to do
 * without a run, a waiting run record (its prompt, waits and stack) and the
 * phase claimed for it; the land run likewise, with the epic in progress for
 * it. Then, with retryFailed, a retry of every failed or killed run (held
 * for the dispatcher, in the workspace its attempt kept).
 */
export async function checkpointEpic(
  store: Store,
  ep: EpicPlan,
  opts: WorkOptions,
  env: LaunchEnv,
): Promise<Checkpoint> {
  const { epic, schedule, planPath } = ep;
  const config = await loadConfig(store.repo);
  const existing = await listRuns(await store.snapshot());
  const names = new Set([...schedule.phases.map((p) => p.run), schedule.land.run]);
  const earlier = existing.filter((r) => r.name !== null && names.has(r.name));
  // the epic's provider: the one asked for, else the one its runs use, else config's default
  const providerName =
    opts.provider ??
    earlier[0]?.provider ??
    (config.agents as { provider?: string } | undefined)?.provider ??
    DEFAULT_PROVIDER;
  const provider = providerNamed(providerName, await loadProviders(store.repo));
  const making =
    schedule.phases.some((p) => p.wave > 0 && !newestMatching(earlier, p.run)) ||
    !newestMatching(earlier, schedule.land.run);
  if (making) checkProgram(provider, env.env);
  // a model the provider cannot take, or none where its command needs one, is refused now, not when its run starts
  if (making)
    for (const m of new Set([...schedule.phases.map((p) => p.model), schedule.land.model])) checkRunArgv(provider, m);
  const branch = await targetBranch(store);
  const base = await branchTip(store, branch);
  if (!base)
    throw new RefusedError(`no branch '${branch}' to start the epic from (set [review] target in .sase/config.toml)`);
  const todo = schedule.phases.filter((p) => p.wave > 0);
  const phaseBody = await promptBody(store, env, PHASE_TAG);
  const landBody = await promptBody(store, env, LAND_TAG);
  const cs = landChangeName(epic.id);
  const actor = (await store.ident()).email;
  // a run's id (8 bytes) and its provider session (16)
  const bytes = await env.random(24 * (todo.length + 1));
  const common = { epic: epic.id, epic_title: epic.title, plan: planPath ?? '(none)' };
  const fresh = (i: number, fields: Partial<AgentRun> & { name: string }): AgentRun =>
    newRun({
      id: runIdFrom(bytes.subarray(i * 24, i * 24 + 8)),
      provider: provider.name,
      created_at: env.at,
      status: 'waiting',
      session: assignsSession(provider) ? uuidFrom(bytes.subarray(i * 24 + 8, i * 24 + 24)) : null,
      ...fields,
    });
  const waitText = (waits: Wait[]) =>
    waits.length
      ? `waiting for ${waits.map((w) => ('agent' in w ? w.agent : `bead:${w.bead}`)).join(', ')}`
      : "ready: starts at the next 'sase agent dispatch'";

  const { result, commit } = await commitRuns(store, env.at, async ({ snap, beads }) => {
    const all = await listRuns(snap);
    const made: AgentRun[] = [];
    const prompts: Array<{ id: string; text: string }> = [];
    const ops: BeadOp[] = [];
    const newest: AgentRun[] = [];
    for (const [i, p] of todo.entries()) {
      const had = newestMatching(all, p.run);
      if (had) {
        newest.push(had);
        continue;
      }
      const bead = (await beads.get(p.id))!;
      const run = fresh(i, {
        name: p.run,
        model: p.model,
        bead: p.id,
        waits: p.waits,
        wait_reason: waitText(p.waits),
        stack: { base, from: p.blockers, cs: null },
      });
      const text = fillPlaceholders(phaseBody, {
        ...common,
        bead: p.id,
        title: p.title,
        description: bead.description || '(no description)',
        blockers: p.blockers.join(', ') || '(none)',
      });
      ops.push(...claimOps(bead, run, false, env.at, actor));
      made.push(run);
      newest.push(run);
      prompts.push({ id: run.id, text });
    }
    const hadLand = newestMatching(all, schedule.land.run);
    if (hadLand) newest.push(hadLand);
    else {
      const e = (await beads.get(epic.id))!;
      const land = fresh(todo.length, {
        name: schedule.land.run,
        model: schedule.land.model,
        bead: epic.id,
        changespec: cs,
        waits: schedule.land.waits,
        wait_reason: waitText(schedule.land.waits),
        stack: { base, from: schedule.phases.map((p) => p.run), cs },
      });
      if (e.status === 'closed') throw new RefusedError(`epic '${epic.id}' is closed`);
      if (e.status !== 'open' && e.assignee && e.assignee !== land.name)
        throw new ConflictError(`epic '${epic.id}' is ${e.status} by '${e.assignee}'`);
      ops.push({
        op: 'bead.update',
        ids: [epic.id],
        set: { status: 'in_progress', assignee: land.id },
        at: env.at,
        actor,
      });
      made.push(land);
      newest.push(land);
      prompts.push({
        id: land.id,
        text: fillPlaceholders(landBody, {
          ...common,
          phases: schedule.phases.map((p) => p.id).join(', '),
          change: cs,
        }),
      });
    }
    if (!made.length) return { op: null, result: { made, newest } };
    const seq = await runCount(snap);
    for (const [i, r] of made.entries()) r.seq = seq + i + 1;
    return {
      op: { op: 'agent.work', epic: epic.id, ids: made.map((r) => r.id) },
      runs: made,
      files: prompts.map((p) => promptFile(p.id, p.text.endsWith('\n') ? p.text : p.text + '\n')),
      beadOps: ops,
      result: { made, newest },
    };
  });
  if (commit && syncConfig(config).claims === 'remote') {
    // the phases count as claimed once the claims are on the shared remote: another machine may have claimed them first
    const remote = await syncRemote(store.repo, undefined);
    await confirmClaim(store, remote, commit, [...todo.map((p) => p.id), epic.id], async () => {});
  }
  const retried: AgentRun[] = [];
  if (opts.retryFailed) {
    for (const r of result.newest) {
      if (r.status !== 'failed' && r.status !== 'killed') continue;
      const req = await retryRequest(store, r);
      const [again] = await launchRuns(store, await planRuns(store, { ...req, hold: true }, env), env);
      retried.push(again!);
    }
  }
  const runs = result.newest.map((r) => retried.find((x) => x.retry_of === r.id) ?? r);
  return { runs, created: result.made, retried, base };
}

/** A task bead worked by one run: the existing one when there is one, else a new run (started now). */
export async function workTask(store: Store, task: Bead, opts: WorkOptions, env: LaunchEnv): Promise<AgentRun> {
  if (task.status === 'closed') throw new RefusedError(`bead '${task.id}' is closed`);
  const had = newestMatching(await listRuns(await store.snapshot()), task.id);
  if (had && !(opts.retryFailed && (had.status === 'failed' || had.status === 'killed'))) return had;
  if (had) {
    const req = await retryRequest(store, had);
    return (await launchRuns(store, await planRuns(store, req, env), env))[0]!;
  }
  const body = await promptBody(store, env, TASK_TAG);
  const prompt = fillPlaceholders(body, {
    bead: task.id,
    title: task.title,
    description: task.description || '(no description)',
  });
  const planned = await planRuns(
    store,
    { prompt, raw: true, provider: opts.provider, model: task.model, name: task.id, bead: task.id },
    env,
  );
  return (await launchRuns(store, planned, env))[0]!;
}
