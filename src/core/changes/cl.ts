// A change's CL: where its review lives (github:<owner>/<repo>#<n>,
// local:refs/<ref>, or another review system's id or URL). One check for
// every path that sets one (sase cs set, sase cs edit and the change text
// parser, the review providers): one token of a URL's characters, never
// starting with '-' (a CL may reach git or gh as an argument), nothing a
// terminal or a shell would read as more than text; the provider forms exactly.
import { UsageError } from '../errors.ts';

export const MAX_CL = 500;
/** a GitHub owner's or repository's name */
export const GITHUB_NAME = '[A-Za-z0-9_.-]+';
/** github:<owner>/<repo>#<n> (github.ts reads it) */
export const GITHUB_CL_RE = new RegExp(`^github:(${GITHUB_NAME})/(${GITHUB_NAME})#(\\d+)$`);
const CL_RE = /^[A-Za-z0-9._~:/#@+=%?&,-]+$/;
// refs/ and segments of letters, digits, '.', '_' and '-', none starting with '.' or '-'
const LOCAL_RE = /^local:refs(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;

/** Why `cl` is not a CL, as a message naming it by `field` (CL, --cl); null when it is one. */
export function clMessage(field: string, cl: string): string | null {
  // the length first: no pattern ever sees more than MAX_CL characters
  if (cl.length > MAX_CL) return `${field} is too long (${cl.length} characters, at most ${MAX_CL})`;
  const bad = (what: string) => `${field} '${cl}' ${what}`;
  if (cl === '') return bad('is empty');
  if (/\s/.test(cl)) return bad('must not contain spaces');
  if (!CL_RE.test(cl)) return bad('is not a review id (letters, digits and . _ ~ : / # @ + = % ? & , -)');
  if (cl.startsWith('-')) return bad("must not start with '-'");
  if (cl.startsWith('github:') && !GITHUB_CL_RE.test(cl)) return bad('is not github:<owner>/<repo>#<number>');
  if (cl.startsWith('local:') && (!LOCAL_RE.test(cl) || cl.includes('..'))) return bad('is not local:refs/<ref>');
  return null;
}

/** `cl` when it is a CL; a usage error naming it by `field` otherwise. */
export function checkCl(field: string, cl: string): string {
  const message = clMessage(field, cl);
  if (message) throw new UsageError(message);
  return cl;
}
