import { inputIds, NO_IDS_EXIT, NO_IDS_INPUT } from '../cli/io.ts';
import { printNotificationCard } from '../cli/notify-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { readNotification, resolveNotificationIds } from '../store/notifications.ts';
import { notificationToWire } from '../wire/notification.ts';

export const spec = defineCommand({
  name: 'notify-show',
  prints: ['notification'],
  summary: 'show notifications: what happened, what it is about, what can be done',
  args: [
    {
      name: 'id',
      complete: 'notifications',
      description: 'notification id: full, or any unique prefix of the part after n-, with or without n-',
      variadic: true,
    },
  ],
  options: [],
  stdin: true,
  description: `Shows each notification named, whatever its state: its type and severity, title and body, the records it is about, the action it offers, when and on which host it was made, and whether it is read, dismissed or snoozed. Showing one does not mark it read (sase-notify-read(1) does).

Ids may be given in full (n-4k2p9x1q) or as any unique prefix of the part after n-, with or without it (4k2p, n-4k2p); one that matches several notifications is refused, naming them.`,
  input: `Ids as arguments, or on stdin (one bare id a line, or NDJSON records with an "id" field) with --stdin, a lone "-", or when no id is given and stdin is not a terminal. ${NO_IDS_INPUT}`,
  output:
    'One NDJSON record of kind "notification" a notification (the fields are listed in sase-notify-list(1)). On a terminal, a card.',
  exit: [
    NO_IDS_EXIT,
    [4, 'no notification matches an id'],
    [129, 'an id is ambiguous (the candidates are named) or malformed'],
  ],
  examples: [
    { cmd: 'sase notify show 4k2p', text: 'one notification by a prefix of its id' },
    { cmd: 'sase notify list --kind sync --format id | sase notify show', text: 'every sync report in full' },
  ],
  seeAlso: ['sase-notify-list', 'sase-notify-read'],
  async run(ctx, args, opts) {
    const inputs = await inputIds(ctx, args, opts, 'notification id');
    const snap = await (await ctx.store()).snapshot();
    for (const id of await resolveNotificationIds(snap, inputs)) {
      const n = await readNotification(snap, id);
      if (n) printNotificationCard(ctx, notificationToWire(n));
    }
    return 0;
  },
});
