// A change's hooks: adding and removing the commands (with their stored
// logs), and running them: each hook in a fresh detached worktree at one
// recorded commit, with a time limit, its output kept beside the change and
// every run recorded in the HOOKS drawers in one commit.

import type { HookRunResult } from '../../core/changes/hooks.ts';
import { findHook, hookEnding, isBlocking, shellText } from '../../core/changes/hooks.ts';
import { type ChangeSpec, type Hook, type HookRun, hookLogPath } from '../../core/changes/spec.ts';
import { FatalError, NotFoundError, RefusedError, withHint } from '../../core/errors.ts';
import type { FileChange } from '../../core/sdd/ops.ts';
import { resolveCommitish } from '../../git/branches.ts';
import { addTempWorktree, removeTempWorktree, unlocatedEnv } from '../../git/worktree.ts';
import type { HookProcess } from '../../proc/hooks.ts';
import { runHookProcess } from '../../proc/hooks.ts';
import { commitChange, mustReadChange } from '../../store/changes.ts';
import type { Snapshot } from '../../store/snapshot.ts';
import type { Store } from '../../store/store.ts';

// ---- adding and removing --------------------------------------------------------

export async function addHook(
  store: Store,
  at: string,
  name: string,
  command: string,
): Promise<{ change: ChangeSpec; index: number }> {
  const { result } = await commitChange(store, at, async (snap) => {
    const c = await mustReadChange(snap, name);
    if (c.hooks.some((h) => h.command === command))
      throw new RefusedError(`change '${name}' has the hook '${command}' already`);
    const change: ChangeSpec = { ...c, hooks: [...c.hooks, { command, runs: [] }] };
    return {
      op: { op: 'cs.hook-add', name, command },
      changes: [change],
      result: { change, index: change.hooks.length },
    };
  });
  return result;
}

/** The stored logs of a change's hooks: path -> [hook, commit]. */
async function hookLogs(snap: Snapshot, name: string): Promise<Array<{ path: string; hook: number; commit: number }>> {
  const dir = hookLogPath(name, 1, 1).replace(/\/[^/]+$/, '');
  const entries = (await snap.tree(dir)) ?? [];
  return entries.flatMap((e) => {
    const m = /^(\d+)-(\d+)\.log$/.exec(e.name);
    return m && e.mode !== '40000' ? [{ path: `${dir}/${e.name}`, hook: Number(m[1]), commit: Number(m[2]) }] : [];
  });
}

/**
 * Removes a hook with its runs. Its logs leave the tree (they stay in the
 * state ref's history); the logs of the hooks after it follow their new numbers.
 */
export async function removeHook(
  store: Store,
  at: string,
  name: string,
  which: string,
): Promise<{ change: ChangeSpec; index: number; command: string }> {
  const { result } = await commitChange(store, at, async (snap) => {
    const c = await mustReadChange(snap, name);
    const index = findHook(c, which);
    const command = c.hooks[index - 1]!.command;
    const change: ChangeSpec = { ...c, hooks: c.hooks.filter((_, i) => i !== index - 1) };
    const files: FileChange[] = [];
    const moved = new Set<string>();
    for (const log of await hookLogs(snap, name)) {
      if (log.hook < index) continue;
      if (log.hook > index) {
        const to = hookLogPath(name, log.hook - 1, log.commit);
        files.push({ path: to, text: (await snap.readText(log.path)) ?? '' });
        moved.add(to);
      }
    }
    for (const log of await hookLogs(snap, name))
      if (log.hook >= index && !moved.has(log.path)) files.push({ path: log.path, text: null });
    return {
      op: { op: 'cs.hook-rm', name, command, index },
      changes: [change],
      files,
      result: { change, index, command },
    };
  });
  return result;
}

// ---- running -------------------------------------------------------------------

export interface RunHooksOptions {
  name: string;
  /** the commit's number in COMMITS; default the last */
  commit?: number;
  /** one hook's number; default every hook */
  hook?: number;
  timeoutSeconds: number;
  /** the environment hooks start from (sase's own) */
  env: Record<string, string | undefined>;
  now(): string;
  onStart?(i: number, total: number, command: string): void;
  onEnd?(run: HookRunResult): void;
  /** a problem that did not stop the run (a worktree that could not be cleaned) */
  warn?(message: string): void;
}

interface PendingRun extends HookRunResult {
  logText: string;
}

/**
 * Runs a change's hooks against one recorded commit and records every run
 * (drawer line and log) in one commit. A run lands on the hook with the same
 * text in the record as it is then (the hooks may have changed meanwhile);
 * a hook removed meanwhile, or a commit re-recorded with another SHA, leaves
 * its run unrecorded (log null).
 */
export async function runHooks(store: Store, opts: RunHooksOptions): Promise<HookRunResult[]> {
  const { name } = opts;
  const c = await mustReadChange(await store.snapshot(), name);
  if (c.commits.length === 0) {
    throw withHint(new RefusedError(`change '${name}' has no commits recorded`), `run 'sase cs commit ${name}'`);
  }
  const n = opts.commit ?? c.commits.length;
  if (n < 1 || n > c.commits.length)
    throw new NotFoundError(`change '${name}' has no commit (${n}) (it has ${c.commits.length})`);
  const entry = c.commits[n - 1]!;
  const sha = await resolveCommitish(store.repo, entry.sha);
  if (!sha) throw new NotFoundError(`commit (${n}) ${entry.sha} of change '${name}' is not in this repository`);
  const chosen = c.hooks
    .map((h, i) => ({ h, index: i + 1 }))
    .filter(({ index }) => opts.hook === undefined || index === opts.hook);
  if (opts.hook !== undefined && chosen.length === 0) {
    throw new NotFoundError(`change '${name}' has no hook ${opts.hook} (it has ${c.hooks.length})`);
  }

  const pending: PendingRun[] = [];
  for (const [i, { h, index }] of chosen.entries()) {
    opts.onStart?.(i + 1, chosen.length, h.command);
    const at = opts.now();
    const dir = await addTempWorktree(store.repo, sha, `${name}-${index}-${n}`);
    let p: HookProcess;
    try {
      p = await runHookProcess({
        command: shellText(h.command),
        cwd: dir,
        env: { ...unlocatedEnv(opts.env), SASE_CHANGE: name, SASE_COMMIT: String(n), SASE_COMMIT_SHA: sha, PWD: dir },
        timeoutMs: opts.timeoutSeconds * 1000,
        clock: store.clock,
      });
    } finally {
      const problem = await removeTempWorktree(store.repo, dir);
      if (problem) opts.warn?.(problem);
    }
    if (p.interrupted)
      throw new FatalError(`interrupted while running hook ${index} of change '${name}'; nothing recorded`);
    const passed = p.exitCode === 0 && !p.timedOut;
    const end = hookEnding(p, opts.timeoutSeconds);
    let logText = p.output.toString('utf8');
    if (end) logText += `${logText && !logText.endsWith('\n') ? '\n' : ''}${end}\n`;
    const run: PendingRun = {
      change: name,
      hook: index,
      command: h.command,
      blocking: isBlocking(h.command),
      commit: n,
      sha,
      result: passed ? 'PASSED' : 'FAILED',
      at,
      seconds: Math.round(p.seconds),
      exit_code: p.exitCode,
      timed_out: p.timedOut,
      output_bytes: p.bytes,
      log: null,
      logText,
    };
    pending.push(run);
    opts.onEnd?.(strip(run));
  }
  if (pending.length === 0) return [];

  const { result } = await commitChange(store, opts.now(), async (snap) => {
    const cur = await mustReadChange(snap, name);
    const sameCommit = cur.commits[n - 1]?.sha === entry.sha;
    const hooks: Hook[] = cur.hooks.map((h) => ({ ...h, runs: [...h.runs] }));
    const files: FileChange[] = [];
    const out: HookRunResult[] = [];
    for (const r of pending) {
      const i = hooks.findIndex((h) => h.command === r.command);
      if (i < 0 || !sameCommit) {
        out.push({ ...strip(r), log: null });
        continue;
      }
      const line: HookRun = { commit: n, at: r.at, result: r.result, seconds: r.seconds };
      const runs = hooks[i]!.runs;
      const same = runs.findIndex((x) => x.commit === n);
      if (same >= 0) runs[same] = line;
      else runs.push(line);
      const path = hookLogPath(name, i + 1, n);
      files.push({ path, text: r.logText });
      out.push({ ...strip(r), hook: i + 1, log: path });
    }
    const recorded = out.filter((r) => r.log !== null);
    return {
      op: recorded.length
        ? {
            op: 'cs.hook-run',
            name,
            commit: n,
            sha,
            hooks: recorded.map((r) => r.hook),
            results: recorded.map((r) => r.result),
          }
        : null,
      changes: recorded.length ? [{ ...cur, hooks }] : [],
      files,
      result: out,
    };
  });
  for (const r of result)
    if (r.log === null)
      opts.warn?.(
        `the run of hook '${r.command}' was not recorded: the hook or commit (${n}) of change '${name}' changed while it ran`,
      );
  return result;
}

function strip(r: PendingRun): HookRunResult {
  const { logText: _, ...rest } = r;
  return rest;
}
