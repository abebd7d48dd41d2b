// Starting runs. planRuns checks everything a request names and writes
// nothing: the prompt's size, its XPrompts and directives, the provider and
// its program, the bead, the change, the workspace reference, the waits.
// launchRuns then takes each ready run's workspace, commits every record (and
// the bead claims) in one operation, and starts one supervisor a run. When a
// step fails, what earlier steps made is undone: no record is left
// half-written and no workspace leaks.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { claimOps } from '../../core/agents/claims.ts';
import { followUpPrompt, leadingWorkspaceRef } from '../../core/agents/prompts.ts';
import {
  assignsSession,
  checkRunArgv,
  type Provider,
  type ProviderTable,
  programOf,
  providerNamed,
} from '../../core/agents/providers.ts';
import {
  type AgentRun,
  checkPromptSize,
  checkRunName,
  fanoutName,
  type MentorTarget,
  newRun,
  parseWait,
  promptFile,
  type RunWorkspace,
  runIdFrom,
  transition,
  type Wait,
  waitLabel,
} from '../../core/agents/run.ts';
import type { BeadOp } from '../../core/beads/ops.ts';
import { changeBranch } from '../../core/changes/spec.ts';
import { uuidFrom } from '../../core/clock.ts';
import { syncConfig } from '../../core/config.ts';
import { FatalError, NotFoundError, RefusedError, UsageError, withHint } from '../../core/errors.ts';
import { parseWorkspaceRef } from '../../core/workspaces/refs.ts';
import type { Workspace } from '../../core/workspaces/workspace.ts';
import { emptyDirectives, type Segment } from '../../core/xprompts/expand.ts';
import { headOf } from '../../git/workspaces.ts';
import { findProgram, startDetached } from '../../proc/agent-process.ts';
import { resolveIds } from '../../store/beads.ts';
import { mustReadChange } from '../../store/changes.ts';
import { commitRuns, readRun, runCount } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { loadConfig } from '../config/config.ts';
import { loadProviders } from '../config/providers.ts';
import { syncRemote } from '../sync/default-remote.ts';
import { confirmClaim } from '../sync/remote-claim.ts';
import {
  discardWorkspace,
  freeWorkspaceOnBranch,
  getWorkspace,
  holdWorkspace,
  mainCheckout,
  newWorkspace,
  resolveWorkspace,
  setWorkspaceHolder,
} from '../workspaces/workspaces.ts';
import { expandWithXPrompts } from '../xprompts/library.ts';
import { supervisorErrorPath, thisHost } from './runtime.ts';
import { stackWorkspaceRef } from './stack.ts';

export const DEFAULT_PROVIDER = 'claude';
const MAX_FANOUT = 100;

export interface RunRequest {
  /** the prompt as the user wrote it */
  prompt: string;
  /** the prompt is final already (a retry's, a resume's, a mentor's): no XPrompts, directives or segments */
  raw?: boolean;
  provider?: string | null;
  model?: string | null;
  name?: string | null;
  bead?: string | null;
  cs?: string | null;
  ws?: string | null;
  waits?: string[];
  timeout?: number | null;
  close?: boolean;
  fanout?: number;
  mentor?: MentorTarget | null;
  retry_of?: string | null;
  resume_of?: string | null;
  session?: string | null;
  /** a retry or resume of a follow-up: its commits join this change (the prompt and workspace are given) */
  csFollowUp?: string | null;
  /** store the runs waiting even without waits, for the dispatcher to start within the runner limit */
  hold?: boolean;
}

export interface LaunchEnv {
  cwd: string;
  env: Record<string, string | undefined>;
  at: string;
  random(n: number): Promise<Uint8Array>;
  /** a dispatch counts only once it is on the remote, whatever [sync] claims says (the Axe of a synced repository) */
  remoteClaims?: boolean;
}

export interface PlannedRun {
  run: AgentRun;
  prompt: string;
  /** a run being retried may take over the workspace its attempt held */
  holdFrom: string | null;
}

/** The program a provider's command runs, found now so that a missing one stops the run before anything is written. */
export function checkProgram(provider: Provider, env: Record<string, string | undefined>, resume = false): string {
  // the program only: expanding the command here would need the model and session it is not given
  const name = programOf(provider, { resume });
  const program = findProgram(name, env);
  if (!program) {
    throw withHint(
      new FatalError(`provider '${provider.name}': '${name}' not found on PATH`),
      "'sase doctor' shows which agent CLIs are installed",
    );
  }
  return program;
}

/** Checks a request and builds its runs; nothing is written. */
export async function planRuns(store: Store, req: RunRequest, env: LaunchEnv): Promise<PlannedRun[]> {
  checkPromptSize(req.prompt);
  if (!req.prompt.trim()) throw new UsageError('the prompt is empty');
  const fanout = req.fanout ?? 1;
  if (!Number.isInteger(fanout) || fanout < 1 || fanout > MAX_FANOUT)
    throw new UsageError(`--fanout must be a whole number from 1 to ${MAX_FANOUT}`);
  const config = await loadConfig(store.repo);
  const defaults = (config.agents ?? {}) as { provider?: string; model?: string };
  const providers: ProviderTable = await loadProviders(store.repo);

  let segments: Segment[];
  if (req.raw) segments = [{ text: req.prompt, directives: emptyDirectives() }];
  else segments = (await expandWithXPrompts({ cwd: env.cwd, env: env.env, repo: store.repo }, req.prompt)).segments;
  segments = segments.filter((s) => s.text.trim());
  if (!segments.length) throw new UsageError('the prompt is empty once its directives are taken out');
  if (segments.length > 1 && fanout > 1)
    throw new UsageError('a prompt of several segments (--- lines) cannot also take --fanout');
  if (segments.length * fanout > MAX_FANOUT) throw new UsageError(`a prompt may start at most ${MAX_FANOUT} runs`);
  const count = segments.length * fanout;

  const snap = await store.snapshot();
  const bead = req.bead ? (await resolveIds(snap, [req.bead]))[0]! : null;
  if (bead && count > 1) throw new UsageError(`one bead cannot be worked by ${count} runs at once`);
  const change = req.cs ? await mustReadChange(snap, req.cs) : null;
  if (change && ['Submitted', 'Reverted', 'Archived'].includes(change.status))
    throw new RefusedError(`change '${change.name}' is ${change.status}; a follow-up needs a change still open`);
  if (change && count > 1) throw new UsageError(`one change cannot take ${count} follow-up runs at once`);
  if (req.timeout !== undefined && req.timeout !== null && !(req.timeout > 0))
    throw new UsageError('--timeout must be more than 0');

  const planned: PlannedRun[] = [];
  const bytes = await env.random(8 * count);
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
    const lead = req.raw ? { ref: null, text: seg.text } : leadingWorkspaceRef(seg.text);
    let prompt = lead.text;
    for (let k = 0; k < fanout; k++) {
      const i = s * fanout + k;
      const providerName = seg.directives.provider ?? req.provider ?? defaults.provider ?? DEFAULT_PROVIDER;
      const provider = providerNamed(providerName, providers);
      checkProgram(provider, env.env, !!req.resume_of);
      const model =
        seg.directives.model ??
        req.model ??
        (providerName === (defaults.provider ?? DEFAULT_PROVIDER) ? (defaults.model ?? null) : null);
      checkRunArgv(provider, model, { resume: !!req.resume_of }); // a model it cannot take, or one it needs, is said now
      // a segment's own %name: is its own; a name for the whole prompt is numbered across all its runs
      const own = seg.directives.name;
      const baseName = own ?? req.name ?? null;
      if (baseName !== null) checkRunName(baseName);
      const name = own ? fanoutName(own, k + 1, fanout) : fanoutName(baseName, i + 1, count);
      const waits: Wait[] = [...(req.waits ?? []), ...seg.directives.wait].map(parseWait);
      if (req.cs && (req.ws || lead.ref))
        throw new UsageError(
          `a follow-up on change '${req.cs}' works on its branch; it takes no other workspace (${req.ws ?? lead.ref})`,
        );
      const wsRef = req.cs ? `#cs:${req.cs}` : (req.ws ?? lead.ref ?? null);
      if (wsRef) await checkWorkspaceRef(store, wsRef, env);
      if (change) prompt = followUpPrompt(lead.text, change);
      const id = runIdFrom(bytes.subarray(i * 8, i * 8 + 8));
      const run = newRun({
        id,
        name,
        provider: provider.name,
        model,
        created_at: env.at,
        status: waits.length || req.hold ? 'waiting' : 'queued',
        ws_ref: wsRef,
        bead,
        close_bead: req.close ?? true,
        changespec: change?.name ?? req.csFollowUp ?? null,
        mentor: req.mentor ?? null,
        waits,
        wait_reason: waits.length
          ? `waiting for ${waits.map(waitLabel).join(', ')}`
          : req.hold
            ? "ready: starts at the next 'sase agent dispatch'"
            : null,
        timeout: req.timeout ?? null,
        retry_of: req.retry_of ?? null,
        resume_of: req.resume_of ?? null,
        session: req.session ?? (assignsSession(provider) ? uuidFrom(await env.random(16)) : null),
      });
      checkPromptSize(prompt, 'the expanded prompt');
      if (!prompt.endsWith('\n')) prompt += '\n';
      planned.push({ run, prompt, holdFrom: req.retry_of ?? req.resume_of ?? null });
    }
  }
  return planned;
}

/** A workspace reference that can be checked before anything is made: its form, a `#cd:` folder, a numbered workspace. */
async function checkWorkspaceRef(store: Store, text: string, env: LaunchEnv): Promise<void> {
  const ref = parseWorkspaceRef(text);
  if (ref.kind === 'number') await getWorkspace(store, ref.n);
  if (ref.kind === 'cd') {
    const abs = resolve(env.cwd, ref.path);
    if (!existsSync(abs) || !statSync(abs).isDirectory())
      throw new NotFoundError(`no folder '${ref.path}' (in '${text}')`);
  }
}

interface Taken {
  ws: RunWorkspace;
  undo: () => Promise<void>;
}

/** The workspace a run works in, made or handed over now; `undo` gives it back. */
async function takeWorkspace(store: Store, p: PlannedRun, env: LaunchEnv): Promise<Taken> {
  const id = p.run.id;
  const made =
    (w: Workspace): (() => Promise<void>) =>
    () =>
      discardWorkspace(store, w);
  const held = async (n: number): Promise<() => Promise<void>> => {
    const before = n === 0 ? null : await getWorkspace(store, n);
    if (n !== 0) await holdWorkspace(store, n, id, p.holdFrom);
    return async () => {
      if (before && before.n !== null)
        await setWorkspaceHolder(store, before.n, { run: before.run, state: before.state ?? 'free' });
    };
  };
  // a stacked run's workspace starts from its blockers' work, merged now
  const ref = p.run.stack ? await stackWorkspaceRef(store, p.run, env.at) : p.run.ws_ref;
  let w: Workspace;
  let undo: () => Promise<void>;
  if (ref === null) {
    w = await newWorkspace(store, { base: 'HEAD', run: id, at: env.at, source: 'new' });
    undo = made(w);
  } else {
    const parsed = parseWorkspaceRef(ref);
    if (parsed.kind === 'number') {
      w = await getWorkspace(store, parsed.n);
      undo = await held(parsed.n);
    } else if (parsed.kind === 'cs') {
      const free = freeWorkspaceOnBranch(store, changeBranch(parsed.name));
      if (free && free.n !== null) {
        w = free;
        undo = await held(free.n);
      } else {
        w = await resolveWorkspace(store, ref, { cwd: env.cwd, at: env.at, run: id });
        undo = made(w);
      }
    } else if (parsed.kind === 'cd') {
      w = await resolveWorkspace(store, ref, { cwd: env.cwd, at: env.at, run: id });
      undo = w.n !== null ? await held(w.n) : async () => {};
    } else {
      w = await resolveWorkspace(store, ref, { cwd: env.cwd, at: env.at, run: id });
      undo = made(w);
    }
  }
  const base = await headOf(store.repo, w.path);
  return { ws: { n: w.n, path: w.path, branch: w.branch, base }, undo };
}

/**
 * Takes the workspaces of the runs that can start, commits every record with
 * its prompt and bead claim as one operation, and starts a supervisor for
 * each queued run. Returns the records as committed.
 */
export async function launchRuns(store: Store, planned: PlannedRun[], env: LaunchEnv): Promise<AgentRun[]> {
  const taken: Taken[] = [];
  const runs: AgentRun[] = [];
  try {
    for (const p of planned) {
      if (p.run.status === 'waiting') {
        runs.push(p.run);
        continue;
      }
      const t = await takeWorkspace(store, p, env);
      taken.push(t);
      runs.push({ ...p.run, workspace: t.ws });
    }
    const actor = (await store.ident()).email;
    await commitRuns(store, env.at, async ({ snap, beads }) => {
      const ops: BeadOp[] = [];
      for (const r of runs)
        if (r.bead) ops.push(...claimOps(await beads.get(r.bead), r, r.status === 'queued', env.at, actor));
      const seq = await runCount(snap);
      for (const [i, r] of runs.entries()) r.seq = seq + i + 1;
      return {
        op: { op: 'agent.new', ids: runs.map((r) => r.id) },
        runs,
        files: planned.map((p) => promptFile(p.run.id, p.prompt)),
        beadOps: ops,
        result: null,
      };
    });
  } catch (err) {
    for (const t of taken.reverse()) await t.undo().catch(() => {});
    throw err;
  }
  for (const r of runs) if (r.status === 'queued') spawnSupervisor(store, r, env);
  return runs;
}

/**
 * Starts a waiting run (sase-agent-dispatch): takes its workspace, then moves
 * the run to queued, with that workspace and its bead in progress, in one
 * operation built on the record as it is then, so that of two dispatchers
 * racing only one starts it; then starts its supervisor. Returns the run as
 * started, or null (with the record as it is now) when it was no longer
 * waiting: started elsewhere, or killed.
 */
export async function startWaiting(
  store: Store,
  run: AgentRun,
  env: LaunchEnv,
): Promise<{ started: AgentRun | null; now: AgentRun | null }> {
  const before = await readRun(await store.snapshot(), run.id);
  if (before?.status !== 'waiting') return { started: null, now: before };
  const t = await takeWorkspace(store, { run: before, prompt: '', holdFrom: before.retry_of ?? before.resume_of }, env);
  type Outcome = { started: AgentRun | null; now: AgentRun | null };
  let out: Outcome;
  try {
    const actor = (await store.ident()).email;
    const dispatched = await commitRuns<Outcome>(store, env.at, async ({ snap, beads }) => {
      const now = await readRun(snap, run.id);
      if (now?.status !== 'waiting') return { op: null, result: { started: null, now } };
      const next: AgentRun = { ...transition(now, 'queued'), workspace: t.ws, wait_reason: null };
      const ops = next.bead ? claimOps(await beads.get(next.bead), next, true, env.at, actor) : [];
      // the dispatcher is named so that two racing ones never write the same commit (both would seem to win)
      return {
        op: { op: 'agent.dispatch', id: next.id, host: thisHost(), pid: process.pid },
        runs: [next],
        beadOps: ops,
        result: { started: next, now: next },
      };
    });
    out = dispatched.result;
    // with [sync] claims = "remote", the run starts only once its dispatch (and its bead's claim) is on the remote
    if (
      dispatched.commit &&
      out.started &&
      (env.remoteClaims || syncConfig(await loadConfig(store.repo)).claims === 'remote')
    ) {
      const remote = await syncRemote(store.repo, undefined);
      await confirmClaim(store, remote, dispatched.commit, out.started.bead ? [out.started.bead] : [], async () => {});
    }
  } catch (err) {
    await t.undo().catch(() => {});
    throw err;
  }
  if (!out.started) {
    // the dispatcher that won may hold this very (numbered) workspace now
    if (out.now?.workspace?.path !== t.ws.path) await t.undo().catch(() => {});
    return out;
  }
  spawnSupervisor(store, out.started, env);
  return out;
}

/** Starts the supervisor of a queued run, detached. */
export function spawnSupervisor(store: Store, run: AgentRun, env: LaunchEnv): void {
  startDetached({
    command: 'sase-agent-exec',
    args: [run.id],
    cwd: mainCheckout(store.repo) ?? env.cwd,
    env: env.env,
    errorLog: supervisorErrorPath(store.repo, run.id),
  });
}
