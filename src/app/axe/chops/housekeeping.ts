// The 'housekeeping' chop (hourly): reaps runs whose process is gone, cleans
// finished workspaces older than [axe] keep_workspaces (never one with
// uncommitted work or commits on no other branch), trims the chops' history
// on this machine, and writes the error digest: one notification summing up
// the chops, runs, phases and hooks that failed since the last digest.
import { formatDuration } from '../../../core/axe/duration.ts';
import { chopResult } from '../../../core/axe/result.ts';
import { isoSeconds } from '../../../core/clock.ts';
import { listChanges } from '../../../store/changes.ts';
import { createNotificationsOnce } from '../../../store/notifications.ts';
import { beadsOfRuns, listRuns } from '../../../store/runs.ts';
import { reapRuns } from '../../agents/control.ts';
import { deliverDesktop } from '../../notify/desktop.ts';
import { anyFinishedWorkspace, cleanWorkspaces } from '../../workspaces/workspaces.ts';
import { loadAxeConfig } from '../config.ts';
import {
  chopRunIds,
  chopRunResult,
  chopsWithHistory,
  readAxeState,
  readQuietMemo,
  trimChopRuns,
  updateAxeState,
  writeQuietMemo,
} from '../history.ts';
import type { BuiltinChop, ChopRun } from './chop.ts';

/** A first digest looks back this far. */
const FIRST_DIGEST_MS = 24 * 3_600_000;

const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+/, '');

/** Lines of what failed since `since` (ISO), by kind. */
async function failuresSince(
  run: ChopRun,
  since: string,
): Promise<{ lines: string[]; counts: Record<string, number> }> {
  const { store } = run;
  const lines: string[] = [];
  const counts: Record<string, number> = { chops: 0, runs: 0, phases: 0, hooks: 0 };
  for (const name of chopsWithHistory(store.repo)) {
    for (const runId of chopRunIds(store.repo, name)) {
      if (runId.slice(0, 16) <= compact(since)) break;
      const result = chopRunResult(store.repo, name, runId);
      if (result && (result.status === 'failed' || result.status === 'check_error')) {
        counts.chops!++;
        lines.push(`chop ${name} ${result.status} (${runId}): ${result.summary.slice(0, 200)}`);
      }
    }
  }
  const snap = await store.snapshot();
  const runs = (await listRuns(snap)).filter(
    (r) => (r.status === 'failed' || r.status === 'killed') && r.ended_at !== null && r.ended_at > since,
  );
  const beads = await beadsOfRuns(snap, runs);
  for (const r of runs) {
    const phase = r.bead ? beads.get(r.bead)?.issue_type === 'phase' : false;
    counts[phase ? 'phases' : 'runs']!++;
    lines.push(
      `${phase ? 'phase' : 'run'} ${r.name ?? r.id} (${r.id}) ${r.status}${r.error ? `: ${r.error.split('\n')[0]!.slice(0, 200)}` : ''}`,
    );
  }
  for (const c of await listChanges(snap))
    for (const h of c.hooks)
      for (const hr of h.runs)
        if (hr.result === 'FAILED' && hr.at > since) {
          counts.hooks!++;
          lines.push(`hook '${h.command.slice(0, 100)}' of change ${c.name} failed at ${hr.at}`);
        }
  return { lines, counts };
}

export const chop: BuiltinChop = {
  name: 'housekeeping',
  summary: 'reap dead runs, clean old finished workspaces, trim runtime files, write the error digest',
  isolated: false,
  /** The state has not moved since a quiet pass, no workspace is finished, no chop failed since the digest: nothing to do. */
  async idle({ store, context, env }) {
    const memo = readQuietMemo(store.repo, 'housekeeping');
    if (!memo || context.dry_run || memo.tip !== (await store.tip())) return null;
    const keep = (await loadAxeConfig(store.repo)).keep_workspaces_ms;
    if (anyFinishedWorkspace(store.repo, Date.parse(env.at) - keep)) return null;
    const s = readAxeState(store.repo);
    const since = s.last_digest_at ?? '';
    const failed = Object.values(s.chops).some(
      (c) => (c.status === 'failed' || c.status === 'check_error') && c.at > since,
    );
    return failed ? null : chopResult('no_op', 'nothing to reap, clean or report (the state has not moved)');
  },
  async run(run: ChopRun) {
    const { store, context, env } = run;
    const dry = context.dry_run;
    if (!dry) writeQuietMemo(store.repo, 'housekeeping', undefined);
    const nowMs = Date.parse(env.at);
    const config = await loadAxeConfig(store.repo);
    const counters: Record<string, number> = {};
    const said: string[] = [];

    const reaped = await reapRuns(store, dry);
    if (reaped.length) {
      counters.reaped = reaped.length;
      said.push(`${dry ? 'would reap' : 'reaped'} ${reaped.length}`);
    }

    const cleaned = await cleanWorkspaces(store, {
      finished: true,
      before: nowMs - config.keep_workspaces_ms,
      olderThan: formatDuration(config.keep_workspaces_ms),
      dryRun: dry,
      said: (line) => run.log(line),
    });
    const removed = cleaned.filter((c) => c.action === 'removed');
    for (const c of cleaned) if (c.action === 'kept') run.log(`workspace #${c.n} kept: ${c.reason}`);
    if (removed.length) {
      counters.workspaces_cleaned = removed.length;
      said.push(`${dry ? 'would clean' : 'cleaned'} ${removed.length} workspace${removed.length === 1 ? '' : 's'}`);
    }

    if (!dry) {
      let trimmed = 0;
      for (const name of chopsWithHistory(store.repo)) trimmed += trimChopRuns(store.repo, name, config.history);
      if (trimmed) counters.history_trimmed = trimmed;
    }

    const since = readAxeState(store.repo).last_digest_at ?? isoSeconds(nowMs - FIRST_DIGEST_MS);
    const { lines, counts } = await failuresSince(run, since);
    if (lines.length) {
      counters.digest_items = lines.length;
      const parts = Object.entries(counts)
        .filter(([, n]) => n)
        .map(([k, n]) => `${n} ${n === 1 ? k.replace(/s$/, '') : k}`);
      said.push(`${dry ? 'would write' : 'wrote'} an error digest (${parts.join(', ')})`);
      if (!dry) {
        const made = await createNotificationsOnce(store, [
          {
            type: 'axe.digest',
            severity: 'warning',
            title: `failed since ${since}: ${parts.join(', ')}`,
            body: lines.slice(0, 200).join('\n') + (lines.length > 200 ? `\n... and ${lines.length - 200} more` : ''),
            about: [{ kind: 'digest', id: `${since}..${env.at}` }],
            action: null,
          },
        ]);
        await deliverDesktop(store, made);
      }
    }
    if (!dry)
      updateAxeState(store.repo, (s) => {
        s.last_digest_at = env.at;
      });
    if (!said.length) {
      const after = await store.snapshot();
      const going = (await listRuns(after)).some((r) => r.status === 'running' || r.status === 'queued');
      if (!dry && !going) writeQuietMemo(store.repo, 'housekeeping', after.tip);
      return chopResult('no_op', 'nothing to reap, clean or report', counters);
    }
    return chopResult('ok', said.join('; '), counters);
  },
};
