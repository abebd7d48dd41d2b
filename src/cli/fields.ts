// gh's field selection: `--json id,title` prints records with those fields
// only. The list follows --json (or --json=...); a bare --json prints whole
// records, as it always did.

import { UsageError } from '../core/errors.ts';
import { RECORD_FIELDS, type RecordShape } from '../wire/fields.ts';
import type { NamedRecord } from '../wire/record.ts';
import type { Ctx } from './context.ts';

const FIELD_LIST = /^[a-z_]+(,[a-z_]+)*$/;

/**
 * argv without the field lists of --json, and the fields (null for none):
 * `--json=a,b` always; `--json a,b` when the word after --json is a list of
 * field names and cannot be an argument of the command: it takes none, or
 * the word names several fields, or another argument is given.
 */
export function takeJsonFields(argv: string[], takesArgs: boolean): { argv: string[]; fields: string[] | null } {
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const positional = (a: string) => a === '-' || !a.startsWith('-');
  let fields: string[] | null = null;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (i >= end || !(a === '--json' || a.startsWith('--json='))) {
      out.push(a);
      continue;
    }
    out.push('--json');
    let list = a.startsWith('--json=') ? a.slice(7) : null;
    const next = argv[i + 1];
    if (list === null && next !== undefined && i + 1 < end && FIELD_LIST.test(next)) {
      const others = argv.slice(0, end).filter((x, j) => j !== i + 1 && positional(x)).length;
      if (!takesArgs || next.includes(',') || others > 0) {
        list = next;
        i++;
      }
    }
    if (list === null) continue;
    const names = list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!names.length) throw new UsageError("option '--json': no fields after '='");
    fields = [...(fields ?? []), ...names];
  }
  return { argv: out, fields };
}

const checked = new WeakSet<Ctx>();

function unknownField(name: string, valid: readonly string[]): UsageError {
  return new UsageError(`option '--json': unknown field '${name}' (valid: ${valid.join(', ')})`);
}

/** The fields of any of these records, each once, in their order. */
export function printedFields(prints: readonly RecordShape[]): string[] {
  return [...new Set(prints.flatMap((shape): readonly string[] => RECORD_FIELDS[shape]))];
}

/**
 * Checks the fields against those of the records a command says it prints,
 * before it runs, so a write asked for a field no record has changes
 * nothing. The records it then prints are not checked again.
 */
export function checkFields(ctx: Ctx, fields: readonly string[], prints: readonly RecordShape[]): void {
  const valid = printedFields(prints);
  const unknown = fields.find((f) => !valid.includes(f));
  if (unknown !== undefined) throw unknownField(unknown, valid);
  checked.add(ctx);
}

/**
 * The record with the chosen fields only, in the order asked. Unless
 * checkFields has checked them, the first record a command prints decides
 * which fields exist: a name it does not have is a usage error naming those
 * it has. A record without one gets null.
 */
export function pickFields(ctx: Ctx, record: NamedRecord, fields: readonly string[]): Record<string, unknown> {
  const rec = record as unknown as Record<string, unknown>;
  if (!checked.has(ctx)) {
    const unknown = fields.find((f) => !(f in rec));
    if (unknown !== undefined) throw unknownField(unknown, Object.keys(rec));
    checked.add(ctx);
  }
  return Object.fromEntries(fields.map((f) => [f, rec[f] ?? null]));
}
