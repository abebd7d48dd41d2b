// Killing sase at random moments: a deterministic generator for the delays,
// a start-and-SIGKILL of one executable (alone, or with its git children),
// and the removal of git's own lock files a killed git leaves behind.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { TestRepo } from './gitdir.ts';
import { BIN } from './run.ts';

/** A deterministic PRNG (mulberry32), so a failing run can be repeated. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `sase-<name>` in its own process group and after `delayMs` SIGKILLs
 * either the sase process alone (its git children are left to finish or fail,
 * as after a crash of sase) or the whole group (git children too, as when a
 * machine or container goes down), then waits until the whole group is gone.
 */
export async function startAndKill(
  repo: TestRepo,
  name: string,
  args: string[],
  delayMs: number,
  input = '',
  group = false,
): Promise<{ code: number | null; signal: string | null }> {
  const child = spawn(join(BIN, `sase-${name}`), args, {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}` },
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const timer = setTimeout(() => {
    try {
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }, delayMs);
  const res = await done;
  clearTimeout(timer);
  const pgid = child.pid!;
  for (let i = 0; i < 500 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 10));
  assert.not.ok(groupAlive(pgid), 'the killed writer left no process behind');
  return res;
}

/**
 * git's own lock files that a git killed mid-update leaves (git never removes
 * them; the ref is untouched), removed as a person would after any
 * interrupted git command; returns how many there were.
 */
export function removeGitLocks(repo: TestRepo): number {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.lock')) found.push(join(dir, e.name));
    }
  };
  walk(join(repo.dir, '.git', 'refs'));
  for (const f of ['packed-refs.lock', 'HEAD.lock', 'index.lock'].map((f) => join(repo.dir, '.git', f)))
    if (existsSync(f)) found.push(f);
  for (const f of found) rmSync(f);
  return found.length;
}
