// The Axe's configuration as a tick reads it: [axe] of the merged
// configuration, checked whole; every problem goes to the caller, and any
// problem stops the tick before a chop runs.
import { type AxeConfig, axeConfig } from '../../core/axe/config.ts';
import { CONFIG_PATH } from '../../core/config.ts';
import { FatalError } from '../../core/errors.ts';
import type { Repo } from '../../git/repo.ts';
import { loadConfig } from '../config/config.ts';

/** Refused configuration: every problem, a line each. */
export class AxeConfigError extends FatalError {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]!
        : `${problems.length} problems in the Axe's configuration (${problems[0]}; ...)`,
    );
  }
}

export async function loadAxeConfig(repo: Repo): Promise<AxeConfig> {
  const { config, problems } = axeConfig((await loadConfig(repo)).axe, CONFIG_PATH);
  if (problems.length) throw new AxeConfigError(problems);
  return config;
}
