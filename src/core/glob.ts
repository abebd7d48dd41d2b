// Path globs, as config and plans write them (mentor paths, phase scopes):
// matching a whole path from the repository's root (picomatch), checking a
// glob before it is used, and whether two globs can select a common path. Pure.
import picomatch from 'picomatch';

const MAX_GLOB = 1000;
const MAX_ALTERNATIVES = 256;

/** Why a glob cannot be used, or null. */
export function globProblem(glob: string): string | null {
  if (glob.trim() === '') return 'is empty';
  if (glob.length > MAX_GLOB) return `is longer than ${MAX_GLOB} characters`;
  if (/[\u0000-\u001f\u007f]/.test(glob)) return 'has control characters';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
  }
  if (depth) return "has a '{' without its '}'";
  if (braceExpand(glob).length > MAX_ALTERNATIVES) return `expands to more than ${MAX_ALTERNATIVES} alternatives`;
  return null;
}

/** `{a,b}` alternatives expanded (nested ones too); a lone brace stays literal. */
function braceExpand(glob: string): string[] {
  let open = -1;
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '{') {
      if (depth++ === 0) open = i;
    } else if (ch === '}' && depth > 0 && --depth === 0) {
      const inner = glob.slice(open + 1, i);
      const parts: string[] = [];
      let d = 0;
      let start = 0;
      for (let j = 0; j < inner.length; j++) {
        const c = inner[j];
        if (c === '\\') j++;
        else if (c === '{') d++;
        else if (c === '}') d--;
        else if (c === ',' && d === 0) {
          parts.push(inner.slice(start, j));
          start = j + 1;
        }
      }
      parts.push(inner.slice(start));
      if (parts.length < 2) continue; // '{x}' is literal
      const head = glob.slice(0, open);
      const tails = braceExpand(glob.slice(i + 1));
      const out: string[] = [];
      for (const p of parts)
        for (const x of braceExpand(p))
          for (const t of tails) if (out.length <= MAX_ALTERNATIVES) out.push(head + x + t);
      return out;
    }
  }
  return [glob];
}

/**
 * The glob as picomatch reads it: './x' and '/x' are x at the root, 'dir/' is
 * everything under dir, and what picomatch gives a meaning sase's globs do
 * not (regex groups '(a|b)', a leading '!' negating the whole) is escaped.
 */
function forPicomatch(glob: string): string {
  const g = glob
    .replace(/^(?:\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/$/, '/**');
  let out = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i]!;
    if (ch === '\\') out += g.slice(i, ++i + 1);
    else out += '()|'.includes(ch) || (ch === '!' && i === 0) ? `\\${ch}` : ch;
  }
  return out;
}

// dot files are not special; [!x] is a negated set (posix); no extglobs
const OPTIONS = { dot: true, posix: true, noextglob: true };

/**
 * A path glob as a regular expression over a whole path, by picomatch: `**`
 * any number of folders, `*` any characters within one folder, `?` one such
 * character, `[abc]`, `[a-z]` and `[!abc]` one of (or none of) a set,
 * `{a,b}` either one, `\` the next character as itself. Dot files are not
 * special. A glob is matched against the whole path from the repository's root.
 */
export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(forPicomatch(glob), OPTIONS);
}

/** Whether any path matches any glob. */
export function matchesAny(globs: string[], paths: string[]): boolean {
  if (!globs.length || !paths.length) return false;
  const res = globs.map(globToRegExp);
  return paths.some((p) => res.some((re) => re.test(p)));
}

/** A path a glob matches, with every wildcard standing for 'x' (one sample per brace alternative). */
function samples(glob: string): string[] {
  return braceExpand(glob).map((g) =>
    g
      .replace(/^(?:\.\/)+/, '')
      .replace(/\/$/, '/x')
      .replace(/\*\*/g, 'x/x')
      .replace(/\*/g, 'x')
      .replace(/\?/g, 'x')
      .replace(/\[[^\]]*\]/g, 'x'),
  );
}

/**
 * Whether two globs select a path in common, judged by each one matching a
 * sample path of the other: 'src/**' and 'src/a.ts' overlap, 'src/**' and
 * 'docs/**' do not. Globs that overlap only in paths neither sample hits
 * ('src/*.ts' and 'src/a*') are not seen.
 */
export function globsOverlap(a: string, b: string): boolean {
  const ra = globToRegExp(a);
  const rb = globToRegExp(b);
  return samples(b).some((p) => ra.test(p)) || samples(a).some((p) => rb.test(p));
}
