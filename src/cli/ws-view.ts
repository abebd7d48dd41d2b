// How workspaces look: NDJSON records on pipes, a table or a line on a terminal.

import type { WorkspaceRecord } from '../wire/workspace.ts';
import type { Ctx } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, printTable } from './render.ts';

function label(r: WorkspaceRecord): string {
  return r.n === null ? '-' : `#${r.n}`;
}

/** Prints workspace records: a table on a terminal. */
export function printWorkspaces(ctx: Ctx, records: readonly WorkspaceRecord[]): void {
  printTable(ctx, records, (c) => [
    { header: 'N', get: label, color: (s) => c.cyan(s) },
    {
      header: 'STATE',
      get: (r) => (r.exists === false ? 'gone' : (r.state ?? '')),
      color: (s, r) => (r.exists === false ? c.red(s) : r.state === 'busy' ? c.yellow(s) : s),
    },
    { header: 'DIRTY', get: (r) => (r.dirty ? 'dirty' : ''), color: (s) => c.yellow(s) },
    { header: 'BRANCH', get: (r) => r.branch ?? '(detached)' },
    { header: 'RUN', get: (r) => r.run ?? '' },
    { header: 'PATH', get: (r) => r.path, flex: true },
  ]);
}

/** Prints one workspace just made or found: a line on a terminal. */
export function printWorkspace(ctx: Ctx, r: WorkspaceRecord, verb = 'workspace'): void {
  if (ctx.format !== 'text') {
    writeRecord(ctx, r);
    return;
  }
  const c = ctx.colors;
  ctx.stdout.write(
    `${verb} ${c.bold(label(r))} at ${clean(r.path)}${r.branch ? ` on branch ${c.cyan(clean(r.branch))}` : ''}\n`,
  );
}
