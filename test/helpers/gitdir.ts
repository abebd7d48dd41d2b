// Temporary git repositories for tests, with git's test-lib habits: a fixed
// author and committer, HOME in the temp folder, no system config, branch main.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRepo {
  dir: string;
  home: string;
  env: Record<string, string>;
  git(...args: string[]): string;
  write(path: string, content: string): void;
  cleanup(): void;
}

const made: string[] = [];
process.on('exit', () => {
  if (process.env.SASE_KEEP_TMP) return;
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/**
 * A fresh repository with one commit on main.
 *   main: o "initial"
 */
export function gitdir(opts: { name?: string; bare?: boolean; commit?: boolean } = {}): TestRepo {
  const base = mkdtempSync(join(tmpdir(), 'sase-test-'));
  made.push(base);
  const dir = join(base, opts.name ?? 'repo');
  const home = join(base, 'home');
  mkdirSync(dir, { recursive: true });
  mkdirSync(home, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'A U Thor',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'C O Mitter',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  git('init', '-q', '-b', 'main', ...(opts.bare ? ['--bare'] : []));
  git('config', 'commit.gpgSign', 'false');
  git('config', 'maintenance.auto', 'false');
  if (!opts.bare && opts.commit !== false) {
    writeFileSync(join(dir, 'README'), 'test\n');
    git('add', 'README');
    git('commit', '-q', '-m', 'initial');
  }
  return {
    dir,
    home,
    env,
    git,
    write(path, content) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
