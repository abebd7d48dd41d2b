import { refreshDeltas } from '../app/changes/stack.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import type { Delta } from '../core/changes/spec.ts';
import { mustReadChange } from '../store/changes.ts';
import { deltaToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-deltas',
  prints: ['delta'],
  summary: 'list the files a change adds, modifies and removes (its DELTAS)',
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [
    { flags: '--refresh', description: "recompute DELTAS from the change's branch and store them first", type: 'bool' },
  ],
  description: `Prints the change's DELTAS: per file, whether the change adds (+), modifies (~) or removes (-) it, with line counts: +added ~changed -removed, where a changed line is one removed and one added. A renamed file is a removal and an addition. Files are in path order.

DELTAS are stored with the record and recomputed by sase-cs-commit(1) and sase-cs-rebase(1). --refresh recomputes them now from the branch sase/cs/<name>, against where it left its base branch, and stores them when they differ.`,
  output:
    'One NDJSON record per file: {v: 1, kind: "delta", id, changespec, op, path, added, changed, removed}, id being the path. With --format id, the paths. On a terminal, a table: op, path and the counts (+12 ~3 -1).',
  exit: [[4, "no such change (or, with --refresh, the change's branch or base branch is gone)"]],
  examples: [
    { cmd: 'sase cs deltas ready_cache_store', text: 'the stored DELTAS' },
    {
      cmd: 'sase cs deltas ready_cache_store --refresh --format id | xargs wc -l',
      text: 'recompute, then use the paths',
    },
  ],
  seeAlso: ['sase-cs-commit', 'sase-cs-diff', 'sase-cs-show'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    const store = await ctx.store();
    const deltas = opts.refresh
      ? (await refreshDeltas(store, isoNow(ctx), name)).change.deltas
      : (await mustReadChange(await store.snapshot(), name)).deltas;
    if (ctx.format !== 'text') {
      for (const d of deltas) writeRecord(ctx, deltaToWire(name, d));
      return 0;
    }
    const c = ctx.colors;
    const paint = (d: Delta) => (d.op === '+' ? c.green : d.op === '-' ? c.red : c.yellow)(d.op);
    const width = Math.min(60, Math.max(0, ...deltas.map((d) => d.path.length)));
    for (const d of deltas) {
      ctx.stdout.write(
        `${paint(d)} ${d.path.padEnd(width)}  ${c.green(`+${d.added}`)} ${c.yellow(`~${d.changed}`)} ${c.red(`-${d.removed}`)}\n`,
      );
    }
    if (!deltas.length)
      ctx.stdout.write(
        c.dim(`${name}: no deltas${opts.refresh ? '' : " (try 'sase cs deltas " + name + " --refresh')"}\n`),
      );
    return 0;
  },
});
