// The options every list command takes (--limit, --sort, --grep, --no-pager)
// described once; core/list-ops.ts applies the first three, and main.ts
// starts the pager for any command that has --no-pager.

import type { ListShape } from '../core/list-ops.ts';
import type { OptionSpec } from './spec.ts';

/**
 * The list options of a list of `what` (plural), whose --grep searches
 * `searched` ('title, description and notes').
 */
export function listOptions<R>(what: string, shape: ListShape<R>, searched: string) {
  const order = shape.defaultSort ? `default ${shape.defaultSort}` : 'default: the order described below';
  return [
    { flags: '--limit <n>', description: `print at most <n> ${what}`, type: 'int' },
    {
      flags: '--sort <fields>',
      description: `order by these fields, comma-separated, '-' before a field for descending: ${shape.fields.join(', ')} (${order})`,
      complete: 'none',
    },
    { flags: '--grep <text>', description: `only ${what} whose ${searched} contains <text>, ignoring case` },
    {
      flags: '--no-pager',
      description:
        'do not page the output on a terminal (the pager: $SASE_PAGER, else $PAGER, else less -FRX; an empty one or cat turns it off)',
      type: 'bool',
    },
  ] as const satisfies readonly OptionSpec[];
}
