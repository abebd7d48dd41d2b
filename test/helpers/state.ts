// Looking at and writing refs/sase/state from the outside, with git's own
// plumbing: what the store tests use to count operations, check that a tip
// is whole, and write commits by hand (chosen ids, tampering, corruption).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newBead } from '../../src/core/beads/model.ts';
import { canonicalJson } from '../../src/core/canonical.ts';
import type { TestRepo } from './gitdir.ts';
import { BIN, sase } from './run.ts';

export const STATE = 'refs/sase/state';

/** Runs git in the repository; returns stdout, or null when git exits non-zero. */
export function gitTry(
  repo: TestRepo,
  args: string[],
  input?: string,
  env: Record<string, string> = {},
): string | null {
  try {
    return execFileSync('git', args, {
      cwd: repo.dir,
      env: { ...repo.env, ...env },
      encoding: 'utf8',
      input: input ?? '',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 256 << 20,
    });
  } catch {
    return null;
  }
}

/** The commit the state ref names, or null when it does not exist. */
export function stateTip(repo: TestRepo): string | null {
  return gitTry(repo, ['rev-parse', '--verify', '-q', `${STATE}^{commit}`])?.trim() || null;
}

/** How many commits (operations) the state ref holds; 0 without the ref. */
export function commitCount(repo: TestRepo): number {
  return stateTip(repo) ? Number(repo.git('rev-list', '--count', STATE).trim()) : 0;
}

/** Every file path in the state tip's tree. */
export function statePaths(repo: TestRepo): string[] {
  if (!stateTip(repo)) return [];
  return repo.git('ls-tree', '-r', '--name-only', '--full-tree', STATE).split('\n').filter(Boolean);
}

/** The operation names of the log, oldest first. */
export function opsInLog(repo: TestRepo): string[] {
  const out = repo.git('log', '--reverse', '--format=%B%x1e', STATE);
  return out
    .split('\x1e')
    .map((m) => /^Sase-Op: (.*)$/m.exec(m)?.[1])
    .filter((l): l is string => Boolean(l))
    .map((l) => JSON.parse(l).op as string);
}

export interface FsckResult {
  code: number;
  stderr: string;
  summary: Record<string, any>;
  problems: Record<string, any>[];
}

/** Runs sase-fsck and splits its records into problems and the summary. */
export async function fsck(repo: TestRepo, args: string[] = []): Promise<FsckResult> {
  const r = await sase(repo, 'fsck', args);
  const summary = r.records.find((x) => x.kind === 'fsck');
  if (!summary)
    throw new Error(`sase-fsck printed no summary (exit ${r.code})\nstderr: ${r.stderr}\nstdout: ${r.stdout}`);
  return { code: r.code, stderr: r.stderr, summary, problems: r.records.filter((x) => x.kind === 'problem') };
}

/** Insists that sase-fsck passes, showing its problems when it does not. */
export async function assertFsckOk(repo: TestRepo, where = ''): Promise<FsckResult> {
  const res = await fsck(repo);
  if (res.code !== 0 || !res.summary.ok) {
    throw new Error(
      `sase-fsck failed${where ? ` ${where}` : ''} (exit ${res.code}):\n${res.problems.map((p) => `  ${p.check}: ${p.message}`).join('\n')}\nstderr: ${res.stderr}`,
    );
  }
  return res;
}

/** A complete bead record with the defaults sase gives a new task. */
export function beadRecord(fields: Record<string, unknown> & { id: string }): Record<string, unknown> {
  const at = (fields.created_at as string | undefined) ?? '2025-01-01T00:00:00Z';
  return {
    ...newBead({ id: fields.id, title: `bead ${fields.id}`, created_at: at, created_by: 'author@example.com' }),
    ...fields,
  };
}

/** The path sase stores a bead at: beads/<first two characters of the hash>/<id>.json. */
export function beadPathOf(id: string): string {
  const top = id.split('.')[0]!;
  return `beads/${top.slice(top.lastIndexOf('-') + 1).slice(0, 2)}/${id}.json`;
}

/** A record as sase stores it (canonical JSON). */
export function canonical(record: unknown): string {
  return canonicalJson(record);
}

/**
 * Writes one commit on top of the state tip with plumbing only (a throw-away
 * index, hash-object, write-tree, commit-tree) and moves the ref with a
 * compare-and-swap. `files` maps paths to new content, or null to delete.
 * Returns the new commit.
 */
export function writeStateCommit(repo: TestRepo, files: Record<string, string | null>, message: string): string {
  const tip = stateTip(repo);
  const tmp = mkdtempSync(join(tmpdir(), 'sase-index-'));
  const env = { GIT_INDEX_FILE: join(tmp, 'index') };
  try {
    const g = (args: string[], input?: string) => {
      const out = gitTry(repo, args, input, env);
      if (out === null) throw new Error(`git ${args.join(' ')} failed`);
      return out;
    };
    if (tip) g(['read-tree', tip]);
    else g(['read-tree', '--empty']);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) g(['update-index', '--force-remove', '--', path]);
      else {
        const oid = g(['hash-object', '-w', '--stdin'], content).trim();
        g(['update-index', '--add', '--cacheinfo', `100644,${oid},${path}`]);
      }
    }
    const tree = g(['write-tree']).trim();
    const commit = g(['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-F', '-'], message).trim();
    g(['update-ref', '-m', message.split('\n')[0]!, STATE, commit, tip ?? '0'.repeat(40)]);
    return commit;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A commit message as sase writes it: a human subject, then the operation. */
export function opMessage(summary: string, op: Record<string, unknown>): string {
  return `sase: ${summary}\n\nSase-Op: ${JSON.stringify(op)}\n`;
}

/**
 * Adds beads with ids the test chooses, in one commit. Uses sase-bead-import
 * when it exists; otherwise writes them by hand as a `bead.import` operation
 * (which replays from the commit's own tree, so sase-fsck still passes).
 */
export async function addBeadsWithIds(repo: TestRepo, records: Record<string, unknown>[]): Promise<void> {
  const ids = records.map((r) => String(r.id));
  if (existsSync(join(BIN, 'sase-bead-import'))) {
    const r = await sase(repo, 'bead-import', [], { input: records.map((x) => JSON.stringify(x)).join('\n') + '\n' });
    if (r.code === 0) return;
    // an import with another input format: fall back to plumbing
  }
  const files: Record<string, string> = {};
  for (const rec of records) files[beadPathOf(String(rec.id))] = canonical(rec);
  writeStateCommit(
    repo,
    files,
    opMessage(`import ${ids.length} beads`, {
      op: 'bead.import',
      ids,
      at: '2025-01-01T00:00:00Z',
      actor: 'author@example.com',
    }),
  );
}

/** A tree entry as `git mktree` takes it: mode, type and id (a blob, a tree or a submodule's commit). */
export interface RawEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
}

/** Writes `content` as a blob; returns its id. */
export function blob(repo: TestRepo, content: string | Buffer): string {
  const out = execFileSync('git', ['hash-object', '-w', '--stdin'], {
    cwd: repo.dir,
    env: repo.env,
    input: content,
    maxBuffer: 512 << 20,
  });
  return out.toString().trim();
}

/** The tree `tree` with `path` set to `entry` (or removed with null), any name git would refuse included; returns its id. */
export function treeWith(repo: TestRepo, tree: string | null, path: string, entry: RawEntry | null): string {
  const [name, ...rest] = path.split('/');
  const lines = new Map<string, string>();
  if (tree)
    for (const l of repo.git('ls-tree', '-z', tree).split('\0').filter(Boolean))
      lines.set(l.slice(l.indexOf('\t') + 1), l);
  if (rest.length) {
    const sub = lines.get(name!);
    const subTree = sub && sub.split(' ')[1] === 'tree' ? sub.split(/[ \t]/)[2]! : null;
    const oid = treeWith(repo, subTree, rest.join('/'), entry);
    lines.set(name!, `040000 tree ${oid}\t${name}`);
  } else if (entry) lines.set(name!, `${entry.mode} ${entry.type} ${entry.oid}\t${name}`);
  else lines.delete(name!);
  return execFileSync('git', ['mktree', '-z', '--missing'], {
    cwd: repo.dir,
    env: repo.env,
    input: [...lines.values()].map((l) => `${l}\0`).join(''),
    encoding: 'utf8',
  }).trim();
}

/** Commits `tree` on the state tip with `message` and moves the ref (compare-and-swap); returns the commit. */
export function commitStateTree(repo: TestRepo, tree: string, message = 'sase: by hand\n'): string {
  const tip = stateTip(repo);
  // the message on stdin: it may be larger than an argument can be
  const commit = execFileSync('git', ['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-F', '-'], {
    cwd: repo.dir,
    env: repo.env,
    input: message,
    encoding: 'utf8',
  }).trim();
  repo.git('update-ref', STATE, commit, tip ?? '0'.repeat(40));
  return commit;
}

/** The state tip's tree id. */
export function stateTree(repo: TestRepo): string {
  return repo.git('rev-parse', `${STATE}^{tree}`).trim();
}
