import { listWorkspaces } from '../app/workspaces/workspaces.ts';
import { sayIfEmpty } from '../cli/io.ts';
import { listOptions } from '../cli/list.ts';
import { defineCommand } from '../cli/spec.ts';
import { printWorkspaces } from '../cli/ws-view.ts';
import { UsageError } from '../core/errors.ts';
import { applyListOps, checkListOps, type ListShape } from '../core/list-ops.ts';
import { type WorkspaceRecord, workspaceToWire } from '../wire/workspace.ts';

/** Workspaces by number; --grep searches the folder, branch and run. */
const WS_SHAPE: ListShape<WorkspaceRecord> = {
  fields: ['n', 'path', 'branch', 'run', 'state', 'created_at', 'source', 'exists', 'dirty'],
  text: (w) => [w.path, w.branch, w.run, w.ref],
};

export const spec = defineCommand({
  name: 'ws-list',
  prints: ['workspace'],
  summary: 'list the workspaces: the main checkout and the numbered worktrees',
  args: [],
  options: [...listOptions('workspaces', WS_SHAPE, 'folder, branch, run or ref')],
  description: `Lists workspace #0 (the main checkout) and every numbered workspace in the registry, by number: its folder, branch, the run that holds it, its state, whether the folder still exists and whether it has uncommitted changes (untracked files included).

A workspace whose folder is gone is listed with exists false; sase-ws-clean forgets it.`,
  output:
    'One NDJSON record a workspace, as sase-ws-new(1) prints: kind "workspace" {v, kind, id, n, path, branch, base, run, state, created_at, source, ref, exists, dirty}; #0 has source "main" and null base and created_at. With --format id, one number a line. On a terminal, a table.',
  exit: [],
  examples: [
    { cmd: 'sase ws list', text: 'every workspace' },
    { cmd: "sase ws list --json | jq 'select(.dirty)'", text: 'the workspaces with uncommitted work' },
  ],
  seeAlso: ['sase-ws-new', 'sase-ws-path', 'sase-ws-clean'],
  async run(ctx, args, opts) {
    if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
    checkListOps(WS_SHAPE, opts); // a bad --sort or --grep is a usage error before any work
    const store = await ctx.store();
    const workspaces = applyListOps((await listWorkspaces(store)).map(workspaceToWire), WS_SHAPE, opts);
    printWorkspaces(ctx, workspaces);
    await sayIfEmpty(ctx, workspaces.length, () => 'no workspaces');
    return 0;
  },
});
