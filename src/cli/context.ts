// What a command gets from the outside world. Only src/cli/main.ts builds it
// from `process`; tests and helpers can build it from anything. The one place
// that reads the machine's clocks and randomness (core/clock.ts).
import type { Readable, Writable } from 'node:stream';
import { type Clock, isoSeconds, type Random } from '../core/clock.ts';
import { openStore, type Store } from '../store/store.ts';
import { createColors } from './colors.ts';

export type Colors = ReturnType<typeof createColors>;
export type Format = 'text' | 'json' | 'id';

export interface Ctx extends CtxInit {
  /** colours for stdout text */
  colors: Colors;
  /** colours for stderr messages */
  errColors: Colors;
  format: Format;
  /** --json FIELDS: the only fields records are printed with (null: all of them) */
  fields: readonly string[] | null;
  /** the one clock */
  clock: Clock;
  /** the one source of random bytes (node:crypto is loaded on first use) */
  random: Random;
  /** the store of the repository at cwd, opened on first use */
  store(): Promise<Store>;
  /** the store if the command opened it, else null (without opening it) */
  openedStore(): Promise<Store> | null;
  /** where progress goes; quiet unless stderr is a terminal */
  progress(message: string): void;
  close(): void;
}

export interface CtxInit {
  cwd: string;
  env: Record<string, string | undefined>;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** the clock and randomness, when not the machine's (tests) */
  clock?: Clock;
  random?: Random;
}

/** The machine's clocks; SASE_NOW pins the time records carry (tests, demos). */
export function machineClock(env: CtxInit['env']): Clock {
  const pinned = env.SASE_NOW ? Date.parse(env.SASE_NOW) : Number.NaN;
  const wallMs = () => Date.now();
  const ms = () => performance.now();
  if (Number.isNaN(pinned)) return { now: () => new Date(), wallMs, ms };
  return { now: () => new Date(pinned), wallMs, ms };
}

/** The machine's randomness: node:crypto, loaded on first use. */
export const machineRandom: Random = async (n) => (await import('node:crypto')).randomBytes(n);

export function makeCtx(init: CtxInit, opts: { format?: Format; color?: boolean } = {}): Ctx {
  const noColor = 'NO_COLOR' in init.env || opts.color === false;
  const clock = init.clock ?? machineClock(init.env);
  const random = init.random ?? machineRandom;
  let store: Promise<Store> | null = null;
  let lastProgress = 0;
  let errColors: Colors | null = null;
  let stderrIsTTY: boolean | undefined;
  const ctx = {
    colors: createColors(init.stdoutIsTTY && !noColor),
    get errColors() {
      return (errColors ??= createColors(init.stderrIsTTY && !noColor));
    },
    format: opts.format ?? (init.stdoutIsTTY ? 'text' : 'json'),
    fields: null,
    clock,
    random,
    store() {
      store ??= openStore({ cwd: init.cwd, env: init.env }, { clock, random });
      return store;
    },
    openedStore() {
      return store;
    },
    progress(message: string) {
      if (!(stderrIsTTY ??= init.stderrIsTTY)) return;
      const t = clock.ms();
      if (t - lastProgress < 100 && !message.endsWith('done')) return;
      lastProgress = t;
      init.stderr.write(`\r\x1b[K${message}${message.endsWith('done') ? '\n' : ''}`);
    },
    close() {
      store?.then(
        (s) => s.close(),
        () => {},
      );
    },
  };
  // copied as they are, getters included: process.stdin and process.stderr
  // cost milliseconds to create, and most runs never touch them
  const { clock: _c, random: _r, ...outside } = Object.getOwnPropertyDescriptors(init);
  return Object.defineProperties(ctx, outside) as unknown as Ctx;
}

/** Now, as records write it. */
export function isoNow(ctx: Ctx): string {
  return isoSeconds(ctx.clock.now());
}
