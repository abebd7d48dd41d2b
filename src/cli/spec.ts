// The command spec: one description of a command that drives its option
// parsing, --help, its man page and the shell completions.
import type { RecordShape } from '../wire/fields.ts';
import type { Ctx } from './context.ts';

export interface OptionSpec {
  /** cac-style flags: '--limit <n>', '-s, --status <list>', '--force' */
  flags: string;
  description: string;
  type?: 'string' | 'int' | 'bool' | 'list';
  choices?: readonly string[];
  default?: string | number | boolean;
  /** what a completion should offer for the value */
  complete?: CompleteKind;
}

/**
 * What a shell completes a value to: record ids of a kind (by `sase complete
 * <kind> <word>`, from the cache), file names, or nothing to offer.
 */
export type CompleteKind =
  | 'beads'
  | 'runs'
  | 'plans'
  | 'workflow-runs'
  | 'notifications'
  | 'changes'
  | 'files'
  | 'none';

export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
  /** what a completion should offer for it */
  complete?: CompleteKind;
}

export interface CommandSpec {
  /** 'bead-ready' for the executable sase-bead-ready */
  name: string;
  /** the man page NAME line */
  summary: string;
  args: ArgSpec[];
  options: readonly OptionSpec[];
  /** paragraphs of the man page DESCRIPTION (blank line between paragraphs) */
  description: string;
  /** the INPUT section, for commands that read records or ids */
  input?: string;
  /** the OUTPUT section */
  output: string;
  /** EXIT STATUS rows beyond the common ones */
  exit: Array<[number, string]>;
  examples: Array<{ cmd: string; text: string }>;
  seeAlso?: string[];
  /** the standard --format/--json/--no-color options (default true) */
  formatted?: boolean;
  /**
   * the records it prints (src/wire/fields.ts), by which `--json FIELDS` is
   * checked before it runs; without them, at the first record printed
   */
  prints?: readonly RecordShape[];
  /** accepts ids on stdin (--stdin or '-') */
  stdin?: boolean;
  /** the exit code; nothing for 0 */
  // biome-ignore lint/suspicious/noConfusingVoidType: a run that returns nothing is one that succeeded
  run(ctx: Ctx, args: string[], opts: OptionValues): Promise<number | void>;
}

/**
 * A spec as a command writes it: its options, `formatted` and `stdin` as
 * written, from which its `run` gets its options typed (CommandOptions).
 */
export interface TypedCommandSpec<O extends readonly OptionSpec[], F extends boolean, S extends boolean>
  extends Omit<CommandSpec, 'options' | 'formatted' | 'stdin' | 'run'> {
  options: O;
  formatted?: F;
  stdin?: S;
  // biome-ignore lint/suspicious/noConfusingVoidType: a run that returns nothing is one that succeeded
  run(ctx: Ctx, args: string[], opts: CommandOptions<O, F, S>): Promise<number | void>;
}

/**
 * A command's spec, its `run` getting options typed from the spec:
 * `export const spec = defineCommand({ ..., options: [...], async run(ctx, args, opts) {...} })`.
 * Without `formatted`, F is true; without `stdin`, S is false (as allOptions reads them).
 */
export function defineCommand<
  const O extends readonly OptionSpec[],
  const F extends boolean = true,
  const S extends boolean = false,
>(spec: TypedCommandSpec<O, F, S>): CommandSpec {
  return spec;
}

export const FORMAT_OPTIONS = [
  {
    flags: '--format <format>',
    description: 'output format: text, json (one object per line) or id (one id per line)',
    choices: ['text', 'json', 'id'],
    complete: 'none',
  },
  {
    flags: '--json',
    description:
      "same as --format json; '--json id,title' (or --json=id,title) prints only those fields of each record, in that order, checked before the command runs",
    type: 'bool',
  },
  { flags: '--no-color', description: 'no colours in text output', type: 'bool' },
] as const satisfies readonly OptionSpec[];

export const STDIN_OPTION = {
  flags: '--stdin',
  description:
    "read ids or NDJSON records from standard input (also '-' as the only argument, or no argument with stdin not a terminal)",
  type: 'bool',
} as const satisfies OptionSpec;

export const HELP_OPTION = {
  flags: '-h, --help',
  description: 'show this help',
  type: 'bool',
} as const satisfies OptionSpec;

/** The options a command takes: its own, then --stdin, the format options and --help as the spec asks. */
export type AllOptions<O extends readonly OptionSpec[], F extends boolean, S extends boolean> = readonly [
  ...O,
  ...([S] extends [true] ? [typeof STDIN_OPTION] : []),
  ...([F] extends [false] ? [] : typeof FORMAT_OPTIONS),
  typeof HELP_OPTION,
];

export function allOptions(spec: CommandSpec): OptionSpec[] {
  const out = [...spec.options];
  if (spec.stdin) out.push(STDIN_OPTION);
  if (spec.formatted !== false) out.push(...FORMAT_OPTIONS);
  out.push(HELP_OPTION);
  return out;
}

/** The long name of an option: '--limit <n>' -> 'limit'. */
export function optionName(o: OptionSpec): string {
  const long =
    o.flags
      .split(',')
      .map((s) => s.trim())
      .find((s) => s.startsWith('--')) ?? o.flags;
  return long.replace(/^--(no-)?/, '').split(/[ <[]/)[0]!;
}

/**
 * The key of an option in the parsed options: its long name in camelCase
 * ('--retry-failed <x>' -> 'retryFailed', '--no-color' -> 'color').
 * OptionKey below is the same at the type level.
 */
export function optionKey(o: OptionSpec): string {
  return optionName(o).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function optionLongFlag(o: OptionSpec): string {
  return o.flags
    .split(',')
    .map((s) => s.trim())
    .find((s) => s.startsWith('--'))!
    .split(/[ <[]/)[0]!;
}

export function takesValue(o: OptionSpec): boolean {
  return o.flags.includes('<') || o.flags.includes('[');
}

/** The standard options a usage line shows (--no-color and --help, which every command has, it leaves out). */
function synopsisOptions(spec: CommandSpec): OptionSpec[] {
  const out = [...spec.options];
  if (spec.stdin) out.push(STDIN_OPTION);
  if (spec.formatted !== false) out.push(FORMAT_OPTIONS[0], FORMAT_OPTIONS[1]);
  return out;
}

export function synopsis(spec: CommandSpec): string {
  const parts = [`sase-${spec.name}`];
  for (const o of synopsisOptions(spec)) {
    const flag = optionLongFlag(o);
    const value = /<([^>]+)>/.exec(o.flags)?.[1];
    parts.push(value ? `[${flag} <${value}>]` : `[${flag}]`);
  }
  for (const a of spec.args) {
    const name = `<${a.name}>${a.variadic ? '...' : ''}`;
    parts.push(a.required ? name : `[${name}]`);
  }
  return parts.join(' ');
}

// ---- the options of a command, typed from its spec
//
// Each type below mirrors a function above (optionName, optionKey,
// takesValue) or coerce() in main.ts, and parseArgv's rules: every option
// gets a key, its value or default, undefined when neither; a --no-x flag is
// true unless given (cac's default). test/cli/options.test.ts checks, with
// the compiler, that what parseArgv gives each command is what its type says.

/** What a parsed option holds. */
export type OptionValue = string | number | boolean | string[];

/** The parsed options of any command (the plain form of CommandOptions). */
export type OptionValues = { readonly [key: string]: OptionValue | undefined };

type Trim<T extends string> = T extends ` ${infer R}` ? Trim<R> : T extends `${infer R} ` ? Trim<R> : T;

/** The first of the comma-separated flags that starts with '--' (never when none does). */
type FirstLong<T extends string> = T extends `${infer A},${infer B}`
  ? Trim<A> extends `--${string}`
    ? Trim<A>
    : FirstLong<B>
  : Trim<T> extends `--${string}`
    ? Trim<T>
    : never;

/** The long flag with its value, as optionName reads it (the flags themselves when none is long). */
type LongFlag<T extends string> = [FirstLong<T>] extends [never] ? T : FirstLong<T>;

type Before<T extends string, D extends string> = T extends `${infer A}${D}${string}` ? A : T;

/** optionName: '--no-color' -> 'color', '--limit <n>' -> 'limit'. */
export type OptionName<T extends string> = Before<Before<Before<StripDashes<LongFlag<T>>, ' '>, '<'>, '['>;

/** /^--(no-)?/ taken off. */
type StripDashes<T extends string> = T extends `--no-${infer R}` ? R : T extends `--${infer R}` ? R : T;

/** '-' and a lower-case letter -> the letter in upper case, as optionKey's /-([a-z])/g. */
type Camel<T extends string> = T extends `${infer H}-${infer C}${infer R}`
  ? 'abcdefghijklmnopqrstuvwxyz' extends `${string}${C}${string}`
    ? `${H}${Uppercase<C>}${Camel<R>}`
    : `${H}-${Camel<`${C}${R}`>}`
  : T;

/** optionKey: '--retry-failed' -> 'retryFailed'. */
export type OptionKey<T extends string> = string extends T ? string : Camel<OptionName<T>>;

type TakesValue<T extends string> = T extends `${string}<${string}` | `${string}[${string}` ? true : false;

type Choice<O extends OptionSpec> = O extends { readonly choices: readonly (infer C extends string)[] } ? C : string;

/** What coerce() makes of a given option. */
export type OptionType<O extends OptionSpec> = O extends { readonly type: 'bool' }
  ? boolean
  : TakesValue<O['flags']> extends false
    ? boolean
    : O extends { readonly type: 'list' }
      ? Choice<O>[]
      : O extends { readonly type: 'int' }
        ? number
        : Choice<O>;

/** Whether an option always has a value: it has a default, or it is a --no-x flag (true unless given). */
type AlwaysSet<O extends OptionSpec> = O extends { readonly default: string | number | boolean }
  ? true
  : LongFlag<O['flags']> extends `--no-${string}`
    ? true
    : false;

/** The parsed options of a list of option specs: a key each, undefined when not given and without a default. */
export type OptionsOf<L extends readonly OptionSpec[]> = number extends L['length']
  ? OptionValues
  : {
      readonly [O in L[number] as OptionKey<O['flags']>]:
        | OptionType<O>
        | (AlwaysSet<O> extends true ? never : undefined);
    };

/** The options a command's `run` gets: its own and the standard ones. */
export type CommandOptions<O extends readonly OptionSpec[], F extends boolean, S extends boolean> = OptionsOf<
  AllOptions<O, F, S>
>;
