// The process a lock or a marker lasts for: its pid, its start token (so a
// pid reused by another process is not taken for it) and its host (a process
// of another machine cannot be asked, so it counts as alive).
import { processStartToken } from '../../proc/agent-process.ts';
import { thisHost } from '../agents/runtime.ts';

export interface ProcessOwner {
  pid: number;
  start: string | null;
  host: string;
}

/** The owner record of a process of this machine. */
export function processOwner(pid: number): ProcessOwner {
  return { pid, start: processStartToken(pid), host: thisHost() };
}

/** Whether the owner still runs: another host's is taken as alive; here, the same pid with the same start. */
export function ownerAlive(o: ProcessOwner): boolean {
  if (o.host !== thisHost()) return true;
  const start = processStartToken(o.pid);
  return start !== null && (o.start === null || o.start === start);
}
