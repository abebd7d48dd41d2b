// The configuration's shape: .sase/config.toml over the user's
// $XDG_CONFIG_HOME/sase/config.toml, each checked section by section (an
// unknown key is an error naming its path), then merged table by table.

import { checkAceConfig } from './ace/actions.ts';
import { parseBudget } from './agents/budget.ts';
import { checkProvidersConfig } from './agents/providers.ts';
import { isValidPrefix } from './beads/model.ts';
import { checkBeadWorkConfig } from './beads/work.ts';
import { checkMentorsConfig } from './changes/mentors.ts';
import { FatalError } from './errors.ts';
import { checkNotifyConfig } from './notifications/desktop.ts';

export interface Config {
  beads: { prefix?: string };
  sync?: { remote?: string; auto?: boolean; claims?: SyncClaims };
  [section: string]: unknown;
}

/** Where a claim is decided: in this clone (local, the default), or by pushing it to the remote first. */
export type SyncClaims = 'local' | 'remote';
const SYNC_CLAIMS: readonly SyncClaims[] = ['local', 'remote'];

/** [sync] with its defaults: the remote sync and init use (null: the upstream's, else origin, else the only one). */
export interface SyncConfig {
  remote: string | null;
  auto: boolean;
  claims: SyncClaims;
}

export function syncConfig(config: Config): SyncConfig {
  return {
    remote: config.sync?.remote ?? null,
    auto: config.sync?.auto ?? false,
    claims: config.sync?.claims ?? 'local',
  };
}

// a remote's name as git takes it: no spaces, control characters or refspec syntax, not an option
const REMOTE_RE = /^(?!-)[A-Za-z0-9._/-]{1,100}$/;

function checkSyncConfig(body: Record<string, unknown>, file: string): void {
  const { remote, auto, claims } = body;
  if (remote !== undefined && (typeof remote !== 'string' || !REMOTE_RE.test(remote) || remote.includes('..')))
    throw new FatalError(`${file}: 'sync.remote' must be the name of a git remote (got ${JSON.stringify(remote)})`);
  if (auto !== undefined && typeof auto !== 'boolean')
    throw new FatalError(`${file}: 'sync.auto' must be true or false (got ${JSON.stringify(auto)})`);
  if (claims !== undefined && !SYNC_CLAIMS.includes(claims as SyncClaims))
    throw new FatalError(`${file}: 'sync.claims' must be "local" or "remote" (got ${JSON.stringify(claims)})`);
}

/** What a run's end does with work its agent left uncommitted: sase commits it (the default), or the run fails. */
export type OnUncommitted = 'commit' | 'fail';
const ON_UNCOMMITTED: readonly OnUncommitted[] = ['commit', 'fail'];

export function onUncommitted(config: Config): OnUncommitted {
  return ((config.agents as { on_uncommitted?: OnUncommitted } | undefined)?.on_uncommitted ??
    'commit') as OnUncommitted;
}

function checkAgentsConfig(body: Record<string, unknown>, file: string): void {
  const v = body.on_uncommitted;
  if (v !== undefined && !ON_UNCOMMITTED.includes(v as OnUncommitted))
    throw new FatalError(`${file}: 'agents.on_uncommitted' must be "commit" or "fail" (got ${JSON.stringify(v)})`);
}

// section -> allowed keys ('*' = a table of named entries checked by their own schema)
export const SCHEMA: Record<string, string[] | '*'> = {
  beads: ['prefix'],
  providers: '*',
  agents: ['provider', 'model', 'on_uncommitted'],
  workspace: ['root'],
  review: ['provider', 'remote', 'target'],
  axe: ['max_agent_runners', 'max_hook_runners', 'keep_workspaces', 'history', 'lumberjacks', 'chops'],
  notify: ['desktop'],
  mentors: '*',
  bead_work: ['models', 'jobs'],
  budget: ['per_run', 'per_epic', 'per_day'],
  sync: ['remote', 'auto', 'claims'],
  ace: ['keys'],
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
    if (section === 'agents') checkAgentsConfig(body as Record<string, unknown>, file);
    if (section === 'sync') checkSyncConfig(body as Record<string, unknown>, file);
    if (section === 'notify') checkNotifyConfig(body as Record<string, unknown>, file);
    if (section === 'ace') checkAceConfig(body as Record<string, unknown>, file);
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
