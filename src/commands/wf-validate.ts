import { checkWorkflowFile, findWorkflow, listWorkflows } from '../app/workflows/specs.ts';
import { warn, writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { workflowToWire } from '../wire/workflow.ts';

export const spec = defineCommand({
  name: 'wf-validate',
  prints: ['workflow'],
  summary: 'check workflow specs (one, or all) and list every problem',
  args: [{ name: 'name', description: 'the spec to check (default: every spec)' }],
  options: [],
  description: `Checks workflow specs as sase-wf-run(1) does before a step runs, and lists every problem found, one line each, naming the file, the step and what was expected: TOML syntax; unknown keys (of the spec, an input, a step, or a key that does not apply to the step's kind); an unknown step kind; a step without its prompt or script; a duplicated step id; needs naming a step that does not exist, or a needs cycle (named: a -> b -> a); an input of an unknown type, or a default of the wrong type; an if that is not a comparison, or that (like for_each and {{...}} placeholders) refers to an undeclared input or to a step that is not finished before this one (not among those it needs, directly or through them); a {{...}} placeholder in a script.

Without NAME, every spec found is checked (see sase-wf-list(1)).`,
  output:
    'One NDJSON record a spec checked: the record of sase-wf-list(1) {v, kind: "workflow", id, name, path, valid, problems, ...}. On a terminal, "ok <name>" a valid spec. The problems also go to stderr, one "error: <file>: <problem>" line each.',
  exit: [
    [1, 'a spec has problems'],
    [4, 'no workflow of that name'],
  ],
  examples: [
    { cmd: 'sase wf validate', text: 'check every spec (in CI, say)' },
    { cmd: 'sase wf validate fix-and-review', text: 'check one' },
  ],
  seeAlso: ['sase-wf-show', 'sase-wf-list', 'sase-wf-run'],
  async run(ctx, args) {
    if (args.length > 1) throw new UsageError(`unexpected argument '${args[1]}'`);
    const store = await ctx.store();
    const { entries, ignored } = listWorkflows(store.repo);
    if (!args.length) for (const path of ignored) warn(ctx, `ignoring '${path}': not a valid workflow name`);
    const chosen = args.length ? [findWorkflow(store.repo, args[0]!)] : entries;
    let bad = 0;
    for (const e of chosen) {
      const checked = await checkWorkflowFile(e);
      if (checked.problems.length) bad++;
      if (ctx.format !== 'text') writeRecord(ctx, workflowToWire(checked));
      else if (!checked.problems.length) ctx.stdout.write(`${ctx.colors.green('ok')} ${clean(e.name)}\n`);
      for (const p of checked.problems) ctx.stderr.write(`${ctx.errColors.red('error:')} ${clean(p)}\n`);
    }
    return bad ? 1 : 0;
  },
});
