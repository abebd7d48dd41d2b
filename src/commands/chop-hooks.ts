import { builtinChopSpec } from '../cli/chop-command.ts';

export const spec = builtinChopSpec('hooks', {
  description: 'TODO',
});
