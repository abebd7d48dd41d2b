import { openXPrompts } from '../app/xprompts/library.ts';
import { sayIfEmpty, warn, writeRecord } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { table, width } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkLength } from '../core/errors.ts';
import { applyListOps, checkListOps, type ListShape } from '../core/list-ops.ts';
import { MAX_XPROMPT_BYTES } from '../core/xprompts/xprompt.ts';
import { type XPromptRecord, xpromptToWire } from '../wire/xprompt.ts';

/** XPrompts by name; --grep searches the name and description. */
const XPROMPT_SHAPE: ListShape<XPromptRecord> = {
  fields: ['name', 'source', 'path'],
  text: (r) => [r.name, r.description],
};

export const spec = defineCommand({
  name: 'xprompt-list',
  prints: ['xprompt'],
  summary: 'list the XPrompts a prompt can use',
  args: [],
  options: [
    { flags: '--tag <tag>', description: 'only XPrompts with this tag' },
    ...listOptions('XPrompts', XPROMPT_SHAPE, 'name or description'),
  ],
  description: `Lists the XPrompts found for the current work tree: the Markdown files under .sase/xprompts/ in the work tree, then under $XDG_CONFIG_HOME/sase/xprompts/ (default ~/.config/sase/xprompts/). The first file of a name wins: a project's XPrompt hides the user's of the same name. A subfolder is a namespace: .sase/xprompts/review/deep.md is the XPrompt 'review/deep', used as #review/deep.

A file whose name is not letters, digits, '_' and '-' (starting with a letter or '_') is not an XPrompt; it is skipped with a warning. Outside a git repository only the user's XPrompts are listed.

See sase-xprompt-expand(1) for the reference syntax and the file format.`,
  output:
    'One NDJSON record an XPrompt, sorted by name: {v, kind: "xprompt", id (its name), name, path (the file), source ("repo" or "user"), description, inputs: [{name, type, default, required}], tags}. On a terminal, a table of name, source, inputs and description.',
  exit: [
    [128, 'an XPrompt file is malformed (its front matter is not valid YAML, or names an unknown key or input type)'],
  ],
  examples: [
    { cmd: 'sase xprompt list', text: 'every XPrompt, as a table' },
    {
      cmd: 'sase xprompt list --json | jq -r \'select(.source == "user") | .name\'',
      text: "the names of the user's own XPrompts",
    },
    { cmd: 'sase xprompt list --tag review', text: 'the XPrompts tagged review' },
  ],
  seeAlso: ['sase-xprompt-show', 'sase-xprompt-expand'],
  async run(ctx, _args, opts) {
    checkListOps(XPROMPT_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const lib = await openXPrompts({ cwd: ctx.cwd, env: ctx.env });
    for (const path of lib.ignored) warn(ctx, `ignoring '${path}': not a valid xprompt name`);
    // a tag is part of an XPrompt file: a longer one is a bad value
    const tag = opts.tag === undefined ? null : checkLength('--tag', opts.tag, MAX_XPROMPT_BYTES);
    const records = applyListOps(
      lib.entries.map((e) => xpromptToWire(e, lib.get(e.name)!)).filter((r) => tag === null || r.tags.includes(tag)),
      XPROMPT_SHAPE,
      opts,
    );
    if (ctx.format !== 'text') {
      for (const r of records) writeRecord(ctx, r);
      return 0;
    }
    if (!records.length) {
      await sayIfEmpty(ctx, 0, () => (tag === null ? 'no xprompts' : `no xprompts tagged '${tag}'`));
      return 0;
    }
    const c = ctx.colors;
    const inputs = (r: XPromptRecord) => r.inputs.map((i) => `${i.name}${i.required ? '' : '?'}:${i.type}`).join(' ');
    ctx.stdout.write(
      table(
        records,
        [
          { header: 'NAME', get: (r) => `#${r.name}`, color: (s) => c.bold(s) },
          {
            header: 'SOURCE',
            get: (r) => r.source,
            color: (s, r) => (r.source === 'repo' ? c.cyan(s) : c.magenta(s)),
          },
          { header: 'INPUTS', get: inputs },
          { header: 'DESCRIPTION', get: (r) => r.description ?? '', flex: true },
        ],
        c,
        width(ctx),
      ),
    );
    return 0;
  },
});
