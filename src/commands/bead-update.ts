import { beadAction } from '../cli/bead-action.ts';
import { NO_IDS_EXIT, NO_IDS_INPUT } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import {
  type Bead,
  checkChoice,
  checkLine,
  checkPriority,
  checkText,
  ISSUE_TYPES,
  LIMITS,
  SIZES,
  STATUSES,
  TIERS,
} from '../core/beads/model.ts';
import { UsageError } from '../core/errors.ts';

const nullable = (v: string) => (v === '' ? null : v);

export const spec = defineCommand({
  name: 'bead-update',
  prints: ['bead'],
  summary: 'change fields of beads',
  args: [{ name: 'id', complete: 'beads', description: 'beads to change', variadic: true }],
  options: [
    {
      flags: '--status <status>',
      description: 'open, claimed or in_progress (close with sase bead close)',
      choices: STATUSES.filter((s) => s !== 'closed'),
    },
    { flags: '--title <title>', description: 'new title' },
    { flags: '--priority <p>', description: '0 (highest) to 4' },
    { flags: '--assignee <name>', description: "assignee ('' to clear)" },
    { flags: '--owner <name>', description: "owner ('' to clear)" },
    { flags: '--description <text>', description: 'new description' },
    { flags: '--design <path>', description: "the plan that designs it ('' to clear)" },
    { flags: '--size <size>', description: 'xsmall, small, medium, large or xlarge', choices: SIZES },
    { flags: '--model <model>', description: "model for agents ('' to clear)" },
    { flags: '--type <type>', description: 'plan, phase or task', choices: ISSUE_TYPES },
    { flags: '--tier <tier>', description: 'plan, epic or legend (plans only)', choices: TIERS },
    { flags: '--add-label <labels>', description: 'comma-separated labels to add', type: 'list' },
    { flags: '--remove-label <labels>', description: 'comma-separated labels to remove', type: 'list' },
  ],
  stdin: true,
  description: `Sets fields of the beads named, all or nothing, in one commit. The operation recorded is the intent (the fields set), so concurrent updates of different fields both survive a sync.

--status in_progress promotes a claimed bead to work in progress; --status open sends it back (clearing the assignee unless --assignee is given). Closing goes through sase bead close, which checks children and records the reason.`,
  input: `Ids as arguments, or on stdin (bare ids or NDJSON records with "id"). ${NO_IDS_INPUT}`,
  output: 'The updated beads as NDJSON records of kind "bead".',
  exit: [
    NO_IDS_EXIT,
    [1, 'refused: a status change of a closed bead'],
    [4, 'no bead matches an id'],
    [129, 'no field to change, or a bad value'],
  ],
  examples: [
    { cmd: 'sase bead update k3f9 --status in_progress', text: 'start work on a claimed bead' },
    {
      cmd: 'sase bead list --label triage --format id | sase bead update --stdin --priority 1',
      text: 'raise the priority of a set',
    },
  ],
  seeAlso: ['sase-bead-claim', 'sase-bead-close', 'sase-bead-note'],
  async run(ctx, args, opts) {
    const set: Partial<Bead> = {};
    if (opts.status !== undefined) set.status = checkChoice('status', opts.status, STATUSES);
    if (opts.title !== undefined) set.title = checkLine('title', opts.title, LIMITS.title);
    if (opts.priority !== undefined) set.priority = checkPriority(opts.priority);
    if (opts.assignee !== undefined)
      set.assignee = nullable(opts.assignee) && checkLine('assignee', opts.assignee, LIMITS.name);
    if (opts.owner !== undefined) set.owner = nullable(opts.owner) && checkLine('owner', opts.owner, LIMITS.name);
    if (opts.description !== undefined) set.description = checkText('description', opts.description);
    if (opts.design !== undefined) set.design = nullable(opts.design) && checkLine('design', opts.design, LIMITS.name);
    if (opts.size !== undefined) set.size = opts.size;
    if (opts.model !== undefined) set.model = nullable(opts.model) && checkLine('model', opts.model, LIMITS.name);
    if (opts.type !== undefined) set.issue_type = opts.type;
    if (opts.tier !== undefined) set.tier = opts.tier;
    if (set.issue_type && set.issue_type !== 'plan' && opts.tier === undefined) set.tier = null;
    const add = (opts.addLabel ?? []).map((l) => checkLine('label', l, LIMITS.label));
    const remove = (opts.removeLabel ?? []).map((l) => checkLine('label', l, LIMITS.label));
    if (!Object.keys(set).length && !add.length && !remove.length)
      throw new UsageError('nothing to change (see --help for the fields)');
    await beadAction(ctx, args, opts, ({ ids, at, actor }) => ({
      op: 'bead.update',
      ids,
      set,
      add_labels: add,
      remove_labels: remove,
      at,
      actor,
    }));
    return 0;
  },
});
