import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Ctx } from '../cli/context.ts';
import { isoNow } from '../cli/context.ts';
import { info, parseNdjson, readStdin, warn, writeLine, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { type ImportOutcome, type ImportWarning, importWarnings, prepareImport } from '../core/beads/import.ts';
import type { Skip } from '../core/beads/incoming.ts';
import { quoteUntrusted } from '../core/beads/incoming.ts';
import { pushTo } from '../core/collections.ts';
import { FatalError, UsageError } from '../core/errors.ts';
import { importBeads } from '../store/bead-import.ts';
import { importToWire } from '../wire/bead.ts';

export const spec = defineCommand({
  name: 'bead-import',
  prints: ['import'],
  summary: "import beads from NDJSON (sase's own records or bd's issues.jsonl) in one commit",
  args: [{ name: 'file', complete: 'files', description: "an NDJSON file; '-' or none reads standard input" }],
  options: [
    {
      flags: '--dry-run',
      description: 'report what would be created, updated and skipped; write nothing',
      type: 'bool',
    },
  ],
  description: `Reads beads, one JSON object a line, and writes them all to the state ref in one commit (sase: import N beads), whose operation names the ids it wrote. Ids are kept. Import is an upsert: a record whose id is already stored replaces the stored bead; a record equal to the stored bead is unchanged, so importing the same file again commits nothing.

Two shapes are read, recognised record by record. sase's own records have "kind": "bead" (what sase-bead-export and sase-bead-list print; derived fields such as short_id and blocked are ignored). Any other record is an issue of the Go bd tool (its .beads/issues.jsonl, old or new shape); a record with a "_type" other than "issue" (memory, gate, ...) is skipped.

How bd maps to sase: type epic becomes a plan of tier epic; every other type becomes a task, or a phase when its parent is an epic (in the input or already stored), and keeps its bd type as the label bd:type=<type>. The parent comes from the "parent" field (or "parent_id") or the first parent-child edge (a second parent becomes a parent-child link); a blocks edge becomes a dependency, on a bead or on an external reference; discovered-from, tracks, related and every other kind become non-blocking links {kind, target}, and external_ref a link of kind external-ref. Statuses: open stays open; in_progress stays in_progress; hooked becomes in_progress with the label bd:status=hooked; pinned becomes open with the label bd:pinned; closed stays closed (resolution done, with its close_reason); tombstone is skipped; any other (blocked, deferred, or one bd does not know, with a warning) becomes open with the label bd:status=<status>. Priority, assignee, owner, created_by, labels, notes and timestamps are kept; timestamps are converted to UTC, to the second. bd's design text has no place in sase's design field (a path to a plan), so it is appended to the notes under the heading "## Design (from bd)", unless it is a one-line path, which stays in design. Acceptance criteria are appended to the description under "## Acceptance criteria (from bd)"; old-shape comments are appended to the notes as "[time] author: text" lines. Other bd fields are not kept. A "sase" object in a bd record (written by sase-bead-export --format bd) restores the fields bd has no place for.

Every record is checked as a stored bead is (a valid id, a one-line title, no control characters, known types and statuses). A record that fails is skipped with the reason; so is an id that cannot be stored safely (upper case, slashes, '..'): ids are never rewritten. When an id appears on several lines, the last one wins. A bd field that cannot be read as bd writes it (a status bd does not know, which becomes a label; dependencies or labels that are not a list; a dependency without a depends_on_id; a parent or parent_id that is not a string) is warned about with its line, never dropped in silence.

Nothing is written that the other commands would refuse. A dependency or parent that would close a cycle, with the edges of earlier lines and those of stored beads, is left out, with a warning naming it and the cycle. A phase whose parent is no epic, or that has no parent, is imported as a task, with a warning (a phase whose parent is missing stays one). A blocks edge to an external reference, external:<project>:<capability>, is a dependency: it blocks until marked satisfied (sase bead dep satisfy). A parent or dependency naming a bead that is neither in the input nor stored (bd leaves its wisps out of its export) is kept and recorded in the bead's missing list, with a warning: it blocks until the bead is imported or the reference is marked satisfied, and sase fsck reports it as a warning, not a problem.

A summary goes to standard error: how many beads were created, updated, unchanged and skipped, why each skipped record was left out, how many missing references were recorded, and a line-numbered warning a record (the first 20; the output record lists them all).`,
  input:
    "NDJSON from the file named, or from standard input: one JSON object a line, blank lines ignored. A line that is not a JSON object is fatal (exit 128) and named as '<file>:<line>' or 'stdin:<line>'; nothing is written.",
  output: `One NDJSON record of kind "import": {"v":1,"kind":"import","created":N,"updated":N,"unchanged":N,"skipped":[{"id","line","reason"}],"warnings":N,"warned":[{"id","line","message"}],"commit":"<oid>"|null} (commit is null when nothing changed or with --dry-run; id is null when the record had none; warned lists every warning, in line order). With --format id, the ids written (created and updated), one a line. On a terminal, one line of text.`,
  exit: [
    [
      1,
      'some records were invalid and skipped (the valid ones were imported); skipping tombstones, non-issue bd records and replaced duplicates is not a failure',
    ],
    [3, 'the state ref kept moving while importing; nothing was written, safe to retry'],
    [128, 'the input could not be read, or a line is not a JSON object'],
  ],
  examples: [
    { cmd: 'sase bead import .beads/issues.jsonl', text: "import a bd project's issues" },
    {
      cmd: 'sase bead export > beads.ndjson && sase bead import beads.ndjson',
      text: 'a round trip: the second step changes nothing',
    },
    {
      cmd: '(cd ../other && sase bead export) | sase bead import --dry-run',
      text: "see what importing another repository's beads would change",
    },
  ],
  seeAlso: ['sase-bead-export', 'sase-bead-list', 'sase-bead-dep-satisfy', 'sase-fsck', 'sase-log'],
  async run(ctx, args, opts) {
    const file = args[0] && args[0] !== '-' ? args[0] : null;
    if (!file && ctx.stdinIsTTY) throw new UsageError('no input: name a file, or pipe NDJSON into standard input');
    const text = file ? readInput(ctx, file) : await readStdin(ctx);
    const records = parseNdjson(text, file ?? 'stdin');
    const at = isoNow(ctx);
    ctx.progress(`checking ${records.length} records`);
    const { incoming, skipped } = prepareImport(records, at);
    const store = await ctx.store();
    const actor = (await store.ident()).email;
    ctx.progress(`writing ${incoming.length} beads`);
    const outcome = await importBeads(store, incoming, { at, actor, dryRun: opts.dryRun ?? false });
    ctx.progress('writing beads: done');
    const warnings = importWarnings(incoming, outcome);
    reportWarnings(ctx, warnings);
    reportSummary(ctx, records.length, outcome, skipped, opts.dryRun ?? false);
    printOutcome(ctx, outcome, skipped, warnings);
    return skipped.some((s) => s.invalid) ? 1 : 0;
  },
});

function readInput(ctx: Ctx, file: string): string {
  try {
    return readFileSync(resolve(ctx.cwd, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FatalError(
      `cannot read '${file}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err))}`,
    );
  }
}

const MAX_LISTED = 20;

/** One warning line a record, or the first ones and a count when there are many. */
function reportWarnings(ctx: Ctx, warnings: readonly ImportWarning[]): void {
  for (const w of warnings.slice(0, MAX_LISTED)) warn(ctx, `'${w.id}' (line ${w.line}): ${w.message}`);
  if (warnings.length > MAX_LISTED)
    warn(
      ctx,
      `${warnings.length - MAX_LISTED} more warnings like these (the "warned" list of the record names them all)`,
    );
}

function reportSummary(ctx: Ctx, read: number, o: ImportOutcome, skipped: Skip[], dryRun: boolean): void {
  const verb = dryRun ? 'dry run: would import' : 'imported';
  info(
    ctx,
    `${verb} ${read} records: ${o.created.length} created, ${o.updated.length} updated, ${o.unchanged.length} unchanged, ${skipped.length} skipped`,
  );
  const refs = o.dangling.reduce((n, d) => n + d.missing.length, 0);
  if (refs) {
    const parents = o.dangling.filter((d) => d.parent).length;
    info(
      ctx,
      `${dryRun ? 'would record' : 'recorded'} ${refs} references to beads the input leaves out as missing (${refs - parents} dependencies, ${parents} parents): they block until imported or satisfied ('sase fsck' lists them)`,
    );
  }
  const byReason = new Map<string, Skip[]>();
  for (const s of skipped) pushTo(byReason, s.reason, s);
  for (const [reason, list] of byReason) {
    const named = list.slice(0, 5).map((s) => `${s.id === null ? 'no id' : quoteUntrusted(s.id)} (line ${s.line})`);
    const more = list.length > 5 ? `, and ${list.length - 5} more` : '';
    info(ctx, `skipped ${list.length}: ${reason}: ${named.join(', ')}${more}`);
  }
}

function printOutcome(ctx: Ctx, o: ImportOutcome, skipped: Skip[], warnings: ImportWarning[]): void {
  if (ctx.format === 'id') {
    for (const id of [...o.created, ...o.updated].sort()) writeLine(ctx, id);
    return;
  }
  if (ctx.format === 'text') {
    const commit = o.commit ? `; commit ${o.commit.slice(0, 12)}` : '; nothing to commit';
    writeLine(
      ctx,
      `${o.created.length} created, ${o.updated.length} updated, ${o.unchanged.length} unchanged, ${skipped.length} skipped${commit}`,
    );
    return;
  }
  writeRecord(ctx, importToWire(o, skipped, warnings));
}
