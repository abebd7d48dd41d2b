// The shape shared by commands that move notifications named by id
// (arguments or stdin) to a state: resolve, commit, print them as they are.

import type { NotificationState } from '../core/notifications/model.ts';
import { commitNotifyOp, readNotification, resolveNotificationIds } from '../store/notifications.ts';
import { notificationToWire } from '../wire/notification.ts';
import { type Ctx, isoNow } from './context.ts';
import { inputIds } from './io.ts';
import { printNotifications } from './notify-view.ts';

/**
 * Moves the notifications named to `state` in one commit (none when all are
 * there already), all or nothing: an id that names none, or several, changes
 * nothing. Prints the notifications named, as they are now.
 */
export async function notifyStateAction(
  ctx: Ctx,
  args: string[],
  opts: { readonly stdin?: boolean },
  state: NotificationState,
): Promise<void> {
  const inputs = await inputIds(ctx, args, opts, 'notification id');
  if (!inputs.length) return;
  const store = await ctx.store();
  const actor = (await store.ident()).email;
  const at = isoNow(ctx);
  let ids: string[] = [];
  await commitNotifyOp(store, async (snap) => {
    // resolved again on every retry: the state is the winner's
    ids = await resolveNotificationIds(snap, inputs);
    return { op: 'notify.state', ids, state, at, actor };
  });
  const snap = await store.snapshot();
  const now = await Promise.all(ids.map((id) => readNotification(snap, id)));
  printNotifications(
    ctx,
    now.flatMap((n) => (n ? [notificationToWire(n)] : [])),
  );
}
