// The JSON form of a notification (version 1): the stored record's fields, as
// FORMATS.md gives them.
import type {
  About,
  Action,
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
