// Running one chop: its context written to its history folder, then the chop
// found and run within its timeout (a built-in in this process when it has
// nothing to do or is light; anything else as a process group of its own,
// killed past the timeout), its result read and checked, the agent runs it
// proposes launched once per dedupe key, and the run remembered here.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChopConfig } from '../../core/axe/config.ts';
import type { ChopContext } from '../../core/axe/context.ts';
import { formatDuration } from '../../core/axe/duration.ts';
import { type ChopResult, chopResult, exitResult, parseChopResult } from '../../core/axe/result.ts';
import type { ChopOutcome, LaunchOutcome } from '../../core/axe/views.ts';
import type { Random } from '../../core/clock.ts';
import { findProgram, ownBinDir } from '../../proc/agent-process.ts';
import { runHookProcess } from '../../proc/hooks.ts';
import type { Store } from '../../store/store.ts';
import type { LaunchEnv } from '../agents/launch.ts';
import { BUILTIN_CHOPS, isBuiltinChop } from './chops/builtin.ts';
import type { ChopRun } from './chops/chop.ts';
import { chopRunDir, newChopRunId, previousChopRun, trimChopRuns, updateAxeState } from './history.ts';
import { launchProposed } from './launches.ts';

/** Where a chop's code is: a built-in, an executable (argv before --context), or nowhere (why). */
export type ChopWhere =
  | { kind: 'builtin'; name: string; display: string }
  | { kind: 'external'; argv: string[]; display: string }
  | { kind: 'missing'; reason: string };

/** Finds a chop: its configured command, else .sase/axe/chops/<name>, else a built-in, else sase-chop-<name> on PATH. */
export function findChop(store: Store, chop: ChopConfig, env: Record<string, string | undefined>): ChopWhere {
  if (chop.command)
    return { kind: 'external', argv: ['sh', '-c', `${chop.command} "$@"`, 'sh'], display: chop.command };
  const top = store.repo.topLevel;
  if (top) {
    const file = join(top, '.sase', 'axe', 'chops', chop.name);
    if (existsSync(file)) {
      try {
        if (!statSync(file).isFile() || !(statSync(file).mode & 0o111))
          return { kind: 'missing', reason: `chop '${chop.name}': '${file}' is not an executable file` };
      } catch {
        return { kind: 'missing', reason: `chop '${chop.name}': '${file}' cannot be read` };
      }
      return { kind: 'external', argv: [file], display: file };
    }
  }
  if (isBuiltinChop(chop.name))
    return { kind: 'builtin', name: chop.name, display: `built-in (sase-chop-${chop.name})` };
  const onPath = findProgram(`sase-chop-${chop.name}`, env);
  if (onPath) return { kind: 'external', argv: [onPath], display: onPath };
  return {
    kind: 'missing',
    reason: `chop '${chop.name}' not found: no .sase/axe/chops/${chop.name}, no built-in, no sase-chop-${chop.name} on PATH, no [axe.chops.${chop.name}] command`,
  };
}

export interface RunChopOptions {
  lumberjack: string;
  dryRun: boolean;
  targets?: string[];
  env: LaunchEnv;
  random: Random;
  /** aborted when the tick is asked to stop */
  signal?: AbortSignal;
  /** runs kept in the history */
  history: number;
  /** the wall clock when the tick started it */
  startedMs: number;
}

/** The context of a new run of a chop, written into its history folder. */
export async function prepareContext(
  store: Store,
  chop: string,
  opts: { lumberjack: string; dryRun: boolean; targets?: string[]; at: string; random: Random },
): Promise<ChopContext> {
  const run_id = await newChopRunId(opts.at, opts.random);
  const dir = chopRunDir(store.repo, chop, run_id);
  const context: ChopContext = {
    v: 1,
    repository: store.repo.topLevel ?? store.repo.commonDir,
    git_dir: store.repo.commonDir,
    lumberjack: opts.lumberjack,
    chop,
    run_id,
    at: opts.at,
    previous: previousChopRun(store.repo, chop),
    dry_run: opts.dryRun,
    targets: opts.targets ?? [],
    result_file: join(dir, 'result.json'),
  };
  writeFileSync(join(dir, 'context.json'), `${JSON.stringify(context, null, 1)}\n`);
  return context;
}

export async function runChop(store: Store, chop: ChopConfig, opts: RunChopOptions): Promise<ChopOutcome> {
  const started = store.clock.ms();
  const context = await prepareContext(store, chop.name, { ...opts, at: opts.env.at });
  const dir = join(context.result_file, '..');
  const logLines: string[] = [];
  let how: ChopOutcome['how'] = 'none';
  let result: ChopResult;
  const where = findChop(store, chop, opts.env.env);
  try {
    if (where.kind === 'missing') result = chopResult('check_error', where.reason);
    else if (where.kind === 'builtin') {
      const b = await BUILTIN_CHOPS[where.name]!.load();
      const ctl = new AbortController();
      opts.signal?.addEventListener('abort', () => ctl.abort());
      const run: ChopRun = {
        store,
        context,
        env: opts.env,
        signal: ctl.signal,
        log: (line) => logLines.push(line),
      };
      const idle = b.idle ? await b.idle(run) : null;
      if (idle) {
        how = 'in-process';
        result = idle;
      } else if (b.isolated) {
        how = 'process';
        result = await runExternal(store, chop, [join(ownBinDir(), `sase-chop-${b.name}`)], context, opts, logLines);
      } else {
        how = 'in-process';
        result = await withTimeout(b.run(run), chop.timeout_ms, ctl);
      }
    } else {
      how = 'process';
      result = await runExternal(store, chop, where.argv, context, opts, logLines);
    }
  } catch (err) {
    result = chopResult('failed', `chop '${chop.name}': ${(err as Error).message.split('\n')[0]}`);
  }
  let launched: LaunchOutcome[] = [];
  if (result.launches.length && !opts.dryRun && (result.status === 'ok' || result.status === 'no_op'))
    launched = await launchProposed(store, chop.name, result.launches, opts.env);
  else if (result.launches.length && opts.dryRun)
    launched = result.launches.map((l) => ({
      dedupe_key: l.dedupe_key,
      action: 'dry-run' as const,
      run: null,
      reason: null,
    }));
  for (const l of launched)
    logLines.push(`launch ${l.dedupe_key}: ${l.action}${l.run ? ` ${l.run}` : ''}${l.reason ? ` (${l.reason})` : ''}`);
  writeFileSync(context.result_file, `${JSON.stringify(result)}\n`);
  if (logLines.length) writeFileSync(join(dir, 'log'), `${logLines.join('\n')}\n`, { flag: 'a' });
  const seconds = Math.round(store.clock.ms() - started) / 1000;
  updateAxeState(store.repo, (s) => {
    s.chops[chop.name] = {
      at: opts.env.at,
      ms: opts.startedMs,
      status: result.status,
      summary: result.summary,
      run_id: context.run_id,
      seconds,
    };
  });
  trimChopRuns(store.repo, chop.name, opts.history);
  return {
    chop: chop.name,
    lumberjack: opts.lumberjack,
    run_id: context.run_id,
    at: opts.env.at,
    seconds,
    how,
    result,
    launched,
    dir,
  };
}

/** A built-in's promise within the timeout: past it the chop is told to stop, and the run counts as failed. */
async function withTimeout(p: Promise<ChopResult>, ms: number, ctl: AbortController): Promise<ChopResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ChopResult>((resolve) => {
    timer = setTimeout(() => {
      ctl.abort();
      resolve(chopResult('failed', `timed out after ${formatDuration(ms)}`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a chop's executable with --context in the repository, its output kept as its log; its result from the file, else from its exit. */
async function runExternal(
  store: Store,
  chop: ChopConfig,
  argv: string[],
  context: ChopContext,
  opts: RunChopOptions,
  logLines: string[],
): Promise<ChopResult> {
  const contextFile = join(context.result_file, '..', 'context.json');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, chop.env, {
    SASE_CHOP_RESULT_FILE: context.result_file,
    SASE_CHOP_CONTEXT: contextFile,
    SASE_CHOP: chop.name,
    SASE_DRY_RUN: context.dry_run ? '1' : '0',
  });
  const p = await runHookProcess({
    command: '',
    argv: [...argv, '--context', contextFile],
    cwd: context.repository,
    env,
    timeoutMs: chop.timeout_ms,
    signal: opts.signal,
    clock: store.clock,
  });
  const output = p.output.toString('utf8');
  if (output) logLines.push(output.replace(/\n$/, ''));
  if (p.timedOut)
    return chopResult('failed', `timed out after ${formatDuration(chop.timeout_ms)}; its process group was killed`);
  if (p.interrupted) return chopResult('failed', 'interrupted: the tick was asked to stop');
  let text: string | null = null;
  try {
    text = existsSync(context.result_file) ? readFileSync(context.result_file, 'utf8') : null;
  } catch {
    text = null;
  }
  if (text !== null && text.trim()) {
    const r = parseChopResult(text);
    if (typeof r === 'string') return chopResult('check_error', `chop '${chop.name}' wrote an invalid result: ${r}`);
    return r;
  }
  const last = output.trim().split('\n').pop() ?? '';
  return exitResult(p.exitCode, p.signal, p.exitCode === 0 ? '' : last.slice(0, 300));
}
