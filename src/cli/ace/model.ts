// The ACE screen's state and what each key does to it: the tab, each tab's
// query and matches, the cursor and scroll, the marks, and the line the
// footer shows. No terminal here: the screen draws what this holds.
import type { AceAction, AceKeys } from '../../core/ace/actions.ts';
import type { AceItem, AceMatches } from '../../core/ace/query.ts';
import { ACE_TABS, type AceTab } from '../../core/ace/tabs.ts';

export interface TabState {
  query: string;
  /** what the query keeps, best first */
  matches: AceItem[];
  /** the places of a kept item's line the query matched */
  positions(item: AceItem): number[];
  /** how many items the list holds before the query */
  total: number;
  /** notifications: how many are unread (the header says so) */
  unread?: number;
  cursor: number;
  offset: number;
  marked: Set<string>;
}

export interface AceModel {
  tab: AceTab;
  tabs: Record<AceTab, TabState>;
  /** the footer's message: a result, an error, a question */
  message: { text: string; kind: 'info' | 'error' | 'ask' } | null;
  /** a y/N question waiting for its answer, and what a yes runs */
  pending: { action: AceAction; keys: string[] } | null;
  /** a value being typed in the footer for an action (its question, what is typed, the answers it takes) */
  input: { action: AceAction; keys: string[]; text?: string; answer: string; choices: string[] } | null;
  /** the keys of the actions, as [ace.keys] moves them */
  keys: AceKeys;
  help: boolean;
  /** Enter on a record: its card full screen */
  card: string[] | null;
  cardOffset: number;
}

export function newModel(tab: AceTab, keys: AceKeys = {}): AceModel {
  const tabs = Object.fromEntries(
    ACE_TABS.map((t) => [
      t,
      { query: '', matches: [], positions: () => [], total: 0, cursor: 0, offset: 0, marked: new Set<string>() },
    ]),
  ) as unknown as Record<AceTab, TabState>;
  return { tab, tabs, message: null, pending: null, input: null, keys, help: false, card: null, cardOffset: 0 };
}

export function current(m: AceModel): TabState {
  return m.tabs[m.tab];
}

/** The key under the cursor, or null for an empty list. */
export function selectedKey(m: AceModel): string | null {
  const t = current(m);
  return t.matches[t.cursor]?.key ?? null;
}

/** What an action applies to: the marked records, else the one under the cursor. */
export function targetKeys(m: AceModel): string[] {
  const t = current(m);
  if (t.marked.size) return t.matches.flatMap((x) => (t.marked.has(x.key) ? [x.key] : []));
  const k = selectedKey(m);
  return k ? [k] : [];
}

/** Moves the cursor by `delta` (clamped), keeping it in the `height` rows shown. */
export function move(m: AceModel, delta: number, height: number): void {
  const t = current(m);
  const n = t.matches.length;
  t.cursor = n ? Math.max(0, Math.min(n - 1, t.cursor + delta)) : 0;
  keepVisible(t, height);
}

export function keepVisible(t: TabState, height: number): void {
  if (t.cursor < t.offset) t.offset = t.cursor;
  if (t.cursor >= t.offset + height) t.offset = t.cursor - height + 1;
  t.offset = Math.max(0, Math.min(t.offset, Math.max(0, t.matches.length - height)));
}

/** New matches for a tab, keeping the cursor on the record it was on (else the first) and dropping marks of records gone. */
export function setMatches(m: AceModel, tab: AceTab, found: AceMatches, total: number, height: number): void {
  const t = m.tabs[tab];
  const was = t.matches[t.cursor]?.key;
  t.matches = found.items;
  t.positions = found.positions;
  t.total = total;
  const at = was ? found.items.findIndex((x) => x.key === was) : -1;
  t.cursor = Math.max(at, 0);
  if (t.marked.size) {
    const keys = new Set(found.items.map((x) => x.key));
    for (const k of t.marked) if (!keys.has(k)) t.marked.delete(k);
  }
  keepVisible(t, height);
}

export function switchTab(m: AceModel, delta: number): void {
  const i = ACE_TABS.indexOf(m.tab);
  m.tab = ACE_TABS[(i + delta + ACE_TABS.length) % ACE_TABS.length]!;
  m.message = null;
}

export function toggleMark(m: AceModel): void {
  const k = selectedKey(m);
  if (!k) return;
  const t = current(m);
  if (t.marked.has(k)) t.marked.delete(k);
  else t.marked.add(k);
}
