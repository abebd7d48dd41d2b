// The JSON form of a notification (version 1): the stored record's fields, as
// FORMATS.md gives them.
import { type ActStep, subjectRef } from '../core/notifications/act.ts';
import type {
  About,
  Action,
  ActionVerb,
  Notification,
  NotificationState,
  NotificationType,
  Severity,
} from '../core/notifications/model.ts';

export interface NotificationRecord {
  v: 1;
  kind: 'notification';
  id: string;
  type: NotificationType;
  severity: Severity;
  title: string;
  body: string;
  about: About[];
  action: Action | null;
  created_at: string;
  host: string | null;
  state: NotificationState;
  snoozed_until: string | null;
}

export function notificationToWire(n: Notification): NotificationRecord {
  return {
    v: 1,
    kind: 'notification',
    id: n.id,
    type: n.type,
    severity: n.severity,
    title: n.title,
    body: n.body,
    about: n.about.map((a) => ({ kind: a.kind, id: a.id })),
    action: n.action ? { verb: n.action.verb, target: n.action.target } : null,
    created_at: n.created_at,
    host: n.host,
    state: n.state,
    snoozed_until: n.snoozed_until,
  };
}

/** What sase notify act did (version 1): the action, the command it stands for, what it made. */
export interface NotifyActRecord {
  v: 1;
  kind: 'notify_act';
  /** the notification acted on */
  id: string;
  verb: ActionVerb;
  target: string;
  /** the record the target names: {kind: plan, workflow_step, workflow_run, run, bead, change or notification, id} */
  subject: About;
  /** the sase command that does the same */
  command: string;
  dry_run: boolean;
  /** the records the action made or moved: the plan's beads, the workflow run, the new agent run; [] for show */
  results: About[];
  /** the notification's state now (unchanged by a dry run) */
  state: NotificationState;
}

export function notifyActToWire(a: {
  step: ActStep;
  dryRun: boolean;
  results: About[];
  state: NotificationState;
}): NotifyActRecord {
  return {
    v: 1,
    kind: 'notify_act',
    id: a.step.notification,
    verb: a.step.verb,
    target: a.step.target,
    subject: subjectRef(a.step.subject),
    command: a.step.command.join(' '),
    dry_run: a.dryRun,
    results: a.results.map((r) => ({ kind: r.kind, id: r.id })),
    state: a.state,
  };
}
