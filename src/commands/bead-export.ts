import type { Ctx } from '../cli/context.ts';
import { defineCommand } from '../cli/spec.ts';
import { beadsToBd } from '../core/beads/bd.ts';
import { STATUSES } from '../core/beads/model.ts';
import { readAllBeads, wireRecordsFrom } from '../store/bead-import.ts';

export const spec = defineCommand({
  name: 'bead-export',
  summary: "print every bead as NDJSON, in sase's shape or bd's",
  args: [],
  options: [
    {
      flags: '--format <format>',
      description: "json (sase's bead records, the default) or bd (the Go bd tool's issues.jsonl shape)",
      choices: ['json', 'bd'],
      default: 'json',
      complete: 'none',
    },
    {
      flags: '--status <list>',
      description: 'comma-separated statuses to export (default: all)',
      type: 'list',
      choices: [...STATUSES, 'all'],
    },
  ],
  formatted: false,
  description: `Prints the beads of the state ref, one JSON object a line, in id order (children after their parent, x.2 before x.10), whatever stdout is: the output is meant for files and pipes, and sase-bead-import reads it back.

With --format json (the default) each line is a bead record as sase-bead-list prints it. With --format bd each line is an issue as the Go bd tool writes .beads/issues.jsonl: issue_type is the bd type kept in the label bd:type=<type> (epic for an epic plan, else task), the status comes back from bd:pinned and bd:status=<status> (claimed and in_progress become in_progress), dependencies carry the types blocks (an external dependency is a blocks edge to its external:<project>:<capability> reference, as bd writes it), parent-child (with the "parent" field too) and the kinds of the bead's links, and design and acceptance text come back out of the headed sections sase-bead-import put them in. The bd:* labels are dropped. Fields bd has no place for (a tier other than epic, size, model, resolution, close history, a claimed status, the satisfied marks, ...) go into a "sase" object on that line (the missing list does not: an import decides it again against its own store), which bd ignores and sase-bead-import restores: exporting in either format and importing into a fresh repository gives the same beads.`,
  output: `One NDJSON record a bead. json: {"v":1,"kind":"bead","id",...,"blocked"} as in sase-bead-list(1). bd: {"id","title","description","design","acceptance_criteria","notes","status","priority","issue_type","assignee","owner","created_at","created_by","updated_at","closed_at","close_reason","labels","external_ref","dependencies":[{"issue_id","depends_on_id","type","created_at","created_by"}],"parent","sase"}, empty fields left out.`,
  exit: [],
  examples: [
    { cmd: 'sase bead export > beads.ndjson', text: 'a backup that sase bead import reads back' },
    { cmd: 'sase bead export --format bd > .beads/issues.jsonl', text: 'hand the beads to the bd tool' },
    { cmd: 'sase bead export --status open,in_progress | jq -r .title', text: 'titles of the unfinished beads' },
  ],
  seeAlso: ['sase-bead-import', 'sase-bead-list'],
  async run(ctx, _args, opts) {
    const store = await ctx.store();
    const snap = await store.snapshot();
    const all = await readAllBeads(store, snap, (d, t) => ctx.progress(`reading beads: ${d}/${t}`));
    const statuses = opts.status ?? ['all'];
    const chosen = statuses.includes('all') ? [...all] : all.filter((b) => statuses.includes(b.status));
    chosen.sort((a, b) => ID_ORDER.compare(a.id, b.id));
    const records = opts.format === 'bd' ? beadsToBd(chosen) : await wireRecordsFrom(snap, chosen, all);
    writeAll(ctx, records);
    return 0;
  },
});

// naturalIdOrder's order (x.2 before x.10) through one collator: localeCompare
// with options builds a collator per call, some 30 times slower at 100,000 ids
const ID_ORDER = new Intl.Collator('en', { numeric: true });

/** Lines in chunks, so 100,000 records are not 100,000 writes. */
function writeAll(ctx: Ctx, records: readonly object[]): void {
  let chunk = '';
  for (const r of records) {
    chunk += JSON.stringify(r) + '\n';
    if (chunk.length > 1 << 20) {
      ctx.stdout.write(chunk);
      chunk = '';
    }
  }
  if (chunk) ctx.stdout.write(chunk);
}
