// The operation log's commits: a state commit's message is a human first
// line (`sase: close sase-k3f9`) and the operation as one JSON line after the
// trailer `Sase-Op: `, which replay and the log read back.

/** An operation as recorded: its name and its arguments. */
export interface Op {
  op: string;
  [key: string]: unknown;
}

export const OP_TRAILER = 'Sase-Op: ';

/** The commit message of an operation. */
export function opMessage(summary: string, op: Op): string {
  return `sase: ${summary}\n\n${OP_TRAILER}${JSON.stringify(op)}\n`;
}

/** The summary a commit message gives: its first line without 'sase: '. */
export function messageSummary(message: string): string {
  return message.split('\n')[0]!.replace(/^sase: /, '');
}

/** Reads the operation recorded in a state commit's message. */
export function parseOpFromMessage(message: string): Op | null {
  const line = message.split('\n').find((l) => l.startsWith(OP_TRAILER));
  if (!line) return null;
  try {
    const op = JSON.parse(line.slice(OP_TRAILER.length));
    return op && typeof op === 'object' && typeof op.op === 'string' ? op : null;
  } catch {
    return null;
  }
}

/**
 * The records an operation names: its ids (a change's comments as
 * <change>#<n>, as their records name them), else the paths it wrote, else
 * its plan, record, blocker and bead.
 */
export function opSubjects(op: Op | null): string[] {
  if (!op) return [];
  if (Array.isArray(op.ids))
    return op.ids.map((x) => (typeof x === 'number' && typeof op.name === 'string' ? `${op.name}#${x}` : String(x)));
  if (Array.isArray(op.paths)) return op.paths.map(String);
  const out: string[] = [];
  if (typeof op.path === 'string') out.push(op.path); // a plan operation names its plan
  if (typeof op.id === 'string') out.push(op.id);
  if (typeof op.blocker === 'string') out.push(op.blocker);
  const bead = op.bead as { id?: unknown } | string | undefined;
  if (typeof bead === 'string') out.push(bead);
  else if (bead && typeof bead.id === 'string') out.push(bead.id);
  return out;
}
