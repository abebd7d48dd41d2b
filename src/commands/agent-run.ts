import { launchAndReport, runOptions, runRequestFrom } from '../cli/agent-run-shared.ts';
import { readStdin } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { startWorkflow } from '../cli/wf-run-shared.ts';
import { UsageError } from '../core/errors.ts';
import { parseInvocation } from '../core/workflows/invoke.ts';
import type { BeadRecord } from '../wire/bead.ts';

export const spec = defineCommand({
  name: 'agent-run',
  prints: ['agent'],
  summary: 'run an agent on a prompt, in a workspace of its own, and record the run',
  args: [{ name: 'prompt', description: "the prompt, or '-' to read it from standard input", required: true }],
  options: runOptions,
  description: `Starts one agent run (or several: see FAN-OUT below) and records it in the state ref. The prompt's XPrompts are expanded (#name, #name(a=1), #name:value) and its directives taken out and applied: %provider:<p>, %model:<m>, %name:<n>, %wait:<agent|bead:id>. A prompt may open with a workspace reference saying where its agent works: #cd:<path> (that folder as it is), #git:<ref> (a new numbered workspace at that ref), #cs:<name> (the branch of a change), #gh:<owner>/<repo>[#<pr>], or #<n> (workspace n). --ws gives one on the command line. Without one, the run gets a new numbered workspace at HEAD (see sase-ws-new(1)); your own checkout is never touched.

The expanded prompt and the run record (kind "agent": id, name, provider, model, workspace, bead, change, status, pid, host, heartbeat, times, exit code, commits, session) are stored in the ref (agents/<2>/<id>.json and <id>.prompt.md). With --bead the bead is claimed for the run and put in progress (assignee: the run id). The provider's program then runs in the workspace, detached from this terminal, under a supervisor (sase-agent-exec(1)), with SASE_RUN, SASE_RUN_NAME, SASE_BEAD_ID, SASE_CS, SASE_WORKSPACE and SASE_WORKSPACE_N in its environment. Its output goes to a live log under $GIT_COMMON_DIR/sase/agents/.

When the agent exits, the run records its status (done on exit code 0, else failed), exit code, duration and the commits it made in the workspace; each commit gets a line in refs/notes/sase naming the run, the bead, the plan and the change. The log is stored in the ref (agents/<2>/<id>.log, its head and tail when over 1 MiB). On success the bead is closed (unless --no-close); on failure it is released with a note, and the workspace keeps the work for sase-agent-retry(1). A failed run's error is the agent's own last error line (an error event, else the last line that reads as an error), followed by its exit code.

FINISHING: "done" means the work is in git. When the agent exits with success leaving uncommitted work in its numbered workspace, sase commits it ('git add -A'; the message names the run: "sase: work left uncommitted by run <id>", with Sase-Run: and Sase-Bead: trailers) and the run's note says so; with [agents] on_uncommitted = "fail" in config the run fails instead ("the agent left uncommitted work in workspace #<n>"), and the work stays there. (In a folder of yours, #cd: or #0, nothing is committed for you; the note says so.) A bead run that ends done with no commit releases its bead with a note instead of closing it, unless the agent said the bead needs no change with the NO-CHANGE MARKER: the last line of its output is the JSON object {"sase":"noop","reason":"<why>"} (as a line of its own, or as the last line of its final message for agents that print events: claude's result, codex's last message). Then the bead is closed with the reason "no change needed (run <id>): <why>", and the run's noop field holds the reason. A land run of sase-bead-work(1) counts its phases' merged work as its own.

With --cs NAME the run is a follow-up on that change: it works on the change's branch, its prompt carries the change's description and unresolved comments, and its commits are added to the change.

Without --detach, the command follows the run: on a terminal the agent's output is streamed to stdout (the event lines of claude, codex and the example agent shown as readable lines; --raw shows them as they are), followed by a line saying how the run ended; on a pipe the run records are printed when the runs end (the output is in sase agent log). Interrupting it (Ctrl-C) kills the run. With --detach the records are printed at once and the runs go on in the background, surviving the terminal.

FAN-OUT: a prompt made of segments separated by lines holding only --- starts one run per segment, each in its own workspace and with its own directives; --fanout N starts N runs of one prompt. Named runs get .1, .2, ... suffixes.

WAITS: with --wait (or %wait:) the run is stored as waiting and starts only when sase-agent-dispatch(1) finds every named agent done (the newest run of a name) and every named bead closed.

Providers come from the built-in table and [providers.<name>] in .sase/config.toml (see sase-doctor(1)); the default is [agents] provider, else claude. Provider commands are argument arrays: no prompt text or record field ever passes through a shell.`,
  input: "With '-', the prompt is read from standard input (at most 1 MiB).",
  output:
    'NDJSON records of kind "agent", one a run: {v, kind, id, name, provider, model, status (queued, waiting, running, done, failed, killed), dead, alive, prompt_path, ws_ref, workspace {n, path, branch, base}, bead, close_bead, changespec, mentor, waits, wait_reason, pid, host, heartbeat_at, created_at, started_at, ended_at, seconds, exit_code, signal, error, note (what sase did at the end: committed work left uncommitted, released a bead no commit worked), noop (the reason given by the no-change marker, or null), timeout, commits, retry_of, resume_of, session, usage, log_bytes}. With --detach, as started; otherwise as ended. With --format id, run ids.',
  exit: [
    [1, 'a run failed or was killed; or refused: the bead is closed, the workspace is held by another run'],
    [3, 'the bead is claimed by someone else'],
    [4, 'no such bead, change, workspace, folder (#cd:) or XPrompt'],
    [128, "the provider's program is not on PATH (see sase doctor); an XPrompt cycle or a malformed XPrompt or config"],
    [
      129,
      'an unknown provider (the message names the known ones), a missing or wrongly typed XPrompt input, a prompt over 1 MiB, a bad option',
    ],
    [130, 'interrupted: the runs were killed'],
  ],
  examples: [
    {
      cmd: "sase run --provider example 'create hello.txt: hi\ncommit: add hello'",
      text: 'the example agent (no model needed) makes a commit in a new workspace',
    },
    {
      cmd: 'sase run --bead sase-k3f9 --detach "$(sase bead show sase-k3f9 --format id)"',
      text: 'work a bead in the background',
    },
    { cmd: 'sase bead ready --limit 1 | sase run --provider claude -', text: 'an agent on the first ready bead' },
    { cmd: "sase run --fanout 3 --name try 'Make the test pass'", text: 'three attempts: try.1, try.2, try.3' },
    {
      cmd: "sase run --wait build --name deploy 'Deploy it'",
      text: 'starts when the run named build is done (sase agent dispatch)',
    },
  ],
  seeAlso: [
    'sase-agent-list',
    'sase-agent-show',
    'sase-agent-log',
    'sase-agent-kill',
    'sase-agent-retry',
    'sase-agent-dispatch',
    'sase-ws-new',
    'sase-xprompt-expand',
    'sase-doctor',
  ],
  async run(ctx, args, opts) {
    if (args.length !== 1) throw new UsageError(args.length ? `unexpected argument '${args[1]}'` : 'no prompt given');
    let prompt = args[0]!;
    let bead = opts.bead ?? null;
    if (prompt === '-') {
      prompt = await readStdin(ctx);
      // a bead record piped in (sase bead ready | sase run -): its id and its text
      const one = prompt.trim();
      if (one.startsWith('{') && !one.includes('\n')) {
        try {
          // a line starting with a brace that parses is an object
          const rec = JSON.parse(one) as Partial<Record<keyof BeadRecord, unknown>> | null;
          if (rec && rec.kind === 'bead' && typeof rec.id === 'string') {
            bead ??= rec.id;
            prompt = [rec.title, rec.description].filter(Boolean).join('\n\n');
          }
        } catch {
          // a prompt that starts with a brace
        }
      }
    }
    // a prompt that is exactly #!name(k=v) starts that workflow instead
    const inv = parseInvocation(prompt);
    if (inv) {
      const { provider, model } = runRequestFrom(opts);
      return startWorkflow(ctx, {
        name: inv.name,
        inputs: inv.inputs,
        provider: provider ?? null,
        model: model ?? null,
        detach: opts.detach ?? false,
      });
    }
    const store = await ctx.store();
    return launchAndReport(ctx, store, { ...runRequestFrom(opts), prompt, bead }, opts);
  },
});
