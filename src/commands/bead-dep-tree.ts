import { statusColor } from '../cli/colors.ts';
import { writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { notFound } from '../core/beads/ids.ts';
import { type Bead, isExternalRef } from '../core/beads/model.ts';
import { relationsAt } from '../store/bead-cache.ts';
import { readBeads, resolveIds, shortIdMap } from '../store/beads.ts';
import { type DepNode, depNodeToWire } from '../wire/bead.ts';

interface Node extends DepNode {
  /** for each level down to it, whether it is the last of its siblings */
  last: boolean[];
}

export const spec = defineCommand({
  name: 'bead-dep-tree',
  prints: ['dep-node'],
  summary: "draw a bead's dependency graph as a tree",
  args: [{ name: 'id', complete: 'beads', description: 'the root bead', required: true }],
  options: [
    { flags: '--reverse', description: 'draw what depends on <id> instead of what it depends on', type: 'bool' },
    { flags: '--depth <n>', description: 'stop <n> levels down', type: 'int' },
  ],
  description: `Draws the beads <id> depends on, their own blockers below them, and so on (or, with --reverse, the beads that depend on it). A bead that closes a loop is marked "cycle" and not followed again; a bead drawn earlier is marked "seen above"; a dependency naming a bead that does not exist is marked "missing", and an external reference (external:<project>:<capability>) "external"; either is "(satisfied)" when the bead above marked it so with sase bead dep satisfy, and blocks otherwise.`,
  output:
    'On a terminal, the tree. Otherwise one NDJSON record a node, depth first: {v, kind: "dep-node", id, depth, via (the node above, null for the root), status (null when missing or external), title, missing (no stored bead has the id), external (an external reference), satisfied (missing or external, and marked satisfied by the node above), cycle, repeat}.',
  exit: [[4, 'no bead matches the id']],
  examples: [
    { cmd: 'sase bead dep tree 7m2q.4', text: 'everything phase 4 waits for' },
    { cmd: 'sase bead dep tree 7m2q.1 --reverse', text: 'everything phase 1 holds up' },
  ],
  seeAlso: ['sase-bead-dep-list', 'sase-bead-blocked'],
  async run(ctx, args, opts) {
    const store = await ctx.store();
    const snap = await store.snapshot();
    const [rootId] = await resolveIds(snap, [args[0]!]);
    const beads = new Map<string, Bead | null>();
    const get = async (id: string) => {
      if (!beads.has(id)) beads.set(id, (await readBeads(snap, [id]))[0] ?? null);
      return beads.get(id)!;
    };
    if (!(await get(rootId!))) throw notFound(args[0]!);
    const rel = opts.reverse ? relationsAt(store, snap.tip) : null;
    const next = async (b: Bead) => (rel ? rel.dependantsOf(b.id) : b.dependencies.map((d) => d.depends_on_id));
    const maxDepth = opts.depth ?? Infinity;
    const nodes: Node[] = [];
    const drawn = new Set<string>();
    const walk = async (
      id: string,
      depth: number,
      above: Bead | null,
      path: string[],
      last: boolean[],
    ): Promise<void> => {
      const bead = await get(id);
      const cycle = path.includes(id);
      const repeat = !cycle && drawn.has(id);
      // a blocker sase cannot see may be marked satisfied by the bead that waits on it
      const satisfied = !bead && !rel && !!above?.satisfied?.some((s) => s.ref === id);
      nodes.push({ id, depth, via: above?.id ?? null, bead, satisfied, cycle, repeat, last });
      if (cycle || repeat || !bead || depth >= maxDepth) return;
      drawn.add(id);
      const kids = await next(bead);
      for (let i = 0; i < kids.length; i++)
        await walk(kids[i]!, depth + 1, bead, [...path, id], [...last, i === kids.length - 1]);
    };
    await walk(rootId!, 0, null, [], []);
    if (ctx.format !== 'text') {
      for (const n of nodes) writeRecord(ctx, depNodeToWire(n));
      return 0;
    }
    const c = ctx.colors;
    const shorts = await shortIdMap(
      snap,
      nodes.filter((n) => n.bead).map((n) => n.id),
    );
    for (const n of nodes) {
      const indent =
        n.last
          .slice(0, -1)
          .map((l) => (l ? '    ' : '│   '))
          .join('') + (n.depth ? (n.last[n.last.length - 1] ? '└── ' : '├── ') : '');
      const label = c.cyan(shorts.get(n.id) ?? n.id);
      const outside = isExternalRef(n.id) ? 'external' : 'missing';
      const tail = !n.bead
        ? n.satisfied
          ? c.dim(`${outside} (satisfied)`)
          : c.red(outside)
        : `${statusColor(c, 'bead', n.bead.status)} ${clean(n.bead.title)}${n.cycle ? c.red(' ↻ cycle') : ''}${n.repeat ? c.dim(' (seen above)') : ''}`;
      ctx.stdout.write(`${indent}${label} ${tail}\n`);
    }
    return 0;
  },
});
