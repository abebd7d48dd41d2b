import { newWorkspace } from '../app/workspaces/workspaces.ts';
import { isoNow } from '../cli/context.ts';
import { defineCommand } from '../cli/spec.ts';
import { printWorkspace } from '../cli/ws-view.ts';
import { checkRunName } from '../core/agents/run.ts';
import { UsageError } from '../core/errors.ts';
import { workspaceToWire } from '../wire/workspace.ts';

export const spec = defineCommand({
  name: 'ws-new',
  prints: ['workspace'],
  summary: 'create a numbered workspace: a git worktree on its own branch',
  args: [],
  options: [
    { flags: '--base <ref>', description: 'the revision it starts from (default HEAD)' },
    { flags: '--for <run>', description: 'the run that holds it (its state is then busy)' },
    { flags: '--branch <name>', description: 'the branch to create for it (default sase/ws/<n>)' },
  ],
  description: `Takes the lowest free workspace number n (1, 2, ...) and checks out a new git worktree in <root>/<n>, on a new branch sase/ws/<n> (or --branch) starting at --base. Your own work tree, HEAD and branches are left alone; the repository's hooks do not run for the checkout.

The root is [workspace] root in .sase/config.toml (relative to the top of the main checkout), or $GIT_COMMON_DIR/sase/workspaces/ by default. The workspace is recorded in the machine-local registry $GIT_COMMON_DIR/sase/workspaces.json with the run that holds it (--for) and its state: free, busy (held by a run) or finished (its run ended). Concurrent sase-ws-new never hand out one number twice.

Workspace #0 is the main checkout; it is never created or cleaned. Folder names come from numbers only.`,
  output:
    'One NDJSON record of kind "workspace": {v, kind, id (the number), n, path, branch, base (the commit it started from), run, state (free|busy|finished), created_at, source (new, git, cs, gh, main or cd), ref (the workspace reference it was made from, or null), exists, dirty}. With --format id, its number. On a terminal, a line naming it.',
  exit: [
    [1, 'refused: the --branch exists, or git could not create the worktree'],
    [4, 'the --base revision does not exist'],
    [129, 'a bad --branch or --base'],
  ],
  examples: [
    { cmd: 'sase ws new', text: 'a workspace at HEAD' },
    { cmd: 'cd "$(sase ws path "$(sase ws new --base main --format id)")"', text: 'make one at main and go there' },
  ],
  seeAlso: ['sase-ws-list', 'sase-ws-path', 'sase-ws-clean', 'sase-ws-resolve'],
  async run(ctx, args, opts) {
    if (args.length) throw new UsageError(`unexpected argument '${args[0]}'`);
    const store = await ctx.store();
    const w = await newWorkspace(store, {
      base: opts.base,
      run: opts.for === undefined ? null : checkRunName(opts.for),
      branch: opts.branch,
      at: isoNow(ctx),
    });
    printWorkspace(ctx, workspaceToWire({ ...w, exists: true, dirty: false }), 'created workspace');
    return 0;
  },
});
