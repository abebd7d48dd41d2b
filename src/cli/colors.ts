// Colours for text on a terminal: picocolors, loaded only when colour is on.
// Loading it reads process.stdout.isTTY, which creates the stdout stream
// (about 8 ms of every run, measured here), so a command whose output is
// piped never loads it and gets the plain palette below. Also the one table
// of which colour each status of each kind of record is shown in.
import type { RunStatus } from '../core/agents/run.ts';
import type { Status as BeadStatus } from '../core/beads/model.ts';
import type { MentorStatus } from '../core/changes/mentors.ts';
import type { ChangeStatus, HookRun } from '../core/changes/spec.ts';
import type { NotificationState, Severity } from '../core/notifications/model.ts';
import type { PlanStatus } from '../core/sdd/paths.ts';
import type { StepState, WfRunStatus } from '../core/workflows/run.ts';

export type Colors = ReturnType<typeof import('picocolors')['createColors']>;

// the bundles in dist/ are CommonJS, where require is the synchronous loader
declare const require: ((id: string) => unknown) | undefined;

const NAMES = [
  'reset',
  'bold',
  'dim',
  'italic',
  'underline',
  'inverse',
  'hidden',
  'strikethrough',
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'bgBlack',
  'bgRed',
  'bgGreen',
  'bgYellow',
  'bgBlue',
  'bgMagenta',
  'bgCyan',
  'bgWhite',
  'blackBright',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
  'bgBlackBright',
  'bgRedBright',
  'bgGreenBright',
  'bgYellowBright',
  'bgBlueBright',
  'bgMagentaBright',
  'bgCyanBright',
  'bgWhiteBright',
] as const;

const plain = Object.fromEntries([
  ['isColorSupported', false],
  ...NAMES.map((n) => [n, (input: unknown) => String(input ?? '')]),
]) as unknown as Colors;

/** `--color=<when>`, as git takes it. */
export type ColorWhen = 'auto' | 'always' | 'never';
export const COLOR_WHEN: readonly ColorWhen[] = ['auto', 'always', 'never'];

/**
 * What the user asked for, before any stream is looked at:
 * `--color=always|never` (and `--no-color`) decide; then NO_COLOR (set and
 * not empty, no-color.org) turns colour off; FORCE_COLOR turns it on (off
 * when it is '0' or 'false', as supports-color reads it); else 'auto'.
 */
export function colorChoice(when: ColorWhen, env: Record<string, string | undefined>): ColorWhen {
  if (when !== 'auto') return when;
  if (env.NO_COLOR) return 'never';
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false' ? 'always' : 'never';
  return 'auto';
}

/** Whether text for a stream is coloured: as chosen, and when 'auto' only on a terminal that is not dumb. */
export function colorWanted(when: ColorWhen, env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const choice = colorChoice(when, env);
  if (choice !== 'auto') return choice === 'always';
  return isTTY && env.TERM !== 'dumb';
}

export function createColors(enabled: boolean): Colors {
  if (!enabled || typeof require !== 'function') return plain;
  return (require('picocolors') as { createColors(enabled: boolean): Colors }).createColors(true);
}

/** A colour by its picocolors name. */
export type ColorName = 'green' | 'yellow' | 'red' | 'magenta' | 'cyan' | 'blue' | 'dim';

type Palette<S extends string> = { readonly [K in S]?: ColorName };

/**
 * How each kind of record colours its statuses: one table a kind, so a
 * status looks the same wherever it is shown. A status not listed is plain.
 */
export const STATUS_COLORS = {
  bead: { open: 'green', claimed: 'yellow', in_progress: 'yellow', closed: 'dim' } satisfies Palette<BeadStatus>,
  change: {
    WIP: 'yellow',
    Draft: 'cyan',
    Ready: 'blue',
    Mailed: 'magenta',
    Submitted: 'green',
    Reverted: 'red',
    Archived: 'dim',
  } satisfies Palette<ChangeStatus>,
  run: {
    done: 'green',
    failed: 'red',
    killed: 'magenta',
    running: 'yellow',
    waiting: 'cyan',
    queued: 'cyan',
  } satisfies Palette<RunStatus>,
  /** a run as a bead's card lists it: done, or how it failed; anything else is still going */
  beadRun: {
    done: 'green',
    failed: 'red',
    killed: 'red',
    running: 'yellow',
    waiting: 'yellow',
    queued: 'yellow',
  } satisfies Palette<RunStatus>,
  /** workflow runs and their steps */
  workflow: {
    done: 'green',
    failed: 'red',
    running: 'yellow',
    waiting_approval: 'magenta',
    skipped: 'dim',
    pending: 'dim',
  } satisfies Palette<StepState | WfRunStatus>,
  plan: {
    draft: 'cyan',
    approved: 'green',
    in_progress: 'yellow',
    done: 'dim',
    abandoned: 'dim',
    invalid: 'red',
  } satisfies Palette<PlanStatus | 'invalid'>,
  mentor: {
    STARTING: 'cyan',
    RUNNING: 'cyan',
    PASSED: 'green',
    COMMENTED: 'yellow',
    FAILED: 'red',
    KILLED: 'magenta',
  } satisfies Palette<MentorStatus>,
  /** a hook's result on a commit */
  hook: { PASSED: 'green', FAILED: 'red', RUNNING: 'yellow' } satisfies Palette<HookRun['result']>,
  notification: { unread: 'cyan', read: 'dim', dismissed: 'dim' } satisfies Palette<NotificationState>,
  severity: { info: 'blue', warning: 'yellow', error: 'red' } satisfies Palette<Severity>,
} as const;

export type StatusKind = keyof typeof STATUS_COLORS;

/** `text` (the status itself by default) in the colour its kind gives `status`. */
export function statusColor(colors: Colors, kind: StatusKind, status: string, text = status): string {
  const palette: Palette<string> = STATUS_COLORS[kind];
  const name = palette[status];
  return name ? colors[name](text) : text;
}
