import { join } from 'node:path';
import { isoNow } from '../cli/context.ts';
import { changeArg, printWrittenChanges } from '../cli/cs-view.ts';
import { editSession } from '../cli/edit-session.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { type ChangeSpec, changePath, parseChangeSpec, serializeChangeSpec } from '../core/changes/spec.ts';
import { checkParent } from '../core/changes/stack.ts';
import { moveStatus } from '../core/changes/status.ts';
import { ConflictError, RefusedError, SaseError } from '../core/errors.ts';
import { commitChange, listChanges, mustReadChange } from '../store/changes.ts';
import type { Snapshot } from '../store/snapshot.ts';
import { changeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-edit',
  prints: ['change'],
  summary: 'edit a change record in $EDITOR; stored back only when it parses',
  args: [{ name: 'name', complete: 'changes', description: "the change's name", required: true }],
  options: [
    {
      flags: '--fresh',
      description: 'start from the stored text even when a draft of an earlier edit is kept',
      type: 'bool',
    },
  ],
  description: `Opens the stored ChangeSpec text (changes/<name>.cs, as 'sase cs show <name> --format spec' prints it) in an editor and stores the result, in its canonical form, as one commit of the state ref.

The edit is stored only when the text parses (see the ChangeSpec format in sase(7)) and: NAME is unchanged (a change cannot be renamed); a new STATUS is a move the status table allows (see sase-cs-set(1)), and the move is logged in TIMESTAMPS; a new PARENT exists and does not make a cycle. Otherwise the problem is printed with its line and, on a terminal, sase asks whether to edit again. Without a terminal (or on the answer no) the edited text is kept in $GIT_DIR/sase/drafts/<name>.cs, a hint says where, and the exit status is 1; the next 'sase cs edit <name>' starts from the draft (unless --fresh) and removes it once the change is stored.

The editor is $SASE_EDITOR, else the one git starts (git var GIT_EDITOR: $GIT_EDITOR, core.editor, $VISUAL unless the terminal is dumb, $EDITOR, then vi), run through sh with the file as its argument, as git runs it. Leaving the text as it is (or changing only its layout) stores nothing (exit 0); an editor that fails or an emptied file stores nothing (exit 1). When the change is updated by something else while the editor is open, nothing is stored, the edit is kept as a draft and the exit status is 3.`,
  output:
    'The stored change, one NDJSON record of kind "changespec" as sase-cs-show(1) prints it (without stack); on a terminal, one line: edited <name>: <the first line of its description> (<status>). Nothing when the text was left as it was.',
  exit: [
    [
      1,
      'nothing stored: the edited text does not parse, renames the change, makes a move the table does not allow, or names a missing parent or a cycle (kept as a draft); the editor failed; the file was emptied',
    ],
    [3, 'the change was updated while it was being edited: nothing stored, the edit kept as a draft'],
    [4, 'no change by that name'],
  ],
  examples: [
    { cmd: 'sase cs edit ready_cache_store', text: 'edit the record in $EDITOR' },
    { cmd: "EDITOR='code --wait' sase cs edit ready_cache_store", text: 'an editor with arguments' },
  ],
  seeAlso: ['sase-cs-set', 'sase-cs-show', 'sase-sdd-edit'],
  async run(ctx, args, opts) {
    const name = await changeArg(ctx, args[0]!);
    const path = changePath(name);
    const store = await ctx.store();
    const snap = await store.snapshot();
    const stored = await mustReadChange(snap, name);
    const storedText = (await snap.readText(path))!;
    return editSession(ctx, {
      what: `change '${name}'`,
      fileName: `${name}.cs`,
      draft: join(store.repo.gitDir, 'sase', 'drafts', `${name}.cs`),
      stored: storedText,
      storedLabel: 'text',
      fresh: opts.fresh ?? false,
      again: `sase cs edit ${name}`,
      history: `see the change with 'sase cs show ${name}'`,
      async store(edited) {
        let next: ChangeSpec;
        try {
          next = await editedChange(snap, stored, edited, isoNow(ctx));
        } catch (err) {
          if (!(err instanceof SaseError)) throw err;
          const problem = err.message;
          return {
            kind: 'refused',
            // the refusal names the problem; before asking again on a terminal, say it first
            report: () =>
              void (
                ctx.stdinIsTTY &&
                ctx.stderrIsTTY &&
                ctx.stderr.write(`${ctx.errColors.red('error:')} ${problem}\n`)
              ),
            question: `change '${name}' was not stored; edit it again?`,
            refusal: `change '${name}' not stored: ${problem}`,
          };
        }
        if (serializeChangeSpec(next) === storedText) return { kind: 'unchanged' };
        const { result } = await commitChange(store, isoNow(ctx), async (s) => {
          if ((await s.readText(path)) !== storedText)
            throw new ConflictError(`change '${name}' was updated while it was being edited; nothing stored`);
          const c = await editedChange(s, stored, edited, isoNow(ctx));
          return { op: { op: 'cs.edit', name }, changes: [c], result: c };
        });
        if (ctx.format === 'text') printWrittenChanges(ctx, [result], 'edited');
        else writeRecord(ctx, changeToWire(result));
        return { kind: 'stored' };
      },
    });
  },
});

/**
 * The edited text as the change to store: it parses, keeps the name, moves
 * the status only as allowed (logging the move) and names an existing parent
 * without a cycle. Throws the first problem.
 */
async function editedChange(snap: Snapshot, stored: ChangeSpec, text: string, at: string): Promise<ChangeSpec> {
  const c = parseChangeSpec(text, changePath(stored.name));
  if (c.name !== stored.name)
    throw new RefusedError(
      `NAME cannot change (from '${stored.name}' to '${c.name}'); make a new change with 'sase cs new'`,
    );
  if (c.parent && c.parent !== stored.parent) checkParent(await listChanges(snap), c.name, c.parent);
  if (c.status === stored.status) return c;
  return { ...moveStatus({ ...c, status: stored.status }, c.status, at) };
}
