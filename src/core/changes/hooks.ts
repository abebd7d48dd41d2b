// A change's hooks as data: which block, the text a shell gets, checking a
// new one, finding one, and what still keeps a change from passing.
import { NotFoundError, UsageError } from '../errors.ts';
import { type ChangeSpec, checkOneLine, formatDuration, type HookRun } from './spec.ts';

/** One hook run against one commit of a change, as it was recorded. */
export interface HookRunResult {
  change: string;
  /** the hook's number (1-based) when it was recorded */
  hook: number;
  command: string;
  blocking: boolean;
  commit: number;
  sha: string;
  result: 'PASSED' | 'FAILED';
  at: string;
  seconds: number;
  exit_code: number | null;
  timed_out: boolean;
  /** output bytes the hook printed in all (the log keeps at most 1 MiB) */
  output_bytes: number;
  /** where the output is stored in the state ref; null when the run could not be recorded */
  log: string | null;
}

/** The time limit of one hook when none is given. */
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 600;

/** Whether a hook's failure blocks submit and mentors (no leading '!'). */
export function isBlocking(command: string): boolean {
  return !command.startsWith('!');
}

/** The text given to `sh -c`: the command without its '!' marker. */
export function shellText(command: string): string {
  return command.replace(/^!\s*/, '');
}

/** A hook command as it will be stored: one line, trimmed, something to run after any '!'. */
export function checkHookCommand(text: string): string {
  const command = checkOneLine('hook command', text.trim());
  if (shellText(command).trim() === '') throw new UsageError("hook command '!' runs nothing");
  return command;
}

/**
 * The blocking hooks that have not passed against the change's latest
 * recorded commit (never run, failed or still running): what keeps it from
 * submit. A change without commits or hooks has none.
 */
export function hooksNotPassing(
  c: ChangeSpec,
): Array<{ hook: number; command: string; result: HookRun['result'] | null }> {
  const n = c.commits.length;
  if (n === 0) return [];
  return c.hooks.flatMap((h, i) => {
    if (!isBlocking(h.command)) return [];
    const run = h.runs.find((r) => r.commit === n);
    return run?.result === 'PASSED' ? [] : [{ hook: i + 1, command: h.command, result: run?.result ?? null }];
  });
}

/** Finds a hook by its exact text, else by its 1-based number. */
export function findHook(c: ChangeSpec, which: string): number {
  const byText = c.hooks.findIndex((h) => h.command === which.trim());
  if (byText >= 0) return byText + 1;
  if (/^\d+$/.test(which) && Number(which) >= 1 && Number(which) <= c.hooks.length) return Number(which);
  const have = c.hooks.length
    ? `it has ${c.hooks.length}: ${c.hooks.map((h, i) => `${i + 1} '${h.command}'`).join(', ')}`
    : 'it has none';
  throw new NotFoundError(`change '${c.name}' has no hook '${which}' (${have})`);
}

/** What ended a run, as the last line of its log (only when it did not pass). */
export function hookEnding(
  p: { exitCode: number | null; signal: string | null; timedOut: boolean },
  timeoutSeconds: number,
): string | null {
  if (p.timedOut) return `[sase] timed out after ${formatDuration(timeoutSeconds)}; the hook's processes were killed`;
  if (p.signal) return `[sase] killed by ${p.signal}`;
  if (p.exitCode !== 0) return `[sase] exited with status ${p.exitCode ?? 'unknown'}`;
  return null;
}
