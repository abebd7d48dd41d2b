// Agent runs in tests: a repository with the scripted agent configured as a
// provider (exactly as claude is), and waiting for a background run to end.
import { join } from 'node:path';
import { initedRepo } from './fixtures.ts';
import type { TestRepo } from './gitdir.ts';
import { ok, ROOT, sase } from './run.ts';

export const FIXTURE_AGENT = join(ROOT, 'test', 'fixtures', 'agent', 'agent');

/** A repository initialised for sase, with the provider 'fixture' running the scripted agent. */
export async function agentRepo(extraConfig = ''): Promise<TestRepo> {
  const repo = await initedRepo();
  repo.write('.sase/config.toml', `[providers.fixture]\ncommand = [${JSON.stringify(FIXTURE_AGENT)}]\n${extraConfig}`);
  return repo;
}

/** The prompt lines as one prompt. */
export function script(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a run until its status is one of `statuses` (by default, an end); fails after 30 s. */
export async function waitForRun(
  repo: TestRepo,
  id: string,
  statuses = ['done', 'failed', 'killed'],
): Promise<Record<string, any>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await sase(repo, 'agent-show', [id, '--json']);
    const rec = r.records[0];
    if (rec && statuses.includes(rec.status)) return rec;
    if (Date.now() > deadline) throw new Error(`run ${id} did not reach ${statuses.join('|')}: ${r.stdout}${r.stderr}`);
    await sleep(100);
  }
}

/** Starts a run in the background; returns its record as started. */
export async function detached(repo: TestRepo, prompt: string, args: string[] = []): Promise<Record<string, any>> {
  const recs = await ok(repo, 'agent-run', ['--provider', 'fixture', '--detach', ...args, '-'], { input: prompt });
  if (recs.length !== 1) throw new Error(`expected one run, got ${recs.length}`);
  return recs[0]!;
}

/** The agent's transcript events of a run. */
export async function transcript(repo: TestRepo, id: string): Promise<Record<string, any>[]> {
  return (await sase(repo, 'agent-log', [id])).stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}
