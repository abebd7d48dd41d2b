// A new change: its branch sase/cs/<name> made at a commit, then its record
// (and the bead's link to it) in one operation; the branch is dropped again
// when the record cannot be written. A process killed between the two leaves
// the branch without its record: running the same command again adopts that
// branch when it points where this one would have made it, and `adoptChange`
// makes the record of any branch that has none, its commits included.

import { beadPath, serializeBead } from '../../core/beads/model.ts';
import { changeNote, numbered } from '../../core/changes/commits.ts';
import { type ChangeSpec, type ChangeStatus, changeBranch, type TimestampEntry } from '../../core/changes/spec.ts';
import { NotFoundError, RefusedError, withHint } from '../../core/errors.ts';
import { type BranchCommit, readBranch } from '../../git/branches.ts';
import type { SnapshotBeadReader } from '../../store/beads.ts';
import { commitChange, readChange } from '../../store/changes.ts';
import { appendNotes } from '../../store/notes.ts';
import type { Snapshot } from '../../store/snapshot.ts';
import type { Store } from '../../store/store.ts';
import { createChangeBranch, dropChangeBranch } from './code.ts';
import { ownCommits, ownDeltas } from './stack.ts';

export interface NewChange {
  name: string;
  description: string;
  parent: string | null;
  status: ChangeStatus;
  /** the commit its branch starts at, and what that was (a branch name or revision), for TIMESTAMPS */
  start: string;
  from: string;
  bead: string | null;
  at: string;
}

export interface NewChangeResult {
  change: ChangeSpec;
  /** the branch existed already, where this command would have made it, without a record (a killed run left it) */
  adopted: boolean;
}

export async function newChange(store: Store, n: NewChange): Promise<NewChangeResult> {
  const { name, parent, status, start, from, bead, at } = n;
  const branch = changeBranch(name);
  let adopted = false;
  try {
    await createChangeBranch(store, name, start);
  } catch (err) {
    const tip = err instanceof RefusedError ? await readBranch(store.repo, branch) : null;
    if (!tip) throw err;
    if (tip !== start)
      throw withHint(
        new RefusedError(
          `branch '${branch}' exists already, at ${tip.slice(0, 12)}, not at ${start.slice(0, 12)} (${from}) where this change would start`,
        ),
        `it has no change record: 'sase cs new ${name} --adopt' makes one for the branch as it is (its commits included), or delete the branch ('git branch -D ${branch}') and run this again`,
      );
    adopted = true;
  }
  try {
    const { result } = await commitChange(store, at, async (s, reader) => {
      if (await readChange(s, name)) throw new RefusedError(`change '${name}' exists`);
      await checkParent(s, parent);
      const c: ChangeSpec = {
        ...blankChange(name, n.description, parent, status),
        timestamps: [
          { at, event: `CREATE ${status} from ${from} at ${start.slice(0, 12)}` },
          ...(adopted ? [{ at, event: `ADOPT branch ${branch} at ${start.slice(0, 12)}` }] : []),
          ...(bead ? [{ at, event: `BEAD ${bead}` }] : []),
        ],
      };
      const files = await beadLink(reader, bead, name, at);
      return {
        op: { op: 'cs.new', name, parent, bead, ...(adopted ? { adopted: start } : {}) },
        changes: [c],
        files,
        result: c,
      };
    });
    return { change: result, adopted };
  } catch (err) {
    // a branch this run did not make is never dropped; nor one whose record another run wrote meanwhile
    if (!adopted && !(await readChange(await store.snapshot(), name))) await dropChangeBranch(store, name, start);
    throw err;
  }
}

export interface AdoptChange {
  name: string;
  /** null: the subject of the branch's first own commit */
  description: string | null;
  parent: string | null;
  status: ChangeStatus;
  bead: string | null;
  at: string;
}

export interface AdoptResult {
  change: ChangeSpec;
  /** where its commits start (the fork point from its base branch), and that branch */
  start: string;
  base: string;
  tip: string;
}

/** The description an adopted change gets when none is given. */
function adoptedDescription(name: string, commits: BranchCommit[]): string {
  return commits[0]?.subject.trim() || `Adopted from the branch ${changeBranch(name)}`;
}

/**
 * The record of an existing branch sase/cs/<name> that has none: a change
 * starting where the branch left its base branch (the parent's branch, or the
 * target branch), with the branch's own commits in COMMITS (each noted in
 * refs/notes/sase) and their DELTAS; the branch itself is not touched.
 */
export async function adoptChange(store: Store, n: AdoptChange): Promise<AdoptResult> {
  const { name, parent, status, bead, at } = n;
  const branch = changeBranch(name);
  if (!(await readBranch(store.repo, branch))) throw new NotFoundError(`no branch '${branch}' to adopt`);
  const { result } = await commitChange(store, at, async (s, reader) => {
    if (await readChange(s, name)) throw new RefusedError(`change '${name}' exists`);
    await checkParent(s, parent);
    const draft = blankChange(name, n.description ?? '', parent, status);
    const own = await ownCommits(store, draft);
    const timestamps: TimestampEntry[] = [
      { at, event: `CREATE ${status} from ${own.baseBranch} at ${own.base.slice(0, 12)}` },
      {
        at,
        event: `ADOPT branch ${branch} at ${own.tip.slice(0, 12)}${own.commits.length ? `: ${plural(own.commits.length, 'commit')}` : ''}`,
      },
      ...(bead ? [{ at, event: `BEAD ${bead}` }] : []),
    ];
    const c: ChangeSpec = {
      ...draft,
      description: n.description ?? adoptedDescription(name, own.commits),
      commits: numbered(own.commits.map((k) => ({ subject: k.subject, sha: k.sha, bead }))),
      deltas: await ownDeltas(store, draft),
      timestamps,
    };
    const files = await beadLink(reader, bead, name, at);
    return {
      op: { op: 'cs.new', name, parent, bead, adopted: own.tip },
      changes: [c],
      files,
      result: { change: c, start: own.base, base: own.baseBranch, tip: own.tip },
    };
  });
  if (result.change.commits.length)
    await appendNotes(
      store,
      result.change.commits.map((k) => changeNote(name, k)),
    );
  return result;
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

function blankChange(name: string, description: string, parent: string | null, status: ChangeStatus): ChangeSpec {
  return {
    name,
    description,
    parent,
    cl: null,
    status,
    commits: [],
    deltas: [],
    hooks: [],
    comments: [],
    mentors: [],
    timestamps: [],
  };
}

async function checkParent(s: Snapshot, parent: string | null): Promise<void> {
  if (parent && !(await readChange(s, parent))) throw new NotFoundError(`no change '${parent}' (the parent)`);
}

/** The bead's new text with its link to the change, when it has none yet. */
async function beadLink(
  reader: SnapshotBeadReader,
  bead: string | null,
  name: string,
  at: string,
): Promise<Array<{ path: string; text: string }>> {
  if (!bead) return [];
  const b = await reader.get(bead);
  if (!b) throw new NotFoundError(`no bead '${bead}'`);
  if (b.links.some((l) => l.kind === 'changespec' && l.target === name)) return [];
  return [
    {
      path: beadPath(b.id),
      text: serializeBead({ ...b, links: [...b.links, { kind: 'changespec', target: name }], updated_at: at }),
    },
  ];
}
