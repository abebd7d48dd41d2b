// Provenance notes (refs/notes/sase): one JSON object a line on a code
// commit, merged with cat_sort_uniq, so lines are kept sorted and unique.

/** A record as one canonical line: `v` first, the other keys sorted, so equal records give equal lines. */
export function noteLine(record: NoteRecord): string {
  const keys = Object.keys(record)
    .filter((k) => k !== 'v' && record[k] !== undefined)
    .sort();
  const ordered: NoteRecord = { v: record.v ?? 1 };
  for (const k of keys) ordered[k] = record[k];
  return JSON.stringify(ordered);
}

/** Lines sorted bytewise and unique, as `sort -u` under LC_ALL=C (git's cat_sort_uniq). */
export function sortUniq(lines: string[]): string[] {
  const uniq = [...new Set(lines.filter((l) => l !== ''))];
  return uniq
    .map((l) => ({ l, k: Buffer.from(l) }))
    .sort((a, b) => Buffer.compare(a.k, b.k))
    .map((x) => x.l);
}

/** The JSON objects of a note's text; other lines (a person's `git notes add -m`) are skipped. */
export function parseNoteText(text: string): NoteRecord[] {
  const out: NoteRecord[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const v = JSON.parse(t);
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as NoteRecord);
    } catch {
      // not ours
    }
  }
  return out;
}

export type NoteRecord = Record<string, unknown>;
