import { wfLiveness } from '../app/workflows/executor.ts';
import { checkWorkflowFile, listWorkflows } from '../app/workflows/specs.ts';
import { sayIfEmpty, warn } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { printWfRuns, printWorkflows } from '../cli/wf-view.ts';
import { UsageError } from '../core/errors.ts';
import { applyListOps, checkListOps, type ListShape } from '../core/list-ops.ts';
import { shortRecordIds } from '../core/records.ts';
import { WF_RUN_STATUSES } from '../core/workflows/run.ts';
import { listWfRuns } from '../store/workflow-runs.ts';
import { type WfRunRecord, type WorkflowRecord, wfRunToWire, workflowToWire } from '../wire/workflow.ts';

/** Specs by name; --grep searches the name and description. */
const SPEC_SHAPE: ListShape<WorkflowRecord> = {
  fields: ['name', 'source', 'valid', 'provider', 'model'],
  text: (w) => [w.name, w.description],
};

/** Runs newest first (the store's order of creation, reversed) unless --sort is given; --grep searches the workflow's name, the run's id and its error. */
const RUN_SHAPE: ListShape<WfRunRecord> = {
  fields: ['id', 'workflow', 'status', 'created_at', 'updated_at', 'ended_at', 'provider', 'model'],
  text: (r) => [r.workflow, r.id, r.error, r.waiting_on],
};

/** For the option's description: the fields of both. */
const BOTH: ListShape<unknown> = {
  fields: [...new Set([...SPEC_SHAPE.fields, ...RUN_SHAPE.fields])],
  text: () => [],
};

export const spec = defineCommand({
  name: 'wf-list',
  prints: ['workflow', 'workflow-run'],
  summary: 'list the workflow specs, or with --runs the workflow runs',
  args: [],
  options: [
    { flags: '--runs', description: 'list workflow runs instead of specs (newest first)', type: 'bool' },
    {
      flags: '--status <list>',
      description: `with --runs: only runs with these statuses (${WF_RUN_STATUSES.join(', ')}); comma-separated`,
      type: 'list',
      choices: [...WF_RUN_STATUSES],
    },
    { flags: '--workflow <name>', description: 'with --runs: only runs of this workflow' },
    ...listOptions('specs or runs', BOTH, 'name, description (specs), or workflow, id or error (runs)'),
  ],
  description: `Lists the workflow specs found for the current work tree: the TOML files in .sase/workflows/ of the work tree, then in $XDG_CONFIG_HOME/sase/workflows/ (default ~/.config/sase/workflows/); the first file of a name wins. Each is checked as sase-wf-validate(1) does; a spec with problems is listed as invalid with its first problem. A file whose name is not letters, digits, '_' and '-' is skipped with a warning.

--sort takes name, source, valid, provider and model for specs (by name without it); id, workflow, status, created_at, updated_at, ended_at, provider and model for runs.

With --runs, lists the workflow runs recorded in the state ref instead, newest first, with their status and the step they stopped at.`,
  output:
    'Specs: one NDJSON record a spec, sorted by name: {v, kind: "workflow", id (its name), name, path, source ("repo" or "user"), valid, problems, description, provider, model, inputs: [{name, type, default, required, description}], steps: [{id, kind, description, needs, if, for_each, timeout, retries, fail_fast, provider, model, ws, prompt, run, steps}], order (the top-level step ids in the order they run)}. Runs (--runs): records of kind "workflow_run" (see sase-wf-run(1)). On a terminal, a table; its run ids are in their short form (w- and the shortest prefix unique among every run, at least 4 characters), which every command taking a run accepts. With --format id, names or run ids.',
  exit: [],
  examples: [
    { cmd: 'sase wf list', text: 'the workflows this project has' },
    { cmd: 'sase wf list --runs --status waiting_approval', text: 'the runs waiting for an approval' },
  ],
  seeAlso: ['sase-wf-show', 'sase-wf-validate', 'sase-wf-run', 'sase-wf-status'],
  async run(ctx, args, opts) {
    if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
    checkListOps(opts.runs ? RUN_SHAPE : SPEC_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const store = await ctx.store();
    if (!opts.runs) {
      if (opts.status || opts.workflow !== undefined) throw new UsageError('--status and --workflow go with --runs');
      const { entries, ignored } = listWorkflows(store.repo);
      for (const path of ignored) warn(ctx, `ignoring '${path}': not a valid workflow name`);
      const recs = [];
      for (const e of entries) recs.push(workflowToWire(await checkWorkflowFile(e)));
      const specs = applyListOps(recs, SPEC_SHAPE, opts);
      printWorkflows(ctx, specs);
      await sayIfEmpty(ctx, specs.length, () => 'no workflows in .sase/workflows/');
      return 0;
    }
    const statuses: readonly string[] | undefined = opts.status;
    const nowMs = ctx.clock.now().getTime();
    const all = await listWfRuns(await store.snapshot());
    const recs = all
      .filter((r) => opts.workflow === undefined || r.workflow === opts.workflow)
      .map((r) => wfRunToWire(r, wfLiveness(r, nowMs)))
      .filter((r) => !statuses || statuses.includes(String(r.status)))
      .reverse();
    const shown = applyListOps(recs, RUN_SHAPE, opts);
    printWfRuns(
      ctx,
      shown,
      shortRecordIds(
        shown.map((r) => r.id),
        all.map((r) => r.id),
      ),
    );
    await sayIfEmpty(ctx, shown.length, () => 'no workflow runs');
    return 0;
  },
});
