// Why a program failed, in its own words: the last few meaningful lines of its
// stderr (else of all its output), each line once, without the boilerplate
// tools print around every failure (npm's "A complete log of this run can be
// found in", its code/path/command lines, its "> name script" header), which
// would otherwise be all a person is shown; and which line reads as the
// error. Used for workflow steps and agent runs. Pure.

/** How many lines of a failed command's tail are kept. */
export const TAIL_LINES = 5;
const MAX_LINE = 300;

const BOILERPLATE: RegExp[] = [
  /^npm (ERR!|error)\s*$/,
  /^npm (ERR!|error) A complete log of this run can be found in/,
  /^npm (ERR!|error)\s+\/\S*_logs\/\S+\.log$/,
  /^npm (ERR!|error) (code|errno|syscall|path|workspace|location) /,
  /^npm (ERR!|error) command (failed|sh -c |bash -c |cmd \/d)/,
  /^npm (ERR!|error) Lifecycle script .* failed with error:?$/,
  /^npm (ERR!|error) (Failed at the|This is probably not a problem with npm)/,
  /^npm (WARN|warn) /,
  // npm's header before a script's own output
  /^> \S+@\S+ \S+/,
];

/** A line without terminal colour codes and trailing blanks. */
export function plainLine(line: string): string {
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trimEnd();
}

/** The last meaningful lines of `text`, oldest first, each once (its last time). */
function meaningful(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0 && out.length < TAIL_LINES; i--) {
    const l = plainLine(lines[i]!);
    const key = l.trim();
    if (!key || seen.has(key) || BOILERPLATE.some((re) => re.test(key))) continue;
    seen.add(key);
    out.unshift(l.length > MAX_LINE ? l.slice(0, MAX_LINE - 1) + '…' : l);
  }
  return out;
}

/** The tail a failed command leaves: from its stderr, else (nothing meaningful there) from all its output. */
export function failureTail(stderr: string, output: string): string[] {
  const tail = meaningful(stderr);
  return tail.length ? tail : meaningful(output);
}

const ERRORISH = /\b(error|fatal|failed|failure|exception|panic|refused|denied|not found|missing|cannot|can't)\b/i;

/** Whether a line reads as an error message (npm's prefix on every line it prints does not make one). */
export function looksLikeError(line: string): boolean {
  return ERRORISH.test(line.replace(/^\s*npm (ERR!|error)\s+/, ''));
}

/** The one line of a tail that says why: the last that reads as an error, else the last. */
export function failureLine(tail: readonly string[]): string | null {
  for (let i = tail.length - 1; i >= 0; i--) if (looksLikeError(tail[i]!)) return tail[i]!.trim();
  return tail.length ? tail[tail.length - 1]!.trim() : null;
}
