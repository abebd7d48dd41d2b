// Reading a file a person names on the command line ('-' for stdin).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FatalError } from '../core/errors.ts';
import { MAX_PLAN_BYTES } from '../core/sdd/paths.ts';
import type { Ctx } from './context.ts';
import { readStdin } from './io.ts';

/** A file's text, '-' for stdin; bounded, so a runaway file is refused before it is read whole. */
export async function readInputFile(ctx: Ctx, file: string, what: string, max = MAX_PLAN_BYTES): Promise<string> {
  let text: string;
  if (file === '-') text = await readStdin(ctx);
  else {
    try {
      text = readFileSync(resolve(ctx.cwd, file), 'utf8');
    } catch (err) {
      throw new FatalError(`cannot read ${what} '${file}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  if (Buffer.byteLength(text) > max)
    throw new FatalError(`${what} '${file}' is ${Buffer.byteLength(text)} bytes; at most ${max} are accepted`);
  return text;
}
