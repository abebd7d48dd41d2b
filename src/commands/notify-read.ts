import { NOTIFY_ACTION_DOC, notifyStateAction } from '../cli/notify-action.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  name: 'notify-read',
  prints: ['notification'],
  summary: 'mark notifications read',
  args: [
    {
      name: 'id',
      complete: 'notifications',
      description: 'notifications to mark read (ids or unique prefixes)',
      variadic: true,
    },
  ],
  options: [],
  stdin: true,
  description: `Marks the notifications named read, all or nothing, in one commit (a notify.state operation, which syncs like any other). A read notification stays in sase-notify-list(1)'s default list until it is dismissed; a dismissed one marked read is listed again. Marking a notification that is read already changes nothing and succeeds.

Ids are taken as sase-notify-show(1) takes them: in full, or any unique prefix of the part after n-.`,
  ...NOTIFY_ACTION_DOC,
  examples: [
    { cmd: 'sase notify read 4k2p', text: 'mark one read' },
    { cmd: 'sase notify list --format id | sase notify read', text: 'mark everything listed read' },
  ],
  seeAlso: ['sase-notify-list', 'sase-notify-dismiss'],
  async run(ctx, args, opts) {
    await notifyStateAction(ctx, args, opts, 'read');
    return 0;
  },
});
