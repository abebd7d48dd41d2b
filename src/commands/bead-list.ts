import { pickBeads } from '../cli/bead-pick.ts';
import { BEAD_SEARCHED, BEAD_SHAPE, printBeads } from '../cli/bead-view.ts';
import type { Ctx } from '../cli/context.ts';
import { sayIfEmpty } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { ISSUE_TYPES, LIMITS, STATUSES, TIERS } from '../core/beads/model.ts';
import type { Excerpt } from '../core/beads/table.ts';
import { checkLength } from '../core/errors.ts';
import type { ListOps } from '../core/list-ops.ts';
import { checkListOps } from '../core/list-ops.ts';
import { excerptsInIdOrder, excerptsInListOrder, freshTable, listHeadNdjson } from '../store/bead-cache.ts';
import { wireBeads } from '../store/bead-store.ts';
import { readBeads, resolveIds } from '../store/beads.ts';
import type { Store } from '../store/store.ts';
import type { BeadRecord } from '../wire/bead.ts';

/** The filters of bead list and bead search. */
export const BEAD_FILTERS = [
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
] as const;

export const [LIMIT, SORT, GREP, NO_PAGER] = listOptions('beads', BEAD_SHAPE, BEAD_SEARCHED);

export interface BeadListOptions extends ListOps {
  readonly status?: readonly string[] | undefined;
  readonly type?: string | undefined;
  readonly tier?: string | undefined;
  readonly parent?: string | undefined;
  readonly assignee?: string | undefined;
  readonly label?: string | undefined;
}

/** Prints the beads that pass the filters, --grep, --sort and --limit (bead list and bead search). */
export async function listBeads(ctx: Ctx, opts: BeadListOptions, defaultStatuses: readonly string[]): Promise<void> {
  checkListOps(BEAD_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
  const store = await ctx.store();
  // a filter longer than any stored value is a bad value
  if (opts.assignee !== undefined) checkLength('--assignee', opts.assignee, LIMITS.name);
  if (opts.label !== undefined) checkLength('--label', opts.label, LIMITS.label);
  const statuses = opts.status ?? defaultStatuses;
  const all = statuses.includes('all');
  const progress = (d: number, t: number) => ctx.progress(`reading beads: ${d}/${t}`);
  const headed =
    opts.sort === undefined && opts.limit !== undefined && !opts.grep && !all && !statuses.includes('closed');
  const tip = headed && !opts.parent ? await store.tip() : null;
  if (headed && !opts.parent && (await fromListHead(ctx, store, tip, statuses, opts, progress))) return;
  const snap = await store.snapshot();
  const [parent] = opts.parent ? await resolveIds(snap, [opts.parent]) : [null];
  const want = (e: Pick<Excerpt, 'status' | 'issue_type' | 'tier' | 'parent_id' | 'assignee' | 'labels'>) =>
    (all || statuses.includes(e.status)) &&
    (!opts.type || e.issue_type === opts.type) &&
    (!opts.tier || e.tier === opts.tier) &&
    (!parent || e.parent_id === parent) &&
    (!opts.assignee || e.assignee === opts.assignee) &&
    (!opts.label || e.labels.includes(opts.label));
  let chosen: string[];
  if ((opts.sort === 'id' || (opts.sort === undefined && opts.limit !== undefined)) && !opts.grep) {
    // in id or list order the cache's shards are read in turn, only as many as the limit needs
    const rows =
      opts.sort === 'id'
        ? await excerptsInIdOrder(store, snap.tip, want, opts.limit, progress)
        : await excerptsInListOrder(store, snap.tip, want, all || statuses.includes('closed'), opts.limit!, progress);
    chosen = rows.map((e) => e.id);
    const beads = new Map(rows.map((e) => [e.id, e]));
    const table = { tip: snap.tip, beads, children: new Map(), dependants: new Map() };
    printBeads(ctx, await wireBeads(snap, await readBeads(snap, chosen), table));
  } else {
    const table = await freshTable(store, snap.tip, progress);
    chosen = await pickBeads(snap, [...table.beads.values()].filter(want), opts);
    printBeads(ctx, await wireBeads(snap, await readBeads(snap, chosen), table));
  }
  await sayIfEmpty(ctx, chosen.length, () =>
    opts.grep
      ? 'no beads match'
      : all
        ? 'no beads'
        : `no beads with status ${statuses.join(', ')}; every bead: sase bead list --status all`,
  );
}

/**
 * A list with a limit in the default order, of beads not closed, answered
 * from the cache's pre-rendered head of the list when it holds enough
 * (filters keep a prefix of a prefix); false when it does not.
 */
async function fromListHead(
  ctx: Ctx,
  store: Store,
  tip: string | null,
  statuses: readonly string[],
  opts: BeadListOptions,
  progress: (d: number, t: number) => void,
): Promise<boolean> {
  const limit = opts.limit!;
  const head = await listHeadNdjson(store, tip, progress);
  const picked: BeadRecord[] = [];
  for (const piece of head.body)
    for (const line of piece.toString('utf8').split('\n')) {
      if (!line || picked.length >= limit) continue;
      // the head's lines are bead records, as beadToWire built them
      const r = JSON.parse(line) as BeadRecord;
      if (
        statuses.includes(r.status) &&
        (!opts.type || r.issue_type === opts.type) &&
        (!opts.tier || r.tier === opts.tier) &&
        (!opts.assignee || r.assignee === opts.assignee) &&
        (!opts.label || r.labels.includes(opts.label))
      )
        picked.push(r);
    }
  if (picked.length < limit && !head.complete) return false;
  printBeads(ctx, picked);
  await sayIfEmpty(
    ctx,
    picked.length,
    () => `no beads with status ${statuses.join(', ')}; every bead: sase bead list --status all`,
  );
  return true;
}

export const spec = defineCommand({
  name: 'bead-list',
  prints: ['bead'],
  summary: 'list beads, filtered by status, type, tier, parent or assignee',
  args: [],
  options: [...BEAD_FILTERS, LIMIT, SORT, GREP, NO_PAGER],
  description: `Lists beads, most urgent first: by priority (0 first), then creation time (oldest first), then id; --sort id lists them in id order (children after their parent, x.2 before x.10). Without --status, closed beads are left out.

--grep keeps the beads whose title, description, notes or design contain the text, ignoring case (sase-bead-search(1) does the same over every status).

With --limit and no --sort, the first beads come from the derived cache in $GIT_COMMON_DIR/sase/cache/: the head of the list (its first 256 beads not closed) is kept there as printed, so a short list costs one small file read however many beads there are. The first such list after the cache is built (a fresh clone, a deleted cache) makes that file, reading its beads from git; every write keeps it current from then on.`,
  output:
    'One NDJSON record of kind "bead" a bead (as in sase-bead-show(1), without the resolved relations, with blocked). With --format id, one id a line. On a terminal, a table.',
  exit: [[4, 'the --parent bead does not exist']],
  examples: [
    { cmd: 'sase bead list --status open,in_progress', text: 'what is not finished' },
    { cmd: 'sase bead list --tier epic --status all', text: 'every epic' },
    { cmd: 'sase bead list --parent sase-7m2q --format id', text: 'the phases of an epic' },
    { cmd: 'sase bead list --sort -updated_at --limit 5', text: 'the five beads changed last' },
    { cmd: "sase bead list --grep 'login page' --json id,title", text: 'open beads that mention the login page' },
  ],
  seeAlso: ['sase-bead-ready', 'sase-bead-show'],
  async run(ctx, _args, opts) {
    await listBeads(ctx, opts, ['open', 'claimed', 'in_progress']);
    return 0;
  },
});
