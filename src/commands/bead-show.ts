import { runBrief } from '../app/agents/view.ts';
import { printBeadCard } from '../cli/bead-view.ts';
import { inputIds, NO_IDS_EXIT, NO_IDS_INPUT, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { beadRelations } from '../store/bead-store.ts';
import { readBeads, resolveIds } from '../store/beads.ts';
import { runsOfBeads } from '../store/runs.ts';
import { beadShowToWire } from '../wire/bead.ts';

export const spec = defineCommand({
  name: 'bead-show',
  prints: ['bead-show'],
  summary: 'show beads with their parent, children, blockers and dependants',
  args: [
    {
      name: 'id',
      complete: 'beads',
      description: 'bead id: full, short, or any unique prefix of the part after the dash',
      variadic: true,
    },
  ],
  options: [],
  stdin: true,
  description: `Shows each bead named with its relations resolved: its parent, its children, the beads it depends on (its blockers) and the beads that depend on it, each with its title and status, and whether the bead is blocked now.

A blocker may be one sase cannot see: an external reference (dependencies[].depends_on_id of the form external:<project>:<capability>), or a bead that is not stored (a dependency or parent naming an id no stored bead has; sase bead import records those it wrote so in missing). Either blocks until it is marked satisfied (sase bead dep satisfy), which adds {ref, satisfied_at, satisfied_by} to satisfied; a mark never speaks for a stored bead, whose own status decides.

Ids may be given in full (sase-k3f9abcd), in the short form shown by other commands, or as any unique prefix of the part after the dash, with or without the prefix (k3f9, sase-k3f9). A child is named by its parent's short form and its number (k3f9.2).`,
  input: `Ids as arguments, or on stdin (one bare id a line, or NDJSON records with an "id" field) with --stdin, a lone "-", or when no id is given and stdin is not a terminal. ${NO_IDS_INPUT}`,
  output: `One NDJSON record of kind "bead" a bead: the stored fields (v, kind, id, short_id, title, issue_type, tier, parent_id, status, priority, assignee, owner, size, model, labels, links, dependencies, description, notes, design, created_at, created_by, updated_at, closed_at, close_reason, resolution, close_history, missing, satisfied) and the derived ones: blocked (boolean), open_blockers (ids of the blockers that hold it, the ancestors' included), parent (a reference or null), children, blockers and dependants (lists of references {id, short_id, title, status, issue_type, priority}; a missing bead has status "missing", an external reference status "external"), and runs: the agent runs working the bead or its children, the newest of each name, as {id, name, bead, status, error, wait_reason, started_at, ended_at} (so an epic says which phase failed and why). On a terminal, a card.`,
  exit: [
    NO_IDS_EXIT,
    [4, 'no bead matches an id'],
    [129, 'an id is ambiguous (the candidates are named) or malformed'],
  ],
  examples: [
    { cmd: 'sase bead show k3f9', text: 'show one bead by a short id' },
    { cmd: 'sase bead ready --format id | xargs sase bead show', text: 'show every ready bead' },
  ],
  seeAlso: ['sase-bead-list', 'sase-bead-dep-tree'],
  async run(ctx, args, opts) {
    const ids = await inputIds(ctx, args, opts);
    const store = await ctx.store();
    const snap = await store.snapshot();
    const full = await resolveIds(snap, ids);
    const nowMs = ctx.clock.now().getTime();
    for (const bead of await readBeads(snap, full)) {
      const rel = await beadRelations(store, snap, bead, (d, t) => ctx.progress(`reading beads: ${d}/${t}`));
      // the runs that work it or its children, so an epic says which phase failed and why
      const runs = (await runsOfBeads(snap, [bead.id, ...rel.children.map((c) => c.id)])).map((r) =>
        runBrief(store, r, nowMs),
      );
      const rec = beadShowToWire(bead, rel, runs);
      if (ctx.format === 'text') printBeadCard(ctx, rec);
      else writeRecord(ctx, rec);
    }
    return 0;
  },
});
