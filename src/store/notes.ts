// Commit provenance in `refs/notes/sase`: one JSON object per line on each
// code commit, lines sorted and unique (git's cat_sort_uniq, so notes from
// two clones merge by concatenation). Appends are compare-and-swap writes of
// the notes ref, retried like state writes; reads take the whole notes tree.

import { pushTo } from '../core/collections.ts';
import { MAX_STATE_BLOB } from '../core/layout.ts';
import type { NoteRecord } from '../core/notes.ts';
import { noteLine, parseNoteText, sortUniq } from '../core/notes.ts';
import { type CommitSummary, listNotes, noteText, readCommit, readNotesAt, writeNotes } from '../git/notes.ts';
import { retryOnRefConflict } from './cas-retry.ts';
import { readStateObject } from './snapshot.ts';
import { NOTES_REF, type Store } from './store.ts';

export interface NoteAppend {
  /** the full id of the code commit */
  commit: string;
  record: NoteRecord;
}

/**
 * Appends records to commits' notes in one notes commit. A line already
 * there is left alone; when every one is, nothing is written. Returns, per
 * append, whether its line was new.
 */
export async function appendNotes(store: Store, appends: NoteAppend[], deadlineMs = 30_000): Promise<boolean[]> {
  const identity = store.ident();
  identity.catch(() => {});
  return retryOnRefConflict(NOTES_REF, deadlineMs, store, async () => {
    const read = await readNotesAt(store.repo, store.cat, NOTES_REF);
    const texts = new Map<string, string>();
    const added: boolean[] = [];
    for (const a of appends) {
      const before = texts.get(a.commit) ?? (await noteText(read, store.cat, a.commit)) ?? '';
      const lines = before.split('\n');
      const line = noteLine(a.record);
      if (lines.includes(line)) {
        added.push(false);
        continue;
      }
      added.push(true);
      texts.set(a.commit, sortUniq([...lines, line]).join('\n') + '\n');
    }
    if (texts.size === 0) return added;
    const commits = [...texts.keys()];
    const message =
      commits.length === 1
        ? `sase: note ${commits[0]}`
        : `sase: note ${commits.length} commits\n\n${commits.join('\n')}`;
    await writeNotes(
      store.repo,
      store.cat,
      NOTES_REF,
      read,
      texts,
      message,
      await identity,
      Math.floor(store.clock.wallMs() / 1000),
    );
    return added;
  });
}

export async function appendNote(store: Store, commit: string, record: NoteRecord): Promise<boolean> {
  return (await appendNotes(store, [{ commit, record }]))[0]!;
}

/** Every note's records, by annotated commit (one `git ls-tree -r`, the blobs through cat-file). */
export async function readNotes(store: Store): Promise<Map<string, NoteRecord[]>> {
  const list = await listNotes(store.repo, NOTES_REF);
  // notes come from other machines too: each is read within the size any record may have
  const texts = await Promise.all(
    list.map((n) => readStateObject(store.cat, n.blob, `${NOTES_REF}:${n.commit}`, MAX_STATE_BLOB)),
  );
  const out = new Map<string, NoteRecord[]>();
  list.forEach((n, i) => {
    const obj = texts[i];
    if (!obj) return;
    const records = parseNoteText(obj.data.toString('utf8'));
    for (const r of records) pushTo(out, n.commit, r);
  });
  return out;
}

/** A revision of the repository resolved to a commit, with its subject and date; null when there is none. */
export function resolveCommit(store: Store, rev: string): Promise<CommitSummary | null> {
  return readCommit(store.cat, rev);
}

export type { CommitSummary };
