// The example agent's script: the instruction lines it understands in a
// prompt (create/append a file, run a command, commit, fail, sleep, say, say
// that no change is needed).
// Pure: it only reads the text; src/proc/example-agent.ts carries the steps out.
import { UsageError } from '../errors.ts';

export type ExampleStep =
  | { line: number; action: 'create' | 'append'; path: string; text: string }
  | { line: number; action: 'run'; command: string }
  | { line: number; action: 'commit'; message: string }
  | { line: number; action: 'fail'; message: string }
  | { line: number; action: 'sleep'; seconds: number }
  | { line: number; action: 'noop'; reason: string }
  | { line: number; action: 'say'; text: string; ignored?: boolean };

/** Longest sleep the example agent accepts (one hour). */
export const MAX_SLEEP_SECONDS = 3600;
const IGNORED_MAX = 200;
const SESSION_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `\n`, `\t` and `\\` in an instruction's text. */
export function unescapeText(text: string): string {
  return text.replace(/\\([nt\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}

/**
 * Checks that `path` names a file inside the working folder: relative, no
 * '..' segment, not inside '.git', no control characters. Returns it
 * normalised ('a//b/./c' -> 'a/b/c'); throws a usage error (129) otherwise.
 */
export function checkRelativePath(path: string, line: number): string {
  const bad = (why: string) => new UsageError(`line ${line}: path '${path}' ${why}`);
  if (!path) throw bad('is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(path)) throw bad('holds a control character');
  if (path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:[\\/]/.test(path))
    throw bad('must be relative to the working folder');
  const parts = path.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw bad("must stay inside the working folder (no '..')");
  if (!parts.length) throw bad('names no file');
  if (parts[0] === '.git') throw bad("is inside '.git'");
  return parts.join('/');
}

/** A session id given on the command line: letters, digits, '.', '_' and '-'. */
export function checkSession(session: string): string {
  if (!SESSION_RE.test(session))
    throw new UsageError(`bad session id '${session}' (letters, digits, '.', '_' and '-')`);
  return session;
}

function ignored(line: number, text: string): ExampleStep {
  const t = text.length > IGNORED_MAX ? text.slice(0, IGNORED_MAX) + '...' : text;
  return { line, action: 'say', text: `ignored: ${t}`, ignored: true };
}

/**
 * The steps of a prompt, in order. Blank lines are skipped; a line that is no
 * instruction becomes an 'ignored' say step; an instruction naming a path
 * outside the working folder is a usage error, found before any step runs.
 */
export function parseExampleScript(prompt: string): ExampleStep[] {
  const steps: ExampleStep[] = [];
  const lines = prompt.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!;
    const l = raw.trim();
    if (!l) continue;
    let m: RegExpExecArray | null;
    if ((m = /^(create|append)\s+([^:]+?)\s*:\s?(.*)$/.exec(l))) {
      steps.push({
        line: n,
        action: m[1] as 'create' | 'append',
        path: checkRelativePath(m[2]!, n),
        text: unescapeText(m[3]!),
      });
    } else if ((m = /^run:\s*(.+)$/.exec(l))) {
      steps.push({ line: n, action: 'run', command: m[1]! });
    } else if ((m = /^commit:\s*(.+)$/.exec(l))) {
      steps.push({ line: n, action: 'commit', message: unescapeText(m[1]!) });
    } else if ((m = /^fail:\s*(.*)$/.exec(l))) {
      steps.push({ line: n, action: 'fail', message: m[1] || 'failed on request' });
    } else if ((m = /^sleep\s+(\d+(?:\.\d+)?)$/.exec(l))) {
      const seconds = Number(m[1]);
      if (seconds > MAX_SLEEP_SECONDS)
        throw new UsageError(`line ${n}: sleep of ${m[1]} seconds is longer than ${MAX_SLEEP_SECONDS}`);
      steps.push({ line: n, action: 'sleep', seconds });
    } else if ((m = /^noop:\s*(.*)$/.exec(l))) {
      steps.push({ line: n, action: 'noop', reason: m[1] || 'nothing to change' });
    } else if ((m = /^say:\s*(.*)$/.exec(l))) {
      steps.push({ line: n, action: 'say', text: m[1]! });
    } else {
      steps.push(ignored(n, l));
    }
  }
  return steps;
}
