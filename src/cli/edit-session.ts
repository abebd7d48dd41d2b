// One editing session over a stored text (sdd edit, cs edit): start from a
// kept draft or the stored text, run $EDITOR, try to store the result, and
// when it is refused either edit again (on a terminal) or keep the edit as a
// draft under $GIT_DIR/sase/drafts/ and say where. Nothing is stored unless
// the record's own store step accepts it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, RefusedError, withHint } from '../core/errors.ts';
import { tmpdirOf } from '../core/tmpdir.ts';
import type { Ctx } from './context.ts';
import { askYesNo, editorCommand, runEditor } from './editor.ts';
import { info } from './io.ts';

/** What the record's store step says of an edit. */
export type EditOutcome =
  | { kind: 'stored' }
  | { kind: 'unchanged' }
  /** `report` explains the refusal on stderr; `question` asks to edit again; `refusal` is the final error */
  | { kind: 'refused'; report(): void; question: string; refusal: string };

export interface EditSession {
  /** "plan 'x'", "change 'x'": the subject of messages */
  what: string;
  /** the temporary file's name (its extension picks the editor's mode) */
  fileName: string;
  /** where a refused edit is kept */
  draft: string;
  stored: string;
  /** what --fresh starts from: "plan", "text" */
  storedLabel: string;
  fresh: boolean;
  /** the command that edits it again: "sase sdd edit x" */
  again: string;
  /** a hint naming where to see what changed meanwhile */
  history: string;
  store(edited: string): Promise<EditOutcome>;
}

function keepDraft(draft: string, text: string): void {
  mkdirSync(join(draft, '..'), { recursive: true });
  writeFileSync(draft, text);
}

export async function editSession(ctx: Ctx, s: EditSession): Promise<number> {
  let text = s.stored;
  if (existsSync(s.draft) && !s.fresh) {
    text = readFileSync(s.draft, 'utf8');
    info(ctx, `hint: starting from the draft kept in '${s.draft}' (--fresh starts from the stored ${s.storedLabel})`);
  }
  const editor = await editorCommand(ctx);
  const dir = mkdtempSync(join(tmpdirOf(ctx.env), 'sase-edit-'));
  const unchanged = () => {
    rmSync(s.draft, { force: true });
    info(ctx, `${s.what} is unchanged; nothing stored`);
    return 0;
  };
  try {
    const file = join(dir, s.fileName);
    for (;;) {
      writeFileSync(file, text);
      const code = await runEditor(ctx, editor, file);
      if (code !== 0) throw new RefusedError(`the editor '${editor}' exited with status ${code}; nothing stored`);
      const edited = readFileSync(file, 'utf8');
      if (edited.trim() === '') throw new RefusedError(`the ${s.what.split(' ')[0]} was emptied; nothing stored`);
      if (edited === s.stored) return unchanged();
      let outcome: EditOutcome;
      try {
        outcome = await s.store(edited);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        keepDraft(s.draft, edited);
        throw withHint(err, `your edit is kept in '${s.draft}'; '${s.again}' starts from it (${s.history})`);
      }
      if (outcome.kind === 'unchanged') return unchanged();
      if (outcome.kind === 'stored') {
        rmSync(s.draft, { force: true });
        return 0;
      }
      outcome.report();
      if (ctx.stdinIsTTY && ctx.stderrIsTTY && (await askYesNo(ctx, outcome.question, true))) {
        text = edited;
        continue;
      }
      keepDraft(s.draft, edited);
      throw withHint(
        new RefusedError(outcome.refusal),
        `your edit is kept in '${s.draft}'; '${s.again}' starts from it`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
