import { defineCommand } from '../cli/spec.ts';
import { inputPairs, startWorkflow } from '../cli/wf-run-shared.ts';
import { UsageError } from '../core/errors.ts';

export const spec = defineCommand({
  name: 'wf-run',
  prints: ['workflow-run'],
  summary: 'run a workflow spec: its steps in order, recorded step by step, resumable',
  args: [
    { name: 'workflow', description: 'the name of a spec in .sase/workflows/<name>.toml', required: true },
    { name: 'input', description: 'an input as <name>=<value> (the same as --input)', variadic: true },
  ],
  options: [
    {
      flags: '--input <name=value>',
      description: "a value for one of the workflow's inputs; repeatable",
      type: 'list',
    },
    {
      flags: '--provider <name>',
      description:
        "the provider of agent steps that name none (default: the spec's, else [agents] provider, else claude)",
    },
    { flags: '--model <model>', description: 'the model of agent steps that name none' },
    {
      flags: '--detach',
      description: 'record the run, carry it on in the background (sase-wf-exec) and return',
      type: 'bool',
    },
  ],
  description: `Starts a run of the workflow spec NAME (.sase/workflows/NAME.toml in the work tree, else $XDG_CONFIG_HOME/sase/workflows/NAME.toml; see sase-wf-show(1) for the format). Everything is checked before a step runs: the spec (see sase-wf-validate(1)), the values given to its inputs against their types (word, line, text, path, int, bool, float; defaults filled in), and the provider of each agent step; a problem changes nothing.

The run is recorded in the state ref as workflows/<run-id>.json (run ids look like w-9k2m4x7q): the spec as it was, the inputs, and every step's state (pending, running, done, failed, skipped, waiting_approval), attempts, outputs, times, agent runs and approval. Each change of a step is committed as it happens, so a run stopped anywhere, by a failure, Ctrl-C or a crash, goes on from where it stopped with sase-wf-resume(1) (following the spec as it was, or with --reload as the file is now), and a finished step is never run again.

Top-level steps run one after another, each after the steps it needs, otherwise in the order they are written; a parallel step's sub-steps run together (with fail_fast, the first failure stops the others); a for_each step runs once a list item (instances <id>[0], <id>[1], ...). A step whose if is false is skipped (the steps that need it still run; their own if can ask steps.<id>.state). A step that fails is tried again up to its retries; one that still fails fails the run.

STEP KINDS: bash and python run the step's script (bash -c <run>, python3 -c <run>) in the work tree. Values are never pasted into a script: they reach it as environment variables, SASE_IN_<NAME> for each input and SASE_STEP_<ID>_<KEY> for each output of each finished step (upper case, '-' as '_'; text as it is, other values as JSON), SASE_WF_RUN, SASE_WF_STEP, SASE_ITEM and SASE_INDEX in a for_each instance, and SASE_CONTEXT, the path of a JSON file holding the inputs and every step's state and outputs. A script's outputs are its stdout read as a JSON object, else as key=value lines, else as {"text": ...}; what it printed (stdout and stderr) is stored beside the record (workflows/<run-id>/<step>.<n>.log). An agent step is an agent run (as sase-agent-run(1) makes: a workspace of its own, the provider's program under a supervisor), named <workflow>.<step>; its prompt's XPrompts and directives are expanded, then {{inputs.<name>}}, {{steps.<id>.outputs.<key>}}, {{item}} and {{index}} are put in, after the text of the prompt steps that ran since the last agent step. Its outputs are the last JSON object the agent said, else {"text": its final text}. A prompt step's text (with values put in) goes before the next agent step's prompt (every agent sub-step of a next parallel step). An approval step stops the run, waiting_approval, until sase-wf-approve(1).

In the foreground the command returns when the run ends or reaches an approval step; on a terminal each step is shown as it changes. Interrupting it (Ctrl-C) stops the running steps (their agent runs are killed) and leaves the run failed, to be resumed. With --detach the run is carried on by sase-wf-exec(1) in the background.

A prompt given to sase-agent-run(1) that is exactly #!NAME or #!NAME(k=v, k2="a, b") starts the workflow NAME with those inputs instead.`,
  output:
    'The run record as it stopped (with --detach, as started): {v, kind: "workflow_run", id, workflow, source, status (running, waiting_approval, done, failed), recorded_status, dead, alive, error, waiting_on, next (the command that carries it on), inputs, provider, model, pid, host, resumes, created_at, seq (orders runs made within one second), updated_at, ended_at, seconds, steps: [{id, step, kind, parent, index, item, state, attempts: [{n, state, started_at, ended_at, seconds, exit_code, error, agent_run, log, tail (a failed script: the last meaningful lines of its stderr, else of its output, each once, without the boilerplate of npm)}], outputs, started_at, ended_at, seconds, error, agent_runs, approval: {decision, note, by, at}, prompt_parts}]}. On a terminal, a line a step as it changes (a failed script with its tail below it) and one for the run. With --format id, the run id.',
  exit: [
    [0, 'the run is done, or waits for an approval (it says how to give it), or was started in the background'],
    [1, 'the run failed (resume it with sase-wf-resume)'],
    [4, 'no workflow of that name'],
    [
      128,
      "the spec is malformed (one line naming the file, the step and what was expected), or an agent step's provider is not on PATH",
    ],
    [129, 'a missing input, an input it does not have, a value of the wrong type, an unknown provider, a bad option'],
    [130, 'interrupted: the running steps were stopped; the run is resumable'],
  ],
  examples: [
    { cmd: 'sase wf run fix-and-review --input issue="the login page 500s"', text: 'a run in the foreground' },
    { cmd: 'sase wf run nightly --detach --format id', text: 'in the background; prints the run id' },
    { cmd: 'sase run \'#!fix-and-review(issue="flaky test")\'', text: 'the same from a prompt' },
  ],
  seeAlso: [
    'sase-wf-show',
    'sase-wf-validate',
    'sase-wf-status',
    'sase-wf-approve',
    'sase-wf-resume',
    'sase-wf-list',
    'sase-agent-run',
  ],
  async run(ctx, args, opts) {
    if (!args.length) throw new UsageError('no workflow given');
    return startWorkflow(ctx, {
      name: args[0]!,
      inputs: inputPairs(opts.input, args.slice(1)),
      provider: opts.provider ?? null,
      model: opts.model ?? null,
      detach: opts.detach ?? false,
    });
  },
});
