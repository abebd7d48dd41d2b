import { askYes } from '../cli/ask.ts';
import { beadAction } from '../cli/bead-action.ts';
import type { Ctx } from '../cli/context.ts';
import { inputIds, NO_IDS_EXIT, NO_IDS_INPUT, writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { readBeads, resolveIds } from '../store/beads.ts';
import { removedToWire } from '../wire/bead.ts';

export const spec = defineCommand({
  name: 'bead-rm',
  prints: ['removed'],
  summary: 'remove beads',
  args: [{ name: 'id', complete: 'beads', description: 'beads to remove', variadic: true }],
  options: [
    {
      flags: '--force',
      description: 'also remove their children, and drop dependencies on them from other beads',
      type: 'bool',
    },
    { flags: '-y, --yes', description: 'remove without asking', type: 'bool' },
  ],
  stdin: true,
  description: `Removes beads from the state ref, all or nothing, in one commit. A bead with children, or one that other beads depend on, is refused unless --force is given: then its descendants are removed too and the dependency edges pointing at it are dropped from the beads that had them.

The bead stays in the history of refs/sase/state (sase log shows the removal); closing is usually what you want.

With stdin on a terminal it asks first, naming the beads (y or yes removes them; anything else removes nothing and exits 1); --yes removes without asking. When it cannot ask because the ids come on a pipe (or stdin is not a terminal) while a person is at a terminal (stderr is one), it refuses without --yes: 'sase bead list | sase bead rm' typed by hand does not remove every open bead. Where nothing is a terminal (scripts, agents, cron) it removes without asking, as git rm does.`,
  input: `Ids as arguments, or on stdin (bare ids or NDJSON records with "id"). ${NO_IDS_INPUT}`,
  output:
    'One NDJSON record of kind "bead" for each bead that lost a dependency (with --force), then one record {v, kind: "removed", id} for each bead removed.',
  exit: [
    NO_IDS_EXIT,
    [1, 'refused: a bead has children or dependants and --force was not given; or the question was answered no'],
    [129, 'stdin is not a terminal to ask on while stderr is one, and --yes was not given'],
    [4, 'no bead matches an id'],
  ],
  examples: [
    { cmd: 'sase bead rm k3f9', text: 'remove a bead created by mistake' },
    { cmd: 'sase bead rm 7m2q --force', text: 'remove an epic with its phases (after asking)' },
    {
      cmd: 'sase bead list --label junk --format id | sase bead rm --yes',
      text: 'remove every open bead labelled junk',
    },
  ],
  seeAlso: ['sase-bead-close', 'sase-log'],
  async run(ctx, args, opts) {
    const ids = await inputIds(ctx, args, opts);
    if (!opts.yes && !(await confirmed(ctx, ids, opts.force ?? false))) {
      ctx.stderr.write('nothing removed\n');
      return 1;
    }
    const { removed } = await beadAction(ctx, ids, {}, ({ ids, at, actor }) => ({
      op: 'bead.rm',
      ids,
      force: opts.force ?? false,
      at,
      actor,
    }));
    for (const id of removed) {
      if (ctx.format === 'text') ctx.stdout.write(`removed ${id}\n`);
      else writeRecord(ctx, removedToWire(id));
    }
    return 0;
  },
});

/** Whether to go on: asked on a terminal; refused when a person is there but cannot be asked; yes for scripts. */
async function confirmed(ctx: Ctx, inputs: string[], force: boolean): Promise<boolean> {
  if (!ctx.stdinIsTTY) {
    if (!ctx.stderrIsTTY) return true;
    throw new UsageError(
      `not removing ${inputs.length === 1 ? `'${inputs[0]}'` : `${inputs.length} beads`} without asking, and stdin is not a terminal to ask on (give --yes)`,
    );
  }
  const snap = await (await ctx.store()).snapshot();
  const beads = await readBeads(snap, await resolveIds(snap, inputs));
  const named = beads.map((b) => `${b.id} (${clean(b.title)})`);
  const shown = named.length > 5 ? [...named.slice(0, 5), `and ${named.length - 5} more`] : named;
  return askYes(ctx, `remove ${shown.join(', ')}${force ? ', with their descendants' : ''}?`);
}
