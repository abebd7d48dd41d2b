import { NOTIFY_ACTION_DOC, notifyIdsAction } from '../cli/notify-action.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { snoozeEnd } from '../core/notifications/model.ts';

export const spec = defineCommand({
  name: 'notify-snooze',
  prints: ['notification'],
  summary: 'hide notifications from the default list for a while',
  args: [
    {
      name: 'id',
      complete: 'notifications',
      description: 'notifications to snooze (ids or unique prefixes)',
      variadic: true,
    },
  ],
  options: [
    { flags: '--for <duration>', description: 'for this long from now: 30m, 2h, 1d, 1h30m', complete: 'none' },
    {
      flags: '--until <time>',
      description: 'until this time: 2026-12-02T09:00:00Z, with an offset (+01:00), or a date (its midnight UTC)',
      complete: 'none',
    },
    { flags: '--clear', description: 'snooze them no longer: listed again at once', type: 'bool' },
  ],
  stdin: true,
  description: `Snoozes the notifications named, all or nothing, in one commit (a notify.snooze operation, which syncs like any other): their snoozed_until is set, and sase-notify-list(1) leaves them out until that time passes, when they are listed again as they were. Their state (unread, read, dismissed) is kept. Snoozing one again sets the new time, earlier or later; --clear ends the snooze now. Setting the time a notification has already changes nothing and succeeds.

One of --for, --until and --clear is required. Times are stored in UTC, to the second (rounded up). Ids are taken as sase-notify-show(1) takes them: in full, or any unique prefix of the part after n-.`,
  ...NOTIFY_ACTION_DOC,
  exit: [
    ...NOTIFY_ACTION_DOC.exit.slice(0, -1),
    [
      129,
      'an id is ambiguous (the candidates are named) or malformed; or not one of --for, --until and --clear, a bad duration, or a time that is malformed or not in the future (nothing is changed)',
    ],
  ],
  examples: [
    { cmd: 'sase notify snooze 4k2p --for 2h', text: 'out of the list for two hours' },
    { cmd: 'sase notify snooze 4k2p --until 2026-12-02T09:00:00+01:00', text: 'until tomorrow morning' },
    {
      cmd: 'sase notify list --kind change --format id | sase notify snooze --for 1d',
      text: 'every change report, for a day',
    },
    { cmd: 'sase notify snooze 4k2p --clear', text: 'listed again now' },
  ],
  seeAlso: ['sase-notify-list', 'sase-notify-dismiss'],
  async run(ctx, args, opts) {
    const given = [opts.for !== undefined, opts.until !== undefined, opts.clear === true].filter(Boolean).length;
    if (given !== 1) throw new UsageError('give one of --for <duration>, --until <time> and --clear');
    const nowMs = ctx.clock.now().getTime();
    const until = opts.clear
      ? null
      : snoozeEnd(opts.for !== undefined ? { for: opts.for } : { until: opts.until! }, nowMs);
    await notifyIdsAction(ctx, args, opts, until === null ? 'unsnoozed' : 'snoozed', (ids, at, actor) => ({
      op: 'notify.snooze',
      ids,
      until,
      at,
      actor,
    }));
    return 0;
  },
});
