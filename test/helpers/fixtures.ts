// Set-ups many test files share. Each is made once a process by the real
// commands and handed out as a copy, so a test pays for a folder copy rather
// than for the processes and commands that made it.
import { repoFrom, templateRepo, type TestRepo } from './gitdir.ts';
import { initRepo } from './run.ts';

const inited = new Map<string, Promise<string>>();

/** A repository initialised for sase with `sase init --prefix <prefix>` (a fresh copy of one made once). */
export async function initedRepo(prefix = 'ts'): Promise<TestRepo> {
  let template = inited.get(prefix);
  if (!template) {
    template = (async () => {
      const repo = templateRepo();
      await initRepo(repo, prefix);
      return repo.dir;
    })();
    inited.set(prefix, template);
  }
  return repoFrom(await template);
}
