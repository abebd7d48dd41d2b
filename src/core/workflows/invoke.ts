// Starting a workflow from a prompt: a prompt that is exactly `#!name`, or
// `#!name(k=v, k2="a, b")`, names a workflow and its inputs. Pure.
import { UsageError } from '../errors.ts';

export interface Invocation {
  name: string;
  inputs: Array<[string, string]>;
}

const HEAD = /^#!([A-Za-z0-9_][A-Za-z0-9_-]{0,99})(?=\(|$)/;

/** The workflow a prompt starts, or null when the prompt is not `#!name(...)`; a malformed argument list is a usage error. */
export function parseInvocation(prompt: string): Invocation | null {
  const text = prompt.trim();
  const m = HEAD.exec(text);
  if (!m) return null;
  const name = m[1]!;
  const rest = text.slice(m[0].length);
  if (!rest) return { name, inputs: [] };
  if (!rest.endsWith(')')) return null; // `#!name(...) and more words` is a prompt, not a workflow
  const inputs: Array<[string, string]> = [];
  const where = `'#!${name}(...)'`;
  let i = 1;
  const skip = () => {
    while (i < rest.length && /\s/.test(rest[i]!)) i++;
  };
  skip();
  if (rest[i] === ')' && i === rest.length - 1) return { name, inputs };
  for (;;) {
    skip();
    const km = /([A-Za-z_][A-Za-z0-9_]*)\s*=/y;
    km.lastIndex = i;
    const k = km.exec(rest);
    if (!k) throw new UsageError(`${where}: expected <input>=<value> at '${rest.slice(i, i + 20)}'`);
    i = km.lastIndex;
    skip();
    let value = '';
    const q = rest[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      for (; j < rest.length && rest[j] !== q; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) j++;
        value += rest[j];
      }
      if (j >= rest.length) throw new UsageError(`${where}: an unterminated ${q} quote`);
      i = j + 1;
      skip();
    } else {
      const start = i;
      while (i < rest.length && rest[i] !== ',' && !(rest[i] === ')' && i === rest.length - 1)) i++;
      value = rest.slice(start, i).trim();
    }
    inputs.push([k[1]!, value]);
    if (rest[i] === ',') {
      i++;
      continue;
    }
    if (rest[i] === ')' && i === rest.length - 1) return { name, inputs };
    throw new UsageError(`${where}: expected ',' or ')' after input '${k[1]}'`);
  }
}
