// Throw-away repositories for the demo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initRepository } from '../git/repo.ts';
import type { GitEnv } from '../git/exec.ts';

export async function makeScratchRepo(ctx: GitEnv, name: string): Promise<{ dir: string; remove(): void }> {
  const base = mkdtempSync(join(tmpdir(), 'sase-demo-'));
  const dir = join(base, name);
  await initRepository(ctx, dir);
  return { dir, remove: () => rmSync(base, { recursive: true, force: true }) };
}
