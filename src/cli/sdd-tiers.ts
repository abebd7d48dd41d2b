// The --tier option of the plan-store commands (list, export): which of the
// store's directories a command reads. The seed spelled it --kind.

import { UsageError } from '../core/errors.ts';
import { TIER_DIRS, type TierDir } from '../core/sdd/paths.ts';
import type { OptionSpec, OptionsOf } from './spec.ts';

/** The directories, their singulars, and all. */
export const TIER_CHOICES = [
  'tales',
  'epics',
  'legends',
  'prompts',
  'all',
  'tale',
  'epic',
  'legend',
  'prompt',
] as const;
export const PLAN_DIRS: readonly TierDir[] = ['tales', 'epics', 'legends'];

export function tierOptions(defaults: string) {
  return [
    {
      flags: '--tier <tiers>',
      description: `comma-separated: tales, epics, legends, prompts or all (singulars too; default: ${defaults})`,
      type: 'list',
      choices: TIER_CHOICES,
    },
    { flags: '--kind <tiers>', description: 'the same as --tier', type: 'list', choices: TIER_CHOICES },
  ] as const satisfies readonly OptionSpec[];
}

function dirsOf(values: string[]): Set<TierDir> {
  const dirs = new Set<TierDir>();
  for (const v of values) {
    if (v === 'all') for (const d of TIER_DIRS) dirs.add(d);
    else dirs.add((v.endsWith('s') ? v : `${v}s`) as TierDir);
  }
  return dirs;
}

/** The directories --tier (or --kind) name, in store order; `fallback` when neither is given. */
export function tierDirs(opts: OptionsOf<ReturnType<typeof tierOptions>>, fallback: readonly TierDir[]): TierDir[] {
  const { tier, kind } = opts;
  if (tier?.length && kind?.length && [...dirsOf(tier)].sort().join() !== [...dirsOf(kind)].sort().join()) {
    throw new UsageError("'--kind' is another name for '--tier'; give one of them");
  }
  const values = tier?.length ? tier : kind;
  if (!values?.length) return [...fallback];
  const dirs = dirsOf(values);
  return TIER_DIRS.filter((d) => dirs.has(d));
}
