// ACE's query: what a person types over a list. Field filters (status:open,
// type:phase, prio:0, parent:<id>, assignee:, tier:epic, provider:claude,
// unread; '!' before one negates it) are taken out; the rest is fzf's
// extended search (fuzzy terms, 'exact, ^prefix, suffix$, !not, a | b; a
// space is and), matched with the fzf package over each item's line. Pure.
import { extendedMatch, Fzf } from 'fzf';
import { UsageError } from '../errors.ts';

export const ACE_TABS = ['beads', 'plans', 'changes', 'agents', 'workflows', 'notifications'] as const;
export type AceTab = (typeof ACE_TABS)[number];

/** The field filters each list takes; a word of the query that is one of these, with a colon, filters. */
export const FIELD_KEYS: Record<AceTab, readonly string[]> = {
  beads: ['status', 'type', 'prio', 'parent', 'assignee', 'tier', 'label'],
  plans: ['status', 'tier'],
  changes: ['status', 'parent', 'bead'],
  agents: ['status', 'provider', 'bead', 'name'],
  workflows: ['status', 'workflow'],
  notifications: ['status', 'type', 'severity'],
};

/** An entry of a list: its key (an id or a name), the text fuzzy search sees, and its fields for filters. */
export interface AceItem {
  key: string;
  line: string;
  fields: Record<string, string | string[] | null>;
}

export interface FieldFilter {
  key: string;
  /** '' matches an empty field (assignee: is unassigned) */
  value: string;
  negate: boolean;
}

export interface AceQuery {
  filters: FieldFilter[];
  /** the fzf extended-search text left */
  text: string;
}

export const MAX_QUERY = 1000;

/** Splits a query into its field filters and the fzf text; `unread` on notifications is status:unread. */
export function parseAceQuery(tab: AceTab, query: string): AceQuery {
  if (query.length > MAX_QUERY)
    throw new UsageError(`the query is too long (${query.length} characters, at most ${MAX_QUERY})`);
  if (/[\0-\x08\x0a-\x1f\x7f]/.test(query)) throw new UsageError('the query must be one line of text');
  const keys = FIELD_KEYS[tab];
  const filters: FieldFilter[] = [];
  const rest: string[] = [];
  for (const word of query.split(/\s+/).filter(Boolean)) {
    const negate = word.startsWith('!');
    const bare = negate ? word.slice(1) : word;
    if (tab === 'notifications' && bare === 'unread') {
      filters.push({ key: 'status', value: 'unread', negate });
      continue;
    }
    const colon = bare.indexOf(':');
    const key = colon > 0 ? bare.slice(0, colon) : '';
    if (key && keys.includes(key)) filters.push({ key, value: bare.slice(colon + 1), negate });
    else rest.push(word);
  }
  return { filters, text: rest.join(' ') };
}

function fieldMatches(v: string | string[] | null, want: string): boolean {
  if (Array.isArray(v)) return want === '' ? v.length === 0 : v.some((x) => x.toLowerCase() === want.toLowerCase());
  if (v === null || v === '') return want === '';
  // a value may list alternatives: status:open,claimed
  return want.split(',').some((w) => w !== '' && v.toLowerCase() === w.toLowerCase());
}

interface Finder {
  kept: readonly AceItem[];
  fzf: Fzf<readonly AceItem[]> | null;
  /** each kept item's place, to give a narrowed pool back its list order (fzf breaks ties by it) */
  index: Map<AceItem, number> | null;
  /** the last query's text and the items it matched, in list order */
  last: { text: string; items: AceItem[] } | null;
}

const finders = new WeakMap<readonly AceItem[], Map<string, Finder>>();

/**
 * Whether every item `next` matches was matched by `prev`: `next` only adds
 * to it, and neither loosens (a '!' or '|' term; an escape; a '$', or a bare
 * '^' or "'" that a following character would make into something else).
 */
export function narrows(prev: string, next: string): boolean {
  return (
    prev.trim() !== '' &&
    next.startsWith(prev) &&
    !/[!|\\]/.test(next) &&
    !prev.includes('$') &&
    !/(^|\s)['^]$/.test(prev)
  );
}

function finderOf(list: readonly AceItem[]): Fzf<readonly AceItem[]> {
  return new Fzf(list, { selector: (it: AceItem) => it.line, match: extendedMatch, casing: 'smart-case' });
}

export interface AceMatch {
  item: AceItem;
  /** the positions in its line that matched (for highlighting), in line order */
  positions: number[];
}

/**
 * The items a query keeps, in match order: field filters first, then fzf's
 * extended search over the lines (best first, ties in list order). With no
 * text, the list order. `defaults` are filters applied when the query names
 * none of that key (the beads list leaves closed beads out unless asked).
 */
export function matchAce(items: readonly AceItem[], q: AceQuery, defaults: FieldFilter[] = []): AceMatch[] {
  const filters = [...q.filters, ...defaults.filter((d) => !q.filters.some((f) => f.key === d.key))];
  // the filtered list and its finder are kept for the next keystroke (building a finder reads every line)
  const memo = finders.get(items) ?? new Map<string, Finder>();
  finders.set(items, memo);
  const fkey = JSON.stringify(filters);
  let hit = memo.get(fkey);
  if (!hit) {
    const kept = filters.length
      ? items.filter((it) =>
          filters.every((f) => (f.value === '*' ? true : fieldMatches(it.fields[f.key] ?? null, f.value) !== f.negate)),
        )
      : items;
    hit = { kept, fzf: null, index: null, last: null };
    if (memo.size > 8) memo.clear();
    memo.set(fkey, hit);
  }
  const kept = hit.kept;
  if (!q.text.trim()) return kept.map((item) => ({ item, positions: [] }));
  // typing on narrows the search to what the query before matched, when that is much less than the list
  const prev = hit.last;
  const pool = prev && narrows(prev.text, q.text) && prev.items.length * 2 < kept.length ? prev.items : kept;
  const fzf = pool === kept ? (hit.fzf ??= finderOf(kept)) : finderOf(pool);
  const found = fzf.find(q.text) as Array<{ item: AceItem; positions: Set<number> }>;
  hit.index ??= new Map(kept.map((it, i) => [it, i]));
  const index = hit.index;
  hit.last = { text: q.text, items: found.map((r) => r.item).sort((a, b) => index.get(a)! - index.get(b)!) };
  return found.map((r) => ({ item: r.item, positions: [...r.positions].sort((a, b) => a - b) }));
}
