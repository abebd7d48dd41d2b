import { beadPrefix } from '../app/config/config.ts';
import { printWrittenBeads } from '../cli/bead-view.ts';
import { isoNow } from '../cli/context.ts';
import { defineCommand } from '../cli/spec.ts';
import { mintId } from '../core/beads/ids.ts';
import {
  type Bead,
  checkChoice,
  checkLine,
  checkPriority,
  checkText,
  ISSUE_TYPES,
  LIMITS,
  newBead,
  SIZES,
  shardOf,
  TIERS,
} from '../core/beads/model.ts';
import { nextChildId } from '../core/beads/ops.ts';
import { UsageError } from '../core/errors.ts';
import { commitBeads, wireBeads } from '../store/bead-store.ts';
import { resolveIds, shardIds } from '../store/beads.ts';

export const spec = defineCommand({
  name: 'bead-create',
  prints: ['bead'],
  summary: 'create a bead',
  args: [],
  options: [
    { flags: '--title <title>', description: 'one-line title (required)' },
    {
      flags: '--type <type>',
      description: 'plan, phase or task (default task; plan when --tier is given)',
      choices: ISSUE_TYPES,
    },
    { flags: '--tier <tier>', description: 'for a plan: plan, epic or legend', choices: TIERS },
    {
      flags: '--parent <id>',
      description: "parent bead; a phase's parent is an epic and its id becomes <parent>.<n>",
      complete: 'beads',
    },
    {
      flags: '--deps <ids>',
      description: 'comma-separated ids this bead depends on (its blockers)',
      type: 'list',
      complete: 'beads',
    },
    { flags: '--priority <p>', description: '0 (highest) to 4 (default 2)' },
    { flags: '--size <size>', description: 'xsmall, small, medium, large or xlarge', choices: SIZES },
    { flags: '--description <text>', description: 'longer description' },
    { flags: '--assignee <name>', description: 'who the bead is assigned to' },
    { flags: '--owner <name>', description: 'who owns the bead' },
    { flags: '--label <labels>', description: 'comma-separated labels', type: 'list' },
    { flags: '--design <path>', description: 'the plan that designs this bead (e.g. sdd/epics/x.md)' },
    { flags: '--model <model>', description: 'the model an agent should use for it' },
  ],
  description: `Creates one bead in the state ref (refs/sase/state) with one commit, and prints it.

A top-level bead gets a new random id, <prefix>-<8 base36 characters>, where the prefix is the one every clone of the repository shares, settings.json in the state ref (written by sase init); for a state made before settings.json, 'beads.prefix' from .sase/config.toml, or else the repository folder's name. A bead created with --parent gets the next child id of that parent, <parent>.<n>.

A phase needs a parent epic (a plan bead of tier epic). A plan needs a tier; giving --tier alone makes a plan.`,
  output: 'The new bead as one NDJSON record of kind "bead" (see sase-bead-show(1)), or a table row on a terminal.',
  exit: [
    [1, 'refused: the parent is not an epic (for a phase) or is closed'],
    [4, 'the parent or a dependency does not exist'],
  ],
  examples: [
    { cmd: "sase bead create --title 'Ready-queue cache' --tier epic", text: 'create an epic' },
    {
      cmd: "sase bead create --type phase --parent sase-7m2q --title 'Cache store' --size small",
      text: 'add a phase to it (id sase-7m2q.1)',
    },
    {
      cmd: "sase bead create --title 'Query' --type phase --parent sase-7m2q --deps sase-7m2q.1",
      text: 'a phase blocked by the first',
    },
  ],
  seeAlso: ['sase-bead-show', 'sase-bead-dep-add', 'sase-bead-ready'],
  async run(ctx, _args, opts) {
    if (opts.title === undefined) throw new UsageError("missing '--title'");
    const title = checkLine('title', opts.title, LIMITS.title);
    const tier = opts.tier ? checkChoice('tier', opts.tier, TIERS) : null;
    const issueType = opts.type ? checkChoice('type', opts.type, ISSUE_TYPES) : tier ? 'plan' : 'task';
    const priority = opts.priority === undefined ? 2 : checkPriority(opts.priority);
    const description = checkText('description', opts.description ?? '');
    const labels = (opts.label ?? []).map((l) => checkLine('label', l, LIMITS.label));
    const store = await ctx.store();
    const prefix = await beadPrefix(store);
    const ident = await store.ident();
    const at = isoNow(ctx);
    const { changes } = await commitBeads(store, async (reader) => {
      const [parentId] = opts.parent ? await resolveIds(reader.snap, [opts.parent]) : [null];
      const deps = await resolveIds(reader.snap, opts.deps ?? []);
      let id: string;
      if (parentId) id = nextChildId(parentId, await shardIds(reader.snap, shardOf(parentId)));
      else {
        do id = mintId(prefix, await ctx.random(8));
        while (await reader.get(id));
      }
      const bead: Bead = newBead({
        id,
        title,
        issue_type: issueType,
        tier,
        parent_id: parentId,
        priority,
        description,
        labels: [...new Set(labels)].sort(),
        size: opts.size ?? null,
        assignee: opts.assignee ? checkLine('assignee', opts.assignee, LIMITS.name) : null,
        owner: opts.owner ? checkLine('owner', opts.owner, LIMITS.name) : ident.email,
        design: opts.design ? checkLine('design', opts.design, LIMITS.name) : null,
        model: opts.model ? checkLine('model', opts.model, LIMITS.name) : null,
        dependencies: [...new Set(deps)].map((d) => ({ depends_on_id: d, created_at: at, created_by: ident.email })),
        created_at: at,
        created_by: ident.email,
      });
      return { op: 'bead.create', bead };
    });
    const snap = await store.snapshot();
    printWrittenBeads(
      ctx,
      await wireBeads(
        snap,
        changes.map((c) => c.bead!),
      ),
      'created',
    );
    return 0;
  },
});
