import { NOTIFY_ACTION_DOC, notifyStateAction } from '../cli/notify-action.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  name: 'notify-dismiss',
  prints: ['notification'],
  summary: 'dismiss notifications: dealt with, no longer listed',
  args: [
    {
      name: 'id',
      complete: 'notifications',
      description: 'notifications to dismiss (ids or unique prefixes)',
      variadic: true,
    },
  ],
  options: [],
  stdin: true,
  description: `Dismisses the notifications named, all or nothing, in one commit (a notify.state operation, which syncs like any other): sase-notify-list(1) leaves them out unless given --all, and sase-notify-show(1) still shows them. Dismissing a notification that is dismissed already changes nothing and succeeds.

Ids are taken as sase-notify-show(1) takes them: in full, or any unique prefix of the part after n-.`,
  ...NOTIFY_ACTION_DOC,
  examples: [
    { cmd: 'sase notify dismiss 4k2p', text: 'dismiss one' },
    { cmd: 'sase notify list --kind sync --format id | sase notify dismiss', text: 'dismiss every sync report' },
  ],
  seeAlso: ['sase-notify-list', 'sase-notify-read'],
  async run(ctx, args, opts) {
    await notifyStateAction(ctx, args, opts, 'dismissed');
    return 0;
  },
});
