// Set-ups many test files share. A repository fixture is made once a process
// by the real commands and handed out as a fresh copy each time, so a test
// pays for a folder copy rather than for the processes and commands that made
// it. (Only repositories whose contents do not need to differ between tests
// are fixtures: bead ids are random, so two copies of a repository with beads
// would share them; beads are made by each test.)
import { repoFrom, type TestRepo, templateRepo } from './gitdir.ts';
import { initRepo, ok } from './run.ts';

const templates = new Map<string, Promise<string>>();

/** A fresh copy of the repository `build` makes (once a process for each `key`) from a new one like gitdir()'s. */
async function fixture(key: string, build: (repo: TestRepo) => Promise<void>): Promise<TestRepo> {
  let template = templates.get(key);
  if (!template) {
    template = (async () => {
      const repo = templateRepo();
      await build(repo);
      return repo.dir;
    })();
    templates.set(key, template);
  }
  return repoFrom(await template);
}

/** A repository initialised for sase with `sase init --prefix <prefix>`. */
export function initedRepo(prefix = 'ts'): Promise<TestRepo> {
  return fixture(`init ${prefix}`, (repo) => initRepo(repo, prefix));
}

/**
 * An initialised repository (prefix 'ts') with one change made by `sase cs
 * new <name> --description <description>` (and `--status <status>`), at
 * `now` (SASE_NOW) when given; its branch sase/cs/<name> starts at main.
 */
export function changeRepo(
  opts: { name?: string; description?: string; status?: string; now?: string } = {},
): Promise<TestRepo> {
  const { name = 'feat', description = 'A feature', status, now } = opts;
  return fixture(`change ${JSON.stringify([name, description, status, now])}`, async (repo) => {
    await initRepo(repo);
    await ok(repo, 'cs-new', [name, '--description', description, ...(status ? ['--status', status] : [])], {
      env: now ? { SASE_NOW: now } : {},
    });
  });
}

/** Creates a bead with `sase bead create <args>` (at `now`, SASE_NOW, when given); returns its record. */
export async function createBead(repo: TestRepo, args: string[], now?: string): Promise<Record<string, any>> {
  const [bead] = await ok(repo, 'bead-create', args, { env: now ? { SASE_NOW: now } : {} });
  if (!bead) throw new Error(`sase-bead-create ${args.join(' ')} printed no bead`);
  return bead;
}
