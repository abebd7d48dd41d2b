// What a command gets from the outside world. Only src/cli/main.ts builds it
// from `process`; tests and helpers can build it from anything. The one place
// that reads the machine's clocks and randomness (core/clock.ts).
import type { Readable, Writable } from 'node:stream';
import { type Clock, isoSeconds, type Random } from '../core/clock.ts';
import { openStore, type Store } from '../store/store.ts';
import { type ColorWhen, colorChoice, colorWanted, createColors } from './colors.ts';

export type Colors = ReturnType<typeof createColors>;
export type Format = 'text' | 'json' | 'id';

export interface Ctx extends CtxInit {
  /** colours for stdout text */
  colors: Colors;
  /** colours for stderr messages */
  errColors: Colors;
  /** colour as --color, NO_COLOR and FORCE_COLOR chose it; 'auto' leaves it to the stream (for tools sase runs, such as git diff) */
  color: ColorWhen;
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

export function makeCtx(init: CtxInit, opts: { format?: Format; color?: ColorWhen } = {}): Ctx {
  const when = opts.color ?? 'auto';
  const clock = init.clock ?? machineClock(init.env);
  const random = init.random ?? machineRandom;
  let store: Promise<Store> | null = null;
  let errColors: Colors | null = null;
  const progress = progressLine(init, clock);
  const ctx = {
    colors: createColors(colorWanted(when, init.env, init.stdoutIsTTY)),
    get errColors() {
      return (errColors ??= createColors(colorWanted(when, init.env, init.stderrIsTTY)));
    },
    color: colorChoice(when, init.env),
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
    progress,
    close() {
      progress.clear();
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

const ERASE = '\r\x1b[K';

/**
 * The progress line on stderr, drawn only on a terminal: each message
 * replaces the last (at most ten a second), a message ending in 'done'
 * erases it, and while a line is shown, anything written to stdout or
 * stderr erases it first, so no output lands after a half line
 * ('reading beads: 50000/50000{"id":...'). The streams' write is wrapped
 * only while a line is shown.
 */
function progressLine(init: CtxInit, clock: Clock): ((message: string) => void) & { clear(): void } {
  let last = 0;
  type Write = (this: Writable, chunk: string) => boolean;
  let shown: { stream: Writable; write: Write }[] | null = null;
  const clear = () => {
    if (!shown) return;
    const [err] = shown;
    for (const s of shown) s.stream.write = s.write as Writable['write'];
    shown = null;
    err!.stream.write(ERASE);
  };
  const draw = (message: string) => {
    if (message.endsWith('done')) return clear();
    if (!init.stderrIsTTY) return;
    const t = clock.ms();
    if (shown && t - last < 100) return;
    last = t;
    if (!shown) {
      // stderr first: clear() erases with its own write
      shown = [...new Set([init.stderr, init.stdout])].map((stream) => {
        const write = stream.write as Write;
        stream.write = function (this: Writable, ...args: unknown[]) {
          clear();
          return (write as (...a: unknown[]) => boolean).apply(this, args);
        } as Writable['write'];
        return { stream, write };
      });
    }
    shown[0]!.write.call(shown[0]!.stream, `${ERASE}${message}`);
  };
  return Object.assign(draw, { clear });
}

/** Now, as records write it. */
export function isoNow(ctx: Ctx): string {
  return isoSeconds(ctx.clock.now());
}
