// The providers of a repository: the built-in table with the config's
// `[providers.<name>]` entries (user's, then the project's) over it.
import {
  builtinProviders,
  mergeProviders,
  type Provider,
  type ProviderTable,
  providerNamed,
} from '../../core/agents/providers.ts';
import { CONFIG_PATH } from '../../core/config.ts';
import type { Repo } from '../../git/repo.ts';
import { loadConfig } from './config.ts';

export async function loadProviders(repo: Repo): Promise<ProviderTable> {
  const config = await loadConfig(repo);
  return mergeProviders(builtinProviders(), config.providers, CONFIG_PATH);
}

/** The provider called `name` in this repository; unknown names are usage errors naming the known ones. */
export async function loadProvider(repo: Repo, name: string): Promise<Provider> {
  return providerNamed(name, await loadProviders(repo));
}
