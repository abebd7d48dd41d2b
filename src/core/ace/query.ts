// ACE's query: what a person types over a list. Field filters (status:open,
// type:phase, prio:0, parent:<id>, assignee:, tier:epic, provider:claude,
// unread; '!' before one negates it) are taken out; the rest is fzf's
// extended search (fuzzy terms, 'exact, ^prefix, suffix$, !not, a | b; a
// space is and), matched over each item's line as fzf does (./fuzzy.ts). Pure.
import { UsageError } from '../errors.ts';
import {
  foldLine,
  fuzzyScore,
  isAscii,
  lineScore,
  NO_MATCH,
  onlyFuzzy,
  parseExtended,
  scoreLine,
  singleFuzzy,
  type TermSets,
} from './fuzzy.ts';
import { type PackedLines, packedFuzzyScore, packLines, setsBytes, termBytes } from './packed.ts';
import type { AceTab } from './tabs.ts';

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

/** A filter made ready to test: its values lower-cased once (a value may list alternatives: status:open,claimed). */
function filterTest(f: FieldFilter): (fields: AceItem['fields']) => boolean {
  if (f.value === '*') return () => true;
  const wants = new Set(
    f.value
      .split(',')
      .filter((w) => w !== '')
      .map((w) => w.toLowerCase()),
  );
  const empty = f.value === '';
  const test = (v: string | string[] | null): boolean => {
    if (Array.isArray(v)) return empty ? v.length === 0 : v.some((x) => wants.has(x.toLowerCase()));
    if (v === null || v === '') return empty;
    return wants.has(v) || wants.has(v.toLowerCase());
  };
  return (fields) => test(fields[f.key] ?? null) !== f.negate;
}

interface Kept {
  /** the places in the list of the items the filters keep, in list order; null: every item */
  places: Int32Array | null;
  /** the last queries' answers (places in the list: best first, and in list order), the newest last: typing on narrows to one, deleting finds one */
  answers: Map<string, Answer>;
}

interface Answer {
  best: Int32Array;
  inOrder: Int32Array;
}

/** how many answers a filtered list keeps (at 100,000 items, 800 KB each at most) */
const ANSWERS = 12;

interface Prepared {
  lines: string[];
  /** each line folded for matching (foldLine): at once when it is not ASCII, else when a term first needs it */
  folds: Array<string | undefined>;
  /** the lines as bytes, for fuzzy terms over ASCII lines (packed.ts) */
  packed: PackedLines;
}

const prepared = new WeakMap<readonly AceItem[], Prepared>();
/** what each set of filters keeps of a list, by the filters */
const keptOf = new WeakMap<readonly AceItem[], Map<string, Kept>>();

/** Readies a list for searching (its lines folded): done by the first search, or ahead of it when the screen is idle. */
export function prepareAce(items: readonly AceItem[]): void {
  preparedOf(items);
}

// Lines and queries that take the matcher down each of its paths: ASCII and
// not, every class of character, each kind of term, with and without a pool.
const WARM_LINES = [
  'sase-1a2  open    P2 task   Fix the cache on write-after-read (epic cleanup)',
  'sase-9zz  closed  P0 epic   Ünïcödé façade: naïve café, Øresund straße',
  'sase-k3.1 open    P1 phase  日本語のタイトル テスト CamelCaseWord snake_case 123abc',
  '  leading and trailing spaces  ',
  'ALL CAPS LINE WITH NUMBERS 42 AND-DASHES/slashes.dots',
  'mixed ǅ Ωmega ß ﬁ ligature 𝔘𝔫𝔦 ⅷ ½ ٣ é',
];
/** lines of the list a warm-up step searches: enough calls to compile the matcher, few enough that a key typed meanwhile waits a ms or two */
const WARM_SAMPLE = 2_000;
const WARM_QUERIES = [
  'e',
  'ep',
  'epi',
  'epic',
  'ea',
  'eat',
  'E',
  'Ep',
  'é',
  'ü',
  'ca fe',
  "'e",
  "'ca !a",
  '^s',
  '^sase',
  'e$',
  '^sase$',
  '!x',
  'a | z',
  'fix cache',
  '日本',
  'Fix',
  '12',
  'k3.',
];

/**
 * The matcher run over a sample of the list and over lines of every kind,
 * one query a step: a screen runs the steps while the person reads, so that
 * the first keys find it compiled for every path it takes (left cold, a path
 * first taken at a keystroke threw the compiled code away: 60-130 ms keys).
 */
export function warmSteps(items: readonly AceItem[]): Array<() => void> {
  const p = preparedOf(items);
  const sample = Int32Array.from({ length: Math.min(items.length, WARM_SAMPLE) }, (_, i) => i);
  const lines = WARM_LINES.flatMap((l) => [l, l.toUpperCase(), ` ${l.toLowerCase()} `]);
  const own = prepareLines(lines);
  const steps: Array<() => void> = [];
  for (let round = 0; round < 2; round++)
    for (const text of WARM_QUERIES) {
      const sets = parseExtended(text);
      steps.push(() => {
        const pool = search(p, sets, sample);
        search(p, sets, pool.inOrder);
        for (let k = 0; k < 20; k++) search(own, sets, null);
      });
    }
  return steps;
}

function preparedOf(items: readonly AceItem[]): Prepared {
  let p = prepared.get(items);
  if (!p) {
    p = prepareLines(items.map((it) => it.line));
    prepared.set(items, p);
  }
  return p;
}

function prepareLines(lines: string[]): Prepared {
  const packed = packLines(lines);
  const folds = new Array<string | undefined>(lines.length);
  for (let i = 0; i < lines.length; i++) if (packed.ascii[i] === 0) folds[i] = foldLine(lines[i]!);
  return { lines, folds, packed };
}

/** Line i folded (foldLine), made the first time it is asked for. */
function foldAt(p: Prepared, i: number): string {
  let f = p.folds[i];
  if (f === undefined) p.folds[i] = f = p.lines[i]!.toLowerCase();
  return f;
}

/** What the filters keep of a list, worked out once for the next keystrokes. */
function keptBy(items: readonly AceItem[], filters: FieldFilter[]): Kept {
  const memo = keptOf.get(items) ?? new Map<string, Kept>();
  keptOf.set(items, memo);
  const fkey = JSON.stringify(filters);
  let kept = memo.get(fkey);
  if (!kept) {
    let places: Int32Array | null = null;
    if (filters.length) {
      const tests = filters.map(filterTest);
      const all = new Int32Array(items.length);
      let n = 0;
      for (let i = 0; i < items.length; i++) {
        const fields = items[i]!.fields;
        if (tests.every((t) => t(fields))) all[n++] = i;
      }
      places = all.slice(0, n);
    }
    kept = { places, answers: new Map() };
    if (memo.size > 8) memo.clear();
    memo.set(fkey, kept);
  }
  return kept;
}

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

/** What a query kept, best first: the items, and the places of an item's line that matched (computed when drawn). */
export interface AceMatches {
  items: AceItem[];
  positions(item: AceItem): number[];
}

/**
 * The items a query keeps, in match order: field filters first, then fzf's
 * extended search over the lines (best first, ties in list order). With no
 * text, the list order. `defaults` are filters applied when the query names
 * none of that key (the beads list leaves closed beads out unless asked).
 */
export function matchAce(items: readonly AceItem[], q: AceQuery, defaults: FieldFilter[] = []): AceMatches {
  const filters = [...q.filters, ...defaults.filter((d) => !q.filters.some((f) => f.key === d.key))];
  const sets = parseExtended(q.text);
  const positions = (item: AceItem): number[] => {
    if (!sets.length) return [];
    const pos: number[] = [];
    scoreLine(item.line, foldLine(item.line), isAscii(item.line), sets, pos);
    return [...new Set(pos)].sort((a, b) => a - b);
  };
  // what the filters keep, and the answers to the queries over it, are kept for the next keystroke
  const kept = keptBy(items, filters);
  const at = (places: Int32Array) => {
    const found = new Array<AceItem>(places.length);
    for (let k = 0; k < places.length; k++) found[k] = items[places[k]!]!;
    return found;
  };
  // no text: the list as the filters leave it (the list is not prepared for a search no one has made)
  if (!sets.length) return { items: kept.places ? at(kept.places) : items.slice(), positions };
  let answer = kept.answers.get(q.text);
  if (answer) kept.answers.delete(q.text);
  else {
    answer = search(preparedOf(items), sets, pool(kept, q.text) ?? kept.places);
    if (kept.answers.size >= ANSWERS) kept.answers.delete(kept.answers.keys().next().value!);
  }
  // the newest last
  kept.answers.set(q.text, answer);
  return { items: at(answer.best), positions };
}

/** Where a query must look when an earlier one it narrows was answered: what that one matched, in list order. */
function pool(kept: Kept, text: string): Int32Array | null {
  let found: Int32Array | null = null;
  // the newest answer it narrows (the map keeps them oldest first)
  for (const [prev, answer] of kept.answers) if (narrows(prev, text)) found = answer.inOrder;
  return found;
}

/** The places in the list the query matches (looking only at `only` when given): best first (ties in list order), and in list order. */
function search(p: Prepared, sets: TermSets, only: Int32Array | null): Answer {
  const n = only ? only.length : p.lines.length;
  const places = new Int32Array(n);
  const scores = new Int32Array(n);
  const single = singleFuzzy(sets);
  const bytes = single && termBytes(single);
  const pats = setsBytes(sets);
  // a query of fuzzy terms only reads an ASCII line's bytes, never its folded string
  const folds = !onlyFuzzy(sets);
  let found = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const i = only ? only[k]! : k;
    const ascii = p.packed.ascii[i] === 1;
    const score = !ascii
      ? single
        ? fuzzyScore(p.lines[i]!, p.folds[i]!, false, single)
        : lineScore(p.lines[i]!, p.folds[i]!, false, sets, null)
      : single
        ? packedFuzzyScore(p.packed, i, single, bytes)
        : lineScore(p.lines[i]!, folds ? foldAt(p, i) : '', true, sets, null, p.packed, i, pats);
    if (score === NO_MATCH) continue;
    places[found] = i;
    scores[found++] = score;
    if (score < lo) lo = score;
    if (score > hi) hi = score;
  }
  const inOrder = places.slice(0, found);
  // a counting sort on the score, best first: stable, so ties keep list order
  const span = hi - lo + 1;
  if (found === 0 || span > 1 << 20) return { best: sortByScore(inOrder, scores.subarray(0, found)), inOrder };
  const starts = new Int32Array(span + 1);
  for (let k = 0; k < found; k++) starts[hi - scores[k]! + 1]!++;
  for (let b = 1; b <= span; b++) starts[b]! += starts[b - 1]!;
  const best = new Int32Array(found);
  for (let k = 0; k < found; k++) best[starts[hi - scores[k]!]!++] = places[k]!;
  return { best, inOrder };
}

function sortByScore(places: Int32Array, scores: Int32Array): Int32Array {
  const order = Array.from(places.keys()).sort((a, b) => scores[b]! - scores[a]! || places[a]! - places[b]!);
  return Int32Array.from(order, (k) => places[k]!);
}
