// Workflow specs (`.sase/workflows/<name>.toml`): this module owns their
// shape and every check made before a step runs: known keys, step kinds and
// the keys each kind takes, typed inputs (the XPrompt input types), `needs`
// naming real steps and no cycle, `if`, `for_each` and `{{...}}` references
// naming only inputs that exist and steps finished before, the order steps
// run in, and binding the values a run is given to the inputs. Every problem
// is one line naming the file and the step. Pure: the TOML comes parsed.
import { UsageError } from '../errors.ts';
import { parseAge } from '../workspaces/refs.ts';
import { checkValue, INPUT_TYPES, type InputType } from '../xprompts/xprompt.ts';
import { checkRef, conditionRefs, parseCondition, parseRef, type Ref, type RefScope, templateRefs } from './expr.ts';

export const STEP_KINDS = ['agent', 'bash', 'python', 'prompt', 'parallel', 'approval'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const WORKFLOW_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$/;
const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** Whether `id` is a step id as a spec may write one (letters, digits, '_' and '-'). */
export function isStepId(id: string): boolean {
  return STEP_ID.test(id);
}

const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_RETRIES = 100;

export interface WfInput {
  name: string;
  type: InputType;
  /** the default, as text; null when the input is required */
  default: string | null;
  required: boolean;
  description: string | null;
}

export interface StepSpec {
  id: string;
  kind: StepKind;
  description: string | null;
  /** agent and prompt text (approval: the question shown) */
  prompt: string | null;
  /** bash and python: the script */
  run: string | null;
  /** parallel: the steps run together */
  steps: StepSpec[];
  needs: string[];
  if: string | null;
  for_each: string | null;
  /** seconds */
  timeout: number | null;
  retries: number;
  fail_fast: boolean;
  provider: string | null;
  model: string | null;
  /** agent: a workspace reference (#cd:., #git:<ref>, #<n>) */
  ws: string | null;
}

export interface Workflow {
  name: string;
  description: string | null;
  /** the default provider and model of agent steps */
  provider: string | null;
  model: string | null;
  inputs: WfInput[];
  steps: StepSpec[];
}

const TOP_KEYS = ['name', 'description', 'provider', 'model', 'inputs', 'steps'];
const COMMON_KEYS = ['id', 'kind', 'description', 'needs', 'if'];
const KIND_KEYS: Record<StepKind, string[]> = {
  agent: ['prompt', 'provider', 'model', 'ws', 'for_each', 'timeout', 'retries'],
  bash: ['run', 'for_each', 'timeout', 'retries'],
  python: ['run', 'for_each', 'timeout', 'retries'],
  prompt: ['prompt'],
  parallel: ['steps', 'fail_fast'],
  approval: ['prompt'],
};
const ALL_STEP_KEYS = [...new Set([...COMMON_KEYS, ...Object.values(KIND_KEYS).flat()])];
/** what a parallel step may hold */
const PARALLEL_KINDS: StepKind[] = ['agent', 'bash', 'python'];

/** A value from the file, as a message quotes it: text in single quotes, anything else as TOML would write it. */
function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? 'an' : 'a';
}

function list(items: readonly string[], last = 'or'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** The name of an environment variable part: upper case, '_' for anything else. */
export function envName(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

class Problems {
  readonly lines: string[] = [];
  constructor(readonly source: string) {}
  add(message: string): void {
    this.lines.push(`${this.source}: ${message}`);
  }
}

type Raw = Record<string, unknown>;

function isTable(v: unknown): v is Raw {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function parseInputs(raw: unknown, p: Problems): WfInput[] {
  if (raw === undefined) return [];
  if (!isTable(raw)) {
    p.add(`'inputs' must be a table of name = { type = "...", default = ... }`);
    return [];
  }
  const out: WfInput[] = [];
  const envs = new Map<string, string>();
  for (const [name, spec] of Object.entries(raw)) {
    if (!INPUT_NAME.test(name)) {
      p.add(`input '${name}': a name is letters, digits and '_', not starting with a digit`);
      continue;
    }
    const env = envName(name);
    if (envs.has(env)) p.add(`inputs '${envs.get(env)}' and '${name}' would both be $SASE_IN_${env}`);
    envs.set(env, name);
    let type: unknown = 'line';
    let def: unknown;
    let hasDefault = false;
    let description: string | null = null;
    if (typeof spec === 'string') type = spec;
    else if (isTable(spec)) {
      const bad = Object.keys(spec).filter((k) => !['type', 'default', 'description'].includes(k));
      if (bad.length) {
        p.add(`input '${name}': unknown key '${bad[0]}' (expected type, default or description)`);
        continue;
      }
      if (spec.type !== undefined) type = spec.type;
      hasDefault = 'default' in spec;
      def = spec.default;
      if (spec.description !== undefined) description = String(spec.description);
    } else {
      p.add(`input '${name}': expected a type ("line") or a table { type = "...", default = ... }`);
      continue;
    }
    if (!INPUT_TYPES.includes(type as InputType)) {
      p.add(`input '${name}': unknown type ${quote(type)} (expected ${list(INPUT_TYPES)})`);
      continue;
    }
    let defaultText: string | null = null;
    if (hasDefault) {
      try {
        defaultText = checkInputValue(name, type as InputType, def instanceof Date ? def.toISOString() : String(def));
      } catch (err) {
        p.add(`input '${name}': its default ${(err as Error).message.replace(/^input '[^']*' /, '')}`);
        continue;
      }
    }
    out.push({ name, type: type as InputType, default: defaultText, required: !hasDefault, description });
  }
  return out;
}

/** Checks one value given to an input; returns it as it is used (bools and numbers normalised). */
export function checkInputValue(input: string, type: InputType, value: string): string {
  try {
    return checkValue('', input, type, value);
  } catch (err) {
    // the XPrompt checker names an xprompt; here the input is the subject
    throw new UsageError((err as Error).message.replace(/^xprompt '': /, ''));
  }
}

function stringList(v: unknown): string[] | null {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

function parseTimeout(v: unknown): number | null | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : undefined;
  if (typeof v === 'string') {
    try {
      const ms = parseAge(v);
      return ms > 0 ? ms / 1000 : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function parseStep(raw: unknown, where: string, p: Problems, inside: string | null): StepSpec | null {
  if (!isTable(raw)) {
    p.add(`${where}: expected a table with id and kind`);
    return null;
  }
  const id = raw.id;
  if (typeof id !== 'string' || !STEP_ID.test(id)) {
    p.add(
      `${where}: ${id === undefined ? "no 'id'" : `id ${quote(id)} is not letters, digits, '_' and '-' (at most 64, starting with a letter or '_')`}`,
    );
    return null;
  }
  const at = `step '${id}'`;
  const kind = raw.kind;
  if (typeof kind !== 'string' || !STEP_KINDS.includes(kind as StepKind)) {
    p.add(`${at}: ${kind === undefined ? "no 'kind'" : `unknown kind ${quote(kind)}`} (expected ${list(STEP_KINDS)})`);
    return null;
  }
  const k = kind as StepKind;
  if (inside && !PARALLEL_KINDS.includes(k)) {
    p.add(
      `${at}: ${article(k)} ${k} step cannot be inside parallel step '${inside}' (expected ${list(PARALLEL_KINDS)})`,
    );
    return null;
  }
  let ok = true;
  const allowed = [...COMMON_KEYS, ...KIND_KEYS[k]];
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    ok = false;
    if (ALL_STEP_KEYS.includes(key))
      p.add(`${at}: '${key}' does not apply to ${article(k)} ${k} step (it takes ${list(allowed, 'and')})`);
    else p.add(`${at}: unknown key '${key}' (expected ${list(allowed)})`);
  }
  const str = (key: string): string | null => {
    const v = raw[key];
    if (v === undefined) return null;
    if (typeof v !== 'string') {
      p.add(`${at}: '${key}' must be a string`);
      ok = false;
      return null;
    }
    return v;
  };
  const prompt = str('prompt');
  const run = str('run');
  if ((k === 'agent' || k === 'prompt') && !prompt?.trim()) {
    p.add(`${at}: ${article(k)} ${k} step needs 'prompt' (its text)`);
    ok = false;
  }
  if ((k === 'bash' || k === 'python') && !run?.trim()) {
    p.add(`${at}: ${article(k)} ${k} step needs 'run' (its script)`);
    ok = false;
  }
  if (run && /\{\{\s*(inputs|steps|item|index)\b[^}]*\}\}/.test(run)) {
    const name = /\{\{\s*inputs\.([A-Za-z0-9_]+)/.exec(run)?.[1];
    p.add(
      `${at}: 'run' holds a {{...}} placeholder, which scripts never get (values are not pasted into a script): read ${name ? `$SASE_IN_${envName(name)}` : 'the SASE_IN_* and SASE_STEP_* variables or the $SASE_CONTEXT file'} instead`,
    );
    ok = false;
  }
  let needs: string[] = [];
  if (raw.needs !== undefined) {
    const n = stringList(raw.needs);
    if (!n) {
      p.add(`${at}: 'needs' must be a step id or a list of them`);
      ok = false;
    } else if (inside && n.length) {
      p.add(`${at}: a step inside parallel step '${inside}' takes no 'needs' (put them on '${inside}')`);
      ok = false;
    } else needs = [...new Set(n)];
  }
  const cond = str('if');
  const forEach = str('for_each');
  let timeout: number | null = null;
  if (raw.timeout !== undefined) {
    const t = parseTimeout(raw.timeout);
    if (t === undefined || t === null) {
      p.add(`${at}: 'timeout' must be seconds (a number above 0) or an age such as "30s", "20m", "2h"`);
      ok = false;
    } else timeout = t;
  }
  let retries = 0;
  if (raw.retries !== undefined) {
    if (
      typeof raw.retries !== 'number' ||
      !Number.isInteger(raw.retries) ||
      raw.retries < 0 ||
      raw.retries > MAX_RETRIES
    ) {
      p.add(`${at}: 'retries' must be a whole number from 0 to ${MAX_RETRIES}`);
      ok = false;
    } else retries = raw.retries;
  }
  let failFast = false;
  if (raw.fail_fast !== undefined) {
    if (typeof raw.fail_fast !== 'boolean') {
      p.add(`${at}: 'fail_fast' must be true or false`);
      ok = false;
    } else failFast = raw.fail_fast;
  }
  let steps: StepSpec[] = [];
  if (k === 'parallel') {
    if (!Array.isArray(raw.steps) || !raw.steps.length) {
      p.add(`${at}: a parallel step needs 'steps' (a list of the steps run together: [[steps.steps]] tables)`);
      ok = false;
    } else {
      const subs = raw.steps.map((s, i) => parseStep(s, `${at}: sub-step ${i + 1}`, p, id));
      if (subs.some((s) => !s)) ok = false;
      steps = subs.filter((s): s is StepSpec => !!s);
    }
  }
  const description = str('description');
  const provider = str('provider');
  const model = str('model');
  const ws = str('ws');
  if (!ok) return null;
  return {
    id,
    kind: k,
    description,
    prompt,
    run,
    steps,
    needs,
    if: cond,
    for_each: forEach,
    timeout,
    retries,
    fail_fast: failFast,
    provider,
    model,
    ws,
  };
}

/** Every step, sub-steps of parallel steps after theirs. */
export function allSteps(wf: { steps: StepSpec[] }): StepSpec[] {
  return wf.steps.flatMap((s) => [s, ...s.steps]);
}

/** The parallel step holding a sub-step, or null for a top-level step. */
export function parentOf(wf: Workflow, id: string): StepSpec | null {
  return wf.steps.find((s) => s.steps.some((c) => c.id === id)) ?? null;
}

/** A needs cycle as a path (`a -> b -> a`), or null. */
function findCycle(steps: StepSpec[]): string[] | null {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'open');
    stack.push(id);
    for (const n of byId.get(id)?.needs ?? []) {
      if (!byId.has(n)) continue;
      const c = visit(n);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const s of steps) {
    const c = visit(s.id);
    if (c) return c;
  }
  return null;
}

/**
 * The top-level steps in the order they run: each after every step it
 * needs, otherwise in the order they are written.
 */
export function runOrder(wf: { steps: StepSpec[] }): StepSpec[] {
  const out: StepSpec[] = [];
  const placed = new Set<string>();
  const pending = [...wf.steps];
  while (pending.length) {
    const i = pending.findIndex((s) => s.needs.every((n) => placed.has(n)));
    if (i < 0) break; // a cycle: refused by the checks
    const [s] = pending.splice(i, 1);
    out.push(s!);
    placed.add(s!.id);
  }
  return out;
}

/** The steps finished before a top-level step starts: what it needs, through needs, with the sub-steps of parallel ones. */
export function stepsBefore(wf: { steps: StepSpec[] }, id: string): Set<string> {
  const byId = new Map(wf.steps.map((s) => [s.id, s]));
  const out = new Set<string>();
  const walk = (sid: string) => {
    for (const n of byId.get(sid)?.needs ?? []) {
      if (out.has(n)) continue;
      out.add(n);
      for (const c of byId.get(n)?.steps ?? []) out.add(c.id);
      walk(n);
    }
  };
  walk(id);
  return out;
}

function checkRefs(refs: Ref[], bad: string[], what: string, at: string, scope: RefScope, p: Problems): void {
  for (const b of bad)
    p.add(
      `${at}: ${what} holds ${b}, which is not a reference (expected {{inputs.<name>}}, {{steps.<id>.outputs.<key>}}, {{item}} or {{index}})`,
    );
  for (const r of refs) {
    const why = checkRef(r, scope);
    if (why) p.add(`${at}: ${what} refers to ${why}`);
  }
}

function checkExpressions(wf: Workflow, p: Problems): void {
  const inputs = wf.inputs.map((i) => i.name);
  const ids = allSteps(wf).map((s) => s.id);
  for (const top of wf.steps) {
    const before = stepsBefore(wf, top.id);
    for (const s of [top, ...top.steps]) {
      const at = `step '${s.id}'`;
      const scope: RefScope = { inputs, steps: ids, before, forEach: s.for_each !== null };
      if (s.for_each !== null) {
        const ref = parseRef(s.for_each.trim());
        if (!ref || (ref.kind !== 'output' && ref.kind !== 'input'))
          p.add(
            `${at}: 'for_each' must name a list: steps.<id>.outputs.<key> or inputs.<name> (got ${quote(s.for_each)})`,
          );
        else checkRefs([ref], [], "'for_each'", at, { ...scope, forEach: false }, p);
      }
      if (s.if !== null) {
        let refs: Ref[] = [];
        try {
          refs = conditionRefs(parseCondition(s.if));
        } catch (err) {
          p.add(
            `${at}: 'if' is not a comparison (${(err as Error).message}); expected <value> [== != < > <= >= <value>], e.g. steps.test.outputs.status == "ok"`,
          );
        }
        checkRefs(refs, [], "'if'", at, scope, p);
      }
      if (s.prompt !== null) {
        const t = templateRefs(s.prompt);
        checkRefs(t.refs, t.bad, "'prompt'", at, scope, p);
      }
    }
  }
}

/**
 * Checks a parsed TOML table as the workflow `name` (the file's name), from
 * `source` (the path shown in messages). Returns the workflow, or null with
 * every problem found, one line each.
 */
export function checkWorkflow(
  raw: Raw,
  name: string,
  source: string,
): { workflow: Workflow | null; problems: string[] } {
  const p = new Problems(source);
  for (const key of Object.keys(raw))
    if (!TOP_KEYS.includes(key)) p.add(`unknown key '${key}' (expected ${list(TOP_KEYS)})`);
  if (raw.name !== undefined && raw.name !== name)
    p.add(`name ${quote(raw.name)} differs from the file's name '${name}'`);
  const str = (key: string): string | null => {
    if (raw[key] === undefined) return null;
    if (typeof raw[key] === 'string') return raw[key] as string;
    p.add(`'${key}' must be a string`);
    return null;
  };
  const description = str('description');
  const provider = str('provider');
  const model = str('model');
  const inputs = parseInputs(raw.inputs, p);
  let steps: StepSpec[] = [];
  if (!Array.isArray(raw.steps) || !raw.steps.length)
    p.add(`no steps (expected [[steps]] tables, each with id and kind)`);
  else {
    const parsed = raw.steps.map((s, i) => parseStep(s, `step ${i + 1}`, p, null));
    steps = parsed.filter((s): s is StepSpec => !!s);
    const all = allSteps({ steps });
    const seen = new Map<string, string>();
    for (const s of all) {
      const env = envName(s.id);
      if (seen.get(env) === s.id) p.add(`step '${s.id}': the id is used twice`);
      else if (seen.has(env)) p.add(`steps '${seen.get(env)}' and '${s.id}' would both be $SASE_STEP_${env}_*`);
      seen.set(env, s.id);
    }
    // ids of steps that have problems of their own: a need on one of them is not a second problem
    const written = new Set(
      raw.steps.flatMap((s) =>
        isTable(s) ? [s.id, ...(Array.isArray(s.steps) ? s.steps.map((c) => (isTable(c) ? c.id : null)) : [])] : [],
      ),
    );
    const top = new Set(steps.map((s) => s.id));
    for (const s of steps) {
      for (const n of s.needs) {
        if (top.has(n)) continue;
        const holder = steps.find((t) => t.steps.some((c) => c.id === n));
        if (holder)
          p.add(`step '${s.id}': needs '${n}', which is inside parallel step '${holder.id}' (need '${holder.id}')`);
        else if (!written.has(n)) p.add(`step '${s.id}': needs '${n}', which is not a step of this workflow`);
      }
    }
    const cycle = findCycle(steps);
    if (cycle) p.add(`a needs cycle: ${cycle.join(' -> ')}`);
  }
  if (p.lines.length) return { workflow: null, problems: p.lines };
  const wf: Workflow = { name, description, provider, model, inputs, steps };
  checkExpressions(wf, p);
  return p.lines.length ? { workflow: null, problems: p.lines } : { workflow: wf, problems: [] };
}

/**
 * The values of a run's inputs: those given (name -> text), checked against
 * their types, defaults filled in. An unknown or missing input, or a value of
 * the wrong type, is a usage error naming the workflow.
 */
export function bindInputs(wf: Workflow, given: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  const where = `workflow '${wf.name}'`;
  for (const [k, v] of given) {
    const input = wf.inputs.find((i) => i.name === k);
    if (!input)
      throw new UsageError(
        `${where} has no input '${k}' (${wf.inputs.length ? `inputs: ${wf.inputs.map((i) => i.name).join(', ')}` : 'it takes none'})`,
      );
    if (Object.hasOwn(out, k)) throw new UsageError(`${where}: input '${k}' is given twice`);
    try {
      out[k] = checkInputValue(k, input.type, v);
    } catch (err) {
      throw new UsageError(`${where}: ${(err as Error).message}`);
    }
  }
  for (const i of wf.inputs) {
    if (Object.hasOwn(out, i.name)) continue;
    if (i.required)
      throw new UsageError(
        `${where}: missing required input '${i.name}' (${i.type}; give it with --input ${i.name}=<value>)`,
      );
    out[i.name] = i.default ?? '';
  }
  return out;
}

/** `k=v` as given on the command line. */
export function parseAssignment(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`'${text}' is not <input>=<value>`);
  return [text.slice(0, eq).trim(), text.slice(eq + 1)];
}

export interface WorkflowEntry {
  name: string;
  /** the file's absolute path */
  path: string;
  /** the path shown in messages: from the work tree's top for a project's spec */
  display: string;
  source: 'repo' | 'user';
}

export interface CheckedWorkflow {
  entry: WorkflowEntry;
  workflow: Workflow | null;
  problems: string[];
}
