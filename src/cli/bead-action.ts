// The shape shared by commands that apply one operation to beads named by
// id (arguments or stdin): resolve, commit, print what changed.

import type { Bead } from '../core/beads/model.ts';
import type { BeadOp } from '../core/beads/ops.ts';
import { commitBeads, wireBeads } from '../store/bead-store.ts';
import type { SnapshotBeadReader } from '../store/beads.ts';
import { readBeads, resolveIds } from '../store/beads.ts';
import { printWrittenBeads } from './bead-view.ts';
import type { Ctx } from './context.ts';
import { isoNow } from './context.ts';
import { inputIds } from './io.ts';

/** What a line on a terminal says an operation did to a bead (the others: updated). */
const DONE: Partial<Record<BeadOp['op'], string>> = {
  'bead.close': 'closed',
  'bead.reopen': 'reopened',
  'bead.claim': 'claimed',
  'bead.release': 'released',
  'bead.note': 'noted',
};

export interface ActionContext {
  ids: string[];
  at: string;
  actor: string;
  reader: SnapshotBeadReader;
}

/**
 * Resolves the ids, builds the operation (again on every retry), commits it,
 * and prints the beads it changed, or the named beads unchanged for a no-op.
 */
export async function beadAction(
  ctx: Ctx,
  args: string[],
  opts: { readonly stdin?: boolean },
  build: (a: ActionContext) => BeadOp | Promise<BeadOp>,
  /** runs once the operation is committed, before anything is printed (a claim confirmed on the remote) */
  confirm?: (commit: string, ids: string[]) => Promise<void>,
): Promise<{ changed: Bead[]; removed: string[]; ids: string[] }> {
  const inputs = await inputIds(ctx, args, opts);
  const store = await ctx.store();
  const actor = (await store.ident()).email;
  const at = isoNow(ctx);
  let resolved: string[] = [];
  let op: BeadOp['op'] = 'bead.update';
  const { changes, commit } = await commitBeads(
    store,
    async (reader) => {
      resolved = [...new Set(await resolveIds(reader.snap, inputs))];
      const built = await build({ ids: resolved, at, actor, reader });
      op = built.op;
      return built;
    },
    (d, t) => ctx.progress(`reading beads: ${d}/${t}`),
  );
  if (confirm && commit) await confirm(commit, resolved);
  const snap = await store.snapshot();
  const changed = changes.filter((c) => c.bead).map((c) => c.bead!);
  const removed = changes.filter((c) => !c.bead).map((c) => c.id);
  const shown = changed.length || removed.length ? changed : await readBeads(snap, resolved);
  printWrittenBeads(ctx, await wireBeads(snap, shown), shown === changed ? (DONE[op] ?? 'updated') : 'unchanged');
  return { changed, removed, ids: resolved };
}
