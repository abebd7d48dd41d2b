import { printChangeList } from '../cli/cs-view.ts';
import { sayIfEmpty } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { CHANGE_STATUSES, type ChangeSpec, checkChangeName } from '../core/changes/spec.ts';
import { changeQuery, treeOrder } from '../core/changes/stack.ts';
import { NotFoundError } from '../core/errors.ts';
import { applyListOps, checkListOps, type ListShape } from '../core/list-ops.ts';
import { listChanges } from '../store/changes.ts';

/** Changes keep their stack order unless --sort is given. */
const CHANGE_SHAPE: ListShape<ChangeSpec> = {
  fields: ['name', 'status', 'parent', 'cl'],
  text: (c) => [c.name, c.description],
};

export const spec = defineCommand({
  name: 'cs-list',
  prints: ['change-listed'],
  summary: 'list changes, children under their parents',
  args: [],
  options: [
    {
      flags: '-s, --status <list>',
      description: `only these statuses, comma-separated (${CHANGE_STATUSES.join(', ')})`,
      type: 'list',
      choices: CHANGE_STATUSES,
    },
    {
      flags: '--parent <name>',
      description: "only the changes stacked directly on this one ('none': only changes with no parent)",
    },
    {
      flags: '-q, --query <query>',
      description:
        "only changes that match: 'unresolved' (open comments), 'failing' (a hook's latest run failed), 'text:<substring>' (in the name or description)",
    },
    ...listOptions('changes', CHANGE_SHAPE, 'name or description'),
  ],
  description: `Lists the stored ChangeSpecs in stack order: each change with no parent (by name), then the changes stacked on it, and theirs, depth first (as git-town shows its branch hierarchy). On a terminal it is a table with the children indented under their parents: name, status, parent, CL, the number of recorded commits, the number of unresolved comments and the first line of the description.

The filters combine (all must hold). --sort lists the changes flat (depth 0) in the order asked; --limit keeps the first rows of the tree. A change whose parent is filtered out hangs under its nearest listed ancestor, so the shape of the stacks stays visible.

Queries: 'unresolved' finds changes with unresolved comments (to answer them, see sase-cs-show(1) and sase-cs-resolve(1)); 'failing' finds changes where the latest run of a hook failed; 'text:<substring>' matches the name or the description, ignoring case.`,
  output:
    'One NDJSON record per change, in tree order, of kind "changespec" as sase-cs-show(1) prints it (without stack), plus depth: 0 for a listed change with no listed ancestor, one more per listed ancestor. On a terminal, the indented table.',
  exit: [
    [4, 'the --parent change does not exist'],
    [129, 'an unknown --query (the known ones are named) or status'],
  ],
  examples: [
    { cmd: 'sase cs list', text: 'every change, stacks indented' },
    { cmd: 'sase cs list --status WIP,Draft,Ready,Mailed', text: 'the changes still open' },
    { cmd: 'sase cs list --query unresolved --format id', text: 'the names of changes with open comments' },
    {
      cmd: 'sase cs list --query failing | sase cs show --format text',
      text: 'a card for every change with a failing hook',
    },
  ],
  seeAlso: ['sase-cs-show', 'sase-cs-new', 'sase-cs-set'],
  async run(ctx, _args, opts) {
    const statuses = opts.status;
    checkListOps(CHANGE_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const query = opts.query === undefined ? null : changeQuery(opts.query);
    const parent = opts.parent === undefined ? undefined : opts.parent === 'none' ? null : checkChangeName(opts.parent);
    const store = await ctx.store();
    const all = await listChanges(await store.snapshot());
    if (parent && !all.some((c) => c.name === parent)) throw new NotFoundError(`no change '${parent}'`);
    const shown = all.filter(
      (c) =>
        (!statuses?.length || statuses.includes(c.status)) &&
        (parent === undefined || c.parent === parent) &&
        (!query || query(c)),
    );
    const found = applyListOps(shown, CHANGE_SHAPE, { grep: opts.grep, sort: opts.sort });
    const rows = opts.sort === undefined ? treeOrder(all, found) : found.map((change) => ({ change, depth: 0 }));
    printChangeList(ctx, opts.limit === undefined ? rows : rows.slice(0, opts.limit));
    await sayIfEmpty(ctx, found.length, () => (all.length ? 'no changes match' : 'no changes; start one: sase cs new'));
    return 0;
  },
});
