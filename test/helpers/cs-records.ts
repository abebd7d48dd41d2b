// Changes with every section, for the tests of the commands that show, list
// and change them: a stack base <- mid <- top, with texts stored through
// sase-cs-edit (an "editor" that copies a prepared file), and the last op.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRepo } from './gitdir.ts';
import { BIN, ok, type RunResult, sase } from './run.ts';

let n = 0;

/** Runs sase-cs-edit with an editor that replaces the text by `text`. */
export async function editTo(repo: TestRepo, name: string, text: string, args: string[] = []): Promise<RunResult> {
  const file = join(repo.dir, '.git', `edit-${n++}.cs`);
  writeFileSync(file, text);
  return await sase(repo, 'cs-edit', [name, ...args], { env: { SASE_EDITOR: `cp '${file}'` } });
}

/** The last operation on the state ref, as its Sase-Op trailer. */
export function lastOp(repo: TestRepo): Record<string, any> {
  const body = repo.git('log', '-1', '--format=%B', 'refs/sase/state');
  return JSON.parse(/^Sase-Op: (.*)$/m.exec(body)![1]!);
}

export function stateTip(repo: TestRepo): string {
  return repo.git('rev-parse', 'refs/sase/state').trim();
}

export const SHA1 = '4f1c2d9e0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const SHA2 = '9e8d7c6b5a49382716051f2e3d4c5b6a79881726';

/** The stored text of `mid` with commits, hooks (one passing, one failing), comments (one open) and deltas. */
export function midText(status = 'Draft'): string {
  return `NAME: mid
DESCRIPTION:
  Middle of the stack

  with a body
PARENT: base
STATUS: ${status}
COMMITS:
  (1) Add the cache
      | SHA: ${SHA1}
      | BEAD: ts-abcd
  (2) Use the cache
      | SHA: ${SHA2}
DELTAS:
  + src/cache.ts
      | LINES: +120 ~0 -0
  ~ src/ready.ts
      | LINES: +4 ~2 -1
HOOKS:
  npm test
      | (1) [2026-11-25T10:15:00Z] PASSED (12s)
      | (2) [2026-11-25T10:16:00Z] PASSED (1m3s)
  !npm run lint
      | (2) [2026-11-25T10:16:30Z] FAILED (4s)
COMMENTS:
  [alice] src/cache.ts:42 Path built from an id
  [bob] src/ready.ts:3 Check the error here - (!: unresolved)
      | and here
TIMESTAMPS:
  [2026-11-25T10:00:00Z] CREATE Draft from sase/cs/base at 000000000000
`;
}

/** base <- mid <- top, and other on its own; mid has every section (see midText). */
export async function makeStack(repo: TestRepo): Promise<void> {
  const env = { SASE_NOW: '2026-11-25T10:00:00Z' };
  await ok(repo, 'cs-new', ['base', '--description', 'Base of the stack'], { env });
  await ok(repo, 'cs-new', ['mid', '--parent', 'base', '--description', 'Middle', '--status', 'Draft'], { env });
  await ok(repo, 'cs-new', ['top', '--parent', 'mid', '--description', 'Top of the stack'], { env });
  await ok(repo, 'cs-new', ['other', '--description', 'Other work\n\nmentions spike'], { env });
  const r = await editTo(repo, 'mid', midText());
  if (r.code !== 0) throw new Error(`cs-edit mid: ${r.stderr}`);
}

/** Runs an executable on a pseudo-terminal (util-linux script), so it sees a TTY; returns what it wrote. */
export function onTerminal(repo: TestRepo, cmd: string, input = ''): { code: number; out: string } {
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}`, TERM: 'xterm' },
    input,
    encoding: 'utf8',
  });
  return { code: r.status ?? 128, out: r.stdout.replace(/\r\n/g, '\n') };
}
