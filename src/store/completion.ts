// What a shell completes for a record id, answered from the derived cache:
// bead ids from the first line of each shard of the bead table (only the
// shards the typed word can reach), run ids from the index of runs by bead,
// the other kinds from their directory's listing. Brought up to date first
// only when the cache is for another tip.

import { sortedUnique } from '../core/collections.ts';
import { cachedShortIds, refreshBeadCache } from './bead-cache.ts';
import { runIds } from './runs-cache.ts';
import type { Store } from './store.ts';

export const COMPLETION_KINDS = ['beads', 'runs', 'plans', 'workflow-runs', 'notifications', 'changes'] as const;
export type CompletionKind = (typeof COMPLETION_KINDS)[number];

/** directories listed, and what each file name holds (the id is the first group) */
const LISTED: Record<Exclude<CompletionKind, 'beads' | 'runs'>, [string[], RegExp]> = {
  plans: [['sdd/tales', 'sdd/epics', 'sdd/legends'], /^([a-z0-9][a-z0-9-]*)\.md$/],
  'workflow-runs': [['workflows'], /^(.+)\.json$/],
  notifications: [['notifications'], /^(.+)\.json$/],
  changes: [['changes'], /^(.+)\.cs$/],
};

/** The ids of `kind` that start with `word`, sorted. */
export async function completions(store: Store, kind: CompletionKind, word: string): Promise<string[]> {
  const w = word.toLowerCase();
  let ids: string[];
  if (kind === 'beads') ids = await beadCandidates(store, w);
  else if (kind === 'runs') ids = await runIds(store.snapshotAt(await store.tip()));
  else {
    const [dirs, re] = LISTED[kind];
    const snap = store.snapshotAt(await store.tip());
    ids = [];
    for (const dir of dirs)
      for (const e of (await snap.tree(dir)) ?? []) {
        const m = re.exec(e.name);
        if (m) ids.push(m[1]!);
      }
  }
  return sortedUnique(w ? ids.filter((id) => id.startsWith(w)) : ids);
}

/**
 * Short ids of the beads a word can complete to: with the prefix when the
 * word has a dash (ts-k3), else the hash form (k3f9, k3f9.2), as bead
 * commands take both.
 */
async function beadCandidates(store: Store, word: string): Promise<string[]> {
  const dash = word.lastIndexOf('-', word.includes('.') ? word.indexOf('.') : word.length);
  const hash = word.slice(dash + 1);
  const keep = (key: string) => (hash.length >= 2 ? key === hash.slice(0, 2) : key.startsWith(hash));
  const tip = await store.tip();
  let shorts = cachedShortIds(store, tip, keep);
  if (!shorts) {
    await refreshBeadCache(store, tip);
    shorts = cachedShortIds(store, tip, keep) ?? [];
  }
  return dash < 0 ? shorts.map(withoutPrefix) : shorts;
}

/** ts-k3f9.2 -> k3f9.2 (a hundred thousand of them: no split) */
function withoutPrefix(id: string): string {
  const dot = id.indexOf('.');
  return id.slice(id.lastIndexOf('-', dot < 0 ? id.length : dot) + 1);
}
