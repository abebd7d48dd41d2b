// Configuration: .sase/config.toml in the work tree over the user's
// $XDG_CONFIG_HOME/sase/config.toml. Unknown keys are errors naming their path.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FatalError } from '../../core/errors.ts';
import { isValidPrefix } from '../../core/beads/model.ts';
import { checkProvidersConfig } from '../../core/agents/providers.ts';
import { checkMentorsConfig } from '../../core/changes/mentors.ts';
import { parseBudget } from '../../core/agents/budget.ts';
import { checkBeadWorkConfig } from '../../core/beads/work.ts';
import type { Repo } from '../../git/repo.ts';

export interface Config {
  beads: { prefix?: string };
  [section: string]: unknown;
}

// section -> allowed keys ('*' = a table of named entries checked by their own schema)
const SCHEMA: Record<string, string[] | '*'> = {
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

function validate(value: Record<string, unknown>, file: string): Config {
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

async function readToml(file: string): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const toml = (await import('toml')).default;
  try {
    return toml.parse(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as { line?: number; message?: string };
    throw new FatalError(`${file}${e.line ? `:${e.line}` : ''}: ${e.message ?? 'invalid TOML'}`);
  }
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      b && v && typeof b === 'object' && typeof v === 'object' && !Array.isArray(v)
        ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export async function loadConfig(repo: Repo): Promise<Config> {
  const home = repo.env.XDG_CONFIG_HOME || (repo.env.HOME ? join(repo.env.HOME, '.config') : null);
  const userFile = home ? join(home, 'sase', 'config.toml') : null;
  const projFile = repo.topLevel ? join(repo.topLevel, CONFIG_PATH) : null;
  // the parsed config is kept in the machine-local cache, keyed by both files'
  // size and mtime, so a command that reads it does not load the TOML parser
  const key = JSON.stringify([userFile, projFile].map(fileStamp));
  const cached = join(repo.commonDir, 'sase', 'cache', 'config.json');
  try {
    const hit = JSON.parse(readFileSync(cached, 'utf8'));
    if (hit.key === key) return hit.config as Config;
  } catch {
    // no cached config yet
  }
  const user = userFile ? await readToml(userFile) : null;
  if (user && userFile) validate(user, userFile);
  const proj = projFile ? await readToml(projFile) : null;
  if (proj && projFile) validate(proj, projFile);
  const config = validate(merge(user ?? {}, proj ?? {}), CONFIG_PATH);
  try {
    mkdirSync(dirname(cached), { recursive: true });
    const tmp = `${cached}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ key, config }));
    renameSync(tmp, cached);
  } catch {
    // a read-only repository: parse again next time
  }
  return config;
}

/** A file's identity for caching: [path, size, mtime], or null when it does not exist. */
function fileStamp(path: string | null): [string, number, number] | null {
  if (!path) return null;
  try {
    const st = statSync(path);
    return [path, st.size, st.mtimeMs];
  } catch {
    return null;
  }
}

/** The bead id prefix: config, else the repository folder's name (the main checkout's, for a linked worktree). */
export function defaultPrefix(repo: Repo): string {
  // the main checkout's folder, so that every linked worktree mints the same prefix
  const dir = repo.commonDir.endsWith('/.git') ? repo.commonDir.slice(0, -5) : (repo.topLevel ?? repo.commonDir);
  const name = basename(dir)
    .replace(/\.git$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name && isValidPrefix(name) ? name : 'sase';
}

export async function beadPrefix(repo: Repo): Promise<string> {
  return (await loadConfig(repo)).beads.prefix ?? defaultPrefix(repo);
}
