import { join } from 'node:path';
import type { Ctx } from '../cli/context.ts';
import { editSession } from '../cli/edit-session.ts';
import { countFindings, putPlanText, reportPut } from '../cli/sdd-put.ts';
import { reportDiagnostics } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { type Diagnostic, diag } from '../core/sdd/diagnostics.ts';
import { MAX_PLAN_BYTES, tierOfDir } from '../core/sdd/paths.ts';
import { parsePlan } from '../core/sdd/plan.ts';
import { findPlan } from '../store/sdd.ts';

export const spec = defineCommand({
  name: 'sdd-edit',
  prints: ['plan'],
  summary: 'edit a stored plan in $EDITOR; stored back only when it validates',
  args: [
    {
      name: 'plan',
      complete: 'plans',
      description: "the plan's slug, tier and slug (epics/ready-cache) or path (sdd/epics/ready-cache.md)",
      required: true,
    },
  ],
  options: [
    { flags: '--strict', description: 'warnings refuse the edit too', type: 'bool' },
    {
      flags: '--fresh',
      description: 'start from the stored plan even when a draft of an earlier edit is kept',
      type: 'bool',
    },
  ],
  description: `Opens the stored plan in an editor and stores the result as a new version, as 'sase sdd put' would: validated first, with its links, and stored only when it has no errors (see sase-sdd-validate(1)).

The editor is $SASE_EDITOR, else the one git starts (git var GIT_EDITOR: $GIT_EDITOR, core.editor, $VISUAL unless the terminal is dumb, $EDITOR, then vi). Like git, sase runs it through sh, so it may carry arguments ("code --wait"); the file is passed as an argument.

When the edited plan does not validate, the diagnostics are printed and, on a terminal, sase asks whether to edit it again. Otherwise (no terminal, or the answer no) the edited text is kept in $GIT_DIR/sase/drafts/<slug>.md, a hint says where, and the exit status is 1; the next 'sase sdd edit' of that plan starts from the draft (unless --fresh) and removes it once the plan is stored.

Leaving the text as it is stores nothing (exit 0); so does an editor that fails (exit 1), and an emptied file (exit 1). When the stored plan changes while the editor is open (another edit, an approval), nothing is stored, the edit is kept as a draft and the exit status is 3. The slug and the tier cannot change in an edit (store a new plan with 'sase sdd put'); the fields sase manages (status, bead, created_at) are kept whatever the text says.`,
  output:
    'The stored plan as one NDJSON record of kind "plan", as sase-sdd-put(1) prints it: {v, kind, id (its path), path, slug, tier, title, goal, status, bead, prompt, model, size, phases, epics, created_at, updated_at, body}; on a terminal, one line: stored <slug>: <title> (<status>). Nothing when the text was left as it was.',
  exit: [
    [
      1,
      'nothing stored: the edited plan does not validate (kept as a draft), the editor failed, or the file was emptied',
    ],
    [3, 'the plan changed while it was being edited: nothing stored, the edit kept as a draft'],
    [4, 'no plan by that slug or path'],
  ],
  examples: [
    { cmd: 'sase sdd edit ready-cache', text: 'edit a plan in $EDITOR' },
    { cmd: "EDITOR='code --wait' sase sdd edit epics/ready-cache", text: 'an editor with arguments' },
  ],
  seeAlso: ['sase-sdd-put', 'sase-sdd-validate', 'sase-sdd-show', 'sase-sdd-history'],
  async run(ctx, args, opts) {
    const store = await ctx.store();
    const found = await findPlan(await store.snapshot(), args[0]!);
    const tier = tierOfDir(found.dir)!;
    const what = `plan '${found.slug}'`;
    return editSession(ctx, {
      what,
      fileName: `${found.slug}.md`,
      draft: join(store.repo.gitDir, 'sase', 'drafts', `${found.slug}.md`),
      stored: found.text,
      storedLabel: 'plan',
      fresh: opts.fresh ?? false,
      again: `sase sdd edit ${found.slug}`,
      history: `see what changed with 'sase sdd history ${found.slug}'`,
      async store(edited) {
        const moved = identityChange(edited, found.path, tier, found.slug);
        const refused = moved.length ? moved : await put(ctx, edited, found, opts.strict ?? false);
        if (!refused.length) return { kind: 'stored' };
        return {
          kind: 'refused',
          report: () => reportDiagnostics(ctx, refused),
          question: `${what} does not validate (${countFindings(refused)}); edit it again?`,
          refusal: `${what} does not validate (${countFindings(refused)}); nothing stored`,
        };
      },
    });
  },
});

async function put(
  ctx: Ctx,
  text: string,
  base: { path: string; text: string },
  strict: boolean,
): Promise<Diagnostic[]> {
  if (Buffer.byteLength(text) > MAX_PLAN_BYTES) return parsePlan(text, base.path).diagnostics; // too-large
  return reportPut(ctx, text, await putPlanText(ctx, text, base.path, strict, base));
}

/** An edit keeps the plan's slug and tier: changing them would store a second plan beside this one. */
function identityChange(text: string, path: string, tier: string, slug: string): Diagnostic[] {
  const { plan } = parsePlan(text, path);
  if (!plan) return []; // its own diagnostics come from the put
  if (plan.tier !== tier)
    return [
      diag(
        'tier-mismatch',
        path,
        null,
        `the edit makes this ${tier} a ${plan.tier}; store it as a new plan with 'sase sdd put'`,
      ),
    ];
  if (plan.slug !== slug)
    return [
      diag(
        'slug-mismatch',
        path,
        null,
        `the edit changes the slug from '${slug}' to '${plan.slug}'; store it as a new plan with 'sase sdd put'`,
      ),
    ];
  return [];
}
