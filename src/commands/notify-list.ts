import { sayIfEmpty } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { printNotifications } from '../cli/notify-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { applyListOps, checkListOps, type ListShape } from '../core/list-ops.ts';
import { isOfKind, isShown, NOTIFICATION_FAMILIES, NOTIFICATION_TYPES } from '../core/notifications/model.ts';
import { shortRecordIds } from '../core/records.ts';
import { listNotifications } from '../store/notifications.ts';
import { type NotificationRecord, notificationToWire } from '../wire/notification.ts';

/** Newest first; --grep searches the title and body. */
const NOTIFICATION_SHAPE: ListShape<NotificationRecord> = {
  fields: ['id', 'type', 'severity', 'title', 'created_at', 'state', 'snoozed_until'],
  defaultSort: '-created_at,id',
  text: (n) => [n.title, n.body],
};

export const spec = defineCommand({
  name: 'notify-list',
  prints: ['notification'],
  summary: 'list notifications: those not dismissed and not snoozed, newest first',
  args: [],
  options: [
    { flags: '--all', description: 'every notification, the dismissed and the snoozed ones too', type: 'bool' },
    {
      flags: '--kind <list>',
      description: `only notifications of these types (${NOTIFICATION_TYPES.join(', ')}) or families of types (${NOTIFICATION_FAMILIES.join(', ')}); comma-separated`,
      type: 'list',
      choices: [...NOTIFICATION_TYPES, ...NOTIFICATION_FAMILIES],
    },
    ...listOptions('notifications', NOTIFICATION_SHAPE, 'title or body'),
  ],
  description: `Lists the notifications in the state ref (notifications/<id>.json), newest first: what Axe, an agent run or a sync wants a person to see. By default those a person has not dealt with: unread and read ones, neither dismissed (sase-notify-dismiss(1)) nor snoozed (snoozed_until still to come); --all lists every one.

--kind keeps the notifications of the types named, or of a family of types: sync is sync.overwritten and sync.left_out.`,
  output:
    'One NDJSON record of kind "notification" a notification: {v, kind, id, type, severity (info, warning or error), title, body, about (a list of {kind, id}: the records it is about), action (null or {verb: approve, retry, resume or show, target}), created_at, host, state (unread, read or dismissed), snoozed_until (null or a time)}. With --format id, one id a line. On a terminal, a table whose ids are in their short form (n- and the shortest prefix unique among every notification, at least 4 characters), which every command taking a notification accepts.',
  exit: [],
  examples: [
    { cmd: 'sase notify list', text: 'what waits for a person' },
    { cmd: 'sase notify list --kind sync --format id', text: 'the ids of what syncs reported' },
    { cmd: 'sase notify list --all --json', text: 'every notification, as NDJSON' },
  ],
  seeAlso: ['sase-notify-show', 'sase-notify-read', 'sase-notify-dismiss'],
  async run(ctx, _args, opts) {
    checkListOps(NOTIFICATION_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const store = await ctx.store();
    const nowMs = ctx.clock.now().getTime();
    const kinds: readonly string[] | undefined = opts.kind;
    const all = await listNotifications(await store.snapshot());
    const shown = all
      .filter((n) => opts.all || isShown(n, nowMs))
      .filter((n) => !kinds || kinds.some((k) => isOfKind(n, k)));
    const recs = applyListOps(shown.map(notificationToWire), NOTIFICATION_SHAPE, opts);
    printNotifications(
      ctx,
      recs,
      shortRecordIds(
        recs.map((r) => r.id),
        all.map((n) => n.id),
      ),
    );
    await sayIfEmpty(ctx, recs.length, () =>
      opts.all ? 'no notifications' : 'no notifications; dismissed and snoozed ones too: sase notify list --all',
    );
    return 0;
  },
});
