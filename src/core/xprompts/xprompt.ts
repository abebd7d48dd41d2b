// XPrompts: reusable prompt fragments, Markdown with optional front matter
// (name, description, inputs, tags), referenced from any prompt as `#name`.
// This module owns one XPrompt file: its parsing, its typed inputs and the
// checking of values given to them. Pure: no I/O.
import { FatalError, UsageError } from '../errors.ts';
import { type FrontMatter, frontMatter } from '../front-matter.ts';

export const INPUT_TYPES = ['word', 'line', 'text', 'path', 'int', 'bool', 'float'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/** the largest XPrompt file, and the largest prompt before or after expansion (4 MiB) */
export const MAX_XPROMPT_BYTES = 1 << 20;
export const MAX_PROMPT_BYTES = 4 << 20;

/** one path segment of a name: `review`, `git_commit`, `fix-it` */
const SEGMENT = '[A-Za-z_][A-Za-z0-9_-]*';
export const NAME_PATTERN = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);
export const NAME_SOURCE = `${SEGMENT}(?:/${SEGMENT})*`;
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface XPromptInput {
  name: string;
  type: InputType;
  /** the default, as text; null when the input is required */
  default: string | null;
  required: boolean;
}

export interface XPrompt {
  /** `name` or `ns/name` */
  name: string;
  description: string | null;
  inputs: XPromptInput[];
  tags: string[];
  body: string;
}

const KEYS = ['name', 'description', 'inputs', 'tags'];

/** Parses an XPrompt file; `name` is the one its path gives (`ns/name`). Malformed files are fatal, named by `source`. */
export function parseXPrompt(text: string, name: string, source: string): XPrompt {
  let parsed: FrontMatter<Record<string, unknown>>;
  try {
    parsed = frontMatter<Record<string, unknown>>(text);
  } catch (err) {
    const e = err as { mark?: { line?: number }; reason?: string; message?: string };
    const line = typeof e.mark?.line === 'number' ? e.mark.line + 2 : 1;
    throw new FatalError(
      `${source}:${line}: front matter is not valid YAML: ${e.reason ?? e.message ?? 'parse error'}`,
    );
  }
  const attrs = parsed.attributes ?? {};
  if (typeof attrs !== 'object' || Array.isArray(attrs)) throw new FatalError(`${source}: front matter is not a map`);
  for (const key of Object.keys(attrs)) {
    if (!KEYS.includes(key))
      throw new FatalError(`${source}: unknown front matter key '${key}' (known: ${KEYS.join(', ')})`);
  }
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (attrs.name !== undefined && attrs.name !== null && String(attrs.name) !== base) {
    throw new FatalError(`${source}: front matter name '${String(attrs.name)}' differs from the file's name '${base}'`);
  }
  const description =
    attrs.description === undefined || attrs.description === null ? null : String(attrs.description).trim();
  let tags: string[] = [];
  if (attrs.tags !== undefined && attrs.tags !== null) {
    if (typeof attrs.tags === 'string') tags = attrs.tags.split(',');
    else if (Array.isArray(attrs.tags)) tags = attrs.tags.map((t) => String(t));
    else throw new FatalError(`${source}: 'tags' must be a list`);
    tags = tags.map((t) => t.trim()).filter(Boolean);
  }
  return { name, description, inputs: parseInputs(attrs.inputs, name, source), tags, body: parsed.body };
}

function parseInputs(raw: unknown, xprompt: string, source: string): XPromptInput[] {
  if (raw === undefined || raw === null) return [];
  // a map (name -> {type, default} or name -> type), or a list of {name, type, default}
  let entries: Array<[string, unknown]>;
  if (Array.isArray(raw)) {
    entries = raw.map((item, i) => {
      if (!item || typeof item !== 'object' || typeof (item as Record<string, unknown>).name !== 'string') {
        throw new FatalError(`${source}: input ${i + 1} has no 'name'`);
      }
      const { name, ...rest } = item as Record<string, unknown>;
      return [name as string, rest];
    });
  } else if (typeof raw === 'object') entries = Object.entries(raw as Record<string, unknown>);
  else throw new FatalError(`${source}: 'inputs' must be a map of name -> {type, default}`);
  const seen = new Set<string>();
  return entries.map(([name, spec]) => {
    if (!INPUT_NAME.test(name)) throw new FatalError(`${source}: input name '${name}' is not letters, digits and '_'`);
    if (seen.has(name)) throw new FatalError(`${source}: input '${name}' is declared twice`);
    seen.add(name);
    let type: unknown = 'line';
    let def: unknown;
    let hasDefault = false;
    if (typeof spec === 'string') type = spec;
    else if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
      const s = spec as Record<string, unknown>;
      for (const k of Object.keys(s))
        if (!['type', 'default', 'description'].includes(k))
          throw new FatalError(`${source}: input '${name}': unknown key '${k}' (known: type, default, description)`);
      if (s.type !== undefined) type = s.type;
      hasDefault = 'default' in s;
      def = s.default;
    } else if (spec !== null && spec !== undefined)
      throw new FatalError(`${source}: input '${name}' must be a map {type, default}`);
    type = normalizeType(type);
    if (!INPUT_TYPES.includes(type as InputType))
      throw new FatalError(
        `${source}: input '${name}' has unknown type '${String(type)}' (known: ${INPUT_TYPES.join(', ')})`,
      );
    let defaultText: string | null = null;
    if (hasDefault) {
      // a YAML null default is an empty value, still optional
      const text = def === null || def === undefined ? '' : String(def);
      try {
        defaultText = def === null || def === undefined ? '' : checkValue(xprompt, name, type as InputType, text);
      } catch (err) {
        throw new FatalError(`${source}: default of input '${name}': ${(err as Error).message}`);
      }
    }
    return { name, type: type as InputType, default: defaultText, required: !hasDefault };
  });
}

function normalizeType(type: unknown): unknown {
  if (type === 'integer') return 'int';
  if (type === 'boolean') return 'bool';
  return type;
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

/** Checks a value against its input's type; returns it as it is substituted (bools and numbers normalized). */
export function checkValue(xprompt: string, input: string, type: InputType, value: string): string {
  const bad = (what: string) =>
    new UsageError(
      `xprompt '${xprompt}': input '${input}' expects ${what}, got '${value.length > 60 ? value.slice(0, 60) + '...' : value}'`,
    );
  switch (type) {
    case 'word':
      if (!value || /\s/.test(value)) throw bad('a word (no spaces)');
      return value;
    case 'line':
      if (/[\r\n]/.test(value)) throw bad('a line (no line breaks)');
      return value;
    case 'text':
      return value;
    case 'path':
      if (!value || /[\u0000-\u001f]/.test(value)) throw bad('a path');
      return value;
    case 'int':
      if (!INT.test(value)) throw bad('an int');
      return String(BigInt(value));
    case 'float':
      if (!FLOAT.test(value) || !Number.isFinite(Number(value))) throw bad('a float');
      return value.replace(/^\+/, '');
    case 'bool': {
      const v = value.toLowerCase();
      if (TRUE.includes(v)) return 'true';
      if (FALSE.includes(v)) return 'false';
      throw bad('a bool (true or false)');
    }
  }
}

/** The input a bare `#name:value` fills: the first required one, else the first. */
export function primaryInput(x: XPrompt): XPromptInput | null {
  return x.inputs.find((i) => i.required) ?? x.inputs[0] ?? null;
}

/**
 * Binds arguments to inputs: positional ones in declared order, named ones by
 * name; checks types, fills defaults, and refuses missing required inputs.
 */
export function bindArgs(x: XPrompt, positional: string[], named: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  if (positional.length > x.inputs.length) {
    throw new UsageError(
      `xprompt '${x.name}' takes ${x.inputs.length} input${x.inputs.length === 1 ? '' : 's'}${x.inputs.length ? ` (${x.inputs.map((i) => i.name).join(', ')})` : ''}; ${positional.length} given`,
    );
  }
  positional.forEach((v, i) => {
    const input = x.inputs[i]!;
    out[input.name] = checkValue(x.name, input.name, input.type, v);
  });
  for (const [k, v] of named) {
    const input = x.inputs.find((i) => i.name === k);
    if (!input)
      throw new UsageError(
        `xprompt '${x.name}' has no input '${k}'${x.inputs.length ? ` (inputs: ${x.inputs.map((i) => i.name).join(', ')})` : ' (it takes none)'}`,
      );
    if (k in out) throw new UsageError(`xprompt '${x.name}': input '${k}' is given twice`);
    out[k] = checkValue(x.name, k, input.type, v);
  }
  for (const input of x.inputs) {
    if (input.name in out) continue;
    if (input.required)
      throw new UsageError(`xprompt '${x.name}': missing required input '${input.name}' (${input.type})`);
    out[input.name] = input.default ?? '';
  }
  return out;
}

/** Replaces `{{name}}` placeholders in a text; a placeholder with no value is left as written. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : whole,
  );
}

/** Replaces `{{input}}` placeholders; a placeholder naming no input is left as written. */
export function renderBody(x: XPrompt, values: Record<string, string>): string {
  return fillPlaceholders(x.body, values);
}

export type XPromptSource = 'repo' | 'user';

export interface XPromptEntry {
  name: string;
  /** the file's absolute path */
  path: string;
  source: XPromptSource;
}
