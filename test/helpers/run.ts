// Runs sase's commands against a test repository: in this process by default
// (the command's spec and runCommand, with the repository's cwd and env and
// captured streams), or through the real executables in bin/ where a test is
// about the process itself (launchers, signals, races, crashes, exit).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as assert from 'uvu/assert';
import { runCommand } from '../../src/cli/main.ts';
import type { CommandSpec } from '../../src/cli/spec.ts';
import type { TestRepo } from './gitdir.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin');

export interface RunOptions {
  /** standard input (nothing by default) */
  input?: string;
  /** added to the repository's environment */
  env?: Record<string, string>;
  /** where the command runs (the repository by default) */
  cwd?: string;
  /** which streams are terminals (in this process only; none by default) */
  tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean };
  /** in this process only: stdout and stderr are taken for terminals (text output, messages for people) */
  terminal?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as NDJSON; reading it fails the test when stdout is anything else */
  readonly records: Record<string, any>[];
}

/**
 * Each non-blank line of `stdout` as a JSON object; anything else (text, a
 * JSON value that is not an object, half a line) throws, showing stdout.
 */
export function parseRecords(stdout: string): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  for (const [i, line] of stdout.split('\n').entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(
        `stdout is not NDJSON (line ${i + 1} is not a JSON object); a test that expects text reads .stdout\nstdout: ${stdout.slice(0, 4000)}`,
      );
    }
    out.push(value as Record<string, any>);
  }
  return out;
}

/** A result whose records are parsed (strictly) when first read. */
export function runResult(code: number | null, stdout: string, stderr: string): RunResult {
  let records: Record<string, any>[] | null = null;
  return {
    code: code ?? 128,
    stdout,
    stderr,
    get records() {
      records ??= parseRecords(stdout);
      return records;
    },
  };
}

function envFor(repo: TestRepo, extra: Record<string, string> = {}): Record<string, string> {
  return { ...repo.env, PATH: `${BIN}:${repo.env.PATH}`, ...extra };
}

function launcher(name: string): string {
  return join(BIN, name ? `sase-${name}` : 'sase');
}

// ---------------------------------------------------------------------------
// In this process

const specs = new Map<string, Promise<CommandSpec>>();

function specOf(name: string): Promise<CommandSpec> {
  let spec = specs.get(name);
  if (!spec) {
    const file = join(ROOT, 'src', 'commands', `${name}.ts`);
    if (!existsSync(file)) throw new Error(`no command '${name}' (no ${file})`);
    spec = import(pathToFileURL(file).href).then((m: { spec: CommandSpec }) => m.spec);
    specs.set(name, spec);
  }
  return spec;
}

/** A stream that keeps what is written to it. */
class Capture extends Writable {
  private chunks: Buffer[] = [];
  constructor() {
    super({ highWaterMark: 1 << 30, decodeStrings: true });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGPIPE',
  'exit',
  'beforeExit',
  'uncaughtException',
  'unhandledRejection',
];

/** What a command must leave as it found it: signal and process handlers, the working folder, the environment, the exit code. */
function processState(): string {
  return JSON.stringify({
    handlers: Object.fromEntries(EVENTS.map((e) => [e, process.listenerCount(e)])),
    cwd: process.cwd(),
    env: process.env,
    exitCode: process.exitCode ?? null,
  });
}

/**
 * Runs `sase-<name> args...` in this process: the command's spec through
 * runCommand, in the repository (or opts.cwd) with its environment (bin/
 * first on PATH, plus opts.env), opts.input on stdin, stdout and stderr
 * captured, no terminal (unless opts.terminal). `sase` itself (name '')
 * is a script with process-wide effects, so it runs as a real process.
 */
export async function sase(
  repo: TestRepo,
  name: string,
  args: string[] = [],
  opts: RunOptions = {},
): Promise<RunResult> {
  if (name === '') return saseProcess(repo, name, args, opts);
  const spec = await specOf(name);
  const stdout = new Capture();
  const stderr = new Capture();
  const input = opts.input ?? '';
  const before = processState();
  const code = await runCommand(spec, args, {
    cwd: opts.cwd ?? repo.dir,
    env: envFor(repo, opts.env),
    stdin: Readable.from(input ? [Buffer.from(input)] : [], { objectMode: false }),
    stdout,
    stderr,
    stdinIsTTY: opts.tty?.stdin ?? false,
    stdoutIsTTY: opts.tty?.stdout ?? opts.terminal ?? false,
    stderrIsTTY: opts.tty?.stderr ?? opts.terminal ?? false,
  });
  const after = processState();
  if (after !== before) {
    throw new Error(
      `sase-${name} ${args.join(' ')} changed this process (its handlers, cwd, env or exit code)\nbefore: ${before}\nafter:  ${after}`,
    );
  }
  return runResult(code, stdout.text(), stderr.text());
}

/** Insists that a command succeeded quietly (exit 0, nothing on stderr); returns its records. */
function okResult(name: string, args: string[], r: RunResult): Record<string, any>[] {
  if (r.code !== 0 || r.stderr !== '') {
    throw new Error(
      `sase-${name} ${args.join(' ')} exited ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 2000)}`,
    );
  }
  return r.records;
}

/** Runs a command in this process and insists it succeeded quietly; returns its records. */
export async function ok(
  repo: TestRepo,
  name: string,
  args: string[] = [],
  opts: RunOptions = {},
): Promise<Record<string, any>[]> {
  return okResult(name, args, await sase(repo, name, args, opts));
}

/** A repository initialised for sase (prefix 'ts'). */
export async function initRepo(repo: TestRepo, prefix = 'ts'): Promise<void> {
  await ok(repo, 'init', ['--prefix', prefix]);
}

// ---------------------------------------------------------------------------
// Real processes: bin/sase-<name>, the launcher and the bundle

/** Runs the executable `bin/sase-<name>` (or `bin/sase` with name ''), synchronously. */
export function saseBin(repo: TestRepo, name: string, args: string[] = [], opts: RunOptions = {}): RunResult {
  const r = spawnSync(launcher(name), args, {
    cwd: opts.cwd ?? repo.dir,
    env: envFor(repo, opts.env),
    input: opts.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return runResult(r.status, r.stdout, r.stderr);
}

/** Runs the executable and insists it succeeded quietly; returns its records. */
export function okBin(repo: TestRepo, name: string, args: string[] = [], opts: RunOptions = {}): Record<string, any>[] {
  return okResult(name, args, saseBin(repo, name, args, opts));
}

/** Runs the executable as a child process, asynchronously (races, signals). */
export function saseProcess(
  repo: TestRepo,
  name: string,
  args: string[] = [],
  opts: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(launcher(name), args, {
      cwd: opts.cwd ?? repo.dir,
      env: envFor(repo, opts.env),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve(runResult(code, out, err)));
  });
}

/**
 * A `git` first on PATH that notes the arguments of each start, a line each,
 * then runs the real one: `env` to run the executables with (saseBin's opts),
 * `calls()` what was started since the last `calls()`.
 */
export function loggingGit(repo: TestRepo): { env: Record<string, string>; calls: () => string[] } {
  const dir = join(repo.home, 'logging-git');
  const log = join(dir, 'calls');
  const real = spawnSync('sh', ['-c', 'command -v git'], { env: repo.env, encoding: 'utf8' }).stdout.trim();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  return {
    env: { PATH: `${BIN}:${dir}:${repo.env.PATH}` },
    calls() {
      if (!existsSync(log)) return [];
      const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      rmSync(log);
      return lines;
    },
  };
}

// ---------------------------------------------------------------------------
// Reading results

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
