// What a command gets from the outside world. Only src/cli/main.ts builds it
// from `process`; tests and helpers can build it from anything.
import { createColors } from './colors.ts';
import type { Readable, Writable } from 'node:stream';
import { openStore, type Store } from '../store/store.ts';

export type Colors = ReturnType<typeof createColors>;
export type Format = 'text' | 'json' | 'id';

export interface Ctx extends CtxInit {
  /** colours for stdout text */
  colors: Colors;
  /** colours for stderr messages */
  errColors: Colors;
  format: Format;
  now(): Date;
  /** random bytes (node:crypto is loaded on first use) */
  random(n: number): Promise<Uint8Array>;
  /** the store of the repository at cwd, opened on first use */
  store(): Promise<Store>;
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
}

/** SASE_NOW pins the clock (tests, demos); otherwise the real time. */
function clock(env: CtxInit['env']): () => Date {
  const fixed = env.SASE_NOW;
  if (!fixed) return () => new Date();
  const start = Date.parse(fixed);
  if (Number.isNaN(start)) return () => new Date();
  return () => new Date(start);
}

export function makeCtx(init: CtxInit, opts: { format?: Format; color?: boolean } = {}): Ctx {
  const noColor = 'NO_COLOR' in init.env || opts.color === false;
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
    now: clock(init.env),
    random: async (n: number) => (await import('node:crypto')).randomBytes(n),
    store() {
      store ??= openStore({ cwd: init.cwd, env: init.env });
      return store;
    },
    progress(message: string) {
      if (!(stderrIsTTY ??= init.stderrIsTTY)) return;
      const t = Date.now();
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
  return Object.defineProperties(ctx, Object.getOwnPropertyDescriptors(init)) as unknown as Ctx;
}

export function isoNow(ctx: Ctx): string {
  return ctx
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}
