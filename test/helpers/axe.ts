// The Axe in tests: a repository whose lumberjacks are quick (or only the
// ones a test names), user chops written as small shell scripts, and ticks.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentRepo } from './agents.ts';
import type { TestRepo } from './gitdir.ts';
import { ok, sase } from './run.ts';

/** Every default lumberjack off, so a test runs only what it configures. */
export const DEFAULTS_OFF = defaultsOffExcept();

/** Every default lumberjack off but those named, which run every 100ms. */
export function defaultsOffExcept(...quick: string[]): string {
  return ['waits', 'hooks', 'reviews', 'sync', 'housekeeping']
    .map((n) =>
      quick.includes(n) ? `[axe.lumberjacks.${n}]\ninterval = "100ms"\n` : `[axe.lumberjacks.${n}]\nenabled = false\n`,
    )
    .join('');
}

/** A repository with the scripted agent as provider 'fixture' and `config` appended. */
export function axeRepo(config = ''): Promise<TestRepo> {
  return agentRepo(config);
}

/** A user chop at .sase/axe/chops/<name>: a shell script. */
export function userChop(repo: TestRepo, name: string, body: string): string {
  const dir = join(repo.dir, '.sase', 'axe', 'chops');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** The Axe's machine-local state of a repository. */
export function axeState(repo: TestRepo): Record<string, any> {
  return JSON.parse(readFileSync(join(repo.dir, '.git', 'sase', 'axe', 'state.json'), 'utf8'));
}

/** One tick in this process; its records (one per pass). */
export async function tick(repo: TestRepo, args: string[] = []): Promise<Record<string, any>[]> {
  const r = await sase(repo, 'axe-tick', args);
  if (r.code !== 0) throw new Error(`axe-tick ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.records;
}

/** The chops a tick ran, as [chop, status]. */
export const ran = (recs: Record<string, any>[]) =>
  recs.flatMap((r) => r.chops.map((c: Record<string, any>) => [c.chop, c.status]));

export { ok };
