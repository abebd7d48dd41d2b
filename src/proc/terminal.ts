// Giving the terminal to another program for a while (ACE's editor, pager,
// followed log and shell): the program reads and writes /dev/tty itself, and
// the caller gets its exit code when it is done. A pager, when given, reads
// the program's output (run as git runs $PAGER: through sh).
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ownBinDir } from './agent-process.ts';
import { childProcess } from './child-process.ts';

export interface TerminalRun {
  cwd: string;
  env: Record<string, string | undefined>;
  /** a shell command line its output goes through ($PAGER) */
  pager?: string;
}

/** The path of one of sase's own executables (sase-<command>). */
export function ownCommandPath(command: string): string {
  return join(ownBinDir(), `sase-${command}`);
}

/** Runs argv on the terminal; resolves to its exit code (128 + n for a signal, 127 when it cannot start). */
export function runOnTerminal(argv: string[], opts: TerminalRun): Promise<number> {
  const tty = openSync('/dev/tty', 'r+');
  const env = opts.env as NodeJS.ProcessEnv;
  return new Promise<number>((resolve) => {
    let pending = opts.pager ? 2 : 1;
    let code = 0;
    const done = (c: number) => {
      if (c !== 0 && code === 0) code = c;
      if (--pending === 0) resolve(code);
    };
    const child = childProcess().spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env,
      stdio: [tty, opts.pager ? 'pipe' : tty, tty],
    });
    child.on('error', () => done(127));
    child.on('close', (c, signal) => done(c ?? (signal ? 128 + 15 : 1)));
    if (opts.pager) {
      const pager = childProcess().spawn('sh', ['-c', opts.pager], { cwd: opts.cwd, env, stdio: ['pipe', tty, tty] });
      child.stdout!.pipe(pager.stdin!);
      // a pager left early (q) closes its end: the program's further output has nowhere to go
      pager.stdin!.on('error', () => {});
      child.stdout!.on('error', () => {});
      pager.on('error', () => done(127));
      pager.on('close', () => {
        child.stdout!.unpipe();
        child.stdout!.resume();
        done(0);
      });
    }
  }).finally(() => closeSync(tty));
}
