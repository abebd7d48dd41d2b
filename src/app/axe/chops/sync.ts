// The 'sync' chop. (Being built.)
import { chopResult } from '../../../core/axe/result.ts';
import type { BuiltinChop } from './chop.ts';

export const chop: BuiltinChop = {
  name: 'sync',
  summary: '',
  isolated: false,
  async run() {
    return chopResult('no_op', 'not built yet');
  },
};
