import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { noIds, readIdsFromStdin } from '../cli/io.ts';
import { clean, printWritten } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { parseCommentId, resolveComments } from '../core/changes/comments.ts';
import { UsageError } from '../core/errors.ts';
import { commitChange, mustReadChange } from '../store/changes.ts';
import { commentToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-resolve',
  prints: ['comment'],
  summary: "mark a change's review comments resolved",
  args: [
    { name: 'name', complete: 'changes', description: 'the change', required: true },
    { name: 'id', description: 'comment ids: N or <change>#N (as sase-cs-comment prints them)', variadic: true },
  ],
  options: [
    {
      flags: '--stdin',
      description:
        "read the ids from standard input: one a line, or NDJSON records with an 'id' (the default when no id is given and stdin is not a terminal)",
      type: 'bool',
    },
  ],
  description: `Marks comments of a change resolved, in one operation 'cs.resolve' on the state ref: their '- (!: unresolved)' mark goes, and they no longer block sase-cs-submit(1). Comments stay in the list, so ids never change. Every id is checked before anything is stored; resolving a resolved comment again is a no-op.`,
  input:
    "With --stdin, or with no id while stdin is not a terminal: ids one a line, or NDJSON records with an 'id' field (the records of sase-cs-comment). No id at all (an empty pipe included) is a usage error, exit 129.",
  output:
    'One NDJSON record of kind "comment" per id: {v, kind, id ("<change>#<n>"), change, n, author, path, line, text, resolved (true)}. On a terminal, one line a comment: resolved <change>#<n>: <the first line of its text> (<path>[:<line>]).',
  exit: [
    [4, 'no such change, or no comment with that id'],
    [129, 'no id given (as arguments or on stdin), or an id that is not N or <change>#N (or names another change)'],
  ],
  examples: [
    { cmd: 'sase cs resolve ready_cache_store 1 3', text: 'resolve comments 1 and 3' },
    {
      cmd: 'sase cs show ready_cache_store --json | jq -r \'.comments[] | select(.author == "bot") | .id\' | sase cs resolve ready_cache_store',
      text: "resolve a bot's comments",
    },
  ],
  seeAlso: ['sase-cs-comment', 'sase-cs-show', 'sase-cs-submit'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    let raw = args.slice(1);
    const fromStdin = opts.stdin || (raw.length === 1 && raw[0] === '-') || (raw.length === 0 && !ctx.stdinIsTTY);
    if (fromStdin) {
      if (raw.length && !(raw.length === 1 && raw[0] === '-'))
        throw new UsageError('give ids as arguments or on stdin, not both');
      raw = await readIdsFromStdin(ctx);
    }
    if (!raw.length) throw noIds('comment id');
    const ids = [...new Set(raw.map((r) => parseCommentId(name, r)))];
    const store = await ctx.store();
    resolveComments(await mustReadChange(await store.snapshot(), name), ids);
    const { result } = await commitChange(store, isoNow(ctx), async (snap) => {
      const r = resolveComments(await mustReadChange(snap, name), ids);
      return { op: { op: 'cs.resolve', name, ids }, changes: [r.change], result: r.comments };
    });
    printWritten(
      ctx,
      result,
      (k, c) => ({
        verb: 'resolved',
        id: `${name}#${k.id}`,
        title: k.text,
        note: c.dim(` (${clean(k.path)}${k.line === null ? '' : `:${k.line}`})`),
      }),
      (k) => commentToWire(name, k),
    );
    return 0;
  },
});
