import { printBeads } from '../cli/bead-view.ts';
import { sayIfEmpty } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { ISSUE_TYPES, LIMITS, STATUSES, TIERS } from '../core/beads/model.ts';
import type { Excerpt } from '../core/beads/table.ts';
import { checkLength } from '../core/errors.ts';
import { excerptsInIdOrder } from '../store/bead-cache.ts';
import { wireBeads } from '../store/bead-store.ts';
import { readBeads, resolveIds } from '../store/beads.ts';

export const spec = defineCommand({
  name: 'bead-list',
  summary: 'list beads, filtered by status, type, tier, parent or assignee',
  args: [],
  options: [
    {
      flags: '--status <list>',
      description: 'comma-separated statuses (default: every status but closed); "all" for every one',
      type: 'list',
      choices: [...STATUSES, 'all'],
    },
    { flags: '--type <type>', description: 'plan, phase or task', choices: ISSUE_TYPES },
    { flags: '--tier <tier>', description: 'plan, epic or legend', choices: TIERS },
    { flags: '--parent <id>', description: 'only children of this bead', complete: 'beads' },
    { flags: '--assignee <name>', description: 'only beads assigned to <name>' },
    { flags: '--label <label>', description: 'only beads with this label' },
    { flags: '--limit <n>', description: 'print at most <n> beads', type: 'int' },
  ],
  description: `Lists beads in id order (children after their parent, x.2 before x.10). Without --status, closed beads are left out.`,
  output:
    'One NDJSON record of kind "bead" a bead (as in sase-bead-show(1), without the resolved relations, with blocked). With --format id, one id a line. On a terminal, a table.',
  exit: [[4, 'the --parent bead does not exist']],
  examples: [
    { cmd: 'sase bead list --status open,in_progress', text: 'what is not finished' },
    { cmd: 'sase bead list --tier epic --status all', text: 'every epic' },
    { cmd: 'sase bead list --parent sase-7m2q --format id', text: 'the phases of an epic' },
  ],
  seeAlso: ['sase-bead-ready', 'sase-bead-show'],
  async run(ctx, _args, opts) {
    const store = await ctx.store();
    const snap = await store.snapshot();
    // a filter longer than any stored value is a bad value
    if (opts.assignee !== undefined) checkLength('--assignee', opts.assignee, LIMITS.name);
    if (opts.label !== undefined) checkLength('--label', opts.label, LIMITS.label);
    const statuses: readonly string[] = opts.status ?? ['open', 'claimed', 'in_progress'];
    const all = statuses.includes('all');
    const [parent] = opts.parent ? await resolveIds(snap, [opts.parent]) : [null];
    const want = (e: Excerpt) =>
      (all || statuses.includes(e.status)) &&
      (!opts.type || e.issue_type === opts.type) &&
      (!opts.tier || e.tier === opts.tier) &&
      (!parent || e.parent_id === parent) &&
      (!opts.assignee || e.assignee === opts.assignee) &&
      (!opts.label || e.labels.includes(opts.label));
    // in id order, reading only the cache's shards that the limit needs
    const chosen = await excerptsInIdOrder(store, snap.tip, want, opts.limit, (d, t) =>
      ctx.progress(`reading beads: ${d}/${t}`),
    );
    const blocked = new Map(chosen.map((e) => [e.id, e]));
    const beads = await readBeads(
      snap,
      chosen.map((e) => e.id),
    );
    printBeads(
      ctx,
      await wireBeads(snap, beads, { tip: snap.tip, beads: blocked, children: new Map(), dependants: new Map() }),
    );
    await sayIfEmpty(ctx, chosen.length, () =>
      all ? 'no beads' : `no beads with status ${statuses.join(', ')}; every bead: sase bead list --status all`,
    );
    return 0;
  },
});
