// A change's COMMITS: numbering, the bead a change carries out, and how the
// recorded commits follow their branch when it is rewritten (a rebase, a
// landing).
import type { ChangeSpec, CommitEntry } from './spec.ts';

/** A commit as a branch lists it. */
export interface BranchCommitRef {
  sha: string;
  subject: string;
}

/** Entries numbered (1), (2), ... in the order given. */
export function numbered(entries: Array<Omit<CommitEntry, 'n'>>): CommitEntry[] {
  return entries.map((k, i) => ({ ...k, n: i + 1 }));
}

/** The change's bead: the latest `BEAD <id>` in TIMESTAMPS, or null. */
export function changeBead(c: ChangeSpec): string | null {
  for (let i = c.timestamps.length - 1; i >= 0; i--) {
    const m = /^BEAD (\S+)$/.exec(c.timestamps[i]!.event);
    if (m) return m[1]!;
  }
  return null;
}

/** The provenance note of a change's commit (refs/notes/sase). */
export function changeNote(name: string, k: CommitEntry): { commit: string; record: Record<string, unknown> } {
  return { commit: k.sha, record: { v: 1, changespec: name, ...(k.bead ? { bead: k.bead } : {}) } };
}

/**
 * COMMITS after the branch was rewritten, from its commits before and after.
 * Each recorded commit follows its new version: by position when the branch
 * kept its length, else by subject (each new commit taken once). A recorded
 * commit that was on the branch and has no new version left it (it was on
 * the new base already) and is dropped; one the old branch did not hold is
 * kept as recorded. Entries keep their order and their beads, and are
 * numbered again. With the old commits unknown (none given), nothing changes.
 */
export function remapCommits(
  recorded: CommitEntry[],
  before: BranchCommitRef[],
  after: BranchCommitRef[],
): CommitEntry[] {
  if (!before.length) return recorded;
  const used = new Set<number>();
  const out: Array<Omit<CommitEntry, 'n'>> = [];
  for (const k of recorded) {
    const i = before.findIndex((o) => o.sha.startsWith(k.sha));
    if (i < 0) {
      out.push({ subject: k.subject, sha: k.sha, bead: k.bead });
      continue;
    }
    let j = before.length === after.length && !used.has(i) ? i : -1;
    if (j < 0) j = after.findIndex((o, x) => !used.has(x) && o.subject === before[i]!.subject);
    if (j < 0) continue;
    used.add(j);
    out.push({ subject: after[j]!.subject, sha: after[j]!.sha, bead: k.bead });
  }
  return numbered(out);
}
