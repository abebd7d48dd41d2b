import { beadPrefix } from '../app/config/config.ts';
import { printWrittenBeads } from '../cli/bead-view.ts';
import { isoNow } from '../cli/context.ts';
import { printWritten } from '../cli/render.ts';
import { reportDiagnostics } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { RefusedError, withHint } from '../core/errors.ts';
import { hasErrors } from '../core/sdd/diagnostics.ts';
import { wireBeads } from '../store/bead-store.ts';
import { findPlan } from '../store/sdd.ts';
import { approvePlan } from '../store/sdd-approve.ts';

export const spec = defineCommand({
  name: 'sdd-approve',
  prints: ['bead'],
  summary: 'approve a plan: create its beads in one commit',
  args: [
    {
      name: 'plan',
      complete: 'plans',
      description: 'the plan: its slug, or its path (sdd/epics/<slug>.md)',
      required: true,
    },
  ],
  options: [],
  description: `Approves a draft plan and creates the beads that carry it out, together with the plan's new status, in one commit of the state ref:

- a tale gets one bead of type plan (tier plan);
- an epic gets its epic bead (type plan, tier epic) and one phase bead per phase, <epic>.1, <epic>.2, ... in the plan's order, with the phase's title, size, model and description, and a dependency on the phase beads its depends_on names. So 'sase bead ready' lists the phases nothing blocks, and closing them releases the next ones;
- a legend gets a legend bead (tier legend); the epics it names become its children: an approved epic's bead is put under it, a missing epic is created as a draft epic plan, whose bead will be a child of the legend's when it is approved.

Every bead's design names the plan, and the plan's bead names the top bead, so 'sase sdd validate' can check both directions. The plan's status becomes approved; claiming a phase later moves it to in_progress, and closing the last phase to done.

A plan that does not validate is refused, with its diagnostics; so is one that still holds a placeholder sase drafted (a skeleton's phase 'Name the first phase', a legend's 'first-epic', a section that says TODO: code 'placeholder', reported here as an error). Approving an approved plan again is a no-op that reports the beads it has, so an interrupted approval can be run again; two approvals racing make one set of beads.`,
  output:
    'The beads of the plan as NDJSON records of kind "bead" (see sase-bead-show(1)): the top bead first, then the phases in order. On a terminal, a line saying what was approved ("approved <slug>: <title> (<bead> with N phases)", or "unchanged" for a plan approved before) and one line a bead ("created <id>: <title>").',
  exit: [
    [
      1,
      'refused: the plan does not validate or still holds placeholders (diagnostics on stderr), or it is not a draft and has no bead',
    ],
    [4, 'no such plan'],
    [129, 'the slug is ambiguous or malformed'],
  ],
  examples: [
    { cmd: 'sase sdd approve ready-cache', text: 'approve an epic; its phases become beads' },
    { cmd: 'sase sdd approve ready-cache && sase bead ready', text: 'then see which phases can start' },
    { cmd: 'sase sdd approve ready-cache | sase bead show', text: 'show every bead the plan has' },
  ],
  seeAlso: ['sase-sdd-new', 'sase-sdd-validate', 'sase-sdd-status', 'sase-bead-ready'],
  async run(ctx, args) {
    const store = await ctx.store();
    const { path } = await findPlan(await store.snapshot(), args[0]!);
    const r = await approvePlan(store, path, {
      at: isoNow(ctx),
      random: ctx.random,
      prefix: await beadPrefix(store),
    });
    if (!r.plan && !hasErrors(r.diagnostics)) throw new RefusedError(`plan '${path}' was removed`);
    if (hasErrors(r.diagnostics)) {
      reportDiagnostics(ctx, r.diagnostics);
      if (r.diagnostics.every((d) => d.severity !== 'error' || d.code === 'placeholder'))
        throw withHint(
          new RefusedError(`plan '${path}' still holds placeholders; nothing approved`),
          `write them with 'sase sdd edit ${path}'`,
        );
      throw new RefusedError(`plan '${path}' does not validate; nothing approved`);
    }
    const plan = r.plan!;
    const phases = r.beads.length - 1;
    if (ctx.format === 'text') {
      const what = plan.tier === 'epic' ? `${plan.bead} with ${phases} phase${phases === 1 ? '' : 's'}` : plan.bead;
      // a line for the plan, then a line a bead (the records alone on a pipe)
      printWritten(ctx, [plan], (p) => ({
        verb: r.commit ? 'approved' : 'unchanged',
        id: p.slug,
        title: p.title,
        note: ` (${r.commit ? '' : 'approved before, '}${what})`,
      }));
    }
    printWrittenBeads(ctx, await wireBeads(await store.snapshot(), r.beads), r.commit ? 'created' : 'unchanged');
    return 0;
  },
});
