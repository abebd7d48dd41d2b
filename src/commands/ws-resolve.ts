import { resolveWorkspace } from '../app/workspaces/workspaces.ts';
import { isoNow } from '../cli/context.ts';
import { defineCommand } from '../cli/spec.ts';
import { printWorkspace } from '../cli/ws-view.ts';
import { checkRunName } from '../core/agents/run.ts';
import { UsageError } from '../core/errors.ts';
import { workspaceToWire } from '../wire/workspace.ts';

export const spec = defineCommand({
  name: 'ws-resolve',
  prints: ['workspace'],
  summary: 'resolve a workspace reference to a folder, making a workspace when it names one to make',
  args: [
    {
      name: 'ref',
      description: 'a workspace reference: #cd:<path>, #git:<ref>, #cs:<name>, #gh:<owner>/<repo>[#<pr>] or #<n>',
      required: true,
    },
  ],
  options: [{ flags: '--for <run>', description: 'the run that holds a workspace it makes' }],
  description: `Resolves the workspace references a prompt may start with:

#cd:<path> is that folder as it is (relative to the current folder; it must exist). #git:<ref> is a new numbered workspace (see sase-ws-new(1)) on its own branch at that revision. #cs:<name> is a new numbered workspace with the ChangeSpec's branch sase/cs/<name> checked out (not detached), refused when that branch is checked out elsewhere. #gh:<owner>/<repo> is a new numbered workspace folder holding a clone made by 'gh repo clone'; #gh:<owner>/<repo>#<pr> also runs 'gh pr checkout <pr>' in it. #<n> is the existing workspace n.

Nothing of the reference is ever given to a shell; the folders of new workspaces are named by their number only.`,
  output:
    'One NDJSON record of kind "workspace", as sase-ws-new(1) prints; a #cd: folder that is not a workspace has n null and its path as id. On a terminal, a line naming it.',
  exit: [
    [1, "refused: the change's branch is checked out elsewhere, or gh or git failed"],
    [4, 'the folder, revision, change branch or workspace does not exist'],
    [128, 'gh is not installed (for #gh:)'],
    [129, 'not a workspace reference'],
  ],
  examples: [
    { cmd: "sase ws resolve '#git:main'", text: 'a new workspace at main' },
    { cmd: "sase ws resolve '#cs:ready_cache_store'", text: "a workspace on a change's branch" },
    { cmd: "sase ws resolve '#gh:acme/widgets#7'", text: 'a clone with pull request 7 checked out' },
  ],
  seeAlso: ['sase-ws-new', 'sase-ws-list', 'sase-agent-run'],
  async run(ctx, args, opts) {
    if (args.length > 1) throw new UsageError(`one reference at a time; '${args[1]}' is extra`);
    const store = await ctx.store();
    const w = await resolveWorkspace(store, args[0]!, {
      cwd: ctx.cwd,
      at: isoNow(ctx),
      run: opts.for === undefined ? null : checkRunName(opts.for),
    });
    printWorkspace(ctx, workspaceToWire(w));
    return 0;
  },
});
