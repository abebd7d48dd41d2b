// Maintenance: while $GIT_COMMON_DIR/sase/axe/maintenance.json is there, ticks
// do nothing. It names its owner (the shell or script that entered it); a
// marker whose owner is gone, or older than a day, clears itself, so a
// forgotten one never stops the Axe for good.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from '../../git/repo.ts';
import { writeFileAtomic } from '../../proc/files.ts';
import { axeDir } from './history.ts';
import { ownerAlive, type ProcessOwner, processOwner } from './owner.ts';

export const MAINTENANCE_MAX_MS = 24 * 3_600_000;

export interface Maintenance {
  reason: string;
  since: string;
  /** the process whose life it lasts, with its start token */
  owner: ProcessOwner | null;
}

function file(repo: Pick<Repo, 'commonDir'>): string {
  return join(axeDir(repo), 'maintenance.json');
}

/** Enters maintenance for as long as `ownerPid` lives (at most a day); null owner: the day only. */
export function enterMaintenance(
  repo: Pick<Repo, 'commonDir'>,
  reason: string,
  since: string,
  ownerPid: number | null,
): Maintenance {
  const owner = ownerPid ? processOwner(ownerPid) : null;
  const m: Maintenance = { reason, since, owner };
  writeFileAtomic(file(repo), `${JSON.stringify(m)}\n`);
  return m;
}

/** Leaves maintenance; true when it was on. */
export function exitMaintenance(repo: Pick<Repo, 'commonDir'>): boolean {
  const was = readMarker(repo) !== null;
  rmSync(file(repo), { force: true });
  return was;
}

function readMarker(repo: Pick<Repo, 'commonDir'>): Maintenance | null {
  try {
    const m = JSON.parse(readFileSync(file(repo), 'utf8')) as Maintenance;
    return m && typeof m.reason === 'string' && typeof m.since === 'string' ? m : null;
  } catch {
    return null;
  }
}

/** Why a marker no longer holds (null: it holds). */
function expired(m: Maintenance, nowMs: number): string | null {
  const since = Date.parse(m.since);
  if (Number.isNaN(since) || nowMs - since > MAINTENANCE_MAX_MS) return 'older than 24 hours';
  if (m.owner && !ownerAlive(m.owner)) return `its owner (pid ${m.owner.pid}) is gone`;
  return null;
}

/** The maintenance in force, or null; a marker that no longer holds is removed here, and why is told. */
export function maintenanceState(
  repo: Pick<Repo, 'commonDir'>,
  nowMs: number,
): { active: Maintenance | null; cleared: string | null } {
  const m = readMarker(repo);
  if (!m) return { active: null, cleared: null };
  const why = expired(m, nowMs);
  if (!why) return { active: m, cleared: null };
  rmSync(file(repo), { force: true });
  return { active: null, cleared: `maintenance '${m.reason}' cleared itself: ${why}` };
}
