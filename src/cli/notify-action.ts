// The shape shared by commands that change notifications named by id
// (arguments or stdin): move them to a state, snooze them. Resolve, commit
// one operation, print them as they are.

import type { NotificationState } from '../core/notifications/model.ts';
import type { NotifyOp } from '../core/notifications/ops.ts';
import { shortRecordIds } from '../core/records.ts';
import { commitNotifyOp, notificationIds, readNotification, resolveNotificationIds } from '../store/notifications.ts';
import { notificationToWire } from '../wire/notification.ts';
import { type Ctx, isoNow } from './context.ts';
import { inputIds, NO_IDS_EXIT, NO_IDS_INPUT } from './io.ts';
import { printWrittenNotifications } from './notify-view.ts';

/** What the man pages of such commands say alike: their INPUT, OUTPUT and EXIT STATUS. */
export const NOTIFY_ACTION_DOC = {
  input: `Ids as arguments, or on stdin (bare ids or NDJSON records with "id"). ${NO_IDS_INPUT}`,
  output:
    'The notifications named, as they are now, as NDJSON records of kind "notification" (see sase-notify-list(1)). On a terminal, one line a notification: what was done, its id, its title and its state ("dismissed n-4k2p: Sync failed (dismissed)"; "unchanged" for one that was so already).',
  exit: [
    NO_IDS_EXIT,
    [4, 'no notification matches an id (nothing is changed)'],
    [129, 'an id is ambiguous (the candidates are named) or malformed (nothing is changed)'],
  ] as Array<[number, string]>,
};

/**
 * Moves the notifications named to `state` in one commit (none when all are
 * there already), all or nothing: an id that names none, or several, changes
 * nothing. Prints the notifications named, as they are now.
 */
export function notifyStateAction(
  ctx: Ctx,
  args: string[],
  opts: { readonly stdin?: boolean },
  state: NotificationState,
): Promise<void> {
  return notifyIdsAction(ctx, args, opts, state, (ids, at, actor) => ({ op: 'notify.state', ids, state, at, actor }));
}

/**
 * Commits the operation `build` makes of the notifications named (their full
 * ids), all or nothing, as notifyStateAction does; prints them as they are now.
 */
export async function notifyIdsAction(
  ctx: Ctx,
  args: string[],
  opts: { readonly stdin?: boolean },
  /** what a line on a terminal says was done to a notification the operation changed */
  verb: string,
  build: (ids: string[], at: string, actor: string) => NotifyOp,
): Promise<void> {
  const inputs = await inputIds(ctx, args, opts, 'notification id');
  const store = await ctx.store();
  const actor = (await store.ident()).email;
  const at = isoNow(ctx);
  let ids: string[] = [];
  const { changed } = await commitNotifyOp(store, async (snap) => {
    // resolved again on every retry: the state is the winner's
    ids = await resolveNotificationIds(snap, inputs);
    return build(ids, at, actor);
  });
  const snap = await store.snapshot();
  const now = await Promise.all(ids.map((id) => readNotification(snap, id)));
  const done = new Set(changed.map((n) => n.id));
  printWrittenNotifications(
    ctx,
    now.flatMap((n) => (n ? [notificationToWire(n)] : [])),
    (r) => (done.has(r.id) ? verb : 'unchanged'),
    shortRecordIds(ids, await notificationIds(snap)),
  );
}
