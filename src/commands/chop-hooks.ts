import { chopSpecDoc, runBuiltinChopCommand } from '../cli/chop-command.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  ...chopSpecDoc('hooks', {
    description: 'TODO',
  }),
  async run(ctx, args, opts) {
    return runBuiltinChopCommand(ctx, 'hooks', args, opts);
  },
});
