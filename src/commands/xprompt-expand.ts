import { expandWithXPrompts } from '../app/xprompts/library.ts';
import { readInputFile } from '../cli/files.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { MAX_PROMPT_BYTES } from '../core/xprompts/xprompt.ts';
import { expansionToWire } from '../wire/xprompt.ts';

export const spec = defineCommand({
  name: 'xprompt-expand',
  summary: 'expand the XPrompt references and directives of a prompt',
  args: [{ name: 'file', complete: 'files', description: "the prompt file ('-' or none: standard input)" }],
  options: [
    { flags: '--trace', description: 'print on stderr which XPrompts expanded where', type: 'bool' },
    {
      flags: '--json',
      description: 'print one record (text, directives, segments, trace) instead of the text',
      type: 'bool',
    },
  ],
  formatted: false,
  description: `Prints a prompt as an agent would get it: every XPrompt reference replaced by that XPrompt's body, and the directives taken out. 'sase run' and 'sase sdd new' expand prompts the same way.

An XPrompt is a Markdown file, .sase/xprompts/<name>.md in the work tree or $XDG_CONFIG_HOME/sase/xprompts/<name>.md (see sase-xprompt-list(1)), with optional YAML front matter: name (the file's name), description, tags, and inputs: a map of name -> {type, default}. The types are word (no spaces), line (no line breaks, the default), text, path, int, bool (true/false, yes/no, on/off, 1/0) and float; an input without a default is required. The body refers to inputs as {{name}}; a placeholder naming no input stays as written.

References: #name; #name(a=1, b=x) with named or positional arguments, values quoted with "..." or '...' when they hold commas or parentheses; #name:value, which gives the first required input (the first input when none is required), quoted as #name:"two words" when it holds spaces; #ns/name for an XPrompt in a subfolder. A reference must stand at the start of a line or after a space, bracket, quote or emphasis mark. XPrompt bodies are expanded in turn, at most ${100} levels deep; an XPrompt that reaches itself is a cycle, an error naming the chain. Fenced code blocks (\`\`\` or ~~~) and inline code spans are never expanded. A #word that names no XPrompt is left as written (a Markdown heading, an issue number); with arguments it is an error.

Directives, anywhere outside code, are taken out of the text and returned: %model:<model>, %name:<name>, %wait:<agent or bead:ID> (repeatable, comma-separated), %provider:<provider>. A line left empty by them goes too. Two different values of one directive are an error.

A line holding only --- splits the prompt into segments: 'sase run' starts one agent per segment. Each segment has its own directives; the record's top-level directives gather them (the first value of each, every wait).

The prompt is at most ${MAX_PROMPT_BYTES} bytes (4 MiB), before and after expansion.`,
  input: 'The prompt: the file given, or standard input.',
  output:
    'The expanded text. With --json, one record {v, kind: "expansion", id: "-", text, directives: {model, name, wait: [...], provider}, segments: [{text, directives}], trace: [{name, args, depth, parent, line}]}: trace lists each expansion in order, args with defaults filled in, depth 0 for a reference in the prompt itself, parent the XPrompt whose body held it (null for the prompt) and line its line there.',
  exit: [
    [4, 'a reference with arguments names no XPrompt'],
    [
      128,
      'a cycle of XPrompts, nesting deeper than 100, a malformed XPrompt file or argument list, or a prompt larger than 4 MiB',
    ],
    [
      129,
      'a required input is missing, an input is given a value of the wrong type or is unknown, or a directive is repeated with another value',
    ],
  ],
  examples: [
    { cmd: "echo 'Fix the bug #careful:tests' | sase xprompt expand", text: 'expand a prompt from standard input' },
    { cmd: 'sase xprompt expand prompt.md --trace', text: 'the expanded prompt, and which XPrompts went where' },
    {
      cmd: "sase xprompt expand prompt.md --json | jq '.segments | length'",
      text: 'how many agents the prompt fans out to',
    },
  ],
  seeAlso: ['sase-xprompt-list', 'sase-xprompt-show', 'sase-sdd-new'],
  async run(ctx, args, opts) {
    const file = args[0] ?? '-';
    if (file === '-' && ctx.stdinIsTTY)
      throw new UsageError('no prompt given (a file, or the prompt on standard input)');
    const text = await readInputFile(ctx, file, 'prompt', MAX_PROMPT_BYTES);
    const x = await expandWithXPrompts({ cwd: ctx.cwd, env: ctx.env }, text);
    if (opts.trace) {
      for (const t of x.trace) {
        const args = Object.entries(t.args)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(', ');
        ctx.stderr.write(
          `trace: ${'  '.repeat(t.depth)}#${t.name}${args ? `(${args})` : ''} at ${t.parent === null ? 'prompt' : `#${t.parent}`}:${t.line}\n`.replace(
            /[\u0000-\u0009\u000b-\u001f]/g,
            '?',
          ),
        );
      }
    }
    if (opts.json) ctx.stdout.write(JSON.stringify(expansionToWire(x)) + '\n');
    else ctx.stdout.write(x.text + (x.text.endsWith('\n') || x.text === '' ? '' : '\n'));
    return 0;
  },
});
