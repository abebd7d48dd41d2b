// The 'waits' chop: what moves work on between people's commands. It reaps
// runs whose process is gone (a dead phase must not hold its epic), starts
// waiting runs whose waits are met within the runner limit (so a detached
// `bead work` epic goes on wave by wave to its land run), carries on workflow
// runs whose approval was given, and tells what needs a person once each: a
// failed run or phase, a workflow waiting at an approval, a draft epic ready
// to approve.

import type { AgentRun } from '../../../core/agents/run.ts';
import { chopResult } from '../../../core/axe/result.ts';
import type { NotificationFields } from '../../../core/notifications/model.ts';
import { hasErrors } from '../../../core/sdd/diagnostics.ts';
import { parsePlan } from '../../../core/sdd/plan.ts';
import { createNotificationsOnce, eventKey, listNotifications } from '../../../store/notifications.ts';
import { beadsOfRuns, listRuns } from '../../../store/runs.ts';
import { listSddFiles } from '../../../store/sdd.ts';
import type { Store } from '../../../store/store.ts';
import { listWfRuns } from '../../../store/workflow-runs.ts';
import { reapRuns } from '../../agents/control.ts';
import { dispatchRuns } from '../../agents/dispatch.ts';
import { deliverDesktop } from '../../notify/desktop.ts';
import { prepareResume, spawnWfExec, wfLiveness } from '../../workflows/executor.ts';
import { readQuietMemo, writeQuietMemo } from '../history.ts';
import { axeSyncRemote } from '../sync-target.ts';
import type { BuiltinChop, ChopRun } from './chop.ts';

/** Failures older than this when first seen are history, not news. */
const NEWS_MS = 24 * 3_600_000;

type Fields = Omit<NotificationFields, 'created_at'>;

async function failedRunNews(store: Store, runs: AgentRun[], nowMs: number): Promise<Fields[]> {
  const retried = new Set(runs.map((r) => r.retry_of).filter(Boolean));
  const failed = runs.filter(
    (r) =>
      (r.status === 'failed' || r.status === 'killed') &&
      !retried.has(r.id) &&
      r.ended_at !== null &&
      nowMs - Date.parse(r.ended_at) < NEWS_MS,
  );
  if (!failed.length) return [];
  const beads = await beadsOfRuns(await store.snapshot(), failed);
  return failed.map((r) => {
    const bead = r.bead ? beads.get(r.bead) : undefined;
    const phase = bead?.issue_type === 'phase';
    const what = `${phase ? 'phase' : 'run'} ${r.name ?? r.id}`;
    return {
      type: phase ? 'phase.failed' : 'run.failed',
      title: `${what} ${r.status === 'killed' ? 'was killed' : 'failed'}${r.error ? `: ${r.error.split('\n')[0]!.slice(0, 200)}` : ''}`,
      body: [
        `run ${r.id}${bead ? ` for bead ${bead.id} (${bead.title.slice(0, 200)})` : ''}`,
        phase ? 'the phases after it wait until it is retried and done' : '',
        `retry it: sase notify act <this id>, or sase agent retry ${r.id}`,
      ]
        .filter(Boolean)
        .join('\n'),
      about: [{ kind: 'run', id: r.id }, ...(bead ? [{ kind: 'bead', id: bead.id }] : [])],
      action: { verb: 'retry', target: r.id },
    } satisfies Fields;
  });
}

export const chop: BuiltinChop = {
  name: 'waits',
  summary: 'start waiting runs whose waits are met, carry detached epics on, continue approved workflows',
  isolated: false,
  /** Nothing going or waiting at the last pass, and the state has not moved since: nothing can start. */
  async idle({ store, context }) {
    const memo = readQuietMemo(store.repo, 'waits');
    if (!memo || context.dry_run) return null;
    return memo.tip === (await store.tip())
      ? chopResult('no_op', 'nothing waiting can start (the state has not moved)')
      : null;
  },
  async run(run: ChopRun) {
    const { store, context, env } = run;
    const dry = context.dry_run;
    if (!dry) writeQuietMemo(store.repo, 'waits', undefined);
    const nowMs = Date.parse(env.at);
    const counters: Record<string, number> = {};
    const said: string[] = [];

    const reaped = await reapRuns(store, dry);
    if (reaped.length) {
      counters.reaped = reaped.length;
      said.push(`${dry ? 'would reap' : 'reaped'} ${reaped.length} dead run${reaped.length === 1 ? '' : 's'}`);
    }

    const remote = dry ? null : await axeSyncRemote(store.repo);
    const dispatched = await dispatchRuns(store, { ...env, remoteClaims: remote !== null }, { dryRun: dry });
    const started = dispatched.filter((d) => d.action === 'started');
    for (const d of dispatched) if (d.action === 'error') run.log(`${d.run.name ?? d.run.id}: ${d.reason}`);
    const lost = dispatched.filter((d) => d.action === 'error' && d.lost);
    if (lost.length) {
      counters.claims_lost = lost.length;
      said.push(`${lost.length} claimed first on the remote by another machine`);
    }
    if (started.length) {
      counters.started = started.length;
      said.push(`${dry ? 'would start' : 'started'} ${started.map((d) => d.run.name ?? d.run.id).join(', ')}`);
    }
    const errors = dispatched.filter((d) => d.action === 'error' && !d.lost);
    if (errors.length) counters.errors = errors.length;

    // workflow runs: carry on those whose approval was given; tell those waiting for one
    const snap = await store.snapshot();
    const news: Fields[] = [];
    let resumed = 0;
    for (const w of await listWfRuns(snap)) {
      if (w.status !== 'waiting_approval') continue;
      const waiting = w.steps.find((s) => s.state === 'waiting_approval');
      if (waiting) {
        news.push({
          type: 'workflow.waiting',
          title: `workflow ${w.workflow} waits for the approval of step '${waiting.id}'`,
          body: `run ${w.id}\napprove it: sase notify act <this id>, or sase wf approve ${w.id} ${waiting.id}`,
          about: [
            { kind: 'workflow', id: w.id },
            { kind: 'step', id: waiting.id },
          ],
          action: { verb: 'approve', target: `${w.id}/${waiting.id}` },
        });
        continue;
      }
      if (w.pid !== null && wfLiveness(w, nowMs) !== 'dead') continue;
      resumed++;
      if (dry) continue;
      try {
        const wfEnv = { cwd: env.cwd, env: env.env, random: env.random };
        spawnWfExec(store, await prepareResume(store, w.id, wfEnv, true), wfEnv);
      } catch (err) {
        run.log(`workflow run ${w.id}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    if (resumed) {
      counters.workflows_resumed = resumed;
      said.push(`${dry ? 'would carry on' : 'carried on'} ${resumed} approved workflow run${resumed === 1 ? '' : 's'}`);
    }

    news.push(...(await failedRunNews(store, await listRuns(await store.snapshot()), nowMs)));
    // draft epics that validate wait for a person to approve them
    const known = new Set((await listNotifications(snap)).map(eventKey));
    for (const f of await listSddFiles(snap, ['epics'])) {
      if (known.has(`plan.waiting plan:${f.path}`)) continue;
      const { plan, diagnostics } = parsePlan(f.text, f.path);
      if (plan?.status !== 'draft' || hasErrors(diagnostics)) continue;
      news.push({
        type: 'plan.waiting',
        title: `plan ${f.path} waits for approval: ${plan.title.slice(0, 200)}`,
        body: `approve it: sase notify act <this id>, or sase sdd approve ${f.path}`,
        about: [{ kind: 'plan', id: f.path }],
        action: { verb: 'approve', target: f.path },
      });
    }
    const fresh = news.filter((n) => !known.has(eventKey({ type: n.type, about: n.about ?? [] })));
    if (fresh.length) {
      counters.notified = fresh.length;
      said.push(`${dry ? 'would notify' : 'notified'} ${fresh.length}`);
      if (!dry) await deliverDesktop(store, await createNotificationsOnce(store, fresh));
    }
    if (!said.length) {
      // quiet: no run going or waiting and no workflow waiting, so only a new operation can give work
      const after = await store.snapshot();
      const runs = await listRuns(after);
      const still = runs.some((r) => r.status === 'waiting' || r.status === 'running' || r.status === 'queued');
      const wf = (await listWfRuns(after)).some((w) => w.status === 'waiting_approval' || w.status === 'running');
      if (!dry && !still && !wf) writeQuietMemo(store.repo, 'waits', after.tip);
      return chopResult('no_op', 'nothing waiting can start', counters);
    }
    return chopResult(errors.length ? 'failed' : 'ok', said.join('; '), counters);
  },
};
