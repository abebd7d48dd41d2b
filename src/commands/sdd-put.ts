import { readInputFile } from '../cli/files.ts';
import { countFindings, putPlanText, reportPut } from '../cli/sdd-put.ts';
import { reportDiagnostics } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { RefusedError } from '../core/errors.ts';

export const spec = defineCommand({
  name: 'sdd-put',
  prints: ['plan'],
  summary: 'store a plan from a file, validated first',
  args: [
    {
      name: 'file',
      complete: 'files',
      description: "the plan (Markdown with YAML front matter); '-' for stdin",
      required: true,
    },
  ],
  options: [{ flags: '--strict', description: 'warnings refuse the plan too', type: 'bool' }],
  description: `Stores the plan in FILE as sdd/<tier>s/<slug>.md in the state ref: a new plan, or a new version of the plan with that slug (the slug is the front matter's 'slug', else the title in lower case with every run of other characters than letters and digits turned into one '-'). This is how an agent hands in a plan it wrote.

The plan is validated first, on its own and with its links against the store (see sase-sdd-validate(1) for the checks and their codes); when it has errors nothing is stored, the diagnostics are printed on stderr and the exit status is 1. Warnings are printed and do not stop it, unless --strict.

The text is stored in its canonical form: front matter keys in a fixed order, lists on one line, the body ending in one newline. The fields sase manages are kept from the stored version whatever the file says (a warning says so when it differs): 'status' (draft for a new plan; change it with sase-sdd-status(1)), 'bead' (set by sase-sdd-approve(1)) and 'created_at'; 'prompt' is kept when the file does not name one.

Storing a text that is already stored is a no-op: no commit, a note on stderr, the plan printed. A slug names one plan across the tiers: a tale cannot take the slug of an epic. An approved epic's phases must still match its beads (phase-beads-mismatch).`,
  input: "The plan's text on stdin when FILE is '-'.",
  output:
    'The stored plan as one NDJSON record of kind "plan": {v, kind, id (its path), path, slug, tier, title, goal, status, bead, prompt, model, size, phases, epics, created_at, updated_at (the time of this put; null when nothing changed), body}; on a terminal, one line: stored <slug>: <title> (<status>), or unchanged when nothing changed (on a pipe a note on stderr says so).',
  exit: [
    [
      1,
      'refused: the plan has errors (or warnings, with --strict), or its slug is taken by a plan of another tier; nothing stored',
    ],
    [128, 'the file cannot be read or is larger than 1 MiB'],
  ],
  examples: [
    { cmd: 'sase sdd put plan.md', text: 'store the plan an agent wrote' },
    { cmd: 'agent-writes-plan | sase sdd put -', text: 'store a plan from stdin' },
    {
      cmd: 'sase sdd put --strict plan.md && sase sdd approve ready-cache',
      text: 'store it only when it has no warnings either, then approve it',
    },
  ],
  seeAlso: ['sase-sdd-validate', 'sase-sdd-edit', 'sase-sdd-new', 'sase-sdd-approve', 'sase-sdd-show'],
  async run(ctx, args, opts) {
    const file = args[0]!;
    const where = file === '-' ? 'stdin' : file;
    const text = await readInputFile(ctx, file, 'plan file');
    const r = await putPlanText(ctx, text, where, opts.strict ?? false);
    const refused = reportPut(ctx, text, r);
    if (refused.length) {
      reportDiagnostics(ctx, refused);
      throw new RefusedError(`plan '${where}' does not validate (${countFindings(refused)}); nothing stored`);
    }
    return 0;
  },
});
