// Running one command: parse its options (cac) from the spec, build the
// context, run, and map typed errors to git-style messages and exit codes.
// The only place that touches `process` for exit codes and stdio.
import { fstatSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { cac } from 'cac';
import { FatalError, SaseError, UsageError } from '../core/errors.ts';
import { GitError, GitMissingError } from '../git/exec.ts';
import { runOwnCommand } from '../proc/own-command.ts';
import { COLOR_WHEN, type ColorWhen } from './colors.ts';
import { AUTO_SYNC, configMentions } from './config-hint.ts';
import { type Ctx, type CtxInit, type Format, makeCtx } from './context.ts';
import { checkFields, takeJsonFields } from './fields.ts';
import { messageLine } from './message.ts';
import {
  allOptions,
  type CommandSpec,
  type OptionSpec,
  type OptionValue,
  type OptionValues,
  optionKey,
  optionLongFlag,
  optionName,
  synopsis,
  takesValue,
} from './spec.ts';

/** An option the command does not take; runCommand adds the nearest one it does take as a hint. */
class UnknownOptionError extends UsageError {
  constructor(readonly option: string) {
    super(`unknown option '${option}'`);
  }
}

/** "did you mean '--limit'?" for '--limt': the suggester is loaded only here, on the error path. */
async function suggestOption(err: UnknownOptionError, spec: CommandSpec): Promise<void> {
  const { didYouMean } = await import('../core/suggest.ts');
  const flags = allOptions(spec).flatMap((o) => o.flags.split(',').map((f) => f.trim().split(/[ <[]/)[0]!));
  const hint = didYouMean(err.option.split('=')[0]!, flags);
  if (hint) err.hint = hint;
}

function coerce(o: OptionSpec, raw: unknown): OptionValue | undefined {
  const flag = optionLongFlag(o);
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) && o.type !== 'list') raw = raw[raw.length - 1];
  if (o.type === 'bool' || !takesValue(o)) {
    if (typeof raw !== 'boolean') throw new UsageError(`option '${flag}' takes no value`);
    return raw;
  }
  if (raw === true || raw === false) {
    throw new UsageError(`option '${flag}' needs a value`);
  }
  if (o.type === 'list') {
    const items = (Array.isArray(raw) ? raw : [raw])
      .flatMap((v) => String(v).split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    if (o.choices)
      for (const it of items)
        if (!o.choices.includes(it))
          throw new UsageError(`option '${flag}': '${it}' is not one of ${o.choices.join(', ')}`);
    return items;
  }
  const text = String(raw);
  if (o.type === 'int') {
    if (!/^\d+$/.test(text)) throw new UsageError(`option '${flag}' expects a whole number, got '${text}'`);
    return Number(text);
  }
  if (o.choices && !o.choices.includes(text))
    throw new UsageError(`option '${flag}': '${text}' is not one of ${o.choices.join(', ')}`);
  return text;
}

// mri (under cac) turns option values that look like numbers into numbers
// ('007' -> 7, '' -> 0, '1e3' -> 1000): every value goes through it wrapped
// in a marker, so it stays a string, and is unwrapped after
const MARK = '\u0001';
function wrapArg(a: string): string {
  if (a === '--' || (a.startsWith('-') && a !== '-'))
    return a.startsWith('--') && a.includes('=') ? a.replace('=', '=' + MARK) : a;
  return MARK + a;
}
function unwrap(v: unknown): unknown {
  if (typeof v === 'string') return v.startsWith(MARK) ? v.slice(MARK.length) : v;
  return Array.isArray(v) ? v.map(unwrap) : v;
}

/**
 * `--title -x` means the title '-x', as `git commit -m -x` does: a value option
 * takes the next argument whatever it looks like, so it is joined to its flag
 * ('--title=-x') before mri, which would read '-x' as flags, sees it.
 */
function joinValues(options: OptionSpec[], argv: string[]): string[] {
  const valued = new Map<string, string>();
  for (const o of options) {
    if (!takesValue(o)) continue;
    for (const f of o.flags.split(',').map((x) => x.trim().split(/[ <[]/)[0]!)) valued.set(f, optionLongFlag(o));
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const long = valued.get(a);
    if (long === undefined) {
      out.push(a);
      continue;
    }
    if (i + 1 >= argv.length) throw new UsageError(`option '${long}' needs a value`);
    out.push(`${long}=${argv[++i]}`);
  }
  return out;
}

/** The key cac files an option's value under: its camelCase, which makes 'x-y-z' 'xY-z' and leaves 'a2-b'. */
function cacKey(name: string): string {
  return name.replace(/([a-z])-([a-z])/g, (_, a: string, b: string) => a + b.toUpperCase());
}

export function parseArgv(
  spec: CommandSpec,
  argv: string[],
): { args: string[]; opts: OptionValues; fields: string[] | null } {
  const options = allOptions(spec);
  argv = joinValues(options, argv);
  let fields: string[] | null = null;
  if (spec.formatted !== false) ({ argv, fields } = takeJsonFields(argv, spec.args.length > 0));
  const cli = cac(`sase-${spec.name}`);
  const cmd = cli.command('[...args]', spec.summary);
  for (const o of options) cmd.option(o.flags, o.description);
  let parsed: { args: string[]; opts: Record<string, unknown> } | null = null;
  cmd.action((args: string[], raw: Record<string, unknown>) => {
    parsed = {
      args: args.map((a) => String(unwrap(a))),
      opts: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, unwrap(v)])),
    };
  });
  try {
    cli.parse(['node', `sase-${spec.name}`, ...argv.map(wrapArg)], { run: false });
    cli.runMatchedCommand();
  } catch (err) {
    if (err instanceof Error && err.name === 'CACError') {
      const m = /Unknown option `([^`]+)`/.exec(err.message);
      throw m ? new UnknownOptionError(m[1]!) : new UsageError(err.message.replace(/`/g, "'"));
    }
    throw err;
  }
  const { args: before, opts: raw } = parsed!;
  // what follows '--' is arguments, whatever it looks like (a hook's command words)
  const args = [...before, ...(Array.isArray(raw['--']) ? (raw['--'] as unknown[]).map(String) : [])];
  const opts: { [key: string]: OptionValue | undefined } = {};
  for (const o of options) opts[optionKey(o)] = coerce(o, raw[cacKey(optionName(o))]) ?? o.default;
  const max = spec.args.some((a) => a.variadic) ? Infinity : spec.args.length;
  if (args.length > max) throw new UsageError(`unexpected argument '${args[max]}'`);
  const required = spec.args.filter((a) => a.required).length;
  if (args.length < required && !(spec.stdin && !argv.includes('--help'))) {
    throw new UsageError(`missing <${spec.args[args.length]!.name}>`);
  }
  return { args, opts, fields };
}

export function renderHelp(spec: CommandSpec): string {
  const lines = [`usage: ${synopsis(spec)}`, '', `  ${spec.summary}`, ''];
  if (spec.args.length) {
    lines.push('arguments:');
    for (const a of spec.args) lines.push(`  ${`<${a.name}>${a.variadic ? '...' : ''}`.padEnd(24)} ${a.description}`);
    lines.push('');
  }
  lines.push('options:');
  for (const o of allOptions(spec)) lines.push(`  ${o.flags.padEnd(24)} ${o.description}`);
  for (const [flags, description] of GLOBAL_OPTIONS) lines.push(`  ${flags.padEnd(24)} ${description}`);
  if (spec.examples.length) {
    lines.push('', 'examples:');
    for (const e of spec.examples) lines.push(`  ${e.cmd}`);
  }
  lines.push('', `See 'man sase-${spec.name}' (or 'sase help ${spec.name.replace(/-/g, ' ')}') for more.`, '');
  return lines.join('\n');
}

/** Option names for shell completion: one per line, with a value hint. */
export function completionHelper(spec: CommandSpec): string {
  return (
    allOptions(spec)
      .map((o) => {
        const flag = optionLongFlag(o);
        if (!takesValue(o)) return flag;
        const hint = o.choices ? o.choices.join(',') : (o.complete ?? 'value');
        return `${flag}=${hint}`;
      })
      .join('\n') + '\n'
  );
}

function describe(err: unknown, debug: boolean): { code: number; lines: string[] } {
  if (err instanceof SaseError) {
    const lines = [messageLine(`${err.prefix}: ${err.message}`)];
    // a hint of several lines (git's ways out, one a line) is several hint lines
    if (err.hint) for (const h of err.hint.split('\n')) lines.push(messageLine(`hint: ${h}`));
    return { code: err.exitCode, lines };
  }
  if (err instanceof GitMissingError) return { code: 128, lines: ['fatal: git not found on PATH'] };
  if (err instanceof GitError) {
    return {
      code: 128,
      lines: [
        messageLine(`fatal: git ${err.args[0]} failed: ${err.stderr.trim().split('\n')[0] || `exit ${err.exitCode}`}`),
      ],
    };
  }
  const e = err as Error;
  const lines = [messageLine(`BUG: ${e?.message ?? String(err)}`)];
  if (debug && e?.stack) lines.push(e.stack);
  else lines.push('hint: run again with SASE_DEBUG=1 for a stack trace');
  return { code: 128, lines };
}

/** describe, which never throws: an error whose message cannot even be read is still one line. */
function describeSafely(err: unknown, debug: boolean): { code: number; lines: string[] } {
  try {
    return describe(err, debug);
  } catch {
    return { code: 128, lines: ['BUG: an error that cannot be shown', 'hint: run again with SASE_DEBUG=1'] };
  }
}

/** The options every command takes, as git's own: shown in each command's help. */
export const GLOBAL_OPTIONS: readonly (readonly [string, string])[] = [
  ['-C <dir>', 'run as if started in <dir> (the repository is found from there; relative paths too)'],
  ['--color[=<when>]', 'colours: auto (on a terminal; NO_COLOR, FORCE_COLOR), always or never'],
];

/** What the options common to every command ask for: -C, --color and the output format. */
interface Globals {
  /** the command's arguments without -C and --color */
  argv: string[];
  cwd: string;
  format?: Format;
  color?: ColorWhen;
}

/**
 * Takes out the options every command has, as git has them: `-C <dir>` (run
 * as if started in <dir>; several compose, a relative one from the one
 * before) and `--color[=<when>]`; reads `--no-color` and the output format.
 * Values of the command's own options are left alone (`--title -C` is a
 * title), and nothing after '--' is looked at.
 */
export function globalOptions(spec: CommandSpec, argv: string[], cwd: string): Globals {
  const valued = new Set<string>();
  for (const o of allOptions(spec))
    if (takesValue(o)) for (const f of o.flags.split(',')) valued.add(f.trim().split(/[ <[]/)[0]!);
  const out: Globals = { argv: [], cwd };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.argv.push(...argv.slice(i));
      break;
    }
    if (valued.has(a)) {
      out.argv.push(a, ...argv.slice(i + 1, i + 2));
      const value = argv[i + 1];
      if (a === '--format' && isFormat(value)) out.format = value;
      i++;
      continue;
    }
    if (a === '-C') {
      if (i + 1 >= argv.length) throw new UsageError("option '-C' needs a value");
      out.cwd = changeDir(out.cwd, argv[++i]!);
      continue;
    }
    if (a === '--color' || a.startsWith('--color=')) {
      const when = a === '--color' ? 'always' : a.slice('--color='.length);
      if (!COLOR_WHEN.includes(when as ColorWhen))
        throw new UsageError(`option '--color': '${when}' is not one of ${COLOR_WHEN.join(', ')}`);
      out.color = when as ColorWhen;
      continue;
    }
    out.argv.push(a);
    if (a === '--no-color') out.color = 'never';
    else if (a === '--json' || a.startsWith('--json=')) out.format = 'json';
    else if (a.startsWith('--format=')) {
      const value = a.slice(9);
      if (isFormat(value)) out.format = value;
    }
  }
  return out;
}

function isFormat(s: string | undefined): s is Format {
  return s === 'text' || s === 'json' || s === 'id';
}

/** `dir` from `cwd`, as `git -C` takes it: an empty one is no change, a missing one fatal. */
function changeDir(cwd: string, dir: string): string {
  if (dir === '') return cwd;
  const to = resolve(cwd, dir);
  let problem: string | null = null;
  try {
    if (!statSync(to).isDirectory()) problem = 'Not a directory';
  } catch (err) {
    problem = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : String(err);
  }
  if (problem) throw new FatalError(`cannot change to '${dir}': ${problem}`);
  return to;
}

/** Writes a failure as git does and gives its exit code. */
function report(err: unknown, spec: CommandSpec, init: CtxInit): number {
  const { code, lines } = describeSafely(err, Boolean(init.env.SASE_DEBUG));
  if (code === 129) lines.push(`usage: ${synopsis(spec)}`);
  for (const l of lines) init.stderr.write(l + '\n');
  return code;
}

/** Runs a command to completion; returns its exit code. Never exits the process. */
export async function runCommand(spec: CommandSpec, argv: string[], init: CtxInit): Promise<number> {
  let globals: Globals;
  try {
    globals = globalOptions(spec, argv, init.cwd);
  } catch (err) {
    return report(err, spec, init);
  }
  argv = globals.argv;
  if (globals.cwd !== init.cwd)
    init = Object.defineProperties({} as CtxInit, {
      ...Object.getOwnPropertyDescriptors(init),
      cwd: { value: globals.cwd, enumerable: true },
    });
  const before = argv.indexOf('--');
  const head = before < 0 ? argv : argv.slice(0, before);
  const ctx: Ctx = makeCtx(
    init,
    spec.formatted === false ? { color: globals.color } : { format: globals.format, color: globals.color },
  );
  try {
    if (head.includes('--help') || head.includes('-h')) {
      ctx.stdout.write(renderHelp(spec));
      return 0;
    }
    if (head[0] === '--completion-helper') {
      ctx.stdout.write(completionHelper(spec));
      return 0;
    }
    const { args, opts, fields } = parseArgv(spec, argv);
    ctx.fields = fields;
    if (fields && spec.prints) checkFields(ctx, fields, spec.prints);
    // a command with --no-pager pages its text on a terminal
    const pager =
      opts.pager === true && ctx.format === 'text' && init.stdoutIsTTY
        ? (await import('./pager.ts')).startPager(ctx)
        : null;
    let code: number;
    try {
      code = (await spec.run(ctx, args, opts)) ?? 0;
    } finally {
      await pager?.finish();
    }
    if (code === 0) await syncAfterWrite(ctx, spec.name, init);
    return code;
  } catch (err) {
    if (err instanceof UnknownOptionError) await suggestOption(err, spec);
    return report(err, spec, init);
  } finally {
    ctx.close();
  }
}

/**
 * [sync] auto: a command that wrote syncs afterwards, best effort, through
 * `sase-sync --auto` in a process of its own (which reads the configuration
 * and does nothing unless it asks); the write stands whatever it says. Only
 * a configuration that mentions it is worth the process.
 */
async function syncAfterWrite(ctx: Ctx, name: string, init: CtxInit): Promise<void> {
  const opened = ctx.openedStore();
  if (!opened || name === 'sync' || name === 'init') return;
  const store = await opened;
  if (!store.wrote || !configMentions(store.repo, init.env, AUTO_SYNC)) return;
  const r = await runOwnCommand('sase-sync', ['--auto'], init.cwd, init.env);
  if (r.code === 0) return;
  const said = r.stderr.split('\n').find((l) => l.startsWith('fatal: ') || l.startsWith('error: ')) ?? `exit ${r.code}`;
  init.stderr.write(`warning: [sync] auto: ${said.replace(/^(fatal|error): /, '')}; the write stands here\n`);
}

/**
 * Whether `fd` is a terminal. fstat tells pipes and files apart without
 * node:tty; only a character device (a terminal or /dev/null) needs it.
 */
function isTTY(fd: number): boolean {
  let rdev: number;
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    rdev = st.rdev;
  } catch {
    return false;
  }
  // /dev/null is a character device but no terminal: told without loading tty (cron, a script's >/dev/null)
  if (rdev === devNullDevice()) return false;
  return process.getBuiltinModule('node:tty').isatty(fd);
}

let devNull: number | null | undefined;
function devNullDevice(): number | null {
  if (devNull === undefined)
    try {
      devNull = statSync('/dev/null').rdev;
    } catch {
      devNull = null;
    }
  return devNull;
}

/** process.stdout, stopping quietly when a reader such as `| head` closes the pipe, as git does. */
function stdoutStream(): Writable {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  return process.stdout;
}

/**
 * stdout as plain writes to fd 1 when it is not a terminal: creating
 * process.stdout loads node's stream and net modules, about 5 ms of every
 * run. A non-blocking descriptor that is full (EAGAIN) hands the rest to
 * process.stdout, which queues it.
 */
function fdStdout(): Writable {
  let stream: Writable | null = null;
  const write = (chunk: string | Uint8Array): boolean => {
    if (stream) return stream.write(chunk);
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    while (buf.length) {
      try {
        buf = buf.subarray(writeSync(1, buf));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
        if (code !== 'EAGAIN') throw err;
        stream = stdoutStream();
        return stream.write(buf);
      }
    }
    return true;
  };
  return { write } as unknown as Writable;
}

/** Entry point of every sase-<noun>-<verb> executable. */
export async function runMain(spec: CommandSpec): Promise<void> {
  const stdoutIsTTY = isTTY(1);
  // stdin and stderr are made on first use: most runs never read one or write the other
  const code = await runCommand(spec, process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    get stdin() {
      return process.stdin;
    },
    stdout: stdoutIsTTY ? stdoutStream() : fdStdout(),
    get stderr() {
      return process.stderr;
    },
    get stdinIsTTY() {
      return isTTY(0);
    },
    stdoutIsTTY,
    get stderrIsTTY() {
      return isTTY(2);
    },
  });
  process.exitCode = code;
}
