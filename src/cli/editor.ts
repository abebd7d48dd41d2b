// Running the user's editor on a file and asking yes/no questions on the
// terminal: the interactive side of `sase sdd edit`. The editor string may hold
// arguments ("code --wait"), so it is run as git runs it: `sh -c '<editor> "$@"'`
// with the file as an argument, never pasted into the command line.
import { FatalError } from '../core/errors.ts';
import { childProcess } from '../proc/child-process.ts';
import type { Ctx } from './context.ts';

/**
 * The editor git would start: SASE_EDITOR when set (for sase alone), else
 * what `git var GIT_EDITOR` says, so GIT_EDITOR, core.editor, VISUAL (unless
 * the terminal is dumb), EDITOR and git's default (vi) are honoured in git's
 * order. When git finds none (a dumb terminal without EDITOR) its reason is fatal.
 */
export async function editorCommand(where: { cwd: string; env: Ctx['env'] }): Promise<string> {
  const own = where.env.SASE_EDITOR;
  if (own !== undefined && own.trim() !== '') return own;
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    childProcess().execFile(
      'git',
      ['var', 'GIT_EDITOR'],
      { cwd: where.cwd, env: where.env as NodeJS.ProcessEnv },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: unknown }).code) || 128 : 0, stdout, stderr }),
    ),
  );
  const editor = r.stdout.replace(/\n$/, '');
  if (r.code === 0 && editor.trim() !== '') return editor;
  const why = r.stderr.split('\n').find((l) => l.trim() !== '' && !l.startsWith('hint:'));
  throw new FatalError(`no editor: ${why?.replace(/^(error|fatal): /, '') ?? 'git var GIT_EDITOR found none'}`);
}

/** The editor's command line for a file: through sh, so the editor string may carry arguments, the file never pasted in. */
export function editorArgv(editor: string, file: string): string[] {
  return ['sh', '-c', `${editor} "$@"`, editor, file];
}

/**
 * Runs the editor on `file` and resolves to its exit code (128 + n for a
 * signal). The editor has the terminal; when stdout is a pipe its output goes
 * to stderr, so it cannot mix with the records. What it writes where there is
 * no terminal goes to the command's stderr (ctx.stderr, not this process's).
 */
export function runEditor(ctx: Ctx, editor: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const [program, ...args] = editorArgv(editor, file);
    const child = childProcess().spawn(program!, args, {
      cwd: ctx.cwd,
      env: ctx.env as NodeJS.ProcessEnv,
      stdio: ['inherit', ctx.stdoutIsTTY ? 'inherit' : 'pipe', ctx.stderrIsTTY ? 'inherit' : 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => ctx.stderr.write(d));
    child.stderr?.on('data', (d: Buffer) => ctx.stderr.write(d));
    child.on('error', (err) =>
      reject(
        new FatalError(`cannot run the editor '${editor}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`),
      ),
    );
    child.on('close', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 1;
}

/** One line from stdin; null at its end. Stdin is paused again afterwards, so an editor started next has it. */
function readLine(ctx: Ctx): Promise<string | null> {
  const input = ctx.stdin;
  return new Promise((resolve) => {
    const done = (value: string | null) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause();
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => done(String(chunk).split('\n')[0]!);
    const onEnd = () => done(null);
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}

/** Asks on stderr; an empty answer takes the default, anything starting with y or n decides. */
export async function askYesNo(ctx: Ctx, question: string, yesByDefault: boolean): Promise<boolean> {
  for (;;) {
    ctx.stderr.write(`${question} ${yesByDefault ? '[Y/n]' : '[y/N]'} `);
    const answer = await readLine(ctx);
    if (answer === null) return false;
    const a = answer.trim().toLowerCase();
    if (a === '') return yesByDefault;
    if (a.startsWith('y')) return true;
    if (a.startsWith('n')) return false;
  }
}
