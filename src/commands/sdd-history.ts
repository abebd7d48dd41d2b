import { statusColor } from '../cli/colors.ts';
import type { Ctx } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import type { PlanStatus } from '../core/sdd/paths.ts';
import { tierOfDir } from '../core/sdd/paths.ts';
import { parsePlan } from '../core/sdd/plan.ts';
import { findPlan } from '../store/sdd.ts';
import { type FileVersion, fileVersions, versionPatches } from '../store/sdd-history.ts';
import { planVersionToWire } from '../wire/plan.ts';

function versionStatus(v: FileVersion, isPlan: boolean): PlanStatus | 'invalid' | null {
  if (!isPlan) return null;
  return parsePlan(v.text, v.path).plan?.status ?? 'invalid';
}

/** A diff for a person: headers bold, hunks cyan, removals red, additions green (plain without colours). */
function colorPatch(ctx: Ctx, patch: string): string {
  const c = ctx.colors;
  return patch
    .split('\n')
    .map((raw) => {
      const l = clean(raw);
      if (/^(diff --git|index |new file|deleted file|--- |\+\+\+ )/.test(raw)) return c.bold(l);
      if (raw.startsWith('@@')) return c.cyan(l);
      if (raw.startsWith('+')) return c.green(l);
      if (raw.startsWith('-')) return c.red(l);
      return l;
    })
    .join('\n');
}

export const spec = defineCommand({
  name: 'sdd-history',
  prints: ['plan-version'],
  summary: 'show every stored version of a plan, newest first, with the operation that made it',
  args: [
    {
      name: 'plan',
      complete: 'plans',
      description: 'a slug, or a path like sdd/epics/<slug>.md (a prompt by its path)',
      required: true,
    },
  ],
  options: [{ flags: '--patch', description: 'with each version, the diff from the version before it', type: 'bool' }],
  description: `Lists the versions of one stored plan from the operation log (the history of refs/sase/state), newest first: the commit that stored each, the operation (sdd.put, sdd.approve, sdd.status, or a bead operation such as bead.claim or bead.close that moved the plan's status), who and when, and the plan's status in that version.

With --patch, each version carries the unified diff it made to the file; a first version is diffed against nothing.

A plan's path is fixed by its tier and slug, so there are no renames to follow.`,
  output:
    'One NDJSON record a version, newest first: {v, kind: "plan-version", id (the commit), commit, path, op, actor, at, summary, status (the plan\'s status in that version; "invalid" when it does not parse, null for a prompt), blob (the file\'s blob id)}, with --patch also patch (a unified diff). With --format id, one commit a line. On a terminal, one line a version (short commit, time, actor, operation, status), with --patch the coloured diff under each.',
  exit: [[4, 'no such plan']],
  examples: [
    { cmd: 'sase sdd history ready-cache', text: 'who changed the plan, when, and how' },
    { cmd: 'sase sdd history sdd/epics/ready-cache.md --patch', text: 'with the diffs' },
    {
      cmd: 'sase sdd history ready-cache | jq -r \'select(.op == "sdd.put") | .commit\'',
      text: 'the commits that stored new text',
    },
  ],
  seeAlso: ['sase-sdd-show', 'sase-sdd-list', 'sase-log', 'git-diff-tree(1)'],
  async run(ctx, args, opts) {
    const store = await ctx.store();
    const snap = await store.snapshot();
    const found = await findPlan(snap, args[0]!);
    const isPlan = tierOfDir(found.dir) !== null;
    const versions = await fileVersions(store, found.path);
    const withPatch = opts.patch ?? false;
    const patches = withPatch ? await versionPatches(store, versions) : [];
    versions.forEach((v, i) => {
      const status = versionStatus(v, isPlan);
      if (ctx.format !== 'text') {
        writeRecord(ctx, planVersionToWire(v, status, withPatch ? patches[i] : undefined));
        return;
      }
      const c = ctx.colors;
      const e = v.entry;
      const parts = [
        c.yellow(e.commit.slice(0, 10)),
        c.dim(e.at),
        c.cyan(clean(e.actor)),
        clean(e.op?.op ?? e.summary),
      ];
      if (status) parts.push(statusColor(c, 'plan', status));
      ctx.stdout.write(parts.join(' ') + '\n');
      if (withPatch && patches[i]) ctx.stdout.write(colorPatch(ctx, patches[i]!.replace(/\n$/, '')) + '\n\n');
    });
    return 0;
  },
});
