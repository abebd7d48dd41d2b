// The configuration's shape: .sase/config.toml over the user's
// $XDG_CONFIG_HOME/sase/config.toml, each checked section by section (an
// unknown key is an error naming its path), then merged table by table.

import { parseBudget } from './agents/budget.ts';
import { checkProvidersConfig } from './agents/providers.ts';
import { isValidPrefix } from './beads/model.ts';
import { checkBeadWorkConfig } from './beads/work.ts';
import { checkMentorsConfig } from './changes/mentors.ts';
import { FatalError } from './errors.ts';

export interface Config {
  beads: { prefix?: string };
  [section: string]: unknown;
}

// section -> allowed keys ('*' = a table of named entries checked by their own schema)
export const SCHEMA: Record<string, string[] | '*'> = {
  beads: ['prefix'],
  providers: '*',
  agents: ['provider', 'model'],
  workspace: ['root'],
  review: ['provider', 'remote', 'target'],
  axe: ['max_agent_runners', 'lumberjacks'],
  mentors: '*',
  bead_work: ['models', 'jobs'],
  budget: ['per_run', 'per_epic', 'per_day'],
};

export const CONFIG_PATH = '.sase/config.toml';

export function checkConfig(value: Record<string, unknown>, file: string): Config {
  for (const [section, body] of Object.entries(value)) {
    const allowed = SCHEMA[section];
    if (!allowed) throw new FatalError(`${file}: unknown key '${section}'`);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new FatalError(`${file}: '${section}' must be a table`);
    if (section === 'providers') checkProvidersConfig(body, file);
    if (section === 'mentors') checkMentorsConfig(body, file);
    if (section === 'budget') parseBudget(body, file);
    if (section === 'bead_work') checkBeadWorkConfig(body, file);
    if (allowed === '*') continue;
    for (const key of Object.keys(body))
      if (!allowed.includes(key)) throw new FatalError(`${file}: unknown key '${section}.${key}'`);
  }
  const prefix = (value.beads as Record<string, unknown> | undefined)?.prefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || !isValidPrefix(prefix))) {
    throw new FatalError(
      `${file}: 'beads.prefix' must be lower-case letters, digits, '_' and inner '-' (got ${JSON.stringify(prefix)})`,
    );
  }
  return { beads: {}, ...value } as Config;
}

export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      b && v && typeof b === 'object' && typeof v === 'object' && !Array.isArray(v)
        ? mergeConfig(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
