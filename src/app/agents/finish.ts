// The end of a run, whoever sees it (its supervisor, a kill, a reap): the
// work it left judged first (finalize.ts), then the commits it made (each
// noted in refs/notes/sase with run, bead, plan and change), its log stored
// in the ref, its status, and its bead closed when it succeeded with a
// commit (or said no change was needed), else released with a note, all in
// one operation. Then a
// follow-up's commits are added to its change and a mentor's comments to the
// change it reviewed. Finishing twice is a no-op: the first one wins.
import { readFileSync } from 'node:fs';
import { sessionFromTranscript, usageFromTranscript } from '../../core/agents/prompts.ts';
import { type AgentRun, isFinished, MAX_LOG_BYTES, runLogPath, secondsBetween } from '../../core/agents/run.ts';
import type { BeadOp } from '../../core/beads/ops.ts';
import { commitsSince } from '../../git/workspaces.ts';
import { BoundedCapture } from '../../proc/hooks.ts';
import { readBeads } from '../../store/beads.ts';
import { appendNotes } from '../../store/notes.ts';
import { commitRuns, readRun } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { recordCommits } from '../changes/stack.ts';
import { setWorkspaceHolder } from '../workspaces/workspaces.ts';
import { judgeEnd, type Outcome } from './finalize.ts';
import { recordMentorAnswer } from './mentors.ts';
import { dropRuntime, liveLogPath } from './runtime.ts';

export type { Outcome };

export interface Finished {
  run: AgentRun;
  /** this call recorded the end (false: somebody else had already) */
  recorded: boolean;
  /** what went wrong after the run's own record was written (notes, change, mentor) */
  warnings: string[];
}

/** The live log as stored: all of it, or its head and tail around a cut line. */
function boundedLog(path: string): { text: string; bytes: number } {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return { text: '', bytes: 0 };
  }
  if (data.length <= MAX_LOG_BYTES) return { text: data.toString('utf8'), bytes: data.length };
  const cap = new BoundedCapture(MAX_LOG_BYTES);
  cap.push(data);
  return { text: cap.result().toString('utf8'), bytes: data.length };
}

/** The note on a bead whose run succeeded without a commit: why it is released, and how an agent says "nothing to do". */
function noCommitNote(runId: string): string {
  return `run ${runId} ended without a commit, so the bead is released, not closed (an agent that finds nothing to change ends its output with {"sase":"noop","reason":"..."})`;
}

export async function finishRun(store: Store, id: string, given: Outcome, at: string): Promise<Finished> {
  const repo = store.repo;
  const before = await readRun(await store.snapshot(), id);
  if (!before) throw new Error(`run '${id}' vanished`);
  if (isFinished(before.status)) return { run: before, recorded: false, warnings: [] };
  const ws = before.workspace;
  const log = boundedLog(liveLogPath(repo, id));
  const { outcome, note, noop } = await judgeEnd(store, before, given, log.text);
  const commits = ws ? await commitsSince(repo, ws.path, ws.base).catch(() => [] as string[]) : [];
  // a land run's work is its phases', merged into its workspace before it started
  const worked = commits.length > 0 || !!before.stack?.cs;
  // notes and the change's commits first: whoever sees the run ended sees them too (both are idempotent)
  const warnings: string[] = [];
  if (commits.length) {
    const plan = before.bead ? ((await readBeads(await store.snapshot(), [before.bead]))[0]?.design ?? null) : null;
    const record = {
      v: 1,
      agent: before.id,
      bead: before.bead ?? undefined,
      changespec: before.changespec ?? undefined,
      plan: plan ?? undefined,
    };
    await appendNotes(
      store,
      commits.map((commit) => ({ commit, record })),
    ).catch((err) => warnings.push(`cannot note the run's commits: ${(err as Error).message}`));
    if (before.changespec && !before.mentor) {
      await recordCommits(store, at, before.changespec, { revs: [], bead: before.bead, rerecord: false }).catch((err) =>
        warnings.push(`cannot add the commits to change '${before.changespec}': ${(err as Error).message}`),
      );
    }
  }
  const actor = (await store.ident()).email;
  const ok = outcome.status === 'done';
  const { result } = await commitRuns(store, at, async ({ snap, beads }) => {
    const run = await readRun(snap, id);
    if (!run || isFinished(run.status)) return { op: null, result: { run: run ?? before, recorded: false } };
    const next: AgentRun = {
      ...run,
      status: outcome.status,
      exit_code: outcome.exit_code,
      signal: outcome.signal,
      error: outcome.error,
      note,
      noop,
      ended_at: at,
      seconds: secondsBetween(run.started_at ?? run.created_at, at),
      heartbeat_at: at,
      commits,
      session: run.session ?? sessionFromTranscript(log.text),
      usage: usageFromTranscript(log.text) ?? run.usage,
      log_bytes: log.bytes,
    };
    const ops: BeadOp[] = [];
    const b = run.bead ? await beads.get(run.bead) : null;
    if (b && b.assignee === run.id && (b.status === 'claimed' || b.status === 'in_progress')) {
      if (ok && run.close_bead && !worked && !noop) {
        next.note = [note, `no commit: bead ${b.id} released`].filter(Boolean).join('; ');
        ops.push({ op: 'bead.release', ids: [b.id], force: true, at, actor });
        ops.push({ op: 'bead.note', id: b.id, text: noCommitNote(run.id), at, actor });
      } else if (ok && run.close_bead) {
        const open = (await Promise.all((await beads.childrenOf(b.id)).map((c) => beads.get(c)))).some(
          (c) => c && c.status !== 'closed',
        );
        if (!open)
          ops.push({
            op: 'bead.close',
            ids: [b.id],
            reason: worked ? `done by run ${run.id}` : `no change needed (run ${run.id}): ${noop}`,
            resolution: 'done',
            force: false,
            at,
            actor,
          });
      } else if (!ok) {
        const where = ws?.n !== null && ws?.n !== undefined ? `; its work is kept in workspace #${ws.n}` : '';
        ops.push({ op: 'bead.release', ids: [b.id], force: true, at, actor });
        ops.push({
          op: 'bead.note',
          id: b.id,
          text: `run ${run.id} ${outcome.status}: ${outcome.error ?? `exit code ${outcome.exit_code}`}${where} ('sase agent retry ${run.id}')`,
          at,
          actor,
        });
      }
    }
    return {
      op: { op: 'agent.end', id, status: outcome.status },
      runs: [next],
      files: [{ path: runLogPath(id), text: log.text }],
      beadOps: ops,
      result: { run: next, recorded: true },
    };
  });
  if (!result.recorded) return { run: result.run, recorded: false, warnings };
  const run = result.run;
  if (run.mentor)
    await recordMentorAnswer(store, run, log.text, at).catch((err) =>
      warnings.push(`cannot record the mentor's answer: ${(err as Error).message}`),
    );
  if (ws && ws.n !== null && ws.n !== 0) await setWorkspaceHolder(store, ws.n, { state: 'finished' }).catch(() => {});
  dropRuntime(repo, id, true);
  return { run, recorded: true, warnings };
}
