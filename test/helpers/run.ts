// Runs the real executables in bin/ against a test repository.
import { spawn, spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import type { TestRepo } from './gitdir.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as NDJSON */
  records: Record<string, any>[];
}

function envFor(repo: TestRepo, extra: Record<string, string> = {}): Record<string, string> {
  return { ...repo.env, PATH: `${BIN}:${repo.env.PATH}`, ...extra };
}

function result(status: number | null, stdout: string, stderr: string): RunResult {
  let records: Record<string, any>[] = [];
  try {
    records = stdout
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l));
  } catch {
    records = [];
  }
  return { code: status ?? 128, stdout, stderr, records };
}

/** Runs `sase-<name> args...` (or `sase` itself with name ''), synchronously. */
export function sase(
  repo: TestRepo,
  name: string,
  args: string[] = [],
  opts: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): RunResult {
  const file = join(BIN, name ? `sase-${name}` : 'sase');
  const r = spawnSync(file, args, {
    cwd: opts.cwd ?? repo.dir,
    env: envFor(repo, opts.env),
    input: opts.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return result(r.status, r.stdout, r.stderr);
}

/** The same, asynchronously (for races). */
export function saseAsync(
  repo: TestRepo,
  name: string,
  args: string[] = [],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(join(BIN, name ? `sase-${name}` : 'sase'), args, {
      cwd: repo.dir,
      env: envFor(repo, opts.env),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve(result(code, out, err)));
  });
}

/** Runs a command and insists it succeeded quietly; returns its records. */
export function ok(
  repo: TestRepo,
  name: string,
  args: string[] = [],
  opts: { input?: string; env?: Record<string, string> } = {},
): Record<string, any>[] {
  const r = sase(repo, name, args, opts);
  if (r.code !== 0 || r.stderr !== '') {
    throw new Error(
      `sase-${name} ${args.join(' ')} exited ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 2000)}`,
    );
  }
  return r.records;
}

/** A repository initialised for sase (prefix 'ts'). */
export function initRepo(repo: TestRepo, prefix = 'ts'): void {
  ok(repo, 'init', ['--prefix', prefix]);
}

/** Insists on a failure: the exit code, nothing on stdout, and the first stderr line. */
export function fails(r: RunResult, code: number, line: string): void {
  assert.is(r.code, code, r.stderr);
  assert.is(r.stdout, '');
  assert.is(r.stderr.split('\n')[0], line);
}

/** A text table as one object a row, keyed by the header (columns found by where each header starts). */
export function tableRows(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = [...head!.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index! }));
  return rows.map((line) =>
    Object.fromEntries(cols.map((c, i) => [c.name, line.slice(c.start, cols[i + 1]?.start ?? undefined).trim()])),
  );
}
