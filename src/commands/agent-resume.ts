import { DEFAULT_RESUME_PROMPT, resumeRequest } from '../app/agents/again.ts';
import { launchAndReport } from '../cli/agent-run-shared.ts';
import { readStdin } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { resolveRun } from '../store/runs.ts';

export const spec = defineCommand({
  name: 'agent-resume',
  prints: ['agent'],
  summary: "continue an ended run's agent session with a new prompt",
  args: [
    {
      name: 'run',
      complete: 'runs',
      description: 'a run id, a unique prefix of one, or a name (the newest run of that name)',
      required: true,
    },
    {
      name: 'prompt',
      description: `what to tell the agent ('-' reads it from stdin; default: "${DEFAULT_RESUME_PROMPT}")`,
    },
  ],
  options: [
    {
      flags: '--detach',
      description: 'print the new record and return; the run goes on in the background',
      type: 'bool',
    },
  ],
  description: `Starts a new run (resume_of: the earlier one) that continues the earlier run's agent session: the provider's resume command ([providers.<name>] resume, with {session} the stored session id) in the same workspace. The session id is the one sase gave the agent (claude's --session-id) or the one the agent reported in its output (codex, gemini, opencode). The new run keeps the name, the change and the bead if it is still open.

A run still going is refused (kill it first); a dead one is reaped first. A provider without a resume command, or a run without a session id, is refused.`,
  output: "The new run's record as it ended (with --detach, as it started); see sase-agent-run(1).",
  exit: [
    [1, 'the new run failed; or refused: the run is still going, has no session, or its provider cannot resume'],
    [4, 'no such run, or its workspace is gone'],
  ],
  examples: [
    { cmd: "sase agent resume r-9k2m4x7q 'Now add tests for it.'", text: 'carry on the conversation' },
    { cmd: 'sase agent resume build', text: 'the newest run named build, told to continue' },
  ],
  seeAlso: ['sase-agent-run', 'sase-agent-retry'],
  async run(ctx, args, opts) {
    if (args.length < 1 || args.length > 2)
      throw new UsageError(args.length ? `unexpected argument '${args[2]}'` : 'no run given');
    let prompt = args[1] ?? DEFAULT_RESUME_PROMPT;
    if (prompt === '-') prompt = await readStdin(ctx);
    const store = await ctx.store();
    const earlier = await resolveRun(await store.snapshot(), args[0]!);
    const req = await resumeRequest(store, earlier, prompt);
    return launchAndReport(ctx, store, req, opts);
  },
});
