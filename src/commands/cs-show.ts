import { createColors } from '../cli/colors.ts';
import type { Ctx } from '../cli/context.ts';
import { changeArg, changeWithStack, inputNames, printChangeCard } from '../cli/cs-view.ts';
import { NO_IDS_EXIT, NO_IDS_INPUT, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { changePath, serializeChangeSpec } from '../core/changes/spec.ts';
import { listChanges, mustReadChange } from '../store/changes.ts';

export const spec = defineCommand({
  name: 'cs-show',
  summary: 'show a change: its status, stack, commits with their hook results, deltas and open comments',
  args: [
    {
      name: 'name',
      complete: 'changes',
      description: "the change's name (or names on stdin)",
      required: true,
      variadic: true,
    },
  ],
  options: [
    {
      flags: '--format <format>',
      description: 'text (a card), json (one record per change) or spec (the stored text, exactly)',
      choices: ['text', 'json', 'spec'],
      complete: 'none',
    },
    { flags: '--json', description: 'same as --format json', type: 'bool' },
    { flags: '--no-color', description: 'no colours in text output', type: 'bool' },
  ],
  formatted: false,
  stdin: true,
  description: `Shows a stored ChangeSpec. On a terminal it is a card: the name, the status (coloured), the review identifier (CL), the branch sase/cs/<name>, the change's place in its stack ("2 of 3: base <- this <- child", root first), the description, each recorded commit with the latest result of every hook run against it (PASSED in green, FAILED in red), the hooks, the deltas, the unresolved comments counted and listed with their ids (for sase-cs-resolve), the mentors and the TIMESTAMPS log.

With --format spec the stored text (changes/<name>.cs) is printed byte for byte, for diffing or scripting; see sase-cs-edit(1) to change it.

Names come from the arguments or, when there is none and stdin is not a terminal (or with --stdin or '-'), from stdin: bare names one a line, or NDJSON records carrying "name" (so 'sase cs list --query unresolved | sase cs show' works). Every name is looked up before anything is printed.`,
  input: `Bare change names, one a line, or NDJSON records with a "name" (or "id") field, such as sase-cs-list(1) prints. ${NO_IDS_INPUT}`,
  output: `One NDJSON record per change, of kind "changespec" (schema v 1): {v, kind, id (the name), name, description, parent, cl, status, branch, commits: [{n, subject, sha, bead}], deltas: [{op ("+", "~" or "-"), path, added, changed, removed}], hooks: [{command, blocking (false for a '!' command), runs: [{commit (its n), at, result (PASSED, FAILED or RUNNING), seconds}]}], comments: [{id, author, path, line, text, resolved}], unresolved (the number of unresolved comments), mentors: [{entry, runs}], timestamps: [{at, event}]}, and
stack: {position (1 at the root), size (the length of the longest chain through the change), below: [the parent, its parent, ... up to the root], above: [the changes stacked directly on it, by name]}.
On a terminal, a card; with --format spec, the stored text.`,
  exit: [NO_IDS_EXIT, [4, 'no change by that name']],
  examples: [
    { cmd: 'sase cs show ready_cache_store', text: 'the card' },
    { cmd: 'sase cs show ready_cache_store --format spec > store.cs', text: 'the stored text' },
    {
      cmd: "sase cs show ready_cache_store --json | jq '.comments[] | select(.resolved | not)'",
      text: 'the open comments',
    },
    {
      cmd: 'sase cs list --query unresolved | sase cs show --format text',
      text: 'a card for every change with open comments',
    },
  ],
  seeAlso: ['sase-cs-list', 'sase-cs-edit', 'sase-cs-set', 'sase-cs-new'],
  async run(ctx, args, opts) {
    const format = opts.format ?? (opts.json ? 'json' : ctx.format);
    const out: Ctx = Object.create(ctx, {
      format: { value: format === 'spec' ? 'json' : format },
      colors: { value: opts.color ? ctx.colors : createColors(false) },
    });
    const names = await Promise.all((await inputNames(ctx, args, opts)).map((n) => changeArg(ctx, n)));
    const store = await ctx.store();
    const snap = await store.snapshot();
    const changes = [];
    for (const n of names) changes.push(await mustReadChange(snap, n));
    if (format === 'spec') {
      for (const c of changes) ctx.stdout.write((await snap.readText(changePath(c.name))) ?? serializeChangeSpec(c));
      return 0;
    }
    const all = await listChanges(snap);
    changes.forEach((c, i) => {
      if (out.format === 'text') {
        if (i > 0) out.stdout.write('\n');
        printChangeCard(out, all, c);
      } else writeRecord(out, changeWithStack(all, c));
    });
    return 0;
  },
});
