import { beadAction } from '../cli/bead-action.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';

export const spec = defineCommand({
  name: 'bead-dep-satisfy',
  prints: ['bead'],
  summary: 'mark a blocker sase cannot see (an external reference, a missing bead) as satisfied',
  args: [
    { name: 'id', complete: 'beads', description: 'the bead that waits', required: true },
    {
      name: 'ref',
      description: 'its blockers to mark: external:<project>:<capability> references, or ids of beads not stored',
      variadic: true,
    },
  ],
  options: [
    {
      flags: '--all',
      description: 'every blocker of <id> that sase cannot see (its external and missing references)',
      type: 'bool',
    },
    { flags: '--undo', description: 'take the mark back: the blockers block again', type: 'bool' },
  ],
  description: `A bead waits on its blockers. When a blocker is a bead of this repository, closing that bead releases it. Some blockers are beads sase cannot see: an external reference (external:<project>:<capability>, a capability another project provides, as the Go bd tool writes them), or a bead that is not stored (a parent or dependency that sase bead import recorded in the bead's missing list because its input left the bead out, such as bd's wisps). Such a blocker blocks until it is marked satisfied: sase never fails open. This command marks them, in one commit: each becomes an entry {ref, satisfied_at, satisfied_by} of the bead's satisfied list, and the bead no longer waits on it (sase bead ready and sase bead blocked follow at once; sase fsck stops warning about it).

Each <ref> must be the bead's parent or one of its dependencies, written in full. A ref that is a bead of this repository is refused: close that bead instead. A mark never speaks for a stored bead: if a missing bead is imported later, its own status decides again. Marking a ref that is marked already changes nothing; --undo takes marks back. To drop a dependency altogether, use sase bead dep rm.`,
  output:
    'The bead as one NDJSON record of kind "bead" (see sase-bead-show(1)), with its satisfied list: {ref, satisfied_at, satisfied_by} for each mark, sorted by ref.',
  exit: [
    [1, 'refused: a ref is a bead of this repository (close it instead)'],
    [4, '<id> does not exist, or a ref is neither its parent nor one of its dependencies'],
    [129, 'neither a ref nor --all was given'],
  ],
  examples: [
    {
      cmd: 'sase bead dep satisfy k3f9 external:gastown:gt-5kjn',
      text: 'the other project shipped the capability k3f9 waited for',
    },
    { cmd: 'sase bead dep satisfy bd-wisp-5xon7z --all', text: 'the wisps a bd export left out are done' },
    { cmd: 'sase bead dep satisfy k3f9 external:gastown:gt-5kjn --undo', text: 'it was not shipped after all' },
  ],
  seeAlso: ['sase-bead-dep-rm', 'sase-bead-blocked', 'sase-bead-import', 'sase-fsck'],
  async run(ctx, args, opts) {
    const [id, ...given] = args as [string, ...string[]];
    if (!given.length && !opts.all) throw new UsageError('name the blockers to mark, or give --all');
    await beadAction(ctx, [id], { stdin: false }, async ({ ids, at, actor, reader }) => {
      const bead = await reader.get(ids[0]!);
      const refs = [...given];
      if (opts.all && bead) {
        const named = [...(bead.parent_id ? [bead.parent_id] : []), ...bead.dependencies.map((d) => d.depends_on_id)];
        for (const ref of named) if (!refs.includes(ref) && !(await reader.get(ref))) refs.push(ref);
      }
      return { op: 'bead.dep-satisfy', id: ids[0]!, refs, undo: opts.undo ?? false, at, actor };
    });
    return 0;
  },
});
