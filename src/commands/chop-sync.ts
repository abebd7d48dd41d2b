import { builtinChopSpec } from '../cli/chop-command.ts';

export const spec = builtinChopSpec('sync', {
  description: 'TODO',
});
