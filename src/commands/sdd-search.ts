import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { TIER_DIRS } from '../core/sdd/paths.ts';
import { LIMIT, listSdd, NO_PAGER, SDD_FILTERS, SORT } from './sdd-list.ts';

export const spec = defineCommand({
  name: 'sdd-search',
  prints: ['plan', 'prompt', 'plan-invalid', 'prompt-invalid'],
  summary: 'find the stored plans and prompts whose slug, title or text contain a text',
  args: [
    { name: 'text', description: 'what to look for (words together are one text)', required: true, variadic: true },
  ],
  options: [...SDD_FILTERS, LIMIT, SORT, NO_PAGER],
  description: `Lists the plans (tales, epics, legends) and prompts of the state ref whose slug, title or Markdown text contain <text>, ignoring case, in the order of sase-sdd-list(1) (tier, then slug) unless --sort says otherwise. --tier narrows the search (default: every tier, prompts included); the other filters are those of sase-sdd-list(1). It is sase sdd list --tier all --grep <text>.`,
  output:
    'The records of sase-sdd-list(1), one a file found. With --format id, one path a line. On a terminal, a table.',
  exit: [],
  examples: [
    { cmd: 'sase sdd search rate limit', text: 'every plan or prompt about rate limiting' },
    { cmd: 'sase sdd search oauth --tier epics --format id', text: 'the paths of the epics that mention OAuth' },
  ],
  seeAlso: ['sase-sdd-list', 'sase-sdd-show', 'sase-bead-search'],
  async run(ctx, args, opts) {
    const text = args.join(' ');
    if (!text.trim()) throw new UsageError('nothing to search for: <text> is empty');
    await listSdd(ctx, { ...opts, grep: text }, TIER_DIRS);
    return 0;
  },
});
