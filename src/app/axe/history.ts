// What the Axe remembers on this machine, never in the state ref: under
// $GIT_COMMON_DIR/sase/axe/, state.json (the last tick, each lumberjack's and
// chop's last run) and chops/<name>/<run-id>/ (the context, result and log of
// the last runs of each chop, trimmed to [axe] history).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ChopResult, parseChopResult } from '../../core/axe/result.ts';
import type { AxeState } from '../../core/axe/views.ts';
import type { Random } from '../../core/clock.ts';
import type { Repo } from '../../git/repo.ts';
import { localDir, localPath } from '../../git/repo.ts';
import { writeFileAtomic } from '../../proc/files.ts';

export function axeDir(repo: Pick<Repo, 'commonDir'>): string {
  return localDir(repo, 'axe');
}

const EMPTY: AxeState = { v: 1, last_tick: null, lumberjacks: {}, chops: {}, last_digest_at: null };

function statePath(repo: Pick<Repo, 'commonDir'>): string {
  return localPath(repo, 'axe', 'state.json');
}

export function readAxeState(repo: Pick<Repo, 'commonDir'>): AxeState {
  try {
    const v = JSON.parse(readFileSync(statePath(repo), 'utf8')) as AxeState;
    if (v && v.v === 1 && typeof v.lumberjacks === 'object' && typeof v.chops === 'object') return { ...EMPTY, ...v };
  } catch {
    // none yet, or torn by hand: start again (it is only a memory of this machine)
  }
  return structuredClone(EMPTY);
}

/** Reads, changes and writes the state at once (a manual chop run may write while a tick does). */
export function updateAxeState(repo: Pick<Repo, 'commonDir'>, change: (s: AxeState) => void): AxeState {
  const s = readAxeState(repo);
  change(s);
  axeDir(repo);
  writeFileAtomic(statePath(repo), `${JSON.stringify(s, null, 1)}\n`);
  return s;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A chop run's id: its start time and 4 random characters, so names sort by time ('20261202T061500Z-k3f9'). */
export async function newChopRunId(at: string, random: Random): Promise<string> {
  const bytes = await random(4);
  return `${at.replace(/[-:]/g, '').replace(/\.\d+/, '')}-${[...bytes].map((b) => BASE36[b % 36]).join('')}`;
}

const RUN_ID_RE = /^\d{8}T\d{6}Z-[0-9a-z]{4}$/;

export function chopRunsDir(repo: Pick<Repo, 'commonDir'>, chop: string): string {
  return localPath(repo, 'axe', 'chops', chop);
}

/** The folder of one chop run, made. */
export function chopRunDir(repo: Pick<Repo, 'commonDir'>, chop: string, runId: string): string {
  const dir = join(chopRunsDir(repo, chop), runId);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The ids of a chop's runs kept here, newest first (their names only: nothing is read). */
export function chopRunIds(repo: Pick<Repo, 'commonDir'>, chop: string): string[] {
  try {
    return readdirSync(chopRunsDir(repo, chop))
      .filter((n) => RUN_ID_RE.test(n))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** What a kept run of a chop answered; null while it runs, or when it left no readable result. */
export function chopRunResult(repo: Pick<Repo, 'commonDir'>, chop: string, runId: string): ChopResult | null {
  const file = join(chopRunsDir(repo, chop), runId, 'result.json');
  if (!existsSync(file)) return null;
  const r = parseChopResult(readFileSync(file, 'utf8'));
  return typeof r === 'string' ? null : r;
}

/** The previous run of a chop that left a result: what its context's `previous` names. */
export function previousChopRun(
  repo: Pick<Repo, 'commonDir'>,
  chop: string,
): { run_id: string; at: string; result: ChopResult } | null {
  for (const run_id of chopRunIds(repo, chop).slice(0, 20)) {
    const result = chopRunResult(repo, chop, run_id);
    if (!result) continue;
    let at = '';
    try {
      at =
        (JSON.parse(readFileSync(join(chopRunsDir(repo, chop), run_id, 'context.json'), 'utf8')) as { at?: string })
          .at ?? '';
    } catch {
      // a run without its context still tells its result
    }
    return { run_id, at, result };
  }
  return null;
}

/** Keeps the newest `keep` runs of a chop; returns how many were removed. */
export function trimChopRuns(repo: Pick<Repo, 'commonDir'>, chop: string, keep: number): number {
  const old = chopRunIds(repo, chop).slice(keep);
  for (const run_id of old) rmSync(join(chopRunsDir(repo, chop), run_id), { recursive: true, force: true });
  return old.length;
}

/** Every chop that has runs kept here. */
export function chopsWithHistory(repo: Pick<Repo, 'commonDir'>): string[] {
  try {
    return readdirSync(localPath(repo, 'axe', 'chops')).sort();
  } catch {
    return [];
  }
}

/**
 * What a built-in chop noted after a pass that found nothing to do: the state
 * tip it looked at, and that nothing else could move (no run going or
 * waiting). While the tip stays there, its next pass can answer at once.
 */
export interface QuietMemo {
  tip: string | null;
}

function memoPath(repo: Pick<Repo, 'commonDir'>, chop: string): string {
  return localPath(repo, 'axe', `${chop}.quiet.json`);
}

export function readQuietMemo(repo: Pick<Repo, 'commonDir'>, chop: string): QuietMemo | null {
  try {
    const m = JSON.parse(readFileSync(memoPath(repo, chop), 'utf8')) as QuietMemo;
    return m && 'tip' in m ? m : null;
  } catch {
    return null;
  }
}

/** Notes a quiet pass at `tip`; null forgets it (the next pass looks again). */
export function writeQuietMemo(repo: Pick<Repo, 'commonDir'>, chop: string, tip: string | null | undefined): void {
  if (tip === undefined) {
    rmSync(memoPath(repo, chop), { force: true });
    return;
  }
  axeDir(repo);
  writeFileAtomic(memoPath(repo, chop), JSON.stringify({ tip }));
}
