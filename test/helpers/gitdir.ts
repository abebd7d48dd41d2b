// Temporary git repositories for tests, with git's test-lib habits: a fixed
// author and committer, HOME in the temp folder, no system config, branch main.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
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

// Temp folders are removed as the run goes: those a test file made (at its
// top level or in its tests) once its last suite has run, in the background
// while the next file runs; what is left (templates, a run outside uvu's CLI,
// an interrupted one) when the process exits. SASE_KEEP_TMP keeps them all.
const keep = Boolean(process.env.SASE_KEEP_TMP);
const left = new Set<string>();
const byFile = new Map<number, string[]>();
let running: number | null = null;

function remove(dirs: string[]): void {
  for (const d of dirs) {
    void rm(d, { recursive: true, force: true }).then(
      () => left.delete(d),
      () => {}, // removed at exit
    );
  }
}

process.on('exit', () => {
  if (keep) return;
  for (const d of left) rmSync(d, { recursive: true, force: true });
});

// uvu's CLI imports every test file first (UVU_INDEX is the file's place while
// it is imported), then runs the suites each file queued in UVU_QUEUE, file
// after file: its runners are wrapped to know which file runs, and when.
type Group = unknown[];
const queue = (globalThis as { UVU_QUEUE?: Group[] }).UVU_QUEUE;
if (Array.isArray(queue)) {
  const hook = (group: Group, index: number) => {
    const wrap = (run: unknown) => {
      if (typeof run !== 'function') return run;
      const wrapped = async () => {
        running = index;
        try {
          return await run();
        } finally {
          running = null;
          if (group[group.length - 1] === wrapped && !keep) remove(byFile.get(index) ?? []);
        }
      };
      return wrapped;
    };
    for (let i = 1; i < group.length; i++) group[i] = wrap(group[i]);
    const push = group.push.bind(group);
    group.push = (...runs: unknown[]) => push(...runs.map(wrap));
  };
  for (const [i, g] of queue.entries()) hook(g, i);
  const push = queue.push.bind(queue);
  queue.push = (...groups: Group[]) => {
    const n = push(...groups);
    for (const [i, g] of groups.entries()) hook(g, n - groups.length + i);
    return n;
  };
}

/** A fresh folder in the temp folder (`prefix` + random), removed when the test file that made it is done. */
export function scratchDir(prefix = 'sase-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  left.add(dir);
  const file = running ?? (globalThis as { UVU_INDEX?: number }).UVU_INDEX;
  if (typeof file === 'number') {
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file)!.push(dir);
  }
  return dir;
}

/** A temp folder for the whole run (templates): removed when the process exits. */
function lifetimeDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  left.add(dir);
  return dir;
}

/** What every test repository runs with: a fixed author and committer, HOME and TMPDIR in its temp folder. */
function testEnv(base: string): Record<string, string> {
  const home = join(base, 'home');
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    // what the commands put in the temp folder (edit sessions, the demo's repositories) goes with the test's
    TMPDIR: join(base, 'tmp'),
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
}

/**
 * A test repository in a fresh temp folder: `dir` copied from `template` (a
 * folder holding a repository). `forTheRun`: kept until the process exits (a
 * fixture's template), not only until the test file that made it is done.
 */
export function repoFrom(template: string, name = 'repo', opts: { forTheRun?: boolean } = {}): TestRepo {
  const base = opts.forTheRun ? lifetimeDir('sase-template-') : scratchDir();
  return repoIn(base, name, (dir) => cpSync(template, dir, { recursive: true, preserveTimestamps: true }));
}

/**
 * A clone of `url` made by `git clone` (which copies neither refs/sase/* nor
 * notes), in a fresh temp folder, its folder named `name`.
 */
export function cloneRepo(url: string, name = 'clone'): TestRepo {
  return repoIn(scratchDir(), name, (dir, env) => {
    execFileSync('git', ['clone', '-q', url, dir], { env, stdio: 'pipe' });
    execFileSync('git', ['config', 'maintenance.auto', 'false'], { cwd: dir, env });
  });
}

/** The test repository `base`/`name`, made by `make` in the test environment of `base`. */
function repoIn(base: string, name: string, make: (dir: string, env: Record<string, string>) => void): TestRepo {
  const dir = join(base, name);
  const env = testEnv(base);
  mkdirSync(env.HOME!);
  mkdirSync(env.TMPDIR!);
  make(dir, env);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  return {
    dir,
    home: env.HOME!,
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

// The repositories gitdir() hands out are copies of one made once a process
// for each kind: a copy costs no process, git init and a commit cost five.
const templates = new Map<string, string>();

function template(bare: boolean, commit: boolean): string {
  const key = `${bare} ${commit}`;
  let dir = templates.get(key);
  if (!dir) {
    const base = lifetimeDir('sase-template-');
    dir = join(base, 'repo');
    mkdirSync(dir);
    const env = testEnv(base);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    git('init', '-q', '-b', 'main', ...(bare ? ['--bare'] : []));
    git('config', 'commit.gpgSign', 'false');
    git('config', 'maintenance.auto', 'false');
    if (!bare && commit) {
      writeFileSync(join(dir, 'README'), 'test\n');
      git('add', 'README');
      git('commit', '-q', '-m', 'initial');
    }
    templates.set(key, dir);
  }
  return dir;
}

/**
 * A fresh repository with one commit on main.
 *   main: o "initial"
 */
export function gitdir(opts: { name?: string; bare?: boolean; commit?: boolean } = {}): TestRepo {
  return repoFrom(template(opts.bare === true, !opts.bare && opts.commit !== false), opts.name);
}

/** A repository like gitdir()'s kept for the whole run: what a fixture makes once and copies for each test. */
export function templateRepo(): TestRepo {
  return repoFrom(template(false, true), 'repo', { forTheRun: true });
}

/**
 * The same repository seen by someone with no git identity: no GIT_AUTHOR_*,
 * GIT_COMMITTER_* or EMAIL, no user.name/user.email in its HOME, and git told
 * not to guess one from the host name (user.useConfigOnly), so the test does
 * not depend on the machine's host name, which git would otherwise try.
 */
export function withoutIdentity(repo: TestRepo): TestRepo {
  const env = { ...repo.env };
  for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL'])
    delete env[k];
  Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.useConfigOnly', GIT_CONFIG_VALUE_0: 'true' });
  return { ...repo, env, git: (...args) => execFileSync('git', args, { cwd: repo.dir, env, encoding: 'utf8' }) };
}
