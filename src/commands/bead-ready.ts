import { BEAD_SEARCHED, BEAD_SHAPE, BEAD_SHAPE_AS_GIVEN, printBeads } from '../cli/bead-view.ts';
import { sayIfEmpty, writeRecord } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { ISSUE_TYPES } from '../core/beads/model.ts';
import { applyListOps, checkListOps } from '../core/list-ops.ts';
import { freshTable, readyNdjson } from '../store/bead-cache.ts';
import { resolveIds } from '../store/beads.ts';
import type { BeadRecord } from '../wire/bead.ts';

export const spec = defineCommand({
  name: 'bead-ready',
  prints: ['bead'],
  summary: 'list open beads whose blockers are all closed',
  args: [],
  options: [
    { flags: '--type <type>', description: 'only beads of this type (plan, phase, task)', choices: ISSUE_TYPES },
    { flags: '--parent <id>', description: 'only children of this bead (the phases of an epic)', complete: 'beads' },
    ...listOptions('beads', BEAD_SHAPE, BEAD_SEARCHED),
  ],
  description: `Lists the beads that can be worked on now: status open, every dependency closed, the dependencies of the bead's ancestors included (a phase of a blocked epic is blocked), and no child that is not closed: an epic's work is its phases, so the epic itself is ready (to land) once they are all closed. A blocker sase cannot see blocks until it is marked satisfied (sase bead dep satisfy): an external reference (external:<project>:<capability>), a dependency on a bead that does not exist, or a parent that does not exist. sase never fails open.

The order is priority (0 first), then creation time (oldest first), then id (x.2 before x.10); --sort changes it, and --grep keeps the beads whose title, description, notes or design contain a text. The list comes from the derived cache in $GIT_COMMON_DIR/sase/cache/, brought up to date with the state ref first, so the answer costs about one small file read.`,
  output:
    'One NDJSON record of kind "bead" a ready bead, in ready order, as sase-bead-show(1) describes, without the resolved relations; blocked is false. With --format id, one id a line. On a terminal, a table.',
  exit: [[4, 'the --parent bead does not exist']],
  examples: [
    { cmd: 'sase bead ready --limit 3', text: 'the three most urgent ready beads' },
    { cmd: 'sase bead ready | sase bead claim --as worker-1', text: 'claim every ready bead' },
    { cmd: 'sase bead ready --parent sase-7m2q --format id', text: 'ready phases of an epic, one id a line' },
  ],
  seeAlso: ['sase-bead-blocked', 'sase-bead-claim', 'sase-bead-list'],
  async run(ctx, _args, opts) {
    checkListOps(BEAD_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    // without --sort or --grep the cache's order is the answer, and --limit stops the reading
    const plain = opts.sort === undefined && !opts.grep;
    const store = await ctx.store();
    const tip = await store.tip();
    const body = await readyNdjson(store, tip, (d, t) => ctx.progress(`reading beads: ${d}/${t}`));
    const limit = opts.limit;
    let parent: string | null = null;
    if (opts.parent) [parent] = await resolveIds(store.snapshotAt(tip), [opts.parent]);
    if (ctx.format === 'json' && plain && !ctx.fields && !opts.type && !parent) {
      // the cache holds exactly what is printed: copy it, up to the limit
      let left = limit ?? Number.POSITIVE_INFINITY;
      for (const piece of body) {
        if (limit === undefined) {
          ctx.stdout.write(piece);
          continue;
        }
        if (left <= 0) break;
        const { end, lines } = leadingLines(piece, left);
        ctx.stdout.write(end === piece.length ? piece : piece.subarray(0, end));
        left -= lines;
      }
      return 0;
    }
    const picked: BeadRecord[] = [];
    for (const line of body
      .map((p) => p.toString('utf8'))
      .join('')
      .split('\n')) {
      if (!line || (plain && limit !== undefined && picked.length >= limit)) break;
      // the cache's lines are bead records, as beadToWire built them
      const r = JSON.parse(line) as BeadRecord;
      if (opts.type && r.issue_type !== opts.type) continue;
      if (parent && r.parent_id !== parent) continue;
      picked.push(r);
    }
    const shown = plain ? picked : applyListOps(picked, BEAD_SHAPE_AS_GIVEN, opts);
    if (ctx.format === 'json') for (const r of shown) writeRecord(ctx, r);
    else printBeads(ctx, shown);
    await sayIfEmpty(ctx, shown.length, async () => {
      const table = await freshTable(store, tip);
      let blocked = 0;
      for (const e of table.beads.values()) if (e.status === 'open' && e.blocked) blocked++;
      return `no ready beads${blocked ? `; ${blocked} blocked: sase bead blocked` : ''}`;
    });
    return 0;
  },
});

/** The first `n` lines of `piece` (fewer if it has fewer): where they end and how many there are. */
function leadingLines(piece: Buffer, n: number): { end: number; lines: number } {
  let at = 0;
  let lines = 0;
  while (lines < n) {
    const nl = piece.indexOf(10, at);
    if (nl < 0) return { end: piece.length, lines };
    at = nl + 1;
    lines++;
  }
  return { end: at, lines };
}
