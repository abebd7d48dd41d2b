import { writeRecord } from '../cli/io.ts';
import { printPlanCard, printPromptCard } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { readPlan } from '../core/sdd/ops.ts';
import { parsePrompt } from '../core/sdd/plan.ts';
import { findPlan, sddReader } from '../store/sdd.ts';
import { lastChanges } from '../store/sdd-history.ts';
import { planLinks } from '../store/sdd-links.ts';
import { planShowToWire, promptToWire } from '../wire/plan.ts';

export const spec = defineCommand({
  name: 'sdd-show',
  prints: ['plan-show', 'prompt'],
  summary: 'show a plan with its prompt, beads, phases and commits resolved',
  args: [
    {
      name: 'plan',
      complete: 'plans',
      description: 'the plan: its slug, or a path like sdd/epics/<slug>.md (a prompt path shows the prompt)',
      required: true,
    },
  ],
  options: [{ flags: '--raw', description: 'print the stored text exactly as it is', type: 'bool' }],
  description: `Shows a stored plan with its links resolved: the prompt it came from (and whether that prompt names the plan back), its bead and the bead's status, for an epic each phase with its bead and status, for a legend each epic it coordinates with that plan's status and bead, and the code commits that carry the plan out: those whose note in refs/notes/sase (see sase-sdd-link(1)) names the plan's path or one of its beads, phase beads included, oldest first.

With --raw, the stored text is printed byte for byte (front matter and body), for editing or diffing.`,
  output: `One NDJSON record of kind "plan": the fields of sase-sdd-list(1) (v, kind, id, path, slug, tier, title, goal, status, bead, prompt, model, size, phases, epics, created_at, updated_at, body) and the resolved links:
prompt_record: {path, exists, plan (the plan the prompt names back, or null)}, or null when the plan names no prompt;
bead_record: the plan's bead as a reference {id, short_id, title, status, issue_type, priority} (status "missing" when the bead is gone), or null before approval;
phase_beads: for an epic, [{phase (its id), bead (a reference, or null before approval)}] in phase order; null for other tiers;
epic_plans: for a legend, [{slug, path, status ("missing" when there is no such epic plan), bead}]; null for other tiers;
commits: [{commit, subject, date, plan, bead}] from the notes, oldest first (subject and date are null for a commit this clone does not have).
A prompt path prints a record of kind "prompt" {v, kind, id, path, slug, plan, created_at, updated_at, body}. On a terminal, a card; with --raw, the stored text.`,
  exit: [
    [1, 'the stored plan no longer parses (see it with --raw)'],
    [4, 'no such plan'],
    [129, 'the slug names plans in two tiers (the candidates are named; give the path), or it is malformed'],
  ],
  examples: [
    { cmd: 'sase sdd show ready-cache', text: 'the plan, its phases and their beads' },
    { cmd: 'sase sdd show sdd/epics/ready-cache.md --raw > plan.md', text: 'the stored text, to edit' },
    {
      cmd: "sase sdd show ready-cache --json | jq -r '.commits[].commit'",
      text: 'the commits that carry the plan out',
    },
  ],
  seeAlso: ['sase-sdd-list', 'sase-sdd-link', 'sase-sdd-status', 'sase-bead-show'],
  async run(ctx, args, opts) {
    if (!args[0]) throw new UsageError('no plan given');
    if (args.length > 1) throw new UsageError(`one plan at a time; '${args[1]}' is extra`);
    const store = await ctx.store();
    const snap = await store.snapshot();
    const found = await findPlan(snap, args[0]);
    if (opts.raw) {
      ctx.stdout.write(found.text);
      return 0;
    }
    if (found.dir === 'prompts') {
      const { prompt } = parsePrompt(found.text, found.path);
      const updated = (await lastChanges(store, [found.dir])).get(found.path)?.at ?? null;
      const rec = promptToWire(found.path, found.slug, prompt ?? { plan: null, created_at: null, body: found.text }, {
        updated_at: updated,
      });
      if (ctx.format === 'text') printPromptCard(ctx, rec);
      else writeRecord(ctx, rec);
      return 0;
    }
    const plan = (await readPlan(sddReader(store, snap), found.path))!;
    const updated = (await lastChanges(store, [found.dir])).get(found.path)?.at ?? null;
    const rec = planShowToWire(found.path, plan, updated, await planLinks(store, snap, found.path, plan));
    if (ctx.format === 'text') printPlanCard(ctx, rec);
    else writeRecord(ctx, rec);
    return 0;
  },
});
