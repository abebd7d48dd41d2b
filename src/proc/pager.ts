// Running the pager (a command line the user chose, through the shell, as
// git runs core.pager) with the text to show on its stdin, on our terminal.

import { childProcess } from './child-process.ts';

/** Shows `text` through `command`; resolves to its exit code (127 when it could not start). */
export function runPager(command: string, env: Record<string, string | undefined>, text: string): Promise<number> {
  return new Promise((resolve) => {
    // Ctrl-C in the pager is the pager's (less stays, as under git): ours to ignore while it runs
    const ignore = () => {};
    process.on('SIGINT', ignore);
    const done = (code: number) => {
      process.off('SIGINT', ignore);
      resolve(code);
    };
    const child = childProcess().spawn('sh', ['-c', command], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    // a pager quit before reading everything (q in less) closes the pipe early
    child.stdin.on('error', () => {});
    child.stdin.end(text);
    child.on('error', () => done(127));
    child.on('close', (code) => done(code ?? 0));
  });
}
