// Comments on a change: checking one as given (flag or stdin), appending
// without duplicates, and resolving by id. Pure: the records are written by
// the caller.
import { NotFoundError, UsageError, withHint } from '../errors.ts';
import { type ChangeSpec, type Comment, checkOneLine } from './spec.ts';

export interface NewComment {
  author: string;
  path: string;
  line: number | null;
  text: string;
}

/** A comment's path where the comment is about the change as a whole (a pull request's conversation). */
export const WHOLE_CHANGE = '-';
const UNRESOLVED_MARK = ' - (!: unresolved)';
const MAX_TEXT = 64 << 10;

/** A comment's text made storable: CRLF to LF, no trailing blanks, no control characters but tabs and newlines. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/^\n+|\s+$/g, '');
}

/** Checks one comment; `where` prefixes the message ('stdin:3: '). */
export function checkComment(
  input: { path?: unknown; line?: unknown; text?: unknown; author?: unknown },
  defaultAuthor: string,
  where = '',
): NewComment {
  const bad = (what: string): never => {
    throw new UsageError(`${where}${what}`);
  };
  if (typeof input.path !== 'string' || input.path === '')
    bad('a comment needs a path (\'--path\', or "path" on stdin)');
  const path = input.path as string;
  if (/[\s\u0000-\u001f\u007f]/.test(path))
    bad(`path '${JSON.stringify(path).slice(1, -1)}' has whitespace or control characters`);
  if (path.length > 4096) bad('path is too long');
  let line: number | null = null;
  if (input.line !== undefined && input.line !== null && input.line !== '') {
    const n = typeof input.line === 'number' ? input.line : /^\d+$/.test(String(input.line)) ? Number(input.line) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) bad(`line '${String(input.line)}' is not a positive whole number`);
    line = n;
  }
  // 'a.ts:12' with no line would read back as line 12 of 'a.ts'
  if (line === null && /:\d+$/.test(path)) bad(`path '${path}' ends in ':<number>'; give the line with '--line'`);
  if (typeof input.text !== 'string') bad('a comment needs a text (\'--text\', or "text" on stdin)');
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(input.text as string)) bad('text has control characters');
  const text = cleanText(input.text as string);
  if (text === '') bad('text must not be empty');
  if (text.length > MAX_TEXT) bad(`text is too long (${text.length} characters, at most ${MAX_TEXT})`);
  if (text.split('\n')[0]!.endsWith(UNRESOLVED_MARK))
    bad(`the first line of a text must not end with '${UNRESOLVED_MARK.trim()}'`);
  const author = input.author === undefined || input.author === null ? defaultAuthor : String(input.author);
  try {
    checkOneLine('author', author, 200);
  } catch (err) {
    bad((err as Error).message);
  }
  if (/[\]\s]/.test(author)) bad(`author '${author}' has whitespace or ']'`);
  return { author, path, line, text };
}

function sameComment(a: NewComment, b: NewComment): boolean {
  return a.author === b.author && a.path === b.path && a.line === b.line && a.text === b.text;
}

/**
 * The change with the comments appended. A comment equal (author, path, line,
 * text) to one already there is not added again: to an open one always (a
 * reviewer's findings piped twice), to any with `againstResolved` (a
 * review's comments polled again). Returns each input's comment.
 */
export function addComments(
  c: ChangeSpec,
  news: NewComment[],
  againstResolved = false,
): { change: ChangeSpec; comments: Comment[]; added: number } {
  const all = [...c.comments];
  const out: Comment[] = [];
  let added = 0;
  for (const n of news) {
    const dup = all.find((k) => (againstResolved || !k.resolved) && sameComment(k, n));
    if (dup) {
      out.push(dup);
      continue;
    }
    const k: Comment = {
      id: all.length + 1,
      author: n.author,
      path: n.path,
      line: n.line,
      text: n.text,
      resolved: false,
    };
    all.push(k);
    out.push(k);
    added++;
  }
  return { change: { ...c, comments: all }, comments: out, added };
}

/** A comment's id as given: 'N' or '<change>#N'. */
export function parseCommentId(change: string, raw: string): number {
  const m = /^(?:([a-z0-9_]+)#)?(\d+)$/.exec(raw.trim());
  if (!m) throw new UsageError(`comment id '${raw}' is not N or ${change}#N`);
  if (m[1] !== undefined && m[1] !== change)
    throw new UsageError(`comment '${raw}' belongs to change '${m[1]}', not '${change}'`);
  return Number(m[2]);
}

/** The change with those comments resolved; unknown ids are not found (4). */
export function resolveComments(c: ChangeSpec, ids: number[]): { change: ChangeSpec; comments: Comment[] } {
  const missing = ids.filter((n) => !c.comments.some((k) => k.id === n));
  if (missing.length)
    throw withHint(
      new NotFoundError(`change '${c.name}' has no comment ${missing.map((n) => `'${c.name}#${n}'`).join(', ')}`),
      `try 'sase cs show ${c.name}'`,
    );
  const comments = c.comments.map((k) => (ids.includes(k.id) ? { ...k, resolved: true } : k));
  return { change: { ...c, comments }, comments: ids.map((n) => comments.find((k) => k.id === n)!) };
}
