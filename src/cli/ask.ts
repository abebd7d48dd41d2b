// A yes/no question to the person at the terminal (stderr), answered on stdin.

import type { Ctx } from './context.ts';

/** Asks `question` ([y/N] is added); true only for y or yes. */
export async function askYes(ctx: Ctx, question: string): Promise<boolean> {
  ctx.stderr.write(`${question} [y/N] `);
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: ctx.stdin });
  // end of input (Ctrl-D) is a no
  const line: string = await new Promise((res) => {
    rl.once('line', res);
    rl.once('close', () => res(''));
  });
  rl.close();
  return /^y(es)?$/i.test(line.trim());
}
