// "Did you mean ...?" for a mistyped command word or option: the candidates
// nearest by edit distance (fastest-levenshtein), or that start with what was
// typed, as gh (cobra) suggests. Loaded only on the error path.
import { distance } from 'fastest-levenshtein';

/**
 * The candidates closest to `typed` (several when tied, at most three), or
 * none when nothing is close: at most two edits, and fewer for short words,
 * so that 'x' suggests nothing rather than every two-letter verb.
 */
export function closest(typed: string, candidates: Iterable<string>): string[] {
  const word = typed.toLowerCase();
  const bare = word.replace(/^-+/, '');
  const limit = Math.min(2, Math.floor(bare.length / 2));
  let best = Infinity;
  let found: string[] = [];
  for (const c of new Set(candidates)) {
    if (c === typed) continue;
    const lower = c.toLowerCase();
    // a prefix of a candidate counts as one edit ('rea' for 'ready')
    const d = bare.length >= 2 && lower.startsWith(word) ? Math.min(1, distance(word, lower)) : distance(word, lower);
    if (d > limit || d > best) continue;
    if (d < best) {
      best = d;
      found = [];
    }
    found.push(c);
  }
  return found.sort().slice(0, 3);
}

/** "did you mean 'a'?" or "did you mean 'a' or 'b'?"; undefined when nothing is close. */
export function didYouMean(typed: string, candidates: Iterable<string>): string | undefined {
  const found = closest(typed, candidates);
  if (!found.length) return undefined;
  const quoted = found.map((f) => `'${f}'`);
  return `did you mean ${quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted[0]}?`;
}
