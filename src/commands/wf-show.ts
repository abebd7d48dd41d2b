import { loadWorkflow } from '../app/workflows/specs.ts';
import { defineCommand } from '../cli/spec.ts';
import { printWorkflowCard } from '../cli/wf-view.ts';
import { UsageError } from '../core/errors.ts';
import { workflowToWire } from '../wire/workflow.ts';

export const spec = defineCommand({
  name: 'wf-show',
  prints: ['workflow'],
  summary: 'show a workflow spec, checked: its inputs and its step graph',
  args: [{ name: 'name', description: 'the name of a spec (.sase/workflows/<name>.toml)', required: true }],
  options: [],
  description: `Reads the workflow spec NAME, checks it as sase-wf-validate(1) does, and shows it: its inputs with their types and defaults, and its steps in the order they run, each with its kind, needs, if, for_each, timeout and retries, and the sub-steps of parallel steps.

THE FORMAT (TOML): top-level keys name (optional; the file's name), description, provider and model (the defaults of agent steps), [inputs] (name = { type = "line", default = "...", description = "..." }, or name = "line"; types word, line, text, path, int, bool, float; an input without a default is required), and [[steps]] tables. Every step has id (letters, digits, '_' and '-') and kind: agent (prompt; provider, model, ws), bash or python (run: the script), prompt (prompt: text for the next agent step), parallel (steps: [[steps.steps]] sub-steps of kind agent, bash or python, run together; fail_fast), approval (prompt: the question shown). Optional: needs (a step id or a list), if (one comparison: steps.<id>.outputs.<key> == "v", != < > <= >=, or the truthiness of one value; values are references, quoted strings, numbers, true, false, null; steps.<id>.state names a step's state), and for agent, bash and python steps for_each (steps.<id>.outputs.<key> or inputs.<name>, a list, or text holding a JSON list), timeout (seconds, or "30s", "20m", "2h") and retries (extra attempts).

A reference (in if, for_each, and {{...}} in agent, prompt and approval text) may name only declared inputs and steps finished before the step: those it needs, directly or through them (a needed parallel step's sub-steps included); item and index only in a for_each step. Scripts never get {{...}} placeholders: they read SASE_IN_<NAME>, SASE_STEP_<ID>_<KEY> and $SASE_CONTEXT (see sase-wf-run(1)).`,
  output:
    'One NDJSON record of kind "workflow" (see sase-wf-list(1)). On a terminal, a card: the inputs, then the steps in the order they run.',
  exit: [
    [4, 'no workflow of that name'],
    [128, 'the spec is malformed: the first problem (sase-wf-validate lists them all)'],
    [129, 'the name is not a workflow name'],
  ],
  examples: [
    { cmd: 'sase wf show fix-and-review', text: 'the steps of a workflow' },
    { cmd: "sase wf show fix-and-review --json | jq -r '.order[]'", text: 'its top-level steps in the order they run' },
  ],
  seeAlso: ['sase-wf-validate', 'sase-wf-list', 'sase-wf-run'],
  async run(ctx, args) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no workflow given');
    const store = await ctx.store();
    const { entry, workflow } = await loadWorkflow(store.repo, args[0]!);
    printWorkflowCard(ctx, workflowToWire({ entry, workflow, problems: [] }));
    return 0;
  },
});
