// Stacked runs: where a run that builds on other runs' work starts. Its
// blockers' branches (the newest run of each name) are merged onto its base
// without a checkout; a land run's merge is recorded as a new change (its
// commits, the phases' among them), and the run works on that change.

import type { AgentRun } from '../../core/agents/run.ts';
import { newestMatching } from '../../core/agents/waits.ts';
import { RefusedError } from '../../core/errors.ts';
import { readBranch } from '../../git/branches.ts';
import { mergeTips } from '../../git/merge.ts';
import { readRef } from '../../git/repo.ts';
import { fetchedWork } from '../../git/work-refs.ts';
import { readChange } from '../../store/changes.ts';
import { listRuns } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { newChange } from '../changes/new.ts';
import { recordCommits } from '../changes/stack.ts';

/** The commit holding the base and the work of every run `from` names. */
async function stackedCommit(store: Store, run: AgentRun): Promise<string> {
  const stack = run.stack!;
  const runs = await listRuns(await store.snapshot());
  const tips: string[] = [];
  for (const name of stack.from) {
    const r = newestMatching(runs, name);
    const branch = r?.workspace?.branch;
    // the work of a run made on another machine comes through the remote (the Axe's sync shares it)
    const tip =
      (branch ? await readBranch(store.repo, branch) : null) ??
      (r?.commits.length ? await readRef(store.repo, r.commits.at(-1)!) : null) ??
      (r ? await fetchedWork(store.repo, r.id) : null);
    if (tip) tips.push(tip);
    else if (r?.commits.length)
      throw new RefusedError(
        `the work of run '${r.name ?? r.id}'${r.host ? ` (made on ${r.host})` : ''} is not here yet: a sync with the remote fetches it`,
      );
  }
  // a phase with blockers starts from their work alone (it holds the base); a land run from everything
  const all = stack.cs || !tips.length ? [stack.base, ...tips] : tips;
  const merged = await mergeTips(
    store.repo,
    all,
    `sase: merge the work of ${stack.from.join(', ')} for ${run.name ?? run.id}`,
  );
  if ('conflict' in merged)
    throw new RefusedError(
      `cannot merge the work of ${stack.from.join(', ')} for run '${run.name ?? run.id}': conflict in ${merged.conflict}`,
    );
  return merged.commit;
}

/** The workspace reference a stacked run starts in, made now: `#git:<merge>`, or `#cs:<change>` for a land run. */
export async function stackWorkspaceRef(store: Store, run: AgentRun, at: string): Promise<string> {
  const stack = run.stack!;
  if (stack.cs && (await readChange(await store.snapshot(), stack.cs))) return `#cs:${stack.cs}`; // made by an earlier attempt
  const commit = await stackedCommit(store, run);
  if (!stack.cs) return `#git:${commit}`;
  await newChange(store, {
    name: stack.cs,
    description: `Land ${run.bead ?? run.name ?? run.id}: the work of ${stack.from.join(', ')}`,
    parent: null,
    status: 'WIP',
    start: commit,
    from: `the phases of ${run.bead ?? '?'}`,
    bead: run.bead,
    at,
  });
  await recordCommits(store, at, stack.cs, { revs: [], bead: null, rerecord: false }).catch((err) => {
    if (!(err instanceof RefusedError)) throw err;
  });
  return `#cs:${stack.cs}`;
}
