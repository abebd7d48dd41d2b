// The GitHub CLI, `gh`: run with argument arrays (never a shell), in the
// repository's work tree, never prompting. What it prints is the caller's to
// read; a missing gh is fatal, a failing one a refusal naming its message.
import { FatalError, RefusedError, withHint } from '../core/errors.ts';
import { childProcess } from './child-process.ts';

export interface GhEnv {
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface GhResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const MAX_OUTPUT = 64 << 20;

/** Runs `gh args...`; a non-zero exit is a refusal (exit 1) carrying gh's first line of stderr. */
export async function gh(ctx: GhEnv, args: string[], opts: { okCodes?: number[] } = {}): Promise<GhResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env[k] = v;
  env.GH_PROMPT_DISABLED = '1';
  env.GH_NO_UPDATE_NOTIFIER = '1';
  env.NO_COLOR = '1';
  env.GH_PAGER = 'cat';
  const result = await new Promise<GhResult>((resolve, reject) => {
    const proc = childProcess().spawn('gh', args, { cwd: ctx.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const take = (into: Buffer[]) => (d: Buffer) => {
      size += d.length;
      if (size > MAX_OUTPUT) {
        proc.kill('SIGKILL');
        return;
      }
      into.push(d);
    };
    proc.stdout.on('data', take(out));
    proc.stderr.on('data', take(err));
    proc.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT')
        reject(
          withHint(
            new FatalError('gh not found on PATH'),
            'install the GitHub CLI (https://cli.github.com) or set [review] provider = "local"',
          ),
        );
      else reject(e);
    });
    proc.on('close', (code) =>
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? 128,
      }),
    );
  });
  if (result.exitCode !== 0 && !(opts.okCodes ?? []).includes(result.exitCode)) {
    const first = result.stderr.trim().split('\n')[0] ?? '';
    throw new RefusedError(
      `'gh ${args.slice(0, 2).join(' ')}' failed (exit ${result.exitCode})${first ? `: ${first}` : ''}`,
    );
  }
  return result;
}
