// Notifications in the state ref (notifications/<id>.json): reading one or
// all from a snapshot, resolving typed ids, and writing them as notify.*
// operations. Other services (sase sync, Axe) make notifications in one of
// two ways:
//
// - in a commit of their own: createNotifications(store, [{ type, title,
//   about, ... }]) mints the ids and commits one notify.create operation;
// - inside the commit of the operation that caused them: make each record
//   with makeNotification(fields, await newNotificationId(store, snap)) and
//   merge notificationChanges(records) into that operation's Changes. The
//   log must then explain those files when it replays (store/replay.ts):
//   the operation names their paths in its `paths` (an operation replayed
//   from its commit's tree, as agent.* and wf.* are), or its replay applies
//   notifyCreateOp(records, at, actor) with applyNotifyOp.
import { nowIso } from '../core/clock.ts';
import {
  compareNewestFirst,
  idFromNotificationPath,
  isNotificationId,
  makeNotification,
  NOTIFICATIONS_DIR,
  type Notification,
  type NotificationFields,
  notificationIdFrom,
  notificationPath,
  parseStoredNotification,
  resolveNotificationId,
  serializeNotification,
} from '../core/notifications/model.ts';
import { applyNotifyOp, type NotifyOp, notifyCreateOp, notifySummary } from '../core/notifications/ops.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';
import type { Changes } from './tree-writer.ts';

/** The ids stored under notifications/, from its listing (no record is read). */
export async function notificationIds(snap: Snapshot): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await snap.tree(NOTIFICATIONS_DIR)) ?? []) {
    const id = idFromNotificationPath(`${NOTIFICATIONS_DIR}/${e.name}`);
    if (id) out.push(id);
  }
  return out;
}

/** The notification `id`, or null when there is none; one that holds another's record is refused, naming its path. */
export async function readNotification(snap: Snapshot, id: string): Promise<Notification | null> {
  if (!isNotificationId(id)) return null;
  const path = notificationPath(id);
  const text = await snap.readText(path);
  return text === null ? null : parseStoredNotification(text, path);
}

/** Every notification, newest first. */
export async function listNotifications(snap: Snapshot): Promise<Notification[]> {
  const all = await Promise.all((await notificationIds(snap)).map((id) => readNotification(snap, id)));
  return all.filter((n): n is Notification => n !== null).sort(compareNewestFirst);
}

/**
 * The ids typed (full ids, or unique prefixes of the part after 'n-', with or
 * without it) as full ids, in order, each once; not found (4), ambiguous or
 * malformed (129) otherwise.
 */
export async function resolveNotificationIds(snap: Snapshot, inputs: string[]): Promise<string[]> {
  const ids = await notificationIds(snap);
  return [...new Set(inputs.map((input) => resolveNotificationId(input, ids)))];
}

/** A fresh notification id from the store's randomness, unused in `snap` when one is given. */
export async function newNotificationId(store: Store, snap?: Snapshot): Promise<string> {
  let id: string;
  do id = notificationIdFrom(await store.random(8));
  while (snap && (await snap.blobId(notificationPath(id))) !== null);
  return id;
}

/**
 * The files that create these notifications, as a transaction's Changes
 * (path -> canonical bytes), for a commit of another operation; see the top
 * of this file for what that operation must name.
 */
export function notificationChanges(notifications: Notification[]): Changes {
  return new Map(notifications.map((n) => [notificationPath(n.id), Buffer.from(serializeNotification(n))]));
}

/**
 * Builds a notification operation on the current state and commits it;
 * rebuilt on every retry, so a lost race is decided on the winner's state.
 * Returns the notifications the operation wrote (none for a no-op, which
 * commits nothing).
 */
export async function commitNotifyOp(
  store: Store,
  build: (snap: Snapshot) => Promise<NotifyOp>,
): Promise<{ changed: Notification[]; commit: string | null }> {
  const { result, commit } = await store.transact(async (snap) => {
    const op = await build(snap);
    const files = await applyNotifyOp({ readFile: (path) => snap.readText(path) }, op);
    const changes: Changes = new Map(files.map((f) => [f.path, f.text === null ? null : Buffer.from(f.text)]));
    const changed = files.flatMap((f) => (f.text === null ? [] : [parseStoredNotification(f.text, f.path)]));
    return { op, summary: notifySummary(op), changes, result: changed };
  });
  return { changed: result, commit };
}

/**
 * Creates notifications in one commit of their own (a notify.create
 * operation): each made from its fields with a fresh id, at the store's
 * clock's now unless the fields say when. Returns the records written.
 */
export async function createNotifications(
  store: Store,
  fields: Array<Omit<NotificationFields, 'created_at'> & { created_at?: string }>,
): Promise<Notification[]> {
  const actor = (await store.ident()).email;
  const at = nowIso(store.clock);
  const { changed } = await commitNotifyOp(store, async (snap) => {
    const made: Notification[] = [];
    for (const f of fields) {
      let id = await newNotificationId(store, snap);
      while (made.some((n) => n.id === id)) id = await newNotificationId(store, snap);
      made.push(makeNotification({ ...f, created_at: f.created_at ?? at }, id));
    }
    return notifyCreateOp(made, at, actor);
  });
  return changed;
}

/** What makes two notifications the same event: their type and what they are about. */
export function eventKey(n: Pick<Notification, 'type' | 'about'>): string {
  return `${n.type} ${n.about.map((a) => `${a.kind}:${a.id}`).join(',')}`;
}

/**
 * Creates the notifications of events not notified yet: one whose type and
 * `about` equal a stored notification's (whatever its state) is left out, so
 * a producer that looks again (every Axe tick) tells each event once, also
 * when two clones raced and synced. One commit; none when all were there.
 */
export async function createNotificationsOnce(
  store: Store,
  fields: Array<Omit<NotificationFields, 'created_at'> & { created_at?: string }>,
): Promise<Notification[]> {
  if (!fields.length) return [];
  // looked at first outside a transaction: an idle Axe tick starts no writer
  const known = new Set((await listNotifications(await store.snapshot())).map(eventKey));
  if (fields.every((f) => known.has(eventKey({ type: f.type, about: f.about ?? [] })))) return [];
  const actor = (await store.ident()).email;
  const at = nowIso(store.clock);
  const { changed } = await commitNotifyOp(store, async (snap) => {
    const seen = new Set((await listNotifications(snap)).map(eventKey));
    const made: Notification[] = [];
    for (const f of fields) {
      const key = eventKey({ type: f.type, about: f.about ?? [] });
      if (seen.has(key)) continue;
      seen.add(key);
      let id = await newNotificationId(store, snap);
      while (made.some((n) => n.id === id)) id = await newNotificationId(store, snap);
      made.push(makeNotification({ ...f, created_at: f.created_at ?? at }, id));
    }
    return notifyCreateOp(made, at, actor);
  });
  return changed;
}
