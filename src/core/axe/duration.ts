// Durations as the Axe's configuration and options write them: a sum of
// whole numbers with units, largest first ('500ms', '10s', '2m', '1h30m',
// '1d'). Pure.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART_RE = /(\d+)(ms|s|m|h|d)/y;
const ORDER = ['d', 'h', 'm', 's', 'ms'];

/** Milliseconds of a duration, or null when the text is not one (units: ms, s, m, h, d; no repeats, largest first). */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string' || !text || text.length > 40) return null;
  PART_RE.lastIndex = 0;
  let total = 0;
  let last = -1;
  while (PART_RE.lastIndex < text.length) {
    const m = PART_RE.exec(text);
    if (!m) return null;
    const rank = ORDER.indexOf(m[2]!);
    if (rank <= last) return null;
    last = rank;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  return Number.isSafeInteger(total) && total > 0 ? total : null;
}

/** A duration as it would be written ('1h30m', '10s', '500ms'). */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const unit of ORDER) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
