import { isoNow } from '../cli/context.ts';
import { changeArg, printWrittenChanges } from '../cli/cs-view.ts';
import { info, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkText } from '../core/beads/model.ts';
import { checkCl } from '../core/changes/cl.ts';
import { CHANGE_STATUSES, type ChangeSpec, type ChangeStatus, checkChangeName } from '../core/changes/spec.ts';
import { checkParent } from '../core/changes/stack.ts';
import { moveStatus, stamp } from '../core/changes/status.ts';
import { UsageError } from '../core/errors.ts';
import { commitChange, listChanges, mustReadChange } from '../store/changes.ts';
import { changeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-set',
  prints: ['change'],
  summary: "change a change's status, description, parent or review identifier",
  args: [{ name: 'name', complete: 'changes', description: "the change's name", required: true }],
  options: [
    {
      flags: '--status <status>',
      description: 'move to this status (only the moves FORMATS.md allows)',
      choices: CHANGE_STATUSES,
    },
    { flags: '--description <text>', description: 'the new description: a first line, then any number of lines' },
    { flags: '--parent <name>', description: "stack the change on this one ('none': no parent)" },
    {
      flags: '--cl <id>',
      description:
        "the review identifier, e.g. local:refs/sase/review/<name> or github:<owner>/<repo>#<n>: one word of a URL's characters, not starting with '-', as sase-cs-edit(1) also checks ('none' removes it)",
    },
  ],
  description: `Changes one or more fields of a stored ChangeSpec in one commit of the state ref, and logs each change in its TIMESTAMPS: "STATUS A -> B", "DESCRIPTION", "PARENT x -> y" (none for no parent), "CL x".

Statuses move only as FORMATS.md allows: WIP to Draft or Ready, Draft to Ready, Ready to Mailed or Draft, Mailed to Submitted, Submitted to Reverted, and any status but Submitted, Reverted and Archived to Archived. A refused move exits 1 and names the moves that are allowed. sase-cs-mail(1), sase-cs-submit(1), sase-cs-revert(1) and sase-cs-archive(1) make these moves with the work that belongs to them; --status only records one.

A new parent must exist and must not be the change itself or stacked on it (a cycle; refused, naming it). Changing the parent changes the record only: 'sase cs rebase <name>' moves the branch's commits onto the new parent's branch.

Values that are already what is stored change nothing and log nothing; the record is printed either way.`,
  output:
    'The change after the update, one NDJSON record of kind "changespec" as sase-cs-show(1) prints it (without stack). On a terminal, one line: updated <name>: <the first line of its description> (<status>[, stacked on <parent>]).',
  exit: [
    [
      1,
      'refused: a status move the table does not allow (the allowed ones are named), or a parent that would make a cycle',
    ],
    [4, 'no such change, or no such parent'],
    [129, 'no field given, or a bad value'],
  ],
  examples: [
    { cmd: 'sase cs set ready_cache_store --status Ready', text: 'ready for review' },
    { cmd: 'sase cs set ready_cache_query --parent none', text: 'take a change off its stack' },
    { cmd: 'sase cs set ready_cache_store --description "$(cat message.txt)"', text: 'a longer description' },
  ],
  seeAlso: ['sase-cs-show', 'sase-cs-edit', 'sase-cs-archive', 'sase-cs-rebase'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    const { status, description, parent, cl } = opts;
    if (status === undefined && description === undefined && parent === undefined && cl === undefined) {
      throw new UsageError('nothing to set: give --status, --description, --parent or --cl');
    }
    const newDescription = description === undefined ? undefined : normalizeDescription(description);
    if (newDescription === '') throw new UsageError('--description must not be empty');
    const newParent = parent === undefined ? undefined : parent === 'none' ? null : checkChangeName(parent);
    const newCl = cl === undefined ? undefined : cl === 'none' ? null : checkCl('--cl', cl.trim());
    const store = await ctx.store();
    const at = isoNow(ctx);
    const { result } = await commitChange(store, at, async (snap) => {
      let c: ChangeSpec = await mustReadChange(snap, name);
      const args: Record<string, unknown> = { name };
      if (status !== undefined && status !== c.status) {
        c = moveStatus(c, status as ChangeStatus, at);
        args.status = status;
      }
      if (newDescription !== undefined && newDescription !== c.description) {
        c = stamp({ ...c, description: newDescription }, at, 'DESCRIPTION');
        args.description = newDescription;
      }
      if (newParent !== undefined && newParent !== c.parent) {
        if (newParent) checkParent(await listChanges(snap), name, newParent);
        c = stamp({ ...c, parent: newParent }, at, `PARENT ${c.parent ?? 'none'} -> ${newParent ?? 'none'}`);
        args.parent = newParent;
      }
      if (newCl !== undefined && newCl !== c.cl) {
        c = stamp({ ...c, cl: newCl }, at, `CL ${newCl ?? 'none'}`);
        args.cl = newCl;
      }
      return { op: { op: 'cs.set', ...args }, changes: [c], result: c };
    });
    if (ctx.format === 'text') {
      printWrittenChanges(ctx, [result], 'updated', (ch) => (ch.parent ? `, stacked on ${ch.parent}` : ''));
      if (newParent !== undefined && ctx.stderrIsTTY)
        info(ctx, `hint: 'sase cs rebase ${name}' moves its commits onto the new base`);
    } else writeRecord(ctx, changeToWire(result));
    return 0;
  },
});

/** Lines without trailing blanks, no blank lines around: the text the record stores. */
function normalizeDescription(text: string): string {
  return checkText('--description', text)
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}
