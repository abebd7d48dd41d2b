// What a key does to the records of an ACE list: each action runs the same
// command a person would type, so the screen and the commands never agree to
// differ. Letters go to the query (as in fzf), so actions sit on Alt and Ctrl
// keys; [ace.keys] moves them. Pure data and the checks of that table.
import { FatalError } from '../errors.ts';
import { ACE_TABS, type AceTab } from './tabs.ts';

/** A value asked for in the footer before the command runs; it fills `{input}` in the arguments. */
export interface AceAsk {
  question: string;
  /** the answers it takes (Tab cycles through them); none: free text */
  choices?: readonly string[];
  /** where the choices come from when they depend on the record: a change's open comments, a workflow's waiting step, the providers */
  choicesFrom?: 'comments' | 'waiting' | 'providers';
  /** what an empty answer means (none: the argument and its flag are left out) */
  default?: string;
  /** an empty answer is refused */
  required?: boolean;
}

export interface AceAction {
  name: string;
  /** the default key: alt-<letter or digit> or ctrl-<letter> */
  key: string;
  tabs: readonly AceTab[];
  /** the command it runs (sase-<command>); the targets' keys follow the arguments unless an argument names {key} */
  command: string;
  /** arguments; {key} is the record's key, {input} the answer asked for, {text} what $EDITOR gave */
  args?: readonly string[];
  /** asks y/N first */
  confirm?: boolean;
  /** one target at a time (the command takes one) */
  single?: boolean;
  ask?: AceAsk;
  /** asks for a text in $EDITOR first (the screen steps aside while it is open); an empty text cancels */
  editor?: string;
  /**
   * how it runs: 'captured' (the default: in the screen's process, its first
   * line in the footer), 'view' (its output full screen, to scroll), 'terminal'
   * (the screen steps aside and the command has the terminal: an editor, a
   * pager, a log followed), 'pager' (its output through $PAGER); and two that
   * read the record instead of running the command: 'path' (a run's
   * workspace folder in the footer, copied) and 'shell' (a shell there)
   */
  mode?: 'captured' | 'view' | 'terminal' | 'pager' | 'path' | 'shell';
  /** what it does, for the footer and the help */
  label: string;
}

const BEAD_STATUSES = ['open', 'claimed', 'in_progress'] as const;
const PLAN_STATUSES = ['approved', 'in_progress', 'done', 'abandoned', 'draft'] as const;

export const ACTIONS: readonly AceAction[] = [
  // beads
  { name: 'claim', key: 'alt-c', tabs: ['beads'], command: 'bead-claim', label: 'claim' },
  { name: 'release', key: 'alt-u', tabs: ['beads'], command: 'bead-release', label: 'release' },
  {
    name: 'close',
    key: 'alt-x',
    tabs: ['beads'],
    command: 'bead-close',
    args: ['--reason', '{input}'],
    ask: { question: 'close: the reason (Enter: none, Esc: do not close)' },
    label: 'close',
  },
  { name: 'reopen', key: 'alt-o', tabs: ['beads'], command: 'bead-reopen', label: 'reopen' },
  {
    name: 'priority',
    key: 'alt-p',
    tabs: ['beads'],
    command: 'bead-update',
    args: ['--priority', '{input}'],
    ask: { question: 'priority', choices: ['0', '1', '2', '3', '4'], required: true },
    label: 'priority',
  },
  {
    name: 'status',
    key: 'alt-t',
    tabs: ['beads'],
    command: 'bead-update',
    args: ['--status', '{input}'],
    ask: { question: 'status', choices: BEAD_STATUSES, required: true },
    label: 'status',
  },
  {
    name: 'agent',
    key: 'alt-n',
    tabs: ['beads'],
    command: 'agent-run',
    args: ['--bead', '{key}', '--provider', '{input}', '--detach', '{text}'],
    editor: 'What should the agent do for this bead? (an empty text starts nothing)',
    ask: { question: 'provider', choicesFrom: 'providers', required: true },
    single: true,
    label: 'run an agent',
  },
  {
    name: 'work',
    key: 'alt-w',
    tabs: ['beads'],
    command: 'bead-work',
    args: ['--detach', '--yes'],
    single: true,
    confirm: true,
    label: 'work the epic (detached)',
  },
  // plans
  { name: 'approve', key: 'alt-a', tabs: ['plans'], command: 'sdd-approve', single: true, label: 'approve' },
  { name: 'edit', key: 'alt-e', tabs: ['plans'], command: 'sdd-edit', single: true, mode: 'terminal', label: 'edit' },
  {
    name: 'status',
    key: 'alt-t',
    tabs: ['plans'],
    command: 'sdd-status',
    args: ['{key}', '{input}'],
    ask: { question: 'status', choices: PLAN_STATUSES, required: true },
    single: true,
    label: 'status',
  },
  {
    name: 'history',
    key: 'alt-h',
    tabs: ['plans'],
    command: 'sdd-history',
    args: ['--patch'],
    single: true,
    mode: 'view',
    label: 'history',
  },
  // changes
  { name: 'diff', key: 'alt-d', tabs: ['changes'], command: 'cs-diff', single: true, mode: 'pager', label: 'diff' },
  { name: 'hooks', key: 'alt-h', tabs: ['changes'], command: 'cs-hook-run', single: true, label: 'run hooks' },
  {
    name: 'mentor',
    key: 'alt-g',
    tabs: ['changes'],
    command: 'cs-mentor',
    args: ['--detach'],
    single: true,
    label: 'mentors',
  },
  { name: 'mail', key: 'alt-m', tabs: ['changes'], command: 'cs-mail', single: true, label: 'mail' },
  {
    name: 'submit',
    key: 'alt-s',
    tabs: ['changes'],
    command: 'cs-submit',
    single: true,
    confirm: true,
    label: 'submit',
  },
  {
    name: 'followup',
    key: 'alt-n',
    tabs: ['changes'],
    command: 'agent-run',
    args: ['--cs', '{key}', '--detach', '{input}'],
    ask: {
      question: 'follow-up agent: the prompt',
      default: 'Address the open review comments on this change.',
    },
    single: true,
    label: 'follow-up agent',
  },
  {
    name: 'resolve',
    key: 'alt-v',
    tabs: ['changes'],
    command: 'cs-resolve',
    args: ['{key}', '{input}'],
    ask: { question: 'resolve comment', choicesFrom: 'comments', required: true },
    single: true,
    label: 'resolve a comment',
  },
  {
    name: 'rebase',
    key: 'alt-b',
    tabs: ['changes'],
    command: 'cs-rebase',
    args: ['--stack'],
    single: true,
    confirm: true,
    label: 'rebase the stack',
  },
  // agents
  {
    name: 'log',
    key: 'alt-l',
    tabs: ['agents'],
    command: 'agent-log',
    args: ['--follow'],
    single: true,
    mode: 'terminal',
    label: 'log',
  },
  { name: 'kill', key: 'alt-k', tabs: ['agents'], command: 'agent-kill', confirm: true, label: 'kill' },
  {
    name: 'retry',
    key: 'alt-r',
    tabs: ['agents'],
    command: 'agent-retry',
    args: ['--detach'],
    single: true,
    label: 'retry',
  },
  {
    name: 'resume',
    key: 'alt-e',
    tabs: ['agents'],
    command: 'agent-resume',
    args: ['--detach', '{key}', '{input}'],
    ask: { question: 'resume: tell the agent (Enter: "Continue where you stopped.")' },
    single: true,
    label: 'resume',
  },
  {
    name: 'path',
    key: 'alt-w',
    tabs: ['agents'],
    command: 'agent-show',
    single: true,
    mode: 'path',
    label: 'workspace path',
  },
  {
    name: 'shell',
    key: 'alt-s',
    tabs: ['agents'],
    command: 'agent-show',
    single: true,
    mode: 'shell',
    label: 'shell there',
  },
  // workflows
  {
    name: 'approve',
    key: 'alt-a',
    tabs: ['workflows'],
    command: 'wf-approve',
    args: ['{key}', '{input}', '--resume', '--detach'],
    ask: { question: 'approve the step', choicesFrom: 'waiting', required: true },
    single: true,
    label: 'approve',
  },
  {
    name: 'resume',
    key: 'alt-e',
    tabs: ['workflows'],
    command: 'wf-resume',
    args: ['--detach'],
    single: true,
    label: 'resume',
  },
  {
    name: 'status',
    key: 'alt-t',
    tabs: ['workflows'],
    command: 'wf-status',
    single: true,
    mode: 'view',
    label: 'status',
  },
  // notifications
  { name: 'act', key: 'alt-a', tabs: ['notifications'], command: 'notify-act', single: true, label: 'act' },
  { name: 'read', key: 'alt-r', tabs: ['notifications'], command: 'notify-read', label: 'mark read' },
  { name: 'dismiss', key: 'alt-x', tabs: ['notifications'], command: 'notify-dismiss', label: 'dismiss' },
  {
    name: 'snooze',
    key: 'alt-z',
    tabs: ['notifications'],
    command: 'notify-snooze',
    args: ['--for', '{input}'],
    ask: { question: 'snooze for', choices: ['1h', '4h', '1d', '1w'], default: '1h' },
    label: 'snooze',
  },
];

/** The show command of each tab: the card its preview and Enter show. */
export const SHOW: Record<AceTab, string> = {
  beads: 'bead-show',
  plans: 'sdd-show',
  changes: 'cs-show',
  agents: 'agent-show',
  workflows: 'wf-status',
  notifications: 'notify-show',
};

// keys the screen itself uses: moving, editing the query, marking, leaving
const RESERVED_CTRL = new Set(['c', 'h', 'i', 'j', 'k', 'm', 'n', 'p', 'r', 'u', 'y']);
const KEY_RE = /^(alt-[a-z0-9]|ctrl-[a-z])$/;

/** [ace.keys]: `<action> = "<key>"` for that action on every list, or a table per list (`[ace.keys.plans]`). */
export type AceKeys = Record<string, string | Record<string, string>>;

export function checkAceConfig(body: Record<string, unknown>, file: string): void {
  for (const k of Object.keys(body)) if (k !== 'keys') throw new FatalError(`${file}: unknown key 'ace.${k}'`);
  const keys = body.keys;
  if (keys === undefined) return;
  if (!keys || typeof keys !== 'object' || Array.isArray(keys))
    throw new FatalError(`${file}: 'ace.keys' must be a table of action = "alt-x"`);
  const names = new Set(ACTIONS.map((a) => a.name));
  const checkOne = (path: string, name: string, value: unknown, tab: AceTab | null) => {
    if (!(tab ? actionsOf(tab, {}).some((a) => a.name === name) : names.has(name)))
      throw new FatalError(
        `${file}: unknown action '${path}' (the actions${tab ? ` of ${tab}` : ''}: ${[...new Set((tab ? actionsOf(tab, {}) : ACTIONS).map((a) => a.name))].join(', ')})`,
      );
    if (typeof value !== 'string' || !KEY_RE.test(value) || (value.startsWith('ctrl-') && RESERVED_CTRL.has(value[5]!)))
      throw new FatalError(
        `${file}: '${path}' must be a key such as "alt-x" or "ctrl-o" (ctrl-${[...RESERVED_CTRL].join('/')} are the screen's own; got ${JSON.stringify(value)})`,
      );
  };
  for (const [k, v] of Object.entries(keys as Record<string, unknown>)) {
    if ((ACE_TABS as readonly string[]).includes(k)) {
      if (!v || typeof v !== 'object' || Array.isArray(v))
        throw new FatalError(`${file}: 'ace.keys.${k}' must be a table of action = "alt-x"`);
      for (const [name, key] of Object.entries(v as Record<string, unknown>))
        checkOne(`ace.keys.${k}.${name}`, name, key, k as AceTab);
    } else checkOne(`ace.keys.${k}`, k, v, null);
  }
  for (const tab of ACE_TABS) {
    const seen = new Map<string, string>();
    for (const a of actionsOf(tab, keys as AceKeys)) {
      const other = seen.get(a.key);
      if (other)
        throw new FatalError(`${file}: [ace.keys] gives ${a.key} to both '${other}' and '${a.name}' on ${tab}`);
      seen.set(a.key, a.name);
    }
  }
}

/** The actions of a list, with their keys as [ace.keys] sets them. */
export function actionsOf(tab: AceTab, keys: AceKeys): AceAction[] {
  const perTab = keys[tab];
  return ACTIONS.filter((a) => a.tabs.includes(tab)).map((a) => {
    const key =
      (typeof perTab === 'object' ? perTab[a.name] : undefined) ??
      (typeof keys[a.name] === 'string' ? (keys[a.name] as string) : undefined);
    return key ? { ...a, key } : a;
  });
}

/** The arguments an action runs with: placeholders filled; an empty answer leaves out its flag and itself. */
export function actionArgs(
  a: AceAction,
  targets: readonly string[],
  given: { input?: string; text?: string } = {},
): string[] {
  const input = given.input === '' || given.input === undefined ? (a.ask?.default ?? '') : given.input;
  const args = a.args ?? [];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '{input}' && input === '') {
      if (out.length && out[out.length - 1]!.startsWith('--') && i > 0 && args[i - 1]!.startsWith('--')) out.pop();
      continue;
    }
    if (arg === '{key}') out.push(targets[0]!);
    else if (arg === '{input}') out.push(input);
    else if (arg === '{text}') out.push(given.text ?? '');
    else out.push(arg);
  }
  return args.includes('{key}') ? out : [...targets, ...out];
}
