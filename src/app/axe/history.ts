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

export interface ChopRunRecord {
  run_id: string;
  dir: string;
  /** null while it runs, or when it left no readable result */
  result: ChopResult | null;
}

/** The runs of a chop kept on this machine, newest first. */
export function chopRuns(
  repo: Pick<Repo, 'commonDir'>,
  chop: string,
  limit = Number.POSITIVE_INFINITY,
): ChopRunRecord[] {
  const dir = chopRunsDir(repo, chop);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => RUN_ID_RE.test(n));
  } catch {
    return [];
  }
  names.sort().reverse();
  return names.slice(0, limit).map((run_id) => {
    const file = join(dir, run_id, 'result.json');
    let result: ChopResult | null = null;
    if (existsSync(file)) {
      const r = parseChopResult(readFileSync(file, 'utf8'));
      result = typeof r === 'string' ? null : r;
    }
    return { run_id, dir: join(dir, run_id), result };
  });
}

/** The previous run of a chop that left a result: what its context's `previous` names. */
export function previousChopRun(
  repo: Pick<Repo, 'commonDir'>,
  chop: string,
): { run_id: string; at: string; result: ChopResult } | null {
  for (const r of chopRuns(repo, chop, 20)) {
    if (!r.result) continue;
    let at = '';
    try {
      at = (JSON.parse(readFileSync(join(r.dir, 'context.json'), 'utf8')) as { at?: string }).at ?? '';
    } catch {
      // a run without its context still tells its result
    }
    return { run_id: r.run_id, at, result: r.result };
  }
  return null;
}

/** Keeps the newest `keep` runs of a chop; returns how many were removed. */
export function trimChopRuns(repo: Pick<Repo, 'commonDir'>, chop: string, keep: number): number {
  const all = chopRuns(repo, chop);
  let n = 0;
  for (const r of all.slice(keep)) {
    rmSync(r.dir, { recursive: true, force: true });
    n++;
  }
  return n;
}

/** Every chop that has runs kept here. */
export function chopsWithHistory(repo: Pick<Repo, 'commonDir'>): string[] {
  try {
    return readdirSync(localPath(repo, 'axe', 'chops')).sort();
  } catch {
    return [];
  }
}
