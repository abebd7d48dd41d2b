// The repositories the Axe ticks on this machine (`sase axe tick --all`):
// $XDG_CONFIG_HOME/sase/repos, one absolute path a line (a repository's main
// work tree). Written whole and atomically; '#' lines and blanks are kept out.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FatalError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../proc/files.ts';
import { userConfigDir } from '../config/config.ts';

type Env = Record<string, string | undefined>;

/** The registry file, or null when there is no home to keep it in. */
export function registryFile(env: Env): string | null {
  const dir = userConfigDir(env);
  return dir ? join(dir, 'repos') : null;
}

/** The registered repositories, in the order they were added. */
export function readRegistry(env: Env): string[] {
  const file = registryFile(env);
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const p = line.trim();
    if (p && !p.startsWith('#') && p.startsWith('/')) seen.add(p);
  }
  return [...seen];
}

function writeRegistry(env: Env, paths: string[]): void {
  const file = registryFile(env);
  if (!file) throw new FatalError('no home folder to keep the Axe registry in (set HOME or XDG_CONFIG_HOME)');
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, paths.map((p) => `${p}\n`).join(''));
}

/** Adds a repository; true when it was not registered yet. */
export function register(env: Env, path: string): boolean {
  const paths = readRegistry(env);
  if (paths.includes(path)) return false;
  writeRegistry(env, [...paths, path]);
  return true;
}

/** Removes a repository; true when it was registered. */
export function unregister(env: Env, path: string): boolean {
  const paths = readRegistry(env);
  if (!paths.includes(path)) return false;
  writeRegistry(
    env,
    paths.filter((p) => p !== path),
  );
  return true;
}
