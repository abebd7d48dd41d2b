import { maintenanceState } from '../app/axe/maintenance.ts';
import { MAINTENANCE_OUTPUT, printMaintenance } from '../cli/axe-maintenance.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  name: 'axe-maintenance-status',
  prints: ['axe-maintenance'],
  summary: 'whether the Axe is in maintenance here, since when and why',
  args: [],
  options: [],
  description: `Tells whether ticks are off in this repository (sase-axe-maintenance-enter(1)), since when, why and for as long as which process lives. A marker whose owner is gone or that is older than 24 hours is removed here, and that is told.`,
  output: MAINTENANCE_OUTPUT,
  exit: [[1, 'in maintenance']],
  examples: [{ cmd: 'sase axe maintenance status', text: 'is the Axe paused?' }],
  seeAlso: ['sase-axe-maintenance-enter', 'sase-axe-maintenance-exit', 'sase-axe-status'],
  async run(ctx) {
    const store = await ctx.store();
    const { active, cleared } = maintenanceState(store.repo, ctx.clock.wallMs());
    printMaintenance(ctx, active, cleared);
    return active ? 1 : 0;
  },
});
