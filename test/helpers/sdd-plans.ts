// Plans in the states tests need, and the code commits they link to: an epic with chosen phases, stored through
// sase-sdd-new and given its phases with sase-sdd-put when that command
// exists, else as an sdd.put operation written with plumbing (which replays
// from the commit's own tree, so sase-fsck still passes).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan, serializePlan } from '../../src/core/sdd/plan.ts';
import type { TestRepo } from './gitdir.ts';
import { BIN, ok, sase } from './run.ts';
import type { PhaseSpec } from './sdd.ts';
import { stored } from './sdd.ts';
import { opMessage, writeStateCommit } from './state.ts';

/** A draft epic `slug` with the given phases; returns its path. */
export async function draftEpic(repo: TestRepo, title: string, phases: PhaseSpec[]): Promise<string> {
  const [rec] = await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', title, '--goal', `${title} works`]);
  const path = rec!.path as string;
  const { plan } = parsePlan(stored(repo, path)!, path);
  const text = serializePlan({
    ...plan!,
    // the skeleton's sections written, so the plan holds no placeholder and can be approved
    body: plan!.body.replace(/^TODO$/gm, 'Written.'),
    phases: phases.map((p) => ({
      id: p.id,
      title: p.title ?? `Phase ${p.id}`,
      size: (p.size ?? 'small') as 'small',
      depends_on: p.depends_on ?? [],
      description: null,
      model: null,
      scope: [],
    })),
  });
  if (existsSync(join(BIN, 'sase-sdd-put'))) {
    repo.write('.plan.md', text);
    const r = await sase(repo, 'sdd-put', ['.plan.md']);
    if (r.code === 0) return path;
  }
  writeStateCommit(
    repo,
    { [path]: text },
    opMessage(`sdd put ${path}`, {
      op: 'sdd.put',
      paths: [path],
      at: '2026-01-01T00:00:00Z',
      actor: 'author@example.com',
    }),
  );
  return path;
}

/** An approved epic; returns the epic bead's id. */
export async function approvedEpic(repo: TestRepo, title: string, phases: PhaseSpec[]): Promise<string> {
  await draftEpic(repo, title, phases);
  const beads = await ok(repo, 'sdd-approve', [title.toLowerCase().replace(/[^a-z0-9]+/g, '-')]);
  return beads[0]!.id as string;
}

/** An empty code commit on the current branch, dated `date` when given (so an order by date is the test's); returns its id. */
export function codeCommit(repo: TestRepo, subject: string, date?: string): string {
  const env = date ? { ...repo.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date } : repo.env;
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', subject], { cwd: repo.dir, env });
  return repo.git('rev-parse', 'HEAD').trim();
}
