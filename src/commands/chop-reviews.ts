import { chopSpecDoc, runBuiltinChopCommand } from '../cli/chop-command.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  ...chopSpecDoc('reviews', {
    description: 'TODO',
  }),
  async run(ctx, args, opts) {
    return runBuiltinChopCommand(ctx, 'reviews', args, opts);
  },
});
