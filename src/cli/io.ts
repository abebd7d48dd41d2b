// NDJSON in and out. Records go to stdout one JSON object per line (or one id
// per line with --format id); text rendering is the command's own.

import { FatalError, UsageError } from '../core/errors.ts';
import type { NamedRecord } from '../wire/record.ts';
import type { Ctx } from './context.ts';
import { pickFields } from './fields.ts';

export function writeLine(ctx: Ctx, line: string): void {
  ctx.stdout.write(line + '\n');
}

/** Writes one record in the chosen machine format (json or id). */
export function writeRecord(ctx: Ctx, record: NamedRecord): void {
  if (ctx.format === 'id') writeLine(ctx, String(record.id ?? record.name ?? ''));
  else writeLine(ctx, JSON.stringify(ctx.fields ? pickFields(ctx, record, ctx.fields) : record));
}

export function warn(ctx: Ctx, message: string): void {
  ctx.stderr.write(`${ctx.errColors.yellow('warning:')} ${message}\n`);
}

export function info(ctx: Ctx, message: string): void {
  ctx.stderr.write(message + '\n');
}

/**
 * What a list says when it found nothing: on a terminal, one line on stderr
 * ('no ready beads; 2 blocked: sase bead blocked'), so a person is not left
 * wondering; on a pipe (or with --format/--json), nothing, so scripts read an
 * empty stream. `message` is worked out only then.
 */
export async function sayIfEmpty(ctx: Ctx, count: number, message: () => string | Promise<string>): Promise<void> {
  if (count > 0 || ctx.format !== 'text' || !ctx.stdoutIsTTY) return;
  info(ctx, await message());
}

const MAX_LINE = 64 << 20;
/**
 * The longest id, name or revision read from stdin: far above any real one
 * (ids are short, change names at most 100 characters), and low enough that
 * no lookup, pattern or message ever sees megabytes.
 */
export const MAX_ID_INPUT = 4096;

/** All of stdin as text (bounded). */
export async function readStdin(ctx: Ctx): Promise<string> {
  return readAll(ctx);
}

async function readAll(ctx: Ctx): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_LINE * 4) throw new FatalError('stdin: input larger than 256 MiB');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Each non-blank line of `text` as a JSON object; a bad line is fatal, named `<source>:<n>`. */
export function parseNdjson(text: string, source: string): Array<{ line: number; value: Record<string, unknown> }> {
  const out: Array<{ line: number; value: Record<string, unknown> }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new FatalError(`${source}:${i + 1}: not valid JSON`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new FatalError(`${source}:${i + 1}: not a JSON object`);
    out.push({ line: i + 1, value: value as Record<string, unknown> });
  });
  return out;
}

function boundedId(id: string, line: number): string {
  if (id.length > MAX_ID_INPUT)
    throw new FatalError(`stdin:${line}: id is too long (${id.length} characters, at most ${MAX_ID_INPUT})`);
  return id;
}

/** Ids from stdin: bare ids one a line, or NDJSON records carrying `id` (or `key`; the first of several keys present). */
export async function readIdsFromStdin(ctx: Ctx, key: string | string[] = 'id'): Promise<string[]> {
  const keys = typeof key === 'string' ? [key] : key;
  const text = await readAll(ctx);
  const ids: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith('{') || line.startsWith('[') || line.startsWith('"')) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new FatalError(`stdin:${i + 1}: not valid JSON`);
      }
      if (!value || typeof value !== 'object' || Array.isArray(value))
        throw new FatalError(`stdin:${i + 1}: not a JSON object`);
      const rec = value as Record<string, unknown>;
      const id = rec[keys.find((k) => typeof rec[k] === 'string' && rec[k] !== '') ?? keys[0]!];
      if (typeof id !== 'string' || !id) throw new FatalError(`stdin:${i + 1}: record has no '${keys.join("' or '")}'`);
      ids.push(boundedId(id, i + 1));
    } else if (/\s/.test(line)) {
      throw new FatalError(`stdin:${i + 1}: not an id or a JSON object`);
    } else ids.push(boundedId(line, i + 1));
  });
  return ids;
}

/**
 * The ids a command acts on: its arguments; or stdin with --stdin, a lone
 * '-', or no arguments while stdin is not a terminal. A command that acts on
 * records needs at least one: none at all (an empty pipe included) is a
 * usage error, so `ready | claim` with nothing ready says so rather than
 * succeeding having done nothing.
 */
export async function inputIds(
  ctx: Ctx,
  args: string[],
  opts: { readonly stdin?: boolean },
  what = 'bead id',
  key: string | string[] = 'id',
): Promise<string[]> {
  const lone = args.length === 1 && args[0] === '-';
  const fromStdin = opts.stdin || lone || (args.length === 0 && !ctx.stdinIsTTY);
  if (fromStdin && args.length && !lone) throw new UsageError(`give ${what}s as arguments or on stdin, not both`);
  const ids = fromStdin ? await readIdsFromStdin(ctx, key) : args;
  if (!ids.length) throw noIds(what);
  return ids;
}

/** The usage error of a command given no ids: none as arguments, none on stdin. */
export function noIds(what: string): UsageError {
  return new UsageError(`no ${what}s given (as arguments or on stdin)`);
}

/** What the man page of a command that needs ids says of none given (its INPUT and EXIT STATUS). */
export const NO_IDS_INPUT =
  'No id at all (none as arguments, and none on stdin: an empty pipe) is a usage error, exit 129: the command has nothing to act on.';
export const NO_IDS_EXIT: [number, string] = [129, 'no ids given, as arguments or on stdin'];
