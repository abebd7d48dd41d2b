import { notifyStateAction } from '../cli/notify-action.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  name: 'notify-dismiss',
  summary: 'dismiss notifications: dealt with, no longer listed',
  args: [{ name: 'id', description: 'notifications to dismiss (ids or unique prefixes)', variadic: true }],
  options: [],
  stdin: true,
  description: `Dismisses the notifications named, all or nothing, in one commit (a notify.state operation, which syncs like any other): sase-notify-list(1) leaves them out unless given --all, and sase-notify-show(1) still shows them. Dismissing a notification that is dismissed already changes nothing and succeeds.

Ids are taken as sase-notify-show(1) takes them: in full, or any unique prefix of the part after n-.`,
  input: 'Ids as arguments, or on stdin (bare ids or NDJSON records with "id").',
  output:
    'The notifications named, as they are now, as NDJSON records of kind "notification" (see sase-notify-list(1)). On a terminal, a table.',
  exit: [
    [4, 'no notification matches an id (nothing is changed)'],
    [129, 'an id is ambiguous (the candidates are named) or malformed (nothing is changed)'],
  ],
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
