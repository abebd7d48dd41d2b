import { fetchReviewComments } from '../app/changes/review.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { parseNdjson, readStdin, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { addComments, checkComment, type NewComment } from '../core/changes/comments.ts';
import { UsageError } from '../core/errors.ts';
import { commitChange, mustReadChange } from '../store/changes.ts';
import { type CommentRecord, commentToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-comment',
  prints: ['comment'],
  summary: 'add review comments to a change, from options, NDJSON on stdin, or its GitHub review',
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [
    {
      flags: '--path <path>',
      description: "the file the comment is about ('-' for the change as a whole)",
      complete: 'files',
    },
    { flags: '--line <n>', description: 'the line of that file, from 1', type: 'int' },
    { flags: '--text <text>', description: 'what the comment says (any number of lines)' },
    { flags: '--author <author>', description: "who says it (default: the git identity's email, else 'reviewer')" },
    {
      flags: '--stdin',
      description:
        'read comments from standard input, one JSON object a line (the default when stdin is not a terminal and --text is not given)',
      type: 'bool',
    },
    {
      flags: '--from-review',
      description: "fetch the comments of the change's GitHub pull request (gh pr view) and add the new ones",
      type: 'bool',
    },
  ],
  description: `Appends comments to the COMMENTS section of a change, open (marked '- (!: unresolved)'), in one operation 'cs.comment' on the state ref. A comment names a path (no whitespace or control characters), optionally a line, an author and a text; its id is <change>#<n>, its position in the list, and stays the same for good (comments are resolved, never removed). An open comment blocks sase-cs-submit(1) until it is resolved with sase-cs-resolve(1).

From stdin, each line is a JSON object {path, line, text, author} (author and line optional; --path, --line and --author fill in what a line leaves out), so a reviewer tool or an agent can pipe its findings in. All lines are checked before anything is stored. A comment equal (author, path, line and text) to one still open is not added twice: its record is printed again.

With --from-review, the comments and reviews of the change's pull request (CL github:<owner>/<repo>#<n>) are read with 'gh pr view --json comments,reviews'; each new one is added with author github:<login> and path '-'. Comments seen before (same author, path, line and text, open or resolved) are skipped, so polling again adds only what is new.`,
  input:
    'With --stdin, or with stdin not a terminal and no --text: NDJSON, one comment a line: {"path": "src/a.ts", "line": 12, "text": "...", "author": "mentor:security"}. The records sase-cs-comment prints can be fed back in.',
  output:
    'One NDJSON record of kind "comment" per comment given (or fetched and new): {v, kind, id ("<change>#<n>"), change, n, author, path, line (or null), text, resolved}. On a terminal, one line a comment.',
  exit: [
    [1, "--from-review on a change that has no GitHub pull request, or 'gh' failed"],
    [4, 'no such change'],
    [128, 'a stdin line is not a JSON object; gh is missing or printed no JSON'],
    [
      129,
      "no --path or --text; a path with whitespace or control characters; a bad line number (stdin lines are named 'stdin:<n>:')",
    ],
  ],
  examples: [
    {
      cmd: "sase cs comment ready_cache_store --path src/store/cache.ts --line 42 --text 'Path built from an id: check it'",
      text: 'one comment',
    },
    {
      cmd: 'my-reviewer --ndjson | sase cs comment ready_cache_store',
      text: "a reviewer tool's findings, one JSON object a line",
    },
    { cmd: 'sase cs comment ready_cache_store --from-review', text: "poll the pull request's comments" },
  ],
  seeAlso: ['sase-cs-resolve', 'sase-cs-show', 'sase-cs-submit'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    if (args.length > 1) throw new UsageError(`one change at a time; '${args[1]}' is extra`);
    const store = await ctx.store();
    const at = isoNow(ctx);
    let printed: CommentRecord[];
    if (opts.fromReview) {
      if (opts.text !== undefined || opts.stdin)
        throw new UsageError("'--from-review' reads the review's comments; give no '--text' or '--stdin'");
      const r = await fetchReviewComments(store, name, at);
      // only the new ones: the whole list is in 'sase cs show'
      printed = r.change.comments.slice(r.change.comments.length - r.added).map((k) => commentToWire(name, k));
    } else {
      const ident = (await store.ident()).email;
      const author = opts.author !== undefined ? opts.author : ident && !/[\]\s]/.test(ident) ? ident : 'reviewer';
      const defaults = { path: opts.path, line: opts.line, author };
      let news: NewComment[];
      // --path, --line and --author are checked before stdin is read (with nothing on stdin, too)
      if (opts.path !== undefined || opts.line !== undefined || opts.author !== undefined)
        checkComment({ ...defaults, path: defaults.path ?? '-', text: '-' }, author);
      if (opts.text !== undefined && !opts.stdin) {
        news = [checkComment({ ...defaults, text: opts.text }, author)];
      } else if (opts.stdin || !ctx.stdinIsTTY) {
        if (opts.text !== undefined) throw new UsageError("give comments with '--text' or on stdin, not both");
        news = parseNdjson(await readStdin(ctx), 'stdin').map(({ line, value }) =>
          checkComment({ ...defaults, ...stripNulls(value) }, author, `stdin:${line}: `),
        );
      } else throw new UsageError("missing '--text' (or comments on stdin)");
      if (!news.length) return 0;
      await mustReadChange(await store.snapshot(), name);
      const { result } = await commitChange(store, at, async (snap) => {
        const c = await mustReadChange(snap, name);
        const r = addComments(c, news);
        return {
          op: r.added ? { op: 'cs.comment', name, count: r.added } : null,
          changes: [r.change],
          result: r.comments,
        };
      });
      printed = result.map((k) => commentToWire(name, k));
    }
    for (const rec of printed) {
      if (ctx.format === 'text') {
        const where = `${rec.path}${rec.line === null ? '' : `:${rec.line}`}`;
        ctx.stdout.write(
          `${ctx.colors.bold(rec.id)} ${ctx.colors.dim(`[${rec.author}]`)} ${where} ${rec.text.split('\n')[0]}\n`,
        );
      } else writeRecord(ctx, rec);
    }
    return 0;
  },
});

/** JSON nulls mean "not given", so the options fill them in. */
function stripNulls(v: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined));
}
