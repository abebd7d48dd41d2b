// Whether the configuration mentions a setting at all, read as text: for the
// settings a hot command would otherwise load the whole configuration (and
// its TOML parser) to find off. A command that finds one mentioned hands the
// real decision to a process that parses it (sase sync --auto), or takes the
// mention as the setting (a remote claim: its sync reads the configuration).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userConfigDir } from '../app/config/config.ts';
import { CONFIG_PATH } from '../core/config.ts';

/** `[sync] auto = true`, in any form TOML writes it. */
export const AUTO_SYNC = /^[^#\n]*\bauto\s*=\s*true\b/m;
/** `[sync] claims = "remote"`. */
export const REMOTE_CLAIMS = /^[^#\n]*\bclaims\s*=\s*["']remote["']/m;

/** Whether the project's or the user's configuration file has a line `pattern` matches. */
export function configMentions(
  repo: { topLevel: string | null },
  env: Record<string, string | undefined>,
  pattern: RegExp,
): boolean {
  const user = userConfigDir(env);
  const files = [repo.topLevel ? join(repo.topLevel, CONFIG_PATH) : null, user ? join(user, 'config.toml') : null];
  return files.some((f) => {
    try {
      return f !== null && pattern.test(readFileSync(f, 'utf8'));
    } catch {
      return false;
    }
  });
}
