import { BEAD_SEARCHED } from '../cli/bead-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { BEAD_FILTERS, LIMIT, listBeads, NO_PAGER, SORT } from './bead-list.ts';

export const spec = defineCommand({
  name: 'bead-search',
  prints: ['bead'],
  summary: 'find beads whose title, description, notes or design contain a text',
  args: [
    { name: 'text', description: 'what to look for (words together are one text)', required: true, variadic: true },
  ],
  options: [...BEAD_FILTERS, LIMIT, SORT, NO_PAGER],
  description: `Lists the beads whose ${BEAD_SEARCHED} contain <text>, ignoring case, in every status (closed ones included) unless --status says otherwise; the filters are those of sase-bead-list(1), and the order is the same: priority, then creation time, then id. It is sase bead list --status all --grep <text>.`,
  output:
    'One NDJSON record of kind "bead" a bead found (as in sase-bead-list(1)). With --format id, one id a line. On a terminal, a table.',
  exit: [[4, 'the --parent bead does not exist']],
  examples: [
    { cmd: 'sase bead search login page', text: 'every bead that mentions the login page' },
    { cmd: 'sase bead search flaky --status open --format id', text: 'the ids of open beads about flakiness' },
  ],
  seeAlso: ['sase-bead-list', 'sase-bead-show', 'sase-sdd-search'],
  async run(ctx, args, opts) {
    const text = args.join(' ');
    if (!text.trim()) throw new UsageError('nothing to search for: <text> is empty');
    await listBeads(ctx, { ...opts, grep: text }, ['all']);
    return 0;
  },
});
