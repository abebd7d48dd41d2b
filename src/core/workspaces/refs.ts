// Workspaces, the pure parts: reading workspace references (`#cd:`, `#git:`,
// `#cs:`, `#gh:`, `#<n>`), workspace numbers, the lowest free number, the
// default branch of a numbered workspace, and ages such as '3d'.

import { isValidChangeName } from '../changes/spec.ts';
import { UsageError } from '../errors.ts';

export type WorkspaceRef =
  | { kind: 'number'; n: number }
  | { kind: 'cd'; path: string }
  | { kind: 'git'; ref: string }
  | { kind: 'cs'; name: string }
  | { kind: 'gh'; owner: string; repo: string; pr: number | null };

const MAX_N = 1_000_000;
const GH_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/** A workspace number as given on the command line ('2' or '#2'); 0 is the main checkout. */
export function parseWorkspaceNumber(text: string): number {
  const m = /^#?(\d{1,7})$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_N) throw new UsageError(`'${text}' is not a workspace number`);
  return n;
}

/** A revision as a user gives it: no option, no control characters, nothing git would read as a range of refs. */
export function checkRevision(ref: string): string {
  if (ref === '' || ref.startsWith('-') || /[\u0000-\u001f\u007f]/.test(ref) || ref.length > 1000)
    throw new UsageError(`'${ref}' is not a revision`);
  return ref;
}

/** A branch name for a workspace: git's ref-name rules, the common subset. */
export function checkBranchName(name: string): string {
  const bad =
    name === '' ||
    name.length > 200 ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.endsWith('.lock') ||
    name.includes('..') ||
    name.includes('//') ||
    name.includes('@{') ||
    name === '@' ||
    /[\u0000-\u0020\u007f~^:?*[\\]/.test(name) ||
    name.split('/').some((p) => p.startsWith('.'));
  if (bad) throw new UsageError(`'${name}' is not a valid branch name`);
  return name;
}

/** Reads a workspace reference: `#cd:<path>`, `#git:<ref>`, `#cs:<name>`, `#gh:<owner>/<repo>[#<pr>]`, or `#<n>`. */
export function parseWorkspaceRef(text: string): WorkspaceRef {
  if (/^#\d+$/.test(text)) return { kind: 'number', n: parseWorkspaceNumber(text) };
  const m = /^#(cd|git|cs|gh):(.*)$/s.exec(text);
  if (!m)
    throw new UsageError(
      `'${text}' is not a workspace reference (#cd:<path>, #git:<ref>, #cs:<name>, #gh:<owner>/<repo>[#<pr>] or #<n>)`,
    );
  const [, kind, value] = m as unknown as [string, string, string];
  switch (kind) {
    case 'cd':
      if (value === '' || /[\u0000-\u001f\u007f]/.test(value)) throw new UsageError(`'${text}' names no folder`);
      return { kind: 'cd', path: value };
    case 'git':
      return { kind: 'git', ref: checkRevision(value) };
    case 'cs':
      if (!isValidChangeName(value))
        throw new UsageError(`change name '${value}' is not lower-case letters, digits and '_'`);
      return { kind: 'cs', name: value };
    default: {
      const g = /^([^/#]+)\/([^/#]+)(?:#(\d{1,9}))?$/.exec(value);
      if (!g || !GH_NAME.test(g[1]!) || !GH_NAME.test(g[2]!)) {
        throw new UsageError(`'${text}' is not #gh:<owner>/<repo>[#<pr>]`);
      }
      const pr = g[3] === undefined ? null : Number(g[3]);
      if (pr === 0) throw new UsageError(`'${text}': pull request numbers start at 1`);
      return { kind: 'gh', owner: g[1]!, repo: g[2]!, pr };
    }
  }
}

/** The lowest number n >= 1 that `taken` says is not in use. */
export function lowestFreeNumber(taken: (n: number) => boolean): number {
  for (let n = 1; n <= MAX_N; n++) if (!taken(n)) return n;
  throw new UsageError('no free workspace number');
}

/** The branch of numbered workspace n: sase/ws/<n>, or sase/ws/<n>-<k> when an earlier one was kept. */
export function workspaceBranch(n: number, exists: (branch: string) => boolean): string {
  const plain = `sase/ws/${n}`;
  if (!exists(plain)) return plain;
  for (let k = 2; ; k++) if (!exists(`${plain}-${k}`)) return `${plain}-${k}`;
}

const UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** An age such as '3d', '12h', '90m', '2w', '30s', in milliseconds. */
export function parseAge(text: string): number {
  const m = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!m) throw new UsageError(`'${text}' is not an age (a number and one of s, m, h, d, w: 3d, 12h)`);
  return Number(m[1]) * UNITS[m[2]!]!;
}
