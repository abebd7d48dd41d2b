// Workflow runs in the state ref: reading one, all, or the one a reference
// names (an id, a unique id prefix, or a workflow's name: its newest run),
// and changing one as an operation 'wf.<verb>' whose content replay takes
// from the commit (the record and the step logs it names in `paths`).
import { checkIdentity, NotFoundError, withHint } from '../core/errors.ts';
import { uniqueByIdPrefix } from '../core/records.ts';
import {
  compareWfRuns,
  isWfRunId,
  parseWfRun,
  serializeWfRun,
  WF_DIR,
  type WfRun,
  wfRunPath,
} from '../core/workflows/run.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';

export async function readWfRun(snap: Snapshot, id: string): Promise<WfRun | null> {
  if (!isWfRunId(id)) return null;
  const text = await snap.readText(wfRunPath(id));
  if (text === null) return null;
  const run = parseWfRun(text, wfRunPath(id));
  checkIdentity(wfRunPath(id), run.id, id);
  return run;
}

/** Every run, oldest first. */
export async function listWfRuns(snap: Snapshot): Promise<WfRun[]> {
  const entries = (await snap.tree(WF_DIR)) ?? [];
  const ids = entries.map((e) => /^(w-[0-9a-z]{8})\.json$/.exec(e.name)?.[1]).filter((x): x is string => !!x);
  const runs = await Promise.all(ids.map(async (id) => (await readWfRun(snap, id))!));
  return runs.sort(compareWfRuns);
}

/**
 * The run a reference names: its id, a workflow's name (its newest run), or
 * a unique prefix of the part after 'w-', with or without 'w-'; several runs
 * by a prefix are ambiguous (129, naming them), none is not found (4).
 */
export async function resolveWfRun(snap: Snapshot, ref: string): Promise<WfRun> {
  if (isWfRunId(ref)) {
    const r = await readWfRun(snap, ref);
    if (r) return r;
  }
  const all = await listWfRuns(snap);
  const named = all.filter((r) => r.workflow === ref);
  if (named.length) return named[named.length - 1]!;
  const hash = ref.startsWith('w-') ? ref.slice(2) : ref;
  const hit = /^[0-9a-z]{1,8}$/.test(hash) ? uniqueByIdPrefix(all, `w-${hash}`, ref) : null;
  if (hit) return hit;
  throw withHint(new NotFoundError(`no workflow run '${ref}'`), "try 'sase wf list --runs'");
}

export interface WfWrite<T> {
  /** the new record; null writes nothing */
  run: WfRun | null;
  /** other files beside it (step logs) */
  files?: Array<{ path: string; text: string }>;
  /** what the operation names besides the run: the step, its new state */
  detail?: Record<string, unknown>;
  result: T;
}

/**
 * Changes one run as the operation `wf.<verb>`, built on the record as it is
 * in the current state (null when there is none), so a lost race is decided
 * on the winner's record.
 */
export async function commitWfRun<T>(
  store: Store,
  verb: string,
  id: string,
  at: string,
  build: (now: WfRun | null, snap: Snapshot) => WfWrite<T> | Promise<WfWrite<T>>,
): Promise<T> {
  const actor = (await store.ident()).email;
  const { result } = await store.transact(async (snap) => {
    const built = await build(await readWfRun(snap, id), snap);
    if (!built.run) return { op: { op: 'none' }, summary: '', changes: new Map(), result: built.result };
    const run = { ...built.run, updated_at: at };
    const changes = new Map<string, Buffer | null>([[wfRunPath(id), Buffer.from(serializeWfRun(run))]]);
    for (const f of built.files ?? []) changes.set(f.path, Buffer.from(f.text));
    const detail = { ...built.detail };
    // a step's change names the state it went to
    if (typeof detail.step === 'string' && detail.state === undefined)
      detail.state = run.steps.find((s) => s.id === detail.step)?.state;
    // ids: what sase-log names and filters by
    const op = { op: `wf.${verb}`, id, ids: [id], ...detail, paths: [...changes.keys()], at, actor };
    const what = [detail.step, detail.state ?? run.status].filter(Boolean).join(' ');
    return { op, summary: `wf ${verb} ${run.workflow} ${id}${what ? `: ${what}` : ''}`, changes, result: built.result };
  });
  return result;
}

/** Where a step attempt's output is kept: workflows/<run-id>/<step>.<n>.log (an instance x[2] as x@2). */
/** How many runs the state holds. */
export async function countWfRuns(snap: Snapshot): Promise<number> {
  return ((await snap.tree(WF_DIR)) ?? []).filter((e) => /^w-[0-9a-z]{8}\.json$/.test(e.name)).length;
}
