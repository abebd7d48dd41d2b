// Notification operations: creating notifications (the operation carries the
// whole records), moving their state (read, dismissed) and snoozing them
// (hidden until a time, their state kept). Like bead
// operations they are data recorded in the commit and pure functions of the
// state, so the log replays them (store/replay.ts) and sync carries them
// across clones.
import { NotFoundError, RefusedError } from '../errors.ts';
import { checkOpFields, type FieldRule, isString, type Op, oneOf, unknownOp } from '../oplog.ts';
import type { FileChange } from '../sdd/ops.ts';
import {
  isNotificationId,
  isNotificationTime,
  NOTIFICATION_STATES,
  type Notification,
  type NotificationState,
  notificationPath,
  notificationProblem,
  parseStoredNotification,
  serializeNotification,
} from './model.ts';

export type NotifyOp =
  | { op: 'notify.create'; ids: string[]; notifications: Notification[]; at: string; actor: string }
  | {
      op: 'notify.state';
      ids: string[];
      state: NotificationState;
      /** absent: left as it is; null: not snoozed; a time: hidden until then */
      snoozed_until?: string | null;
      at: string;
      actor: string;
    }
  | {
      op: 'notify.snooze';
      ids: string[];
      /** hidden from the default list until this time; null: not snoozed any more */
      until: string | null;
      at: string;
      actor: string;
    };

/** What a notification operation reads of the state: files by path. */
export interface NotificationReader {
  readFile(path: string): Promise<string | null>;
}

/** The operation creating these notifications (records made with makeNotification). */
export function notifyCreateOp(notifications: Notification[], at: string, actor: string): NotifyOp {
  return { op: 'notify.create', ids: notifications.map((n) => n.id), notifications, at, actor };
}

// ---- operations read from a commit ----------------------------------------

const IDS: FieldRule = [
  (v) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string' && isNotificationId(x)) && new Set(v).size === v.length,
  'a list of distinct notification ids',
];
const STAMP = { at: [isString, 'a string'], actor: [isString, 'a string'] } satisfies Record<string, FieldRule>;

const NOTIFY_OP_FIELDS: Record<NotifyOp['op'], Record<string, FieldRule>> = {
  'notify.create': {
    ids: IDS,
    notifications: [
      (v) => Array.isArray(v) && v.every((n) => notificationProblem(n) === null),
      'a list of notification records',
    ],
    ...STAMP,
  },
  'notify.state': {
    ids: IDS,
    state: [oneOf(NOTIFICATION_STATES), `one of ${NOTIFICATION_STATES.join(', ')}`],
    snoozed_until: [(v) => v === undefined || v === null || isNotificationTime(v), 'null or an ISO 8601 UTC time'],
    ...STAMP,
  },
  'notify.snooze': {
    ids: IDS,
    until: [(v) => v === null || isNotificationTime(v), 'null or an ISO 8601 UTC time'],
    ...STAMP,
  },
};

/** A notification operation read from a commit, checked field by field before it is applied (see checkOpFields). */
export function checkNotifyOp(op: Op): NotifyOp {
  const rules = Object.hasOwn(NOTIFY_OP_FIELDS, op.op) ? NOTIFY_OP_FIELDS[op.op as NotifyOp['op']] : null;
  if (!rules) throw unknownOp(op);
  const checked = checkOpFields<NotifyOp>(op, rules);
  if (checked.op === 'notify.create')
    checkOpFields(op, { ids: [(v) => sameIds(v, checked.notifications), 'the ids of its notifications'] });
  return checked;
}

function sameIds(ids: unknown, notifications: Notification[]): boolean {
  return Array.isArray(ids) && ids.length === notifications.length && ids.every((id, i) => id === notifications[i]!.id);
}

// ---- applying --------------------------------------------------------------

/** Applies one operation; returns the files it writes (none for a no-op). */
export async function applyNotifyOp(reader: NotificationReader, op: NotifyOp): Promise<FileChange[]> {
  switch (op.op) {
    case 'notify.create': {
      const out: FileChange[] = [];
      for (const n of op.notifications) {
        const path = notificationPath(n.id);
        if ((await reader.readFile(path)) !== null) throw new RefusedError(`notification '${n.id}' exists already`);
        out.push({ path, text: serializeNotification(n) });
      }
      return out;
    }
    case 'notify.state':
      return changeEach(reader, op.ids, (now) => ({
        ...now,
        state: op.state,
        snoozed_until: op.snoozed_until === undefined ? now.snoozed_until : op.snoozed_until,
      }));
    case 'notify.snooze':
      return changeEach(reader, op.ids, (now) => ({ ...now, snoozed_until: op.until }));
  }
}

/** Each notification named, changed by `change`: the files of those it changes; a missing one is not found. */
async function changeEach(
  reader: NotificationReader,
  ids: string[],
  change: (now: Notification) => Notification,
): Promise<FileChange[]> {
  const out: FileChange[] = [];
  for (const id of ids) {
    const path = notificationPath(id);
    const text = await reader.readFile(path);
    if (text === null) throw new NotFoundError(`no notification '${id}'`);
    const now = parseStoredNotification(text, path);
    const written = serializeNotification(change(now));
    if (written !== serializeNotification(now)) out.push({ path, text: written });
  }
  return out;
}

/** The first line of the operation's commit message (after 'sase: '). */
export function notifySummary(op: NotifyOp): string {
  const ids = op.ids.slice(0, 3).join(' ') + (op.ids.length > 3 ? ` and ${op.ids.length - 3} more` : '');
  if (op.op === 'notify.create') return `notify create ${ids}`;
  if (op.op === 'notify.snooze') return op.until ? `notify snooze ${ids} until ${op.until}` : `notify unsnooze ${ids}`;
  const verb = op.state === 'dismissed' ? 'dismiss' : op.state === 'read' ? 'read' : 'unread';
  return `notify ${verb} ${ids}${op.snoozed_until ? ` (snoozed until ${op.snoozed_until})` : ''}`;
}
