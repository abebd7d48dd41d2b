import { readStdin } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkSession, parseExampleScript } from '../core/agents/example-script.ts';
import { checkPromptSize } from '../core/agents/run.ts';
import { UsageError } from '../core/errors.ts';
import { ownVersion } from '../proc/agent-process.ts';
import { type ExampleEvent, runExampleStep } from '../proc/example-agent.ts';

export const spec = defineCommand({
  name: 'example-agent',
  summary: 'the EXAMPLE agent: follows scripted instructions in its prompt, no model needed',
  args: [],
  options: [
    {
      flags: '--session <id>',
      description: 'the session id sase gives this run (a new one when absent)',
      complete: 'none',
    },
    {
      flags: '--resume <id>',
      description: 'continue the session <id> (the example agent only says so, then follows the new prompt)',
      complete: 'none',
    },
    {
      flags: '--version',
      description: "print its version (sase's) and exit, reading no prompt, as agent CLIs answer sase-doctor",
      type: 'bool',
    },
  ],
  formatted: false,
  description: `An EXAMPLE agent shipped with sase, configured as the built-in provider 'example'. It runs no model and understands nothing: it follows simple instruction lines in its prompt, so that 'sase demo' and a first-time user can see the whole loop of a run (workspace, edits, commits, log, bead closed) with no agent CLI installed. Use a real provider (claude, codex, ...) for real work.

It reads the prompt on standard input and carries out, in order, the lines it knows (leading blanks are ignored):

  create <path>: <text>   create or overwrite a file with <text> and a newline
  append <path>: <text>   add <text> and a newline to a file (created if missing)
  run: <command>          run <command> with 'sh -c' in the working folder
  commit: <message>       'git add -A' and 'git commit' in the working folder
  fail: <message>         stop with exit 1, reporting <message>
  sleep <seconds>         wait (at most 3600 seconds)
  say: <text>             report <text>
  noop: <reason>          say that the task needs no change: after the last
                          step, print the marker {"sase":"noop","reason":"<reason>"}
                          as the final line (see sase-agent-run(1), FINISHING)

In <text> and <message>, '\\n' is a newline, '\\t' a tab and '\\\\' a backslash. Any other line is reported as 'ignored: <line>' and skipped. Paths are relative to the working folder and must stay inside it: an absolute path, a '..' segment or a path inside '.git' is refused before any step runs, and one that leads out through a symbolic link when its step comes (exit 129).

The text after 'run:' is run by the shell as it is written, like a hook: it is the prompt author's own command. Do not give the example agent prompts built from text you do not trust.`,
  input: 'The prompt, as text, on standard input.',
  output: `A transcript, one JSON object per line (as stream-json agents print), each with 'type' and 'session':

  start   first line: 'example' (true), 'resumed' (whether --resume was given), 'steps' (how many instructions were found)
  step    one instruction done: 'line', 'action' (create, append, run, commit, sleep, noop) and what it did: 'path' and 'bytes'; 'command', 'exit_code', 'signal' and 'output' (the command's stdout and stderr, at most 64 KiB kept); 'message' and 'commit' (the new commit's id, null when there was nothing to commit); 'seconds'; 'reason'
  say     'text' (a say: line, an ignored line, or the note that a session is resumed)
  error   'message' (the run stops: a fail: line, a command that failed, a commit git refused)
  done    on success: 'steps' (how many instructions were carried out), 'commits' (their ids)

After a noop: line, the last line is the marker {"sase":"noop","reason":"<reason>"} (no 'type': it is for sase, not a transcript event).`,
  exit: [
    [1, "a 'fail:' line, a 'run:' command that exited non-zero, or a commit git refused"],
    [129, 'a path outside the working folder, a bad session id, a sleep too long, a prompt over 1 MiB'],
  ],
  examples: [
    {
      cmd: "printf 'create hello.txt: hi\\ncommit: add hello\\n' | sase-example-agent",
      text: 'write a file and commit it in the current folder',
    },
    {
      cmd: "sase run --provider example 'create notes.md: # Notes'",
      text: 'a whole run with the example agent, in a new workspace',
    },
  ],
  seeAlso: ['sase-doctor', 'sase-demo'],
  async run(ctx, args, opts) {
    if (opts.version) {
      ctx.stdout.write(`sase-example-agent (sase) ${ownVersion()}\n`);
      return 0;
    }
    if (args.length)
      throw new UsageError(`the example agent takes no arguments (the prompt comes on stdin); '${args[0]}' is extra`);
    const resume = opts.resume === undefined ? null : checkSession(opts.resume);
    const given = opts.session === undefined ? null : checkSession(opts.session);
    if (resume && given && resume !== given) throw new UsageError('--session and --resume name different sessions');
    const session = resume ?? given ?? `example-${Buffer.from(await ctx.random(8)).toString('hex')}`;
    const prompt = checkPromptSize(await readStdin(ctx)); // as large as sase gives an agent, no larger
    const steps = parseExampleScript(prompt);
    const emit = (e: Record<string, unknown>) =>
      ctx.stdout.write(JSON.stringify({ type: e.type, session, ...e }) + '\n');
    emit({
      type: 'start',
      example: true,
      resumed: resume !== null,
      steps: steps.filter((s) => !(s.action === 'say' && s.ignored)).length,
    });
    if (resume) emit({ type: 'say', text: `resuming session ${resume}` });
    let done = 0;
    const commits: string[] = [];
    let noop: string | null = null;
    const onEvent = (e: ExampleEvent) => {
      if (e.action === 'commit' && typeof e.commit === 'string') commits.push(e.commit);
      if (e.action === 'noop') noop = String(e.reason);
      emit(e);
    };
    for (const step of steps) {
      try {
        await runExampleStep(step, ctx, onEvent);
        if (!(step.action === 'say' && step.ignored)) done++;
      } catch (err) {
        emit({ type: 'error', line: step.line, message: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    }
    emit({ type: 'done', steps: done, commits });
    // the final line, as any agent would end its output to say so
    if (noop !== null) ctx.stdout.write(JSON.stringify({ sase: 'noop', reason: noop }) + '\n');
    return 0;
  },
});
