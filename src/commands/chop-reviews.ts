import { builtinChopSpec } from '../cli/chop-command.ts';

export const spec = builtinChopSpec('reviews', {
  description: 'TODO',
});
