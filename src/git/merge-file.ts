// Three-way merges of one text, as `git merge-file` does them: the state's
// records are canonical text (sorted keys, one field a line), so edits of
// different lines of one record merge cleanly.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './exec.ts';
import { localDir, type Repo } from './repo.ts';

export type TextMerge = { clean: true; text: string } | { clean: false };

/** Merges the changes `base` -> `ours` and `base` -> `theirs`; not clean when they overlap. */
export async function mergeText(repo: Repo, base: string, ours: string, theirs: string): Promise<TextMerge> {
  // git 2.39's merge-file reads files only (--object-id came in 2.43)
  const root = localDir(repo, 'tmp');
  const dir = mkdtempSync(join(root, 'merge-'));
  try {
    const files = ['ours', 'base', 'theirs'].map((n) => join(dir, n));
    for (const [i, text] of [ours, base, theirs].entries()) writeFileSync(files[i]!, text);
    // exit 0: clean; 1..127: that many conflicts; anything else (255, ...) a failure
    const r = await git(repo, ['merge-file', '-p', '--', ...files], { okCodes: range(1, 127) });
    return r.exitCode === 0 ? { clean: true, text: r.stdout } : { clean: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
