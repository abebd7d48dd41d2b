import { openXPrompts } from '../app/xprompts/library.ts';
import { writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { NotFoundError, UsageError } from '../core/errors.ts';
import { NAME_PATTERN } from '../core/xprompts/xprompt.ts';
import { xpromptToWire } from '../wire/xprompt.ts';

export const spec = defineCommand({
  name: 'xprompt-show',
  prints: ['xprompt'],
  summary: 'show one XPrompt: its file, inputs and body',
  args: [
    {
      name: 'name',
      description: "the XPrompt's name ('review' or 'ns/review'; a leading '#' is allowed)",
      required: true,
    },
  ],
  options: [],
  description: `Shows the XPrompt of that name that a prompt would use (the project's before the user's; see sase-xprompt-list(1)): where it is, its description, its typed inputs with their defaults, its tags and its body, placeholders and all.`,
  output:
    'One NDJSON record: the fields of sase-xprompt-list(1) {v, kind: "xprompt", id, name, path, source, description, inputs: [{name, type, default, required}], tags} and body (the text after the front matter). On a terminal, a card.',
  exit: [
    [4, 'no XPrompt of that name'],
    [128, 'the XPrompt file is malformed'],
    [129, 'the name is not a valid XPrompt name'],
  ],
  examples: [
    { cmd: 'sase xprompt show review', text: 'the review XPrompt' },
    {
      cmd: "sase xprompt show team/deploy --json | jq -r '.inputs[].name'",
      text: 'the inputs of a namespaced XPrompt',
    },
  ],
  seeAlso: ['sase-xprompt-list', 'sase-xprompt-expand'],
  async run(ctx, args) {
    const name = args[0]!.replace(/^#/, '');
    if (!NAME_PATTERN.test(name))
      throw new UsageError(
        `'${args[0]}' is not an xprompt name (letters, digits, '_' and '-', namespaces joined by '/')`,
      );
    const lib = await openXPrompts({ cwd: ctx.cwd, env: ctx.env });
    const entry = lib.find(name);
    if (!entry) throw new NotFoundError(`no xprompt '${name}' (try 'sase xprompt list')`);
    const rec = xpromptToWire(entry, lib.get(name)!, { body: true });
    if (ctx.format !== 'text') {
      writeRecord(ctx, rec);
      return 0;
    }
    const c = ctx.colors;
    const lines = [`${c.bold(`#${clean(rec.name)}`)}  ${c.dim(`${rec.source}: ${clean(rec.path)}`)}`];
    if (rec.description) lines.push(clean(rec.description));
    const inputs = rec.inputs;
    if (inputs.length) {
      lines.push('', c.bold('inputs:'));
      for (const i of inputs)
        lines.push(
          `  ${clean(i.name)} (${i.type})  ${i.required ? c.yellow('required') : `default ${JSON.stringify(i.default)}`}`,
        );
    }
    if (rec.tags.length) lines.push('', `${c.bold('tags:')} ${rec.tags.map(clean).join(', ')}`);
    lines.push('', c.dim('---'));
    // the body is the user's own file; control characters still never reach the terminal
    const body = String(rec.body).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
    ctx.stdout.write(lines.join('\n') + '\n' + body + (body.endsWith('\n') ? '' : '\n'));
    return 0;
  },
});
