// Expanding a prompt: `#name` references to XPrompts (recursively, with a
// cycle error naming the chain), then the directives (`%model:`, `%name:`,
// `%wait:`, `%provider:`) stripped and returned, and the prompt split into
// the segments that fan out (lines holding only `---`). Fenced code blocks
// and inline code spans are never touched. Pure: the XPrompts come from a
// lookup function.
import { FatalError, NotFoundError, UsageError } from '../errors.ts';
import { bindArgs, MAX_PROMPT_BYTES, NAME_SOURCE, primaryInput, renderBody, type XPrompt } from './xprompt.ts';

export type Lookup = (name: string) => XPrompt | null;

export interface TraceEntry {
  name: string;
  /** the inputs it was expanded with, defaults filled in */
  args: Record<string, string>;
  /** 0 for a reference in the prompt itself, 1 inside that XPrompt, ... */
  depth: number;
  /** the XPrompt whose body held the reference, null for the prompt */
  parent: string | null;
  /** the line of the reference in the prompt or in that body (1-based) */
  line: number;
}

export interface Directives {
  model: string | null;
  name: string | null;
  wait: string[];
  provider: string | null;
}

export interface Segment {
  text: string;
  directives: Directives;
}

export interface Expansion {
  /** the expanded prompt, directives stripped */
  text: string;
  /** the directives of the whole prompt (of all its segments: the first value of each, every wait) */
  directives: Directives;
  /** the parts between lines holding only `---`, each with its own directives; one when there is no such line */
  segments: Segment[];
  trace: TraceEntry[];
}

export const MAX_DEPTH = 100;
/** `#<kind>:<value>` with these names are workspace references, never XPrompts. */
const WORKSPACE_REF_KINDS = ['cd', 'git', 'cs', 'gh'];
const MAX_EXPANSIONS = 100_000;

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function checkSize(text: string, what: string): void {
  if (text.length > MAX_PROMPT_BYTES || utf8Length(text) > MAX_PROMPT_BYTES) {
    throw new FatalError(`${what} is ${utf8Length(text)} bytes; at most ${MAX_PROMPT_BYTES} (4 MiB) are accepted`);
  }
}

/** Expands a prompt: references, then segments and directives. */
export function expandPrompt(text: string, lookup: Lookup): Expansion {
  checkSize(text, 'the prompt');
  const { text: expanded, trace } = expandReferences(text, lookup);
  const segments = splitSegments(expanded).map((s) => {
    const seg = stripDirectives(s);
    return { text: trimBlank(seg.text), directives: seg.directives };
  });
  const whole = stripDirectives(expanded, true);
  return {
    text: whole.text,
    directives: whole.directives,
    segments: segments.length ? segments : [{ text: '', directives: emptyDirectives() }],
    trace,
  };
}

// ---- code regions

interface Chunk {
  text: string;
  code: boolean;
  /** the line the chunk starts on (1-based) */
  line: number;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/** Splits text into prose and fenced code (``` or ~~~, closed by a fence of the same kind at least as long; unclosed runs to the end). */
export function chunks(text: string): Chunk[] {
  const lines = text.split('\n');
  const out: Chunk[] = [];
  let cur: string[] = [];
  let curLine = 1;
  let fence: string | null = null;
  const flush = (code: boolean, next: number) => {
    if (cur.length) out.push({ text: cur.join('\n'), code, line: curLine });
    cur = [];
    curLine = next;
  };
  lines.forEach((line, i) => {
    if (fence === null) {
      const m = FENCE_OPEN.exec(line);
      // a backtick fence's info string may not hold a backtick
      if (m && !(m[1]![0] === '`' && line.slice(m[0].length).includes('`'))) {
        flush(false, i + 1);
        fence = m[1]!;
        cur.push(line);
        return;
      }
      cur.push(line);
      return;
    }
    cur.push(line);
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    if (close.test(line)) {
      fence = null;
      flush(true, i + 2);
    }
  });
  flush(fence !== null, lines.length + 1);
  return out;
}

/** Joins chunks back: each chunk held whole lines, so they meet at line breaks. */
function join(parts: string[]): string {
  return parts.join('\n');
}

// ---- references

interface Reference {
  name: string;
  positional: string[];
  named: Array<[string, string]>;
  /** `(...)` or `:value` was given */
  hasArgs: boolean;
  /** the `:value` form */
  colon: string | null;
  end: number;
}

const NAME_AT = new RegExp(NAME_SOURCE, 'y');
// what may stand before a reference: start, space, opening brackets, quotes, emphasis
const BEFORE = /[\s([{"'>,;*_]/;

function readQuoted(text: string, i: number, where: string): { value: string; end: number } {
  const q = text[i]!;
  let out = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\\' && q !== '`' && j + 1 < text.length) {
      out += text[++j];
      continue;
    }
    if (c === q) return { value: out, end: j + 1 };
    out += c;
  }
  throw new FatalError(`${where}: unterminated ${q} quote`);
}

/** Parses `(a=1, b="x, y", positional)` starting at the `(`. */
function readArgs(
  text: string,
  i: number,
  where: string,
): { positional: string[]; named: Array<[string, string]>; end: number } {
  const positional: string[] = [];
  const named: Array<[string, string]> = [];
  let j = i + 1;
  const skip = () => {
    while (j < text.length && /[ \t\n]/.test(text[j]!)) j++;
  };
  skip();
  if (text[j] === ')') return { positional, named, end: j + 1 };
  for (;;) {
    skip();
    let key: string | null = null;
    const km = /[A-Za-z_][A-Za-z0-9_]*\s*=/y;
    km.lastIndex = j;
    const k = km.exec(text);
    if (k) {
      key = k[0].replace(/\s*=$/, '');
      j = km.lastIndex;
      skip();
    }
    let value: string;
    if (text[j] === '"' || text[j] === "'" || text[j] === '`') {
      const q = readQuoted(text, j, where);
      value = q.value;
      j = q.end;
      skip();
    } else {
      const start = j;
      while (j < text.length && text[j] !== ',' && text[j] !== ')' && text[j] !== '\n') j++;
      value = text.slice(start, j).trim();
    }
    if (key === null) {
      if (named.length) throw new FatalError(`${where}: a positional argument after a named one`);
      positional.push(value);
    } else named.push([key, value]);
    if (text[j] === ',') {
      j++;
      continue;
    }
    if (text[j] === ')') return { positional, named, end: j + 1 };
    throw new FatalError(`${where}: unclosed argument list (expected ',' or ')')`);
  }
}

/** Reads a reference at `#` (index i), or null when what follows is not one. */
function readReference(text: string, i: number, where: string): Reference | null {
  NAME_AT.lastIndex = i + 1;
  const m = NAME_AT.exec(text);
  if (!m) return null;
  const name = m[0];
  let j = NAME_AT.lastIndex;
  if (text[j] === '(') {
    const a = readArgs(text, j, `${where}: '#${name}('`);
    return { name, positional: a.positional, named: a.named, hasArgs: true, colon: null, end: a.end };
  }
  if (text[j] === ':' && j + 1 < text.length && !/\s/.test(text[j + 1]!)) {
    j++;
    let value: string;
    if (text[j] === '"' || text[j] === "'" || text[j] === '`') {
      const q = readQuoted(text, j, `${where}: '#${name}:'`);
      value = q.value;
      j = q.end;
    } else {
      const start = j;
      while (j < text.length && !/\s/.test(text[j]!)) j++;
      // sentence punctuation after the value is the sentence's
      while (j > start + 1 && /[.,;:!?)\]]/.test(text[j - 1]!)) j--;
      value = text.slice(start, j);
    }
    return { name, positional: [], named: [], hasArgs: true, colon: value, end: j };
  }
  return { name, positional: [], named: [], hasArgs: false, colon: null, end: j };
}

interface State {
  lookup: Lookup;
  trace: TraceEntry[];
  expansions: number;
}

/** Expands every reference, recursively; references naming no XPrompt and without arguments stay as written. */
export function expandReferences(text: string, lookup: Lookup): { text: string; trace: TraceEntry[] } {
  const state: State = { lookup, trace: [], expansions: 0 };
  const out = expandIn(text, [], state);
  return { text: out, trace: state.trace };
}

function lineAt(text: string, i: number, base: number): number {
  let n = base;
  for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) n++;
  return n;
}

function expandIn(text: string, stack: string[], state: State): string {
  const parent = stack.length ? stack[stack.length - 1]! : null;
  const where = parent === null ? 'prompt' : `xprompt '${parent}'`;
  return join(
    chunks(text).map((chunk) => {
      if (chunk.code) return chunk.text;
      const t = chunk.text;
      let out = '';
      let i = 0;
      let from = 0;
      while (i < t.length) {
        const c = t[i]!;
        if (c === '`') {
          // an inline code span: a run of backticks to the next run as long
          let n = 1;
          while (t[i + n] === '`') n++;
          const close = t.indexOf('`'.repeat(n), i + n);
          let k = close;
          while (k !== -1 && t[k + n] === '`') {
            let m = k;
            while (t[m] === '`') m++;
            k = t.indexOf('`'.repeat(n), m);
          }
          i = k === -1 ? i + n : k + n;
          continue;
        }
        if (c !== '#' || (i > 0 && !BEFORE.test(t[i - 1]!))) {
          i++;
          continue;
        }
        const line = lineAt(t, i, chunk.line);
        const ref = readReference(t, i, `${where}:${line}`);
        if (!ref) {
          i++;
          continue;
        }
        if (ref.colon !== null && WORKSPACE_REF_KINDS.includes(ref.name)) {
          // a workspace reference (#cd:<path>, #git:<ref>, ...), read by the run that takes the prompt
          i = ref.end;
          continue;
        }
        const x = state.lookup(ref.name);
        if (!x) {
          if (ref.hasArgs)
            throw new NotFoundError(`no xprompt '${ref.name}' (${where}, line ${line}; try 'sase xprompt list')`);
          i = ref.end;
          continue;
        }
        if (stack.includes(x.name))
          throw new FatalError(`xprompt cycle: ${[...stack.slice(stack.indexOf(x.name)), x.name].join(' -> ')}`);
        if (stack.length >= MAX_DEPTH)
          throw new FatalError(
            `xprompts nested more than ${MAX_DEPTH} deep: ${[...stack.slice(0, 3), '...', x.name].join(' -> ')}`,
          );
        if (++state.expansions > MAX_EXPANSIONS)
          throw new FatalError(`more than ${MAX_EXPANSIONS} xprompt expansions in one prompt`);
        let args: Record<string, string>;
        if (ref.colon !== null) {
          const input = primaryInput(x);
          if (!input)
            throw new UsageError(`xprompt '${x.name}' takes no inputs, but '#${ref.name}:${ref.colon}' gives one`);
          args = bindArgs(x, [], [[input.name, ref.colon]]);
        } else args = bindArgs(x, ref.positional, ref.named);
        state.trace.push({ name: x.name, args, depth: stack.length, parent, line });
        const body = trimBlank(renderBody(x, args));
        const expanded = expandIn(body, [...stack, x.name], state);
        out += t.slice(from, i) + expanded;
        if (out.length > MAX_PROMPT_BYTES) checkSize(out, 'the expanded prompt');
        i = from = ref.end;
      }
      return out + t.slice(from);
    }),
  );
}

// ---- segments and directives

/** The parts of a prompt between lines holding only `---` (outside code), blank ones dropped. */
export function splitSegments(text: string): string[] {
  const segs: string[][] = [[]];
  for (const chunk of chunks(text)) {
    for (const line of chunk.text.split('\n')) {
      if (!chunk.code && /^---[ \t]*$/.test(line)) segs.push([]);
      else segs[segs.length - 1]!.push(line);
    }
  }
  return segs.map((s) => trimBlank(s.join('\n'))).filter((s) => s !== '');
}

/** Without blank lines at the start and white space at the end. */
function trimBlank(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
}

export function emptyDirectives(): Directives {
  return { model: null, name: null, wait: [], provider: null };
}

const DIRECTIVE = /(?:^|[ \t]+)%(model|name|wait|provider):(\S*)/g;

/**
 * Strips `%model:`, `%name:`, `%wait:` (comma-separated, repeatable),
 * `%provider:` outside code; a line left blank goes too. With `segmented`,
 * each segment may set its own values: the first of each is returned.
 */
export function stripDirectives(text: string, segmented = false): Segment {
  const d = emptyDirectives();
  let local = emptyDirectives();
  const parts = chunks(text).map((chunk) => {
    if (chunk.code) return chunk.text;
    const kept: string[] = [];
    for (const line of chunk.text.split('\n')) {
      if (segmented && /^---[ \t]*$/.test(line)) local = emptyDirectives();
      let found = false;
      let rest = line.replace(DIRECTIVE, (_whole, key: keyof Directives, value: string) => {
        found = true;
        if (!value)
          throw new UsageError(`directive '%${key}:' has no value (write it as %${key}:<value>, without a space)`);
        if (key === 'wait') {
          for (const w of value.split(',').filter(Boolean)) if (!d.wait.includes(w)) d.wait.push(w);
        } else {
          const had = local[key];
          if (had !== null && had !== value) throw new UsageError(`two '%${key}:' directives: '${had}' and '${value}'`);
          local[key] = value;
          d[key] ??= value;
        }
        return '';
      });
      if (!found) {
        kept.push(line);
        continue;
      }
      if (rest.trim() === '') continue;
      // a directive opening the line leaves the line's own indentation
      if (/^[ \t]*%/.test(line)) rest = /^[ \t]*/.exec(line)![0] + rest.trimStart();
      kept.push(rest.trimEnd());
    }
    return kept.join('\n');
  });
  return { text: join(parts), directives: d };
}
