import { exitMaintenance } from '../app/axe/maintenance.ts';
import { MAINTENANCE_OUTPUT, printMaintenance } from '../cli/axe-maintenance.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  name: 'axe-maintenance-exit',
  prints: ['axe-maintenance'],
  summary: 'end maintenance: ticks run again',
  args: [],
  options: [],
  description: `Ends the maintenance sase-axe-maintenance-enter(1) began; the next tick runs what is due. Not being in maintenance is no error.`,
  output: MAINTENANCE_OUTPUT,
  exit: [],
  examples: [{ cmd: 'sase axe maintenance exit', text: 'let the Axe work again' }],
  seeAlso: ['sase-axe-maintenance-enter', 'sase-axe-maintenance-status'],
  async run(ctx) {
    const store = await ctx.store();
    const was = exitMaintenance(store.repo);
    printMaintenance(ctx, null, null);
    if (!was && ctx.format === 'text') ctx.stderr.write('(it was not in maintenance)\n');
  },
});
