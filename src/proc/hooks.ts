// Running one hook: the user's own command text through `sh -c`, in its own
// process group (so a time limit kills everything it started), stdin closed,
// stdout and stderr captured together with a bound on what is kept.
import type { Clock } from '../core/clock.ts';
import { childProcess } from './child-process.ts';

/** Output kept from a hook: its first and last halves when it prints more. */
export const MAX_HOOK_OUTPUT = 1 << 20;

export interface HookProcess {
  /** the shell's exit code, null when a signal ended it */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** the run was ended because sase itself was interrupted */
  interrupted: boolean;
  /** wall-clock seconds */
  seconds: number;
  /** the kept output: all of it, or its head and tail around a '[... N bytes cut ...]' line */
  output: Buffer;
  /** how many bytes the hook printed in all */
  bytes: number;
  /** stdout alone, kept the same way (a workflow step's outputs are read from it) */
  stdout: Buffer;
  /** stderr alone, kept the same way (a failed step says why from its tail) */
  stderr: Buffer;
}

/**
 * Keeps at most `max` bytes of a stream: the first half as it comes, the
 * last half as a rolling window.
 */
export class BoundedCapture {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  total = 0;

  constructor(private readonly max = MAX_HOOK_OUTPUT) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const half = this.max >> 1;
    if (this.headBytes < half) {
      const take = Math.min(half - this.headBytes, chunk.length);
      this.head.push(chunk.subarray(0, take));
      this.headBytes += take;
      chunk = chunk.subarray(take);
    }
    if (!chunk.length) return;
    this.tail.push(Buffer.from(chunk)); // a copy: the rest of a large chunk is not kept alive
    this.tailBytes += chunk.length;
    // everything fits while the total stays under the bound; beyond it, the tail is trimmed to its half
    const room = this.total <= this.max ? this.max - this.headBytes : half;
    while (this.tailBytes - this.tail[0]!.length >= room) this.tailBytes -= this.tail.shift()!.length;
    if (this.tailBytes > room) {
      this.tail[0] = this.tail[0]!.subarray(this.tailBytes - room);
      this.tailBytes = room;
    }
  }

  result(): Buffer {
    const cut = this.total - this.headBytes - this.tailBytes;
    if (cut <= 0) return Buffer.concat([...this.head, ...this.tail]);
    const head = Buffer.concat(this.head);
    const nl = head.length && head[head.length - 1] !== 0x0a ? '\n' : '';
    return Buffer.concat([head, Buffer.from(`${nl}[... ${cut} bytes cut ...]\n`), ...this.tail]);
  }
}

const KILL_GRACE_MS = 2_000;
/** How long to wait for the pipes to close once the shell is gone (a child that left the group may hold them). */
const DRAIN_MS = 1_000;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/**
 * Runs `sh -c <command>` (or the argument array `argv`: `python3 -c
 * <script>`) in `cwd` with `env`; never throws for what the command does. On
 * timeout, or when `signal` aborts, the whole process group gets SIGTERM,
 * then SIGKILL; when the shell ends, whatever it left running in its group
 * is killed, so no hook outlives its run.
 */
export function runHookProcess(opts: {
  command: string;
  argv?: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxOutput?: number;
  signal?: AbortSignal;
  /** how the hook's seconds are counted */
  clock: Pick<Clock, 'ms'>;
}): Promise<HookProcess> {
  const started = opts.clock.ms();
  const capture = new BoundedCapture(opts.maxOutput);
  const stdoutCapture = new BoundedCapture(opts.maxOutput);
  const stderrCapture = new BoundedCapture(opts.maxOutput);
  const argv = opts.argv ?? ['sh', '-c', opts.command];
  return new Promise((resolve) => {
    let timedOut = false;
    let interrupted = false;
    let exited: { code: number | null; signal: string | null } | null = null;
    let spawnError: Error | null = null;
    const child = childProcess().spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const pid = child.pid;
    const timers: NodeJS.Timeout[] = [];
    let open = 2;
    let done = false;
    const onSignal = (sig: NodeJS.Signals) => {
      interrupted = true;
      if (pid) killGroup(pid, 'SIGKILL');
      void sig;
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, onSignal);
    const onAbort = () => {
      if (exited || !pid) return;
      interrupted = true;
      killGroup(pid, 'SIGTERM');
      timers.push(setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS));
    };
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.signal?.aborted) queueMicrotask(onAbort);

    const finish = () => {
      if (done || !exited) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      for (const s of signals) process.off(s, onSignal);
      opts.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const seconds = (opts.clock.ms() - started) / 1000;
      if (spawnError) {
        const msg = Buffer.from(`sase: cannot run ${argv[0]}: ${spawnError.message}\n`);
        resolve({
          exitCode: null,
          signal: null,
          timedOut,
          interrupted,
          seconds,
          output: msg,
          bytes: msg.length,
          stdout: Buffer.alloc(0),
          stderr: msg,
        });
        return;
      }
      resolve({
        exitCode: exited.code,
        signal: exited.signal,
        timedOut,
        interrupted,
        seconds,
        output: capture.result(),
        bytes: capture.total,
        stdout: stdoutCapture.result(),
        stderr: stderrCapture.result(),
      });
    };
    const closed = () => {
      if (--open === 0) finish();
    };
    child.stdout!.on('data', (d: Buffer) => stdoutCapture.push(d));
    child.stderr!.on('data', (d: Buffer) => stderrCapture.push(d));
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', (d: Buffer) => capture.push(d));
      stream.on('close', closed);
      stream.on('error', () => {});
    }
    child.on('error', (err) => {
      spawnError = err;
      exited = { code: null, signal: null };
      finish();
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // the shell is gone: what it left behind in its group goes too
      if (pid) killGroup(pid, 'SIGKILL');
      timers.push(setTimeout(finish, DRAIN_MS));
      if (open === 0) finish();
    });
    if (opts.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          if (exited || !pid) return;
          timedOut = true;
          killGroup(pid, 'SIGTERM');
          timers.push(setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS));
        }, opts.timeoutMs),
      );
    }
  });
}
