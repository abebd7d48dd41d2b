// Carrying out the example agent's steps in its working folder. Files are
// written only inside that folder (symbolic links that lead out are refused);
// `run:` lines are the prompt author's own command text, run by `sh -c` as a
// hook is; commits go through src/git.
import { appendFileSync, existsSync, lstatSync, mkdirSync, realpathSync, type Stats, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExampleStep } from '../core/agents/example-script.ts';
import type { Clock } from '../core/clock.ts';
import { RefusedError, UsageError } from '../core/errors.ts';
import { GitError } from '../git/exec.ts';
import { commitWorkTree } from '../git/worktree-commit.ts';
import { runHookProcess } from './hooks.ts';

/** Output of a `run:` command kept in its step event. */
const MAX_RUN_OUTPUT = 64 << 10;

export type ExampleEvent = Record<string, unknown> & { type: 'step' | 'say' };

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function realOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function writeInside(cwd: string, path: string, text: string, append: boolean, line: number): void {
  const root = realpathSync(cwd);
  const outside = () => new UsageError(`line ${line}: path '${path}' leads outside the working folder`);
  // the deepest folder that exists already must be inside (a symbolic link may lead out)
  let dir = dirname(join(root, path));
  while (!existsSync(dir)) dir = dirname(dir);
  if (!inside(root, realpathSync(dir))) throw outside();
  const parent = dirname(join(root, path));
  mkdirSync(parent, { recursive: true });
  const target = join(realpathSync(parent), basename(path));
  const real = realOrNull(target);
  // a link that leads nowhere would be written through, wherever it points
  if (real === null && lstatOrNull(target)?.isSymbolicLink()) throw outside();
  if (real !== null && !inside(root, real)) throw outside();
  const body = text.endsWith('\n') ? text : text + '\n';
  if (append) appendFileSync(real ?? target, body);
  else writeFileSync(real ?? target, body);
}

/**
 * Carries out one step in `cwd`; returns the events it makes. A `fail:` step,
 * a command that exits non-zero and a commit git refuses throw a RefusedError
 * (exit 1) after the step's event was given to `emit`.
 */
export async function runExampleStep(
  step: ExampleStep,
  ctx: { cwd: string; env: Record<string, string | undefined>; clock: Clock },
  emit: (e: ExampleEvent) => void,
): Promise<void> {
  switch (step.action) {
    case 'create':
    case 'append':
      writeInside(ctx.cwd, step.path, step.text, step.action === 'append', step.line);
      emit({
        type: 'step',
        line: step.line,
        action: step.action,
        path: step.path,
        bytes: Buffer.byteLength(step.text),
      });
      return;
    case 'say':
      emit({ type: 'say', line: step.line, text: step.text });
      return;
    case 'sleep':
      await sleep(step.seconds * 1000);
      emit({ type: 'step', line: step.line, action: 'sleep', seconds: step.seconds });
      return;
    case 'run': {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env[k] = v;
      const r = await runHookProcess({
        command: step.command,
        cwd: ctx.cwd,
        env,
        timeoutMs: 0,
        maxOutput: MAX_RUN_OUTPUT,
        clock: ctx.clock,
      });
      emit({
        type: 'step',
        line: step.line,
        action: 'run',
        command: step.command,
        exit_code: r.exitCode,
        signal: r.signal,
        output: r.output.toString('utf8'),
      });
      if (r.exitCode !== 0) throw new RefusedError(`line ${step.line}: command exited ${r.exitCode ?? r.signal}`);
      return;
    }
    case 'commit': {
      let commit: string | null;
      try {
        commit = await commitWorkTree({ cwd: ctx.cwd, env: ctx.env }, step.message);
      } catch (err) {
        if (err instanceof GitError)
          throw new RefusedError(`line ${step.line}: cannot commit: ${err.stderr.trim().split('\n')[0] ?? ''}`);
        throw err;
      }
      emit({ type: 'step', line: step.line, action: 'commit', message: step.message, commit });
      return;
    }
    case 'noop':
      emit({ type: 'step', line: step.line, action: 'noop', reason: step.reason });
      return;
    case 'fail':
      throw new RefusedError(step.message);
  }
}
