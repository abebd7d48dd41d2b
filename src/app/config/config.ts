// Configuration: .sase/config.toml in the work tree over the user's
// $XDG_CONFIG_HOME/sase/config.toml. Unknown keys are errors naming their path.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isValidPrefix } from '../../core/beads/model.ts';
import { CONFIG_PATH, type Config, checkConfig, mergeConfig } from '../../core/config.ts';
import { FatalError } from '../../core/errors.ts';
import type { Repo } from '../../git/repo.ts';
import { localPath } from '../../git/repo.ts';
import { writeFileAtomic } from '../../proc/files.ts';
import { readSettings } from '../../store/settings.ts';
import type { Store } from '../../store/store.ts';

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

/** The user's own sase folder, $XDG_CONFIG_HOME/sase (default ~/.config/sase), or null without a home. */
export function userConfigDir(env: Record<string, string | undefined>): string | null {
  const home = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : null);
  return home ? join(home, 'sase') : null;
}

export async function loadConfig(repo: Repo): Promise<Config> {
  const userDir = userConfigDir(repo.env);
  const userFile = userDir ? join(userDir, 'config.toml') : null;
  const projFile = repo.topLevel ? join(repo.topLevel, CONFIG_PATH) : null;
  // the parsed config is kept in the machine-local cache, keyed by both files'
  // size and mtime, so a command that reads it does not load the TOML parser
  const key = JSON.stringify([userFile, projFile].map(fileStamp));
  const cached = localPath(repo, 'cache', 'config.json');
  try {
    const hit = JSON.parse(readFileSync(cached, 'utf8')) as { key?: unknown; config?: Config } | null;
    if (hit?.key === key) return hit.config as Config;
  } catch {
    // no cached config yet
  }
  const user = userFile ? await readToml(userFile) : null;
  if (user && userFile) checkConfig(user, userFile);
  const proj = projFile ? await readToml(projFile) : null;
  if (proj && projFile) checkConfig(proj, projFile);
  const config = checkConfig(mergeConfig(user ?? {}, proj ?? {}), CONFIG_PATH);
  try {
    mkdirSync(dirname(cached), { recursive: true });
    writeFileAtomic(cached, JSON.stringify({ key, config }));
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

/** The prefix a repository gets when nothing names one: its folder's name (the main checkout's, for a linked worktree). */
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

/**
 * The bead id prefix new ids take: the one every clone shares, settings.json
 * in the state ref; for a state made before it (or none yet), [beads] prefix
 * of the configuration, else the folder's name. The configuration is not read
 * when the ref answers: it may repeat the prefix, but the ref's value wins.
 */
export async function beadPrefix(store: Store): Promise<string> {
  const settings = await readSettings(await store.snapshot());
  return settings?.prefix ?? (await loadConfig(store.repo)).beads.prefix ?? defaultPrefix(store.repo);
}
