// What a shell completes for a record id, answered from the derived cache:
// bead ids from the cache's list of every short id (id-list.ts; made on the
// first completion of everything, else from the first line of each shard the
// typed word can reach), run ids from the index of runs by bead, the other
// kinds from their directory's listing. Brought up to date first only when
// the cache is for another tip.

import { sortedUnique } from '../core/collections.ts';
import { cachedShortIds, currentHead, type HeadFile, tableDir } from './bead-cache.ts';
import { idListLines, linesStartingWith, readIdList, writeIdList } from './id-list.ts';
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

/**
 * The ids of `kind` that start with `word`, sorted, a line each: the bytes a
 * completion prints (a hundred thousand bead ids are copied from the cache's
 * list, not made into strings).
 */
export async function completionLines(store: Store, kind: CompletionKind, word: string): Promise<Buffer> {
  const w = word.toLowerCase();
  if (kind === 'beads') {
    const dash = dashOf(w);
    if (dash < 0) return hashFormLines(store, w);
    return linesOf(await prefixedBeadIds(store, w, w.slice(dash + 1)));
  }
  let ids: string[];
  if (kind === 'runs') ids = await runIds(store.snapshotAt(await store.tip()));
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
  return linesOf(sortedUnique(w ? ids.filter((id) => id.startsWith(w)) : ids));
}

const linesOf = (ids: string[]) => Buffer.from(ids.map((id) => `${id}\n`).join(''));

/** Where the prefix of a typed bead id ends (ts-k3 -> 2); -1 when only a hash is typed. */
const dashOf = (word: string) => word.lastIndexOf('-', word.includes('.') ? word.indexOf('.') : word.length);

/** The shards whose beads' hashes can start with `hash`. */
const shardsFor = (hash: string) => (key: string) =>
  hash.length >= 2 ? key === hash.slice(0, 2) : key.startsWith(hash);

/**
 * Beads in the hash form (k3 -> k3f9, k3f9.2), as bead commands take it: a
 * range of the cache's list of ids. With no list yet, a word of nothing makes
 * it (every shard is read anyway); a typed word reads the shards it reaches.
 */
async function hashFormLines(store: Store, word: string): Promise<Buffer> {
  const tip = await store.tip();
  const dir = tableDir(store);
  const head = await currentHead(store, tip);
  const listed = readIdList(dir, head.idsAt);
  if (listed) return linesStartingWith(listed, word);
  const [read, shorts] = await shortIdsAt(store, tip, head, shardsFor(word));
  const lines = idListLines(shorts);
  if (!word) {
    try {
      writeIdList(dir, read.idsAt, lines);
    } catch {
      // a cache that cannot be written: the next completion reads the shards again
    }
  }
  return linesOf(word ? lines.filter((l) => l.startsWith(word)) : lines);
}

/** Beads with their prefix (ts-k3 -> ts-k3f9), from the shards the hash typed reaches. */
async function prefixedBeadIds(store: Store, word: string, hash: string): Promise<string[]> {
  const tip = await store.tip();
  const [, shorts] = await shortIdsAt(store, tip, await currentHead(store, tip), shardsFor(hash));
  return sortedUnique(shorts.filter((id) => id.startsWith(word)));
}

/**
 * The short ids of the shards `keep` accepts, and the HEAD naming them: when
 * one is missing or HEAD is damaged, from the cache checked (rebuilt) first.
 */
async function shortIdsAt(
  store: Store,
  tip: string | null,
  head: HeadFile,
  keep: (key: string) => boolean,
): Promise<[HeadFile, string[]]> {
  const shorts = cachedShortIds(store, head, keep);
  if (shorts) return [head, shorts];
  const checked = await currentHead(store, tip, true);
  return [checked, cachedShortIds(store, checked, keep) ?? []];
}
