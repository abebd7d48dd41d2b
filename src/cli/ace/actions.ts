// What a key does to the records of a list: each action runs the same
// command a person would type (in this process, its output kept for the
// footer), so the screen and the commands never disagree.
import type { AceTab } from '../../core/ace/query.ts';

export interface AceAction {
  name: string;
  /** the default key (configurable under [ace.keys]) */
  key: string;
  tabs: readonly AceTab[];
  /** the command it runs (sase-<command>) with the targets' keys as arguments */
  command: string;
  args?: string[];
  /** asks y/N first */
  confirm?: boolean;
  /** one target at a time (the command takes one) */
  single?: boolean;
  /** what it does, for the footer and the help */
  label: string;
}

export const ACTIONS: readonly AceAction[] = [
  { name: 'claim', key: 'alt-c', tabs: ['beads'], command: 'bead-claim', label: 'claim' },
  { name: 'release', key: 'alt-u', tabs: ['beads'], command: 'bead-release', label: 'release' },
  { name: 'close', key: 'alt-x', tabs: ['beads'], command: 'bead-close', confirm: true, label: 'close' },
  { name: 'reopen', key: 'alt-o', tabs: ['beads'], command: 'bead-reopen', label: 'reopen' },
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
  { name: 'approve', key: 'alt-a', tabs: ['plans'], command: 'sdd-approve', single: true, label: 'approve' },
  {
    name: 'submit',
    key: 'alt-s',
    tabs: ['changes'],
    command: 'cs-submit',
    single: true,
    confirm: true,
    label: 'submit',
  },
  { name: 'mail', key: 'alt-m', tabs: ['changes'], command: 'cs-mail', single: true, label: 'mail' },
  { name: 'hooks', key: 'alt-h', tabs: ['changes'], command: 'cs-hook-run', single: true, label: 'run hooks' },
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
    tabs: ['workflows'],
    command: 'wf-resume',
    args: ['--detach'],
    single: true,
    label: 'resume',
  },
  { name: 'act', key: 'alt-a', tabs: ['notifications'], command: 'notify-act', single: true, label: 'act' },
  { name: 'read', key: 'alt-r', tabs: ['notifications'], command: 'notify-read', label: 'mark read' },
  { name: 'dismiss', key: 'alt-x', tabs: ['notifications'], command: 'notify-dismiss', label: 'dismiss' },
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

export function actionsOf(tab: AceTab): AceAction[] {
  return ACTIONS.filter((a) => a.tabs.includes(tab));
}
