import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Ctx, isoNow } from '../cli/context.ts';
import { readInputFile } from '../cli/files.ts';
import { countFindings } from '../cli/sdd-put.ts';
import { printDiagnostics } from '../cli/sdd-view.ts';
import { defineCommand } from '../cli/spec.ts';
import { RefusedError } from '../core/errors.ts';
import { DIAGNOSTIC_CODES, type Diagnostic, diag, hasErrors } from '../core/sdd/diagnostics.ts';
import type { SddReader } from '../core/sdd/ops.ts';
import { MAX_PLAN_BYTES } from '../core/sdd/paths.ts';
import { parsePlan } from '../core/sdd/plan.ts';
import { preparePlan } from '../core/sdd/store-plan.ts';
import { type StoredFile, validateStore } from '../core/sdd/validate.ts';
import { findPlan, listSddFiles, sddReader } from '../store/sdd.ts';

const CODES = DIAGNOSTIC_CODES.map(([code, text]) => `${code}: ${text}.`).join('\n\n');

export const spec = defineCommand({
  name: 'sdd-validate',
  prints: ['diagnostic'],
  summary: 'check plans: front matter, phases, body and the links between plans, prompts and beads',
  args: [
    {
      name: 'plan',
      complete: 'plans',
      description:
        "a file to check before it is stored, '-' for stdin, or a stored plan's slug or path (default: the whole store)",
      variadic: true,
    },
  ],
  options: [{ flags: '--strict', description: 'warnings are problems too (exit 1)', type: 'bool' }],
  description: `With no argument, checks every plan and prompt in the state ref. An argument that names a file on disk (or '-' for stdin) checks that file as 'sase sdd put' would before storing it, links included, without storing anything. Any other argument is a stored plan, by slug (ready-cache), tier and slug (epics/ready-cache) or path (sdd/epics/ready-cache.md): that plan and its prompt are checked.

Each plan is checked on its own (front matter schema per tier: unknown keys, missing or empty required fields, types, tiers, statuses, slugs, sizes; an epic's phases: non-empty, unique slug ids, depends_on naming earlier phases only, no self or repeated dependency; the body not empty) and with its links, in both directions: plan and prompt, plan and bead (the bead's design names the plan); a legend's epics; and an approved epic's phase beads still matching its phases (titles and dependencies).

Each finding has a stable code, a severity (error or warning), the file, the line when known, and a message. Warnings do not make the plans invalid unless --strict. The codes:

${CODES}`,
  input: "A plan's text on stdin when an argument is '-'.",
  output:
    'One NDJSON record a finding, of kind "diagnostic": {v, kind, code, severity (error or warning), path, line (null when not known), message}; nothing when all is well. With --format id, the files with findings, one a line. On a terminal, compiler-style lines (path:line: error: message [code]) and then a summary on stderr ("2 errors, 1 warning in 2 files" or "ok: 5 files").',
  exit: [
    [1, 'problems: an error was found (or a warning, with --strict)'],
    [4, 'no stored plan by that slug or path'],
  ],
  examples: [
    { cmd: 'sase sdd validate', text: 'check the whole plan store' },
    {
      cmd: 'sase sdd validate plan.md --strict',
      text: 'check a plan an agent wrote before storing it, warnings included',
    },
    { cmd: 'sase sdd validate ready-cache', text: 'check one stored plan and its prompt' },
    {
      cmd: 'sase sdd validate --json | jq -r \'select(.severity == "error") | .code\' | sort | uniq -c',
      text: 'count the errors by code',
    },
  ],
  seeAlso: ['sase-sdd-put', 'sase-sdd-edit', 'sase-sdd-approve', 'sase-fsck'],
  async run(ctx, args, opts) {
    const strict = opts.strict ?? false;
    const store = await ctx.store();
    const snap = await store.snapshot();
    const reader = sddReader(store, snap);
    const found: Diagnostic[] = [];
    let checked = 0;
    if (!args.length) {
      const files = await listSddFiles(snap);
      checked = files.length;
      found.push(...(await validateStore(reader, files)));
    }
    const seen = new Set<string>();
    for (const arg of args) {
      if (arg === '-' || isFile(resolve(ctx.cwd, arg))) {
        const where = arg === '-' ? 'stdin' : arg;
        if (seen.has(where)) continue;
        seen.add(where);
        checked++;
        found.push(...(await checkFile(ctx, reader, arg, where)));
        continue;
      }
      const plan = await findPlan(snap, arg); // a prompt by its path: prompts/<slug>
      const files: StoredFile[] = [plan];
      const prompt = plan.dir === 'prompts' ? null : parsePlan(plan.text, plan.path).plan?.prompt;
      if (prompt) {
        const text = await snap.readText(prompt);
        if (text !== null) files.push({ path: prompt, text });
      }
      const fresh = files.filter((f) => !seen.has(f.path));
      for (const f of fresh) seen.add(f.path);
      checked += fresh.length;
      found.push(...(await validateStore(reader, fresh)));
    }
    // --format id: the files with findings, one a line (for xargs)
    if (ctx.format === 'id') for (const path of new Set(found.map((d) => d.path))) ctx.stdout.write(path + '\n');
    else printDiagnostics(ctx, found);
    if (ctx.format === 'text') {
      const files = new Set(found.map((d) => d.path)).size;
      ctx.stderr.write(
        found.length
          ? `${countFindings(found)} in ${files} file${files === 1 ? '' : 's'}\n`
          : `ok: ${checked} file${checked === 1 ? '' : 's'}\n`,
      );
    }
    return hasErrors(found, strict) ? 1 : 0;
  },
});

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A file not yet stored: checked as 'sdd put' would, links included, nothing written. */
async function checkFile(ctx: Ctx, reader: SddReader, arg: string, where: string): Promise<Diagnostic[]> {
  if (arg !== '-' && statSync(resolve(ctx.cwd, arg)).size > MAX_PLAN_BYTES) {
    return [
      diag(
        'too-large',
        where,
        null,
        `the plan is ${statSync(resolve(ctx.cwd, arg)).size} bytes; at most ${MAX_PLAN_BYTES} are accepted`,
      ),
    ];
  }
  // a larger stdin is read and reported as too-large by the parser
  const text = await readInputFile(ctx, arg, 'plan file', Number.MAX_SAFE_INTEGER);
  try {
    return (await preparePlan(reader, text, where, isoNow(ctx))).diagnostics;
  } catch (err) {
    // a slug another tier's plan holds: a finding about this file, not a failure of the check
    if (err instanceof RefusedError) return [diag('tier-mismatch', where, null, err.message)];
    throw err;
  }
}
