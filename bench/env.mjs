// The environment every benchmark runs sase in: the repository's bin/ first,
// no user or system git config, a fixed identity, C locale and UTC.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin');

/** A repository environment as the tests use: no user or system config, a fixed identity. */
export function envFor(home) {
  return {
    PATH: `${BIN}:${process.env.PATH}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC',
  };
}
