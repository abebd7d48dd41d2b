// Work run in a thread of its own (node:worker_threads), for a command whose
// main thread has other work meanwhile. A module run so is a bundle of its
// own beside the command's (dist/<name>.cjs), or, run from source, the .ts
// file beside the one asking, loaded through tsx (whose loader a thread does
// not inherit).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The file of the module `name` beside `from` (a bundle, or a source file): null when it is not there. */
export function ownModulePath(name: string, from: string): string | null {
  const file = join(dirname(from), from.endsWith('.ts') ? `${name}.ts` : `${name}.cjs`);
  return existsSync(file) ? file : null;
}

/**
 * Starts the module at `file` in a thread, with `input` as its workerData;
 * resolves once the thread runs, to `result`: the one message it posts. That
 * gives null when the thread fails or its message is {error} (the caller then
 * does the work itself, and reports a failure its own way). Null instead when
 * the thread cannot be started. (An object, not the promise itself: an async
 * function's promise would wait for the one it returns.)
 */
export async function startThread<I, O>(file: string | null, input: I): Promise<{ result: Promise<O | null> } | null> {
  if (!file) return null;
  const { Worker } = await import('node:worker_threads');
  let worker: InstanceType<typeof Worker>;
  try {
    worker = file.endsWith('.ts')
      ? new Worker(fromSource(file), { eval: true, workerData: input })
      : new Worker(file, { workerData: input });
  } catch {
    return null;
  }
  const result = new Promise<O | null>((resolve) => {
    worker.once('message', (m: O | { error: string }) => {
      resolve(m && typeof m === 'object' && 'error' in m ? null : (m as O));
    });
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  return { result };
}

/** A thread's first code that loads a .ts module: tsx's loader registered, then the module. */
function fromSource(file: string): string {
  // (run from source this module is an ES module: the ES module entry of tsx's API)
  const tsx = import.meta.resolve('tsx/esm/api');
  const url = pathToFileURL(file).href;
  return `import(${JSON.stringify(tsx)}).then((api) => api.register()).then(() => import(${JSON.stringify(url)}))`;
}
