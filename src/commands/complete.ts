import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { COMPLETION_KINDS, type CompletionKind, completionLines } from '../store/completion.ts';

export const spec = defineCommand({
  name: 'complete',
  summary: 'print the record ids a shell completes a word to (plumbing: the completion scripts call it)',
  args: [
    { name: 'kind', description: `what to complete: ${COMPLETION_KINDS.join(', ')}`, required: true },
    { name: 'word', description: 'what is typed so far (nothing: every id)' },
  ],
  options: [],
  formatted: false,
  description: `Prints, one a line, the ids of one kind of record that start with the word typed so far, for the shell completions in completions/ (bash, zsh, fish), which call it for the positional ids of sase's commands (sase bead show <TAB>, sase-cs-show <TAB>).

Beads complete to their short ids (as tables show them): with the prefix when the word has a dash (ts-k3 -> ts-k3f9), else the hash form (k3 -> k3f9, k3f9.2). The answer comes from the derived cache in $GIT_COMMON_DIR/sase/cache/: the hash forms from its list of every short id (made by the first completion of an empty word, then kept by each refresh), else, as the forms with a prefix, from the id lines of the bead table's shards that the word can reach. Run ids come from the cache's index of runs by bead; plans (slugs), workflow runs, notifications and changes (names) from their directory in the state. When the cache is for an older state it is brought up to date first.`,
  output: 'One id a line, sorted; nothing when none matches, or outside a repository.',
  exit: [[129, 'an unknown kind']],
  examples: [
    { cmd: 'sase complete beads k3', text: 'the beads whose hash starts with k3' },
    { cmd: 'sase complete runs r-', text: 'every run id' },
  ],
  seeAlso: ['sase-bead-show', 'sase-agent-show'],
  async run(ctx, args) {
    const kind = args[0] ?? '';
    if (!(COMPLETION_KINDS as readonly string[]).includes(kind))
      throw new UsageError(`'${kind}' is not a kind to complete (${COMPLETION_KINDS.join(', ')})`);
    if (args.length > 2) throw new UsageError(`unexpected argument '${args[2]}'`);
    let store: Awaited<ReturnType<typeof ctx.store>>;
    try {
      store = await ctx.store();
    } catch {
      return 0; // outside a repository a shell completes nothing, quietly
    }
    const lines = await completionLines(store, kind as CompletionKind, args[1] ?? '');
    if (lines.length) ctx.stdout.write(lines);
    return 0;
  },
});
