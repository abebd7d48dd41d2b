// The 'sync' chop: sase sync with the remote a person configured, so the
// Axes of several machines coordinate through it (their claims are remote
// claims: see the waits chop). A repository that never chose to share its
// state answers no_op in the tick's process; a sync talks to the network, so
// it runs in a process of its own, killed past its timeout.
import { chopResult } from '../../../core/axe/result.ts';
import { readBranch } from '../../../git/branches.ts';
import { fetchWork, pushWork } from '../../../git/work-refs.ts';
import { listRuns } from '../../../store/runs.ts';
import type { Store } from '../../../store/store.ts';
import { thisHost } from '../../agents/runtime.ts';
import { recordSync } from '../../sync/status.ts';
import { sync } from '../../sync/sync.ts';
import { axeSyncRemote } from '../sync-target.ts';
import type { BuiltinChop } from './chop.ts';

/**
 * Shares the work of this machine's finished runs through the remote and
 * fetches the others', so a phase or land run started here can build on work
 * done elsewhere. Returns how many runs' work it pushed.
 */
async function shareWork(store: Store, remote: string): Promise<number> {
  await fetchWork(store.repo, remote);
  const host = thisHost();
  const work: Array<{ run: string; commit: string }> = [];
  for (const r of await listRuns(await store.snapshot())) {
    if (r.status !== 'done' || r.host !== host || !r.commits.length || !r.workspace?.branch) continue;
    const tip = await readBranch(store.repo, r.workspace.branch);
    if (tip) work.push({ run: r.id, commit: tip });
  }
  return pushWork(store.repo, remote, work);
}

export const chop: BuiltinChop = {
  name: 'sync',
  summary: 'sase sync with the configured remote, so the Axes of several machines coordinate',
  isolated: true,
  async idle({ store }) {
    return (await axeSyncRemote(store.repo))
      ? null
      : chopResult('no_op', 'no remote to sync with ([sync] remote, or [sync] auto = true)');
  },
  async run({ store, context, env, log }) {
    const remote = await axeSyncRemote(store.repo);
    if (!remote) return chopResult('no_op', 'no remote to sync with ([sync] remote, or [sync] auto = true)');
    const report = await sync(store, { remote, push: true, dryRun: context.dry_run });
    if (!report.dryRun) recordSync(store.repo, remote, env.at, report.tip);
    const shared = context.dry_run ? 0 : await shareWork(store, remote);
    for (const l of report.leftOut) log(`left out '${l.summary}' (${l.commit.slice(0, 10)}): ${l.reason}`);
    const counters = {
      fetched: report.fetched,
      replayed: report.replayed,
      left_out: report.leftOut.length,
      pushed: report.pushed ? 1 : 0,
      work_pushed: shared,
    };
    const summary =
      `${remote}: ${report.action === 'none' ? 'up to date' : `${report.dryRun ? 'would be ' : ''}${report.action}`}` +
      (report.fetched ? `, fetched ${report.fetched}` : '') +
      (report.leftOut.length ? `, left out ${report.leftOut.length}` : '') +
      (shared ? `, shared the work of ${shared} run${shared === 1 ? '' : 's'}` : '');
    // an operation left out is told by sync's own notification; the chop did its job
    return chopResult(report.action === 'none' && !report.fetched && !shared ? 'no_op' : 'ok', summary, counters);
  },
};
