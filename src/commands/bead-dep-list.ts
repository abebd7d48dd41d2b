import { BEAD_SEARCHED, BEAD_SHAPE, BEAD_SHAPE_AS_GIVEN, printBeads } from '../cli/bead-view.ts';
import { sayIfEmpty } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { notFound } from '../core/beads/ids.ts';
import { isExternalRef } from '../core/beads/model.ts';
import { applyListOps, checkListOps } from '../core/list-ops.ts';
import { relationsAt } from '../store/bead-cache.ts';
import { wireBeads } from '../store/bead-store.ts';
import { readBeads, resolveIds } from '../store/beads.ts';

export const spec = defineCommand({
  name: 'bead-dep-list',
  prints: ['bead'],
  summary: "list a bead's blockers, or with --reverse the beads it blocks",
  args: [{ name: 'id', complete: 'beads', description: 'the bead', required: true }],
  options: [
    { flags: '--reverse', description: 'list the beads that depend on <id> instead', type: 'bool' },
    ...listOptions('beads', BEAD_SHAPE, BEAD_SEARCHED),
  ],
  description: `Lists the beads that <id> depends on (directly), or with --reverse the beads that depend directly on <id>, as bead records so that they can be piped on, in the order the dependencies were declared (--sort changes it). A dependency on a bead that does not exist, or on an external reference (external:<project>:<capability>), is reported on stderr as a warning, saying whether it is marked satisfied (sase bead dep satisfy) or still blocks.`,
  output: 'One NDJSON record of kind "bead" for each related bead (see sase-bead-show(1)), with blocked.',
  exit: [[4, 'no bead matches the id']],
  examples: [
    { cmd: 'sase bead dep list 7m2q.3', text: 'what phase 3 waits for' },
    { cmd: 'sase bead dep list 7m2q.1 --reverse --format id', text: 'what phase 1 unblocks' },
  ],
  seeAlso: ['sase-bead-dep-add', 'sase-bead-dep-tree', 'sase-bead-show'],
  async run(ctx, args, opts) {
    checkListOps(BEAD_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const store = await ctx.store();
    const snap = await store.snapshot();
    const [id] = await resolveIds(snap, [args[0]!]);
    const [bead] = await readBeads(snap, [id!]);
    if (!bead) throw notFound(args[0]!);
    const ids = opts.reverse
      ? await relationsAt(store, snap.tip).dependantsOf(bead.id)
      : bead.dependencies.map((d) => d.depends_on_id);
    const found = await readBeads(snap, ids);
    const missing = ids.filter((i) => !found.some((b) => b.id === i));
    for (const m of missing) {
      // a blocker sase cannot see blocks until marked satisfied; say which it is
      const what = isExternalRef(m) ? 'an external reference' : 'which does not exist';
      const mark = bead.satisfied?.find((x) => x.ref === m);
      const state = mark
        ? ` (satisfied at ${mark.satisfied_at})`
        : isExternalRef(m) || bead.missing?.includes(m)
          ? ` (not satisfied: it blocks until 'sase bead dep satisfy ${bead.id} ${m}')`
          : '';
      ctx.stderr.write(`warning: '${bead.id}' depends on '${m}', ${what}${state}\n`);
    }
    const shown = applyListOps(await wireBeads(snap, found), BEAD_SHAPE_AS_GIVEN, opts);
    printBeads(ctx, shown);
    await sayIfEmpty(ctx, shown.length, () =>
      opts.reverse ? `no bead depends on '${bead.id}'` : `'${bead.id}' has no blockers`,
    );
    return 0;
  },
});
