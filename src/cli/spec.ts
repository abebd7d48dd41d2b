// The command spec: one description of a command that drives its option
// parsing, --help, its man page and the shell completions.
import type { Ctx } from './context.ts';

export interface OptionSpec {
  /** cac-style flags: '--limit <n>', '-s, --status <list>', '--force' */
  flags: string;
  description: string;
  type?: 'string' | 'int' | 'bool' | 'list';
  choices?: readonly string[];
  default?: string | number | boolean;
  /** what a completion should offer for the value */
  complete?: 'beads' | 'files' | 'none';
}

export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export interface CommandSpec {
  /** 'bead-ready' for the executable sase-bead-ready */
  name: string;
  /** the man page NAME line */
  summary: string;
  args: ArgSpec[];
  options: OptionSpec[];
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
  /** accepts ids on stdin (--stdin or '-') */
  stdin?: boolean;
  run(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<number | void>;
}

export const FORMAT_OPTIONS: OptionSpec[] = [
  {
    flags: '--format <format>',
    description: 'output format: text, json (one object per line) or id (one id per line)',
    choices: ['text', 'json', 'id'],
    complete: 'none',
  },
  { flags: '--json', description: 'same as --format json', type: 'bool' },
  { flags: '--no-color', description: 'no colours in text output', type: 'bool' },
];

export const STDIN_OPTION: OptionSpec = {
  flags: '--stdin',
  description:
    "read ids or NDJSON records from standard input (also '-' as the only argument, or no argument with stdin not a terminal)",
  type: 'bool',
};

export const HELP_OPTION: OptionSpec = { flags: '-h, --help', description: 'show this help', type: 'bool' };

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

export function synopsis(spec: CommandSpec): string {
  const parts = [`sase-${spec.name}`];
  for (const o of spec.options) {
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
