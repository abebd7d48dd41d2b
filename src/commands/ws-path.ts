import { getWorkspace } from '../app/workspaces/workspaces.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { parseWorkspaceNumber } from '../core/workspaces/refs.ts';

export const spec = defineCommand({
  name: 'ws-path',
  summary: "print a workspace's folder",
  args: [{ name: 'n', description: "the workspace's number ('2' or '#2'); 0 is the main checkout", required: true }],
  options: [],
  formatted: false,
  description: `Prints the absolute path of workspace N, alone on a line, so that cd "$(sase ws path 2)" works.`,
  output: 'The path and a newline, on a pipe as on a terminal.',
  exit: [[4, 'no such workspace']],
  examples: [
    { cmd: 'cd "$(sase ws path 2)"', text: 'go to workspace #2' },
    { cmd: 'sase ws path 0', text: 'the main checkout' },
  ],
  seeAlso: ['sase-ws-list', 'sase-ws-new'],
  async run(ctx, args) {
    if (args.length > 1) throw new UsageError(`one workspace at a time; '${args[1]}' is extra`);
    const n = parseWorkspaceNumber(args[0]!);
    const store = await ctx.store();
    const w = await getWorkspace(store, n);
    ctx.stdout.write(w.path + '\n');
    return 0;
  },
});
