import { expandWithXPrompts } from '../app/xprompts/library.ts';
import { isoNow } from '../cli/context.ts';
import { readInputFile } from '../cli/files.ts';
import { printWrittenPlans, reportDiagnostics } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkChoice, checkLine, SIZES } from '../core/beads/model.ts';
import { RefusedError, UsageError } from '../core/errors.ts';
import { isValidSlug, PLAN_TIERS, planPath, promptPath, slugify } from '../core/sdd/paths.ts';
import { PLACEHOLDER_EPIC, PLACEHOLDER_PHASE } from '../core/sdd/placeholders.ts';
import { type Plan, serializePlan, serializePrompt, skeletonBody } from '../core/sdd/plan.ts';
import { preparePlan } from '../core/sdd/store-plan.ts';
import { commitSdd } from '../store/sdd.ts';
import { planToWire } from '../wire/plan.ts';

export const spec = defineCommand({
  name: 'sdd-new',
  prints: ['plan'],
  summary: 'start a draft plan (tale, epic or legend) with its prompt',
  args: [],
  options: [
    { flags: '--tier <tier>', description: 'tale, epic or legend (required)', choices: PLAN_TIERS },
    { flags: '--title <title>', description: 'one-line title (required)' },
    { flags: '--goal <goal>', description: 'what the plan achieves, in a sentence (required)' },
    {
      flags: '--slug <slug>',
      description: 'the name in paths (default: the title in lower case, other characters turned into -)',
    },
    {
      flags: '--prompt-file <file>',
      description:
        "the prompt the plan answers ('-' for stdin; default: stdin when it is not a terminal, else the goal)",
      complete: 'files',
    },
    { flags: '--body-file <file>', description: 'the plan body (Markdown) instead of the skeleton', complete: 'files' },
    { flags: '--model <model>', description: 'the model agents should use for it' },
    { flags: '--size <size>', description: 'for a tale: xsmall, small, medium, large or xlarge', choices: SIZES },
    { flags: '--epic <slugs>', description: 'for a legend: the slugs of the epics it coordinates', type: 'list' },
    {
      flags: '--phase <titles>',
      description:
        "for an epic: its phases' titles, in order (repeat it, or separate them with commas); each gets the slug of its title as id, size small, no dependency",
      type: 'list',
    },
  ],
  description: `Stores a new draft plan, sdd/<tier>s/<slug>.md, and its prompt artifact, sdd/prompts/<slug>.md, linked both ways (the plan's 'prompt' names the prompt, the prompt's 'plan' names the plan), in one commit of the state ref.

The body is a skeleton of sections to fill in (or the --body-file given). A new epic gets the phases given with --phase, else one placeholder phase ('Name the first phase'), and a new legend the epics given with --epic (or the placeholder 'first-epic'), so the draft can be stored; write the real ones with 'sase sdd edit' or hand in a whole plan with 'sase sdd put'. Until then 'sase sdd validate' reports each placeholder (the phase, the epic, every section that still says TODO) as a warning with the code 'placeholder', and 'sase sdd approve' refuses the plan.

The prompt is stored expanded, as an agent would get it: its XPrompt references (#name, #name(a=1), #name:value; see sase-xprompt-expand(1)) replaced by the XPrompts' bodies and its directives (%model:, %name:, %wait:, %provider:) taken out. A #word that names no XPrompt stays as written. A missing or mistyped XPrompt input is a usage error and an XPrompt cycle is fatal; nothing is stored.

A slug names one plan across the tiers; a slug in use is refused (store a new version with 'sase sdd put').`,
  input:
    'The prompt, on stdin when --prompt-file is not given and stdin is not a terminal (an empty stdin means no prompt: the goal is stored as the prompt).',
  output:
    'The new plan as one NDJSON record of kind "plan": {v, kind, id (its path), path, slug, tier, title, goal, status, bead, prompt, model, size, phases, epics, created_at, updated_at, body}; on a terminal, one line: created <slug>: <title> (<status>).',
  exit: [
    [1, 'refused: the slug is taken, or the plan does not validate (the diagnostics are printed)'],
    [4, 'an XPrompt reference with arguments names no XPrompt'],
    [
      128,
      'a file given cannot be read or is larger than 1 MiB, or the XPrompts in the prompt form a cycle or one is malformed',
    ],
    [129, 'an XPrompt input is missing or has a value of the wrong type'],
  ],
  examples: [
    {
      cmd: "sase sdd new --tier epic --title 'Ready-queue cache' --goal 'ready answers in one read' --prompt-file prompt.md",
      text: 'start an epic from a prompt',
    },
    {
      cmd: "echo 'Fix the flaky login test' | sase sdd new --tier tale --title 'Flaky login' --goal 'the login test passes every run' --size small",
      text: 'a tale, prompt on stdin',
    },
  ],
  seeAlso: ['sase-sdd-put', 'sase-sdd-edit', 'sase-sdd-approve', 'sase-sdd-validate', 'sase-xprompt-expand'],
  async run(ctx, _args, opts) {
    if (opts.tier === undefined) throw new UsageError("missing '--tier'");
    if (opts.title === undefined) throw new UsageError("missing '--title'");
    if (opts.goal === undefined) throw new UsageError("missing '--goal'");
    const tier = checkChoice('tier', opts.tier, PLAN_TIERS);
    const title = checkLine('title', opts.title, 500);
    const goal = checkLine('goal', opts.goal, 2000);
    const slug = opts.slug ?? slugify(title);
    if (!isValidSlug(slug))
      throw new UsageError(
        `slug '${slug}' is not lower-case letters and digits joined by single '-' (at most 80 characters)`,
      );
    const epics = (opts.epic ?? []).map((e) => e.trim()).filter(Boolean);
    for (const e of epics) if (!isValidSlug(e)) throw new UsageError(`epic '${e}' is not a slug`);
    if (epics.length && tier !== 'legend') throw new UsageError("'--epic' is for legends");
    const phaseTitles = (opts.phase ?? []).map((p) => checkLine('phase title', p, 500));
    if (phaseTitles.length && tier !== 'epic') throw new UsageError("'--phase' is for epics");
    for (const p of phaseTitles)
      if (!isValidSlug(slugify(p)))
        throw new UsageError(`phase '${p}' gives no id (its title needs letters or digits)`);
    if (opts.size !== undefined && tier !== 'tale')
      throw new UsageError("'--size' is for tales (an epic's phases have sizes)");
    const body =
      opts.bodyFile !== undefined ? await readInputFile(ctx, opts.bodyFile, 'body file') : skeletonBody(tier, goal);
    let promptText = '';
    if (opts.promptFile !== undefined) promptText = await readInputFile(ctx, opts.promptFile, 'prompt file');
    else if (!ctx.stdinIsTTY) promptText = await readInputFile(ctx, '-', 'prompt');
    if (!promptText.trim()) promptText = goal;
    const store = await ctx.store();
    // the plan keeps the prompt an agent would get: XPrompts expanded, directives out
    const expanded = (await expandWithXPrompts({ cwd: ctx.cwd, env: ctx.env, repo: store.repo }, promptText)).text;
    promptText = expanded.trim() ? expanded : goal;
    const at = isoNow(ctx);
    const path = planPath(tier, slug);
    const prompt = promptPath(slug);
    const plan: Plan = {
      tier,
      title,
      goal,
      slug,
      status: 'draft',
      created_at: at,
      prompt,
      bead: null,
      model: opts.model === undefined ? null : checkLine('model', opts.model, 200),
      size: opts.size ?? null,
      phases:
        tier === 'epic'
          ? (phaseTitles.length
              ? phaseTitles.map((title) => ({ id: slugify(title), title }))
              : [PLACEHOLDER_PHASE]
            ).map((p) => ({ ...p, size: 'small' as const, depends_on: [], description: null, model: null, scope: [] }))
          : [],
      epics: tier === 'legend' ? (epics.length ? epics : [PLACEHOLDER_EPIC]) : [],
      body,
    };
    const promptFile = { path: prompt, text: serializePrompt({ plan: path, created_at: at, body: promptText }) };
    const ident = await store.ident();
    const { result } = await commitSdd(store, async (reader) => {
      if ((await reader.readFile(path)) !== null)
        throw new RefusedError(
          `plan '${slug}' exists (${path}); store a new version with 'sase sdd put' or 'sase sdd edit'`,
        );
      const prepared = await preparePlan(reader, serializePlan(plan), path, at, [promptFile]);
      if ((await reader.readFile(prompt)) !== null) throw new RefusedError(`a prompt '${prompt}' exists already`);
      if (!prepared.text) return { op: null, result: prepared };
      return {
        op: { op: 'sdd.put', paths: [path, prompt], at, actor: ident.email },
        files: [{ path, text: prepared.text }, promptFile],
        result: prepared,
      };
    });
    if (!result.text) {
      reportDiagnostics(ctx, result.diagnostics);
      throw new RefusedError(`plan '${slug}' does not validate; nothing stored`);
    }
    printWrittenPlans(ctx, [planToWire(path, result.plan!, { updated_at: at })], 'created');
    return 0;
  },
});
