// Merging commits without a checkout: `git merge-tree --write-tree` (git
// 2.38+) gives the merged tree or the conflicts, `commit-tree` makes the
// merge commit. Nothing touches a work tree, an index or a branch.

import { isAncestor } from './branches.ts';
import { git } from './exec.ts';
import type { Repo } from './repo.ts';

export type MergeResult = { commit: string } | { conflict: string };

/** The tips without those another tip already contains, in the order given. */
async function heads(repo: Repo, tips: string[]): Promise<string[]> {
  const uniq = [...new Set(tips)];
  const out: string[] = [];
  for (const t of uniq) {
    let contained = false;
    for (const o of uniq) if (o !== t && (await isAncestor(repo, t, o))) contained = true;
    if (!contained) out.push(t);
  }
  return out;
}

/**
 * One commit holding every tip's work: a tip that contains the others as it
 * is, else merge commits folded left to right. A conflict names its files.
 */
export async function mergeTips(repo: Repo, tips: string[], message: string): Promise<MergeResult> {
  const hs = await heads(repo, tips);
  if (!hs.length) throw new Error('mergeTips: no commits');
  let acc = hs[0]!;
  for (const next of hs.slice(1)) {
    const r = await git(repo, ['merge-tree', '--write-tree', '--name-only', '--no-messages', acc, next], {
      okCodes: [1],
    });
    const [tree, ...files] = r.stdout.split('\n').filter(Boolean);
    if (r.exitCode === 1) return { conflict: files.join(', ') || 'conflicting changes' };
    acc = (await git(repo, ['commit-tree', tree!, '-p', acc, '-p', next, '-m', message])).stdout.trim();
  }
  return { commit: acc };
}
