// Rebasing a branch away from the user's work tree, and showing a diff.
// A rebase runs in a temporary detached worktree under
// $GIT_COMMON_DIR/sase/worktrees/ (never the user's HEAD, index or files);
// it moves no ref itself: the caller moves the branch with compare-and-swap.
// A rebase that stops on a conflict leaves its worktree, with a small
// description beside it (<dir>.rebase.json), for the user to finish there.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { type GitEnv, GitError, GitMissingError, git, gitProcessEnv } from './exec.ts';
import type { Repo } from './repo.ts';
import { addTempWorktree, removeTempWorktree, worktreeEnv, worktreesDir } from './worktree.ts';

const inWorktree = worktreeEnv;

/** What a rebase was asked to do; kept beside a worktree left for the user. */
export interface RebasePlan {
  /** the branch's tip before the rebase */
  tip: string;
  /** the commit the replayed commits start after (exclusive) */
  upstream: string;
  /** the commit they are replayed onto */
  onto: string;
  /** anything the caller wants back when the user finishes (names, branches) */
  about: Record<string, string>;
}

export type RebaseOutcome =
  | { status: 'done'; tip: string }
  | {
      status: 'stopped';
      dir: string;
      stoppedAt: { sha: string; subject: string } | null;
      conflicts: string[];
      output: string;
    };

/** `label` names the worktree; a later pendingRebase(label) finds one left stopped. */
export async function rebaseDetached(repo: Repo, plan: RebasePlan, label: string): Promise<RebaseOutcome> {
  const dir = await addTempWorktree(repo, plan.tip, label);
  const wt = inWorktree(repo, dir);
  const r = await git(
    wt,
    // hooks off (the user's post-rewrite or pre-rebase hooks are for their own rebases); no config may
    // move other branches (rebase.updateRefs) or reorder commits (rebase.autoSquash)
    [
      '-c',
      'core.hooksPath=/dev/null',
      'rebase',
      '--no-autosquash',
      '--no-update-refs',
      '--no-autostash',
      '--onto',
      plan.onto,
      plan.upstream,
    ],
    { okCodes: [1, 128], env: { GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: 'true' } },
  ).catch(async (err) => {
    await removeTempWorktree(repo, dir);
    throw err;
  });
  if (r.exitCode === 0) {
    const tip = (await git(wt, ['rev-parse', '--verify', 'HEAD'])).stdout.trim();
    await removeTempWorktree(repo, dir);
    return { status: 'done', tip };
  }
  if (!(await rebaseInProgress(wt))) {
    // not a conflict: git refused to start (no identity, a bad commit): nothing to leave
    await removeTempWorktree(repo, dir);
    throw new GitError(['rebase'], r.exitCode, r.stderr || r.stdout);
  }
  writeFileSync(`${dir}.rebase.json`, JSON.stringify({ v: 1, label, ...plan }) + '\n');
  const conflicts = (
    await git(wt, ['-c', 'core.quotePath=false', 'diff', '--name-only', '--diff-filter=U', '-z'])
  ).stdout
    .split('\0')
    .filter(Boolean);
  const stopped = await git(wt, ['log', '-1', '--no-color', '--format=%H%x00%s', 'REBASE_HEAD', '--'], {
    okCodes: [128],
  });
  const [sha, subject] = stopped.exitCode === 0 ? stopped.stdout.trim().split('\0') : [];
  return {
    status: 'stopped',
    dir,
    stoppedAt: sha ? { sha, subject: subject ?? '' } : null,
    conflicts,
    output: (r.stdout + r.stderr).trim(),
  };
}

async function rebaseInProgress(wt: GitEnv): Promise<boolean> {
  for (const name of ['rebase-merge', 'rebase-apply']) {
    const p = (await git(wt, ['rev-parse', '--git-path', name])).stdout.trim();
    if (existsSync(resolve(wt.cwd, p))) return true;
  }
  return false;
}

/** A rebase left stopped for the user, and where it is now. */
export interface PendingRebase {
  dir: string;
  plan: RebasePlan;
  /** 'missing': the directory is gone; 'stopped': still mid-rebase; 'finished': the user completed (or aborted) it */
  state: 'missing' | 'stopped' | 'finished';
  /** the worktree's HEAD when finished */
  head: string | null;
}

/** The rebase left under `label`, if any (the newest, should there be several). */
export async function pendingRebase(repo: Repo, label: string): Promise<PendingRebase | null> {
  let names: string[];
  try {
    names = readdirSync(worktreesDir(repo));
  } catch {
    return null;
  }
  const mine = names
    .filter((n) => n.endsWith('.rebase.json'))
    .sort()
    .reverse();
  for (const n of mine) {
    let meta: RebasePlan & { label?: string };
    try {
      meta = JSON.parse(readFileSync(join(worktreesDir(repo), n), 'utf8'));
    } catch {
      continue;
    }
    if (meta.label !== label) continue;
    const dir = join(worktreesDir(repo), n.slice(0, -'.rebase.json'.length));
    const plan: RebasePlan = { tip: meta.tip, upstream: meta.upstream, onto: meta.onto, about: meta.about ?? {} };
    if (!existsSync(dir)) return { dir, plan, state: 'missing', head: null };
    const wt = inWorktree(repo, dir);
    if (await rebaseInProgress(wt).catch(() => false)) return { dir, plan, state: 'stopped', head: null };
    const head = await git(wt, ['rev-parse', '--verify', '--quiet', 'HEAD'], { okCodes: [1, 128] });
    if (head.exitCode !== 0) return { dir, plan, state: 'missing', head: null };
    return { dir, plan, state: 'finished', head: head.stdout.trim() };
  }
  return null;
}

/** Removes a left rebase: its worktree (whatever its state) and its description. */
export async function dropPendingRebase(repo: Repo, dir: string): Promise<void> {
  await removeTempWorktree(repo, dir);
  rmSync(`${dir}.rebase.json`, { force: true });
}

/**
 * `git diff` of base..tip (--stat for the diffstat). To a terminal it goes
 * through git's own pager (GIT_PAGER, core.pager, PAGER) with the terminal
 * handed over; elsewhere it is streamed to `out` as plain text.
 */
export async function showDiff(
  repo: Repo,
  base: string,
  tip: string,
  opts: { stat: boolean; terminal: boolean; color: 'auto' | 'always' | 'never'; out: Writable },
): Promise<void> {
  const { spawn } = await import('node:child_process');
  const diff = ['diff', '--no-ext-diff', ...(opts.stat ? ['--stat'] : []), base, tip, '--'];
  // 'auto' on a terminal is git's own choice (color.ui); elsewhere it is plain
  const color =
    opts.color === 'always' ? ['--color=always'] : opts.color === 'never' || !opts.terminal ? ['--no-color'] : [];
  if (opts.terminal) {
    // the user's environment as it is: their pager, locale and colours
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(repo.env)) if (v !== undefined) env[k] = v;
    const args = ['--paginate', diff[0]!, ...color, ...diff.slice(1)];
    const code = await new Promise<number>((done, fail) => {
      const p = spawn('git', args, { cwd: repo.cwd, env, stdio: 'inherit' });
      p.on('error', (err: NodeJS.ErrnoException) =>
        fail(err.code === 'ENOENT' ? new GitMissingError('git not found on PATH') : err),
      );
      p.on('close', (c) => done(c ?? 128));
    });
    if (code !== 0) throw new GitError(diff, code, '');
    return;
  }
  const args = [diff[0]!, ...color, ...diff.slice(1)];
  await new Promise<void>((done, fail) => {
    const p = spawn('git', args, { cwd: repo.cwd, env: gitProcessEnv(repo.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let closed = false;
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      if (closed) return;
      // a full stream (a slow reader) holds git back; a plain writer (the command's fd 1) blocks by itself
      if (!opts.out.write(d) && typeof opts.out.once === 'function') {
        p.stdout.pause();
        opts.out.once('drain', () => p.stdout.resume());
      }
    });
    // the reader went away (| head): stop git, end quietly
    if (typeof opts.out.once === 'function') {
      opts.out.once('error', () => {
        closed = true;
        p.kill();
      });
    }
    p.on('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? new GitMissingError('git not found on PATH') : err),
    );
    p.on('close', (c) => (c === 0 || closed ? done() : fail(new GitError(args, c ?? 128, stderr))));
  });
}
