// How workspaces look: NDJSON records on pipes, a table or a line on a terminal.
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, printTable } from './render.ts';

type Rec = Record<string, unknown>;

function label(r: Rec): string {
  return r.n === null ? '-' : `#${r.n}`;
}

/** Prints workspace records: a table on a terminal. */
export function printWorkspaces(ctx: Ctx, records: Rec[]): void {
  printTable(ctx, records, (c) => [
    { header: 'N', get: label, color: (s) => c.cyan(s) },
    {
      header: 'STATE',
      get: (r) => (r.exists === false ? 'gone' : String(r.state ?? '')),
      color: (s, r) => (r.exists === false ? c.red(s) : r.state === 'busy' ? c.yellow(s) : s),
    },
    { header: 'DIRTY', get: (r) => (r.dirty ? 'dirty' : ''), color: (s) => c.yellow(s) },
    { header: 'BRANCH', get: (r) => String(r.branch ?? '(detached)') },
    { header: 'RUN', get: (r) => String(r.run ?? '') },
    { header: 'PATH', get: (r) => String(r.path), flex: true },
  ]);
}

/** Prints one workspace just made or found: a line on a terminal. */
export function printWorkspace(ctx: Ctx, r: Rec, verb = 'workspace'): void {
  if (ctx.format !== 'text') return writeRecord(ctx, r);
  const c = ctx.colors;
  ctx.stdout.write(
    `${verb} ${c.bold(label(r))} at ${clean(String(r.path))}${r.branch ? ` on branch ${c.cyan(clean(String(r.branch)))}` : ''}\n`,
  );
}
