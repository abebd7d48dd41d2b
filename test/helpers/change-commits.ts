// Records commits in a change's COMMITS straight through the store, for tests
// of commands that need recorded commits without depending on sase-cs-commit.

import { machineClock, machineRandom } from '../../src/cli/context.ts';
import { commitChange, mustReadChange } from '../../src/store/changes.ts';
import { openStore } from '../../src/store/store.ts';
import type { TestRepo } from './gitdir.ts';

export async function recordCommits(
  repo: TestRepo,
  name: string,
  commits: Array<{ sha: string; subject: string }>,
): Promise<void> {
  const store = await openStore(
    { cwd: repo.dir, env: repo.env },
    { clock: machineClock(repo.env), random: machineRandom },
  );
  try {
    await commitChange(store, '2026-11-25T10:00:00Z', async (snap) => {
      const c = await mustReadChange(snap, name);
      const added = commits.map((k, i) => ({
        n: c.commits.length + i + 1,
        subject: k.subject,
        sha: k.sha,
        bead: null,
      }));
      return {
        op: { op: 'cs.commit', name, shas: commits.map((k) => k.sha) },
        changes: [{ ...c, commits: [...c.commits, ...added] }],
        result: null,
      };
    });
  } finally {
    store.close();
  }
}
