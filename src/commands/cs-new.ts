import { branchTip, resolveRevision, targetBranch } from '../app/changes/code.ts';
import { adoptChange, newChange } from '../app/changes/new.ts';
import { type Ctx, isoNow } from '../cli/context.ts';
import { printWrittenChanges } from '../cli/cs-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkText } from '../core/beads/model.ts';
import { type ChangeSpec, type ChangeStatus, changeBranch, checkChangeName } from '../core/changes/spec.ts';
import { NotFoundError, RefusedError, UsageError } from '../core/errors.ts';
import { resolveIds } from '../store/beads.ts';
import { readChange } from '../store/changes.ts';

export const spec = defineCommand({
  name: 'cs-new',
  prints: ['change'],
  summary: 'create a change record (ChangeSpec) and its branch',
  args: [{ name: 'name', description: "the change's name: lower-case letters, digits and '_'", required: true }],
  options: [
    {
      flags: '--description <text>',
      description: 'what the change does: a first line, then any number of lines (required, but with --adopt)',
    },
    { flags: '--parent <name>', description: 'the change this one stacks on' },
    { flags: '--status <status>', description: 'WIP (default), Draft or Ready', choices: ['WIP', 'Draft', 'Ready'] },
    {
      flags: '--bead <id>',
      description: 'the bead this change carries out; commits recorded later name it',
      complete: 'beads',
    },
    { flags: '--from <ref>', description: 'start the branch at this revision instead of the base branch' },
    {
      flags: '--adopt',
      description: 'make the record of the existing branch sase/cs/<name>, which has none, as it is',
      type: 'bool',
    },
  ],
  description: `Stores a new ChangeSpec, changes/<name>.cs, in the state ref, and creates its branch sase/cs/<name>, where the change's commits go.

The branch starts at the parent change's branch when --parent is given (a stack), else at the target branch ([review] target in .sase/config.toml, main by default), or at --from. The record starts with status WIP (or --status) and its creation logged in TIMESTAMPS.

With --bead, the bead gets a link to the change ({kind: "changespec", target: <name>}) in the same commit, and commits recorded with sase-cs-commit name that bead.

The branch is made first, then the record. A sase-cs-new killed between the two leaves the branch without its record (sase-fsck names it): running the same command again adopts that branch, when it points where the command would start it, and logs ADOPT in TIMESTAMPS (said on stderr). A branch that points elsewhere is refused, with a hint.

With --adopt, the existing branch sase/cs/<name> that has no record gets one, as it is; the branch is not moved. The change starts where the branch left its base branch (the --parent's branch, else the target branch: the fork point, as git merge-base --fork-point finds it), which TIMESTAMPS logs as CREATE, followed by ADOPT with the branch's tip. Its own commits from there are in COMMITS (each noted in refs/notes/sase, as sase-cs-commit does) and their DELTAS are computed. The description is --description, else the subject of the branch's first own commit, else 'Adopted from the branch sase/cs/<name>'; the status is --status, else WIP (adopted work has not been looked at). --from does not go with --adopt. sase-doctor --fix adopts the same way (no parent, status WIP) the branches without a record that it does not delete.`,
  output:
    'The new change as one NDJSON record of kind "changespec": {v, kind, id, name, description, parent, cl, status, branch, commits, deltas, hooks, comments, unresolved, mentors, timestamps} (see sase-cs-show(1)). On a terminal, one line: created <name>: <the first line of its description> (<status>, on branch <branch>[, stacked on <parent>]).',
  exit: [
    [1, 'refused: a change of that name exists, or its branch exists elsewhere than where this change would start'],
    [
      4,
      'the parent change, the bead, the --from revision, the target branch or (with --adopt) the branch does not exist',
    ],
    [129, 'the name breaks the naming rule, or a value is missing or bad'],
  ],
  examples: [
    {
      cmd: "sase cs new ready_cache_store --description 'Cache bead snapshots by tree id'",
      text: 'a change on the target branch',
    },
    {
      cmd: "sase cs new ready_cache_query --parent ready_cache_store --description 'ready reads the cache'",
      text: 'a change stacked on it',
    },
    {
      cmd: 'sase cs new ready_cache_fix --adopt --parent ready_cache_store',
      text: 'the record of the branch sase/cs/ready_cache_fix, stacked on ready_cache_store',
    },
  ],
  seeAlso: ['sase-cs-show', 'sase-cs-commit', 'sase-cs-list', 'sase-cs-set'],
  async run(ctx, args, opts) {
    const name = checkChangeName(args[0]!);
    if (args.length > 1) throw new UsageError(`one change at a time; '${args[1]}' is extra`);
    if (opts.adopt && opts.from !== undefined)
      throw new UsageError("'--adopt' takes the branch as it is: '--from' does not go with it");
    if (!opts.adopt && (opts.description === undefined || opts.description.trim() === ''))
      throw new UsageError("missing '--description'");
    const description =
      opts.description === undefined || opts.description.trim() === ''
        ? null
        : checkText('description', opts.description).replace(/\r\n/g, '\n').trim();
    const parent = opts.parent === undefined ? null : checkChangeName(opts.parent);
    const status: ChangeStatus = opts.status ?? 'WIP';
    const store = await ctx.store();
    const at = isoNow(ctx);
    const snap = await store.snapshot();
    if (await readChange(snap, name)) throw new RefusedError(`change '${name}' exists`);
    if (opts.adopt) {
      const [bead] = opts.bead === undefined ? [null] : await resolveIds(snap, [opts.bead]);
      const r = await adoptChange(store, { name, description, parent, status, bead: bead ?? null, at });
      const n = r.change.commits.length;
      ctx.stderr.write(
        `adopted the branch '${changeBranch(name)}' as change '${name}': ${n ? `${n} commit${n === 1 ? '' : 's'}` : 'no commits'} above ${r.base}\n`,
      );
      print(ctx, r.change);
      return 0;
    }
    let start: string;
    let from: string;
    if (opts.from !== undefined) {
      from = opts.from;
      const sha = await resolveRevision(store, from);
      if (!sha) throw new NotFoundError(`no commit '${from}'`);
      start = sha;
    } else {
      from = parent ? changeBranch(parent) : await targetBranch(store);
      if (parent && !(await readChange(snap, parent))) throw new NotFoundError(`no change '${parent}' (the parent)`);
      const sha = await branchTip(store, from);
      if (!sha)
        throw new NotFoundError(
          `no branch '${from}' to start from${parent ? '' : ' (set [review] target in .sase/config.toml, or give --from)'}`,
        );
      start = sha;
    }
    const [bead] = opts.bead === undefined ? [null] : await resolveIds(snap, [opts.bead]);
    const { change, adopted } = await newChange(store, {
      name,
      description: description!,
      parent,
      status,
      start,
      from,
      bead: bead ?? null,
      at,
    });
    if (adopted)
      ctx.stderr.write(
        `adopted the branch '${changeBranch(name)}', which an interrupted 'sase cs new' left at ${start.slice(0, 12)} without its record\n`,
      );
    print(ctx, change);
    return 0;
  },
});

function print(ctx: Ctx, change: ChangeSpec): void {
  printWrittenChanges(
    ctx,
    [change],
    'created',
    (ch) => `, on branch ${changeBranch(ch.name)}${ch.parent ? `, stacked on ${ch.parent}` : ''}`,
  );
}
