// The one line an error becomes on stderr. Messages quote what the user or a
// record gave ('<id>'), and go to a terminal: control characters are shown
// escaped (an id must not be able to send escape sequences), a huge subject is
// abbreviated (a 1 MB id is not echoed back), and a message stays one line.
// Linear and bounded whatever it is given: a scan, not a regex (V8's
// backtracking overflows its stack on /'([^']{201,})'/ over a few megabytes),
// and it stops reading once the line is full.

export const MAX_MESSAGE = 1000;
/** a quoted subject longer than this is abbreviated to its first SHOWN characters */
const MAX_SUBJECT = 200;
const SHOWN = 60;

/**
 * The start of `text` (at most about `budget` characters of it) with each
 * quoted subject over MAX_SUBJECT characters abbreviated; `rest` tells
 * whether text was left unread.
 */
function abbreviateSubjects(text: string, budget: number): { line: string; rest: boolean } {
  let line = '';
  let i = 0;
  while (i < text.length) {
    if (line.length > budget) return { line, rest: true };
    const open = text.indexOf("'", i);
    const close = open < 0 ? -1 : text.indexOf("'", open + 1);
    if (close < 0) {
      const end = Math.min(text.length, i + budget + 1 - line.length);
      return { line: line + text.slice(i, end), rest: end < text.length };
    }
    if (open - i > budget) return { line: line + text.slice(i, i + budget + 1), rest: true };
    const size = close - open - 1;
    if (size > MAX_SUBJECT) {
      line += `${text.slice(i, open)}'${text.slice(open + 1, open + 1 + SHOWN)}...' (${size} characters)`;
      i = close + 1;
    } else {
      // the closing quote may open the next subject
      line += text.slice(i, close);
      i = close;
    }
  }
  return { line, rest: false };
}

/** How the character at k (a surrogate pair as one) is shown, control characters escaped; and its width in `s`. */
function shown(s: string, k: number): [string, number] {
  const c = s.charCodeAt(k);
  if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) {
    const d = s.charCodeAt(k + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return [s.slice(k, k + 2), 2];
  }
  // half a pair (a cut, or a bad record) is shown as the replacement character
  if (c >= 0xd800 && c <= 0xdfff) return ['\ufffd', 1];
  if (c > 0x1f && (c < 0x7f || c > 0x9f)) return [s[k]!, 1];
  if (c === 0x0a) return ['\\n', 1];
  if (c === 0x09) return ['\\t', 1];
  if (c === 0x0d) return ['\\r', 1];
  return [`\\x${c.toString(16).padStart(2, '0')}`, 1];
}

/** `text` as one bounded line for stderr. */
export function messageLine(text: string): string {
  const { line, rest } = abbreviateSubjects(text, MAX_MESSAGE);
  let out = '';
  for (let k = 0; k < line.length; ) {
    const [piece, width] = shown(line, k);
    if (out.length + piece.length > MAX_MESSAGE) return `${out}... (${text.length} characters)`;
    out += piece;
    k += width;
  }
  return rest ? `${out}... (${text.length} characters)` : out;
}
