// Long output on a terminal goes through a pager, as git's does: the output
// is collected while the command runs, then shown through $SASE_PAGER, else
// $PAGER, else `less -FRX` (which quits at once when it fits on one screen).

import type { Writable } from 'node:stream';
import { runPager } from '../proc/pager.ts';
import type { Ctx } from './context.ts';

/** The pager command line; null for none (set empty, or cat, as git reads them). */
export function pagerCommand(env: Ctx['env']): string | null {
  const cmd = (env.SASE_PAGER ?? env.PAGER ?? 'less -FRX').trim();
  return cmd === '' || cmd === 'cat' ? null : cmd;
}

/** Collects what the command writes to stdout; finish() pages it. Null when there is no pager to use. */
export function startPager(ctx: Ctx): { finish(): Promise<void> } | null {
  const cmd = pagerCommand(ctx.env);
  if (!cmd) return null;
  const out = ctx.stdout;
  const chunks: string[] = [];
  const collector = {
    write(chunk: string | Uint8Array): boolean {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
    // tables are as wide as the terminal
    get columns() {
      return (out as { columns?: number }).columns;
    },
  };
  Object.defineProperty(ctx, 'stdout', { value: collector as unknown as Writable, configurable: true, writable: true });
  return {
    async finish() {
      Object.defineProperty(ctx, 'stdout', { value: out, configurable: true, writable: true });
      const text = chunks.join('');
      if (!text) return;
      // git sets LESS=FRX and LV=-c when they are unset: quit if one screen, colours, no screen clearing
      const env = { ...ctx.env, LESS: ctx.env.LESS ?? 'FRX', LV: ctx.env.LV ?? '-c' };
      // a pager that cannot start does not lose the output
      if ((await runPager(cmd, env, text)) === 127) out.write(text);
    },
  };
}
