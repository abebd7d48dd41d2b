// The chops sase ships: each answers in the tick's process and as the
// executable sase-chop-<name>. Loaded on first use, so a tick pays only for
// the chops it runs.
import type { BuiltinChop } from './chop.ts';

export const BUILTIN_CHOPS: Record<string, { summary: string; load(): Promise<BuiltinChop> }> = {
  waits: {
    summary: 'start waiting runs whose waits are met, carry detached epics on, continue approved workflows',
    load: async () => (await import('./waits.ts')).chop,
  },
  hooks: {
    summary: 'run the hooks of changes whose newest commit has no result; launch the mentors they lack',
    load: async () => (await import('./hooks.ts')).chop,
  },
  reviews: {
    summary: 'poll review comments of mailed changes and notice merged or closed reviews',
    load: async () => (await import('./reviews.ts')).chop,
  },
  sync: {
    summary: 'sase sync with the configured remote, so the Axes of several machines coordinate',
    load: async () => (await import('./sync.ts')).chop,
  },
  housekeeping: {
    summary: 'reap dead runs, clean old finished workspaces, trim runtime files, write the error digest',
    load: async () => (await import('./housekeeping.ts')).chop,
  },
};

export function isBuiltinChop(name: string): boolean {
  return Object.hasOwn(BUILTIN_CHOPS, name);
}
