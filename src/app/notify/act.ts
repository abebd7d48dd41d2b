// Acting on a notification (sase notify act): its action carried out through
// the code the commands use. Approving a plan is sdd approve's; approving a
// workflow run's step is wf approve --resume --detach's; a retry or resume
// is agent retry's or agent resume's (--detach), or wf resume --detach's for
// a workflow run. Showing is the command's, which prints. Once the action
// succeeded the notification is marked read; a failed one leaves it as it is.

import type { AgentRun } from '../../core/agents/run.ts';
import type { Bead } from '../../core/beads/model.ts';
import type { Random } from '../../core/clock.ts';
import { RefusedError, withHint } from '../../core/errors.ts';
import { type ActStep, type ActSubject, actStep } from '../../core/notifications/act.ts';
import type { Notification } from '../../core/notifications/model.ts';
import { hasErrors } from '../../core/sdd/diagnostics.ts';
import type { WfRun } from '../../core/workflows/run.ts';
import { resolveIds } from '../../store/beads.ts';
import { mustReadChange } from '../../store/changes.ts';
import { commitNotifyOp, readNotification, resolveNotificationIds } from '../../store/notifications.ts';
import { resolveRun } from '../../store/runs.ts';
import { findPlan } from '../../store/sdd.ts';
import { approvePlan } from '../../store/sdd-approve.ts';
import type { Snapshot } from '../../store/snapshot.ts';
import type { Store } from '../../store/store.ts';
import { readWfRun, resolveWfRun } from '../../store/workflow-runs.ts';
import { DEFAULT_RESUME_PROMPT, resumeRequest, retryRequest } from '../agents/again.ts';
import { launchRuns, planRuns } from '../agents/launch.ts';
import { beadPrefix } from '../config/config.ts';
import { decideApproval, prepareResume, spawnWfExec } from '../workflows/executor.ts';

/** What an action runs with: where, the environment its processes get, the time it records, randomness. */
export interface ActEnv {
  cwd: string;
  env: Record<string, string | undefined>;
  at: string;
  random: Random;
}

/** What an action did (a show does nothing here: the command prints). */
export type ActDone =
  | { kind: 'plan'; path: string; already: boolean; beads: Bead[] }
  | { kind: 'workflow'; run: WfRun; approved: string | null }
  | { kind: 'agent'; runs: AgentRun[] };

/**
 * The notification a person named (an id or a unique prefix) and what acting
 * on it does. Refused (1) when it has no action or one sase cannot do; not
 * found (4) when it, or the record its action names, is not there.
 */
export async function prepareAct(store: Store, input: string): Promise<{ notification: Notification; step: ActStep }> {
  const snap = await store.snapshot();
  const [id] = await resolveNotificationIds(snap, [input]);
  const notification = (await readNotification(snap, id!))!;
  const step = actStep(notification);
  await mustExist(snap, step.subject);
  return { notification, step };
}

/** Not found (4) unless the record a subject names is stored. */
async function mustExist(snap: Snapshot, s: ActSubject): Promise<void> {
  switch (s.kind) {
    case 'plan':
      await findPlan(snap, s.path);
      return;
    case 'workflow_run':
    case 'workflow_step':
      await resolveWfRun(snap, s.kind === 'workflow_run' ? s.id : s.run);
      return;
    case 'run':
      await resolveRun(snap, s.id);
      return;
    case 'bead':
      await resolveIds(snap, [s.id]);
      return;
    case 'change':
      await mustReadChange(snap, s.name);
      return;
    case 'notification':
      await resolveNotificationIds(snap, [s.id]);
      return;
  }
}

/**
 * Carries out an action other than show, as its command does; what runs goes
 * on in the background (a workflow run under sase-wf-exec, an agent run under
 * its supervisor). Throws the error of the command it stands for.
 */
export async function performAct(store: Store, step: ActStep, env: ActEnv): Promise<ActDone> {
  const s = step.subject;
  const wfEnv = { cwd: env.cwd, env: env.env, random: env.random };
  if (step.verb === 'approve' && s.kind === 'plan') {
    const r = await approvePlan(store, s.path, { at: env.at, random: env.random, prefix: await beadPrefix(store) });
    if (hasErrors(r.diagnostics))
      throw withHint(
        new RefusedError(`plan '${s.path}' does not validate; nothing approved`),
        `'sase sdd validate ${s.path}' lists its problems`,
      );
    if (!r.plan) throw new RefusedError(`plan '${s.path}' was removed`);
    return { kind: 'plan', path: s.path, already: r.already, beads: r.beads };
  }
  if (step.verb === 'approve' && s.kind === 'workflow_step') {
    const by = (await store.ident()).email;
    await decideApproval(store, s.run, s.step, { reject: false, note: null, by }, wfEnv);
    try {
      return { kind: 'workflow', run: await resumeDetached(store, s.run, wfEnv), approved: s.step };
    } catch (err) {
      // the Axe's waits chop carries approved runs on too: one it took up in between goes on, as asked
      const now = await readWfRun(await store.snapshot(), s.run);
      if (now?.status === 'running' && now.pid !== null) return { kind: 'workflow', run: now, approved: s.step };
      throw err;
    }
  }
  if ((step.verb === 'retry' || step.verb === 'resume') && s.kind === 'workflow_run')
    return { kind: 'workflow', run: await resumeDetached(store, s.id, wfEnv), approved: null };
  if ((step.verb === 'retry' || step.verb === 'resume') && s.kind === 'run') {
    const run = await resolveRun(await store.snapshot(), s.id);
    const req =
      step.verb === 'retry' ? await retryRequest(store, run) : await resumeRequest(store, run, DEFAULT_RESUME_PROMPT);
    return { kind: 'agent', runs: await launchRuns(store, await planRuns(store, req, env), env) };
  }
  throw new RefusedError(`notification '${step.notification}': '${step.command.join(' ')}' is not done here`);
}

/** A workflow run made ready to go on and handed to a detached sase-wf-exec. */
async function resumeDetached(store: Store, id: string, env: Omit<ActEnv, 'at'>): Promise<WfRun> {
  const ready = await prepareResume(store, id, env, true);
  spawnWfExec(store, ready, env);
  return ready;
}

/**
 * Marks a notification acted on: an unread one read, in one commit (none when
 * it is read already; a dismissed one stays dismissed). Returns it as it is now.
 */
export async function markActedOn(store: Store, id: string, at: string): Promise<Notification> {
  const actor = (await store.ident()).email;
  await commitNotifyOp(store, async (snap) => {
    const now = await readNotification(snap, id);
    return { op: 'notify.state', ids: [id], state: now?.state === 'dismissed' ? 'dismissed' : 'read', at, actor };
  });
  return (await readNotification(await store.snapshot(), id))!;
}
