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

/** A fresh folder in the temp folder (`prefix` + random), removed when the tests end. */
export function scratchDir(prefix = 'sase-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * A fresh repository with one commit on main.
 *   main: o "initial"
 */
export function gitdir(opts: { name?: string; bare?: boolean; commit?: boolean } = {}): TestRepo {
  const base = scratchDir();
  const dir = join(base, opts.name ?? 'repo');
  const home = join(base, 'home');
  // what the commands put in the temp folder (edit sessions, the demo's repositories) goes with the test's
  const tmp = join(base, 'tmp');
  mkdirSync(dir, { recursive: true });
  mkdirSync(home, { recursive: true });
  mkdirSync(tmp);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    TMPDIR: tmp,
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
