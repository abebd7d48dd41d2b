// The little expression language of workflow specs: references to values
// (`inputs.x`, `steps.<id>.outputs.<key>`, `steps.<id>.state`, `item`,
// `index`), the `{{...}}` placeholders of agent and prompt text, and `if`
// conditions (one comparison, or the truthiness of one value). Parsing,
// checking what a reference may name, evaluating. Pure.

export type Ref =
  | { kind: 'input'; name: string }
  | { kind: 'output'; step: string; key: string; path: string[] }
  | { kind: 'state'; step: string }
  | { kind: 'item'; path: string[] }
  | { kind: 'index' };

export type Op = '==' | '!=' | '<' | '>' | '<=' | '>=';
export const OPS: readonly Op[] = ['==', '!=', '<=', '>=', '<', '>'];

export type Operand = { ref: Ref; text: string } | { literal: unknown; text: string };

export interface Condition {
  negate: boolean;
  left: Operand;
  op: Op | null;
  right: Operand | null;
}

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const KEY = '[A-Za-z0-9_][A-Za-z0-9_-]*';
const INPUT_RE = /^inputs\.([A-Za-z_][A-Za-z0-9_]*)$/;
const OUTPUT_RE = new RegExp(`^steps\\.(${NAME})\\.outputs\\.(${KEY})((?:\\.${KEY})*)$`);
const STATE_RE = new RegExp(`^steps\\.(${NAME})\\.state$`);
const ITEM_RE = new RegExp(`^item((?:\\.${KEY})*)$`);

/** A reference as written (`steps.plan.outputs.files`), or null when the text is not one. */
export function parseRef(text: string): Ref | null {
  let m: RegExpExecArray | null;
  if ((m = INPUT_RE.exec(text))) return { kind: 'input', name: m[1]! };
  if ((m = OUTPUT_RE.exec(text)))
    return { kind: 'output', step: m[1]!, key: m[2]!, path: m[3] ? m[3].slice(1).split('.') : [] };
  if ((m = STATE_RE.exec(text))) return { kind: 'state', step: m[1]! };
  if ((m = ITEM_RE.exec(text))) return { kind: 'item', path: m[1] ? m[1].slice(1).split('.') : [] };
  if (text === 'index') return { kind: 'index' };
  return null;
}

/** Whether a placeholder's text is meant as a reference (and so must be a valid one). */
function looksLikeRef(text: string): boolean {
  return /^(inputs|steps)\b/.test(text) || /^item\b/.test(text) || text === 'index';
}

export function refText(ref: Ref): string {
  switch (ref.kind) {
    case 'input':
      return `inputs.${ref.name}`;
    case 'output':
      return `steps.${ref.step}.outputs.${[ref.key, ...ref.path].join('.')}`;
    case 'state':
      return `steps.${ref.step}.state`;
    case 'item':
      return ['item', ...ref.path].join('.');
    case 'index':
      return 'index';
  }
}

/** What a reference in some step may name: the declared inputs, the steps it needs (through needs), item and index in a for_each step. */
export interface RefScope {
  inputs: string[];
  /** every step id of the workflow */
  steps: string[];
  /** the steps that are finished before this one starts */
  before: Set<string>;
  forEach: boolean;
}

/** Why a reference may not be used where it is, or null when it may. */
export function checkRef(ref: Ref, scope: RefScope): string | null {
  switch (ref.kind) {
    case 'input':
      return scope.inputs.includes(ref.name)
        ? null
        : `input '${ref.name}', which is not declared (${scope.inputs.length ? `inputs: ${scope.inputs.join(', ')}` : 'the workflow has no inputs'})`;
    case 'output':
    case 'state':
      if (!scope.steps.includes(ref.step)) return `step '${ref.step}', which is not a step of this workflow`;
      if (!scope.before.has(ref.step))
        return `step '${ref.step}', which is not among the steps it needs (directly or through them): add it to needs`;
      return null;
    case 'item':
    case 'index':
      return scope.forEach ? null : `'${refText(ref)}', which only a for_each step has`;
  }
}

// ---- placeholders

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The references of a text's `{{...}}` placeholders; `bad` lists the ones that look like references and are not. */
export function templateRefs(text: string): { refs: Ref[]; bad: string[] } {
  const refs: Ref[] = [];
  const bad: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const inner = m[1]!;
    if (!looksLikeRef(inner)) continue;
    const ref = parseRef(inner);
    if (ref) refs.push(ref);
    else bad.push(m[0]);
  }
  return { refs, bad };
}

/** How a value reads inside a prompt: text as it is, nothing for null, JSON for the rest. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Replaces the reference placeholders; others (`{{ whatever }}`) stay as written. */
export function renderTemplate(text: string, resolve: (ref: Ref) => unknown): string {
  return text.replace(PLACEHOLDER, (whole, inner: string) => {
    const ref = looksLikeRef(inner) ? parseRef(inner) : null;
    return ref ? valueText(resolve(ref)) : whole;
  });
}

// ---- conditions

interface Token {
  kind: 'op' | 'str' | 'word' | 'not';
  text: string;
  value?: string;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op });
      i += op.length;
      continue;
    }
    if (c === '!') {
      out.push({ kind: 'not', text: '!' });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
      }
      if (j >= text.length) throw new Error(`an unterminated ${c} quote`);
      out.push({ kind: 'str', text: text.slice(i, j + 1), value });
      i = j + 1;
      continue;
    }
    const m = /[A-Za-z0-9_.+-]+/y;
    m.lastIndex = i;
    const w = m.exec(text);
    if (!w) throw new Error(`an unexpected '${c}'`);
    out.push({ kind: w[0] === 'not' ? 'not' : 'word', text: w[0] });
    i = m.lastIndex;
  }
  return out;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function operand(t: Token | undefined): Operand {
  if (!t || t.kind === 'op' || t.kind === 'not')
    throw new Error(t ? `'${t.text}' where a value was expected` : 'a value missing');
  if (t.kind === 'str') return { literal: t.value!, text: t.text };
  if (t.text === 'true' || t.text === 'false') return { literal: t.text === 'true', text: t.text };
  if (t.text === 'null') return { literal: null, text: t.text };
  if (NUMBER.test(t.text)) return { literal: Number(t.text), text: t.text };
  const ref = parseRef(t.text);
  if (!ref)
    throw new Error(
      `'${t.text}' is neither a reference (inputs.<name>, steps.<id>.outputs.<key>, steps.<id>.state) nor a quoted string, number, true, false or null`,
    );
  return { ref, text: t.text };
}

/**
 * Parses an `if`: `[!|not] <value> [<op> <value>]`, a value being a
 * reference, a quoted string, a number, true, false or null. Throws an Error
 * whose message says what was expected.
 */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let i = 0;
  let negate = false;
  while (tokens[i]?.kind === 'not') {
    negate = !negate;
    i++;
  }
  const left = operand(tokens[i++]);
  if (i === tokens.length) return { negate, left, op: null, right: null };
  const op = tokens[i++]!;
  if (op.kind !== 'op') throw new Error(`'${op.text}' where a comparison (${OPS.join(' ')}) was expected`);
  const right = operand(tokens[i++]);
  if (i < tokens.length) throw new Error(`'${tokens[i]!.text}' after the comparison (one comparison only)`);
  return { negate, left, op: op.text as Op, right };
}

export function conditionRefs(c: Condition): Ref[] {
  return [c.left, c.right].filter((o): o is { ref: Ref; text: string } => !!o && 'ref' in o).map((o) => o.ref);
}

const FALSY_TEXT = ['', 'false', '0', 'no', 'off', 'null'];

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return !FALSY_TEXT.includes(v.trim().toLowerCase());
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function numeric(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMBER.test(v.trim())) return Number(v.trim());
  return null;
}

function comparable(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) return na === nb;
  if (typeof a === 'boolean' || typeof b === 'boolean')
    return (
      truthy(a) === truthy(b) &&
      [a, b].every((x) => typeof x === 'boolean' || ['true', 'false'].includes(String(x).toLowerCase()))
    );
  return comparable(a) === comparable(b);
}

/** Evaluates a condition; numbers (and text that reads as one) compare as numbers, the rest as text. */
export function evalCondition(c: Condition, resolve: (ref: Ref) => unknown): boolean {
  const value = (o: Operand) => ('ref' in o ? resolve(o.ref) : o.literal);
  const a = value(c.left);
  let result: boolean;
  if (c.op === null || c.right === null) result = truthy(a);
  else {
    const b = value(c.right);
    if (c.op === '==') result = equal(a, b);
    else if (c.op === '!=') result = !equal(a, b);
    else if (a === null || a === undefined || b === null || b === undefined) result = false;
    else {
      const na = numeric(a);
      const nb = numeric(b);
      const cmp =
        na !== null && nb !== null
          ? na - nb
          : comparable(a) < comparable(b)
            ? -1
            : comparable(a) > comparable(b)
              ? 1
              : 0;
      result = c.op === '<' ? cmp < 0 : c.op === '>' ? cmp > 0 : c.op === '<=' ? cmp <= 0 : cmp >= 0;
    }
  }
  return c.negate ? !result : result;
}
