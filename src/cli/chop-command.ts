// The executables of the built-in chops (sase-chop-<name>): each runs its
// chop's code with the context a tick wrote (--context), or, run by hand,
// with a context made for this repository; writes the result where the
// context says (and SASE_CHOP_RESULT_FILE) and prints it.
import { readFileSync, writeFileSync } from 'node:fs';
import { BUILTIN_CHOPS } from '../app/axe/chops/builtin.ts';
import type { ChopRun } from '../app/axe/chops/chop.ts';
import { prepareContext } from '../app/axe/runner.ts';
import type { ChopContext } from '../core/axe/context.ts';
import { type ChopResult, chopResult } from '../core/axe/result.ts';
import { FatalError, UsageError } from '../core/errors.ts';
import { type Ctx, isoNow } from './context.ts';
import type { OptionSpec } from './spec.ts';

const withoutV = ({ v: _v, ...rest }: ChopResult) => rest;

function readContext(file: string): ChopContext {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FatalError(`--context '${file}': ${(err as Error).message.split('\n')[0]}`);
  }
  const c = v as Partial<ChopContext>;
  if (c?.v !== 1 || typeof c.run_id !== 'string' || typeof c.result_file !== 'string' || typeof c.at !== 'string')
    throw new FatalError(`--context '${file}' is not a chop context (v, run_id, at, result_file)`);
  return { targets: [], dry_run: false, previous: null, ...c } as ChopContext;
}

export const CHOP_OPTIONS = [
  {
    flags: '--context <file>',
    description: 'the context a tick wrote (see sase-axe-tick(1)); without it, a run by hand in this repository',
    complete: 'files',
  },
  { flags: '--dry-run', description: 'say what it would do; change nothing', type: 'bool' },
] as const satisfies readonly OptionSpec[];

/** The spec of sase-chop-<name> but its run: `defineCommand({ ...chopSpecDoc(name, doc), run })`. */
export function chopSpecDoc(
  name: string,
  doc: { description: string; examples?: Array<{ cmd: string; text: string }> },
) {
  return {
    name: `chop-${name}`,
    summary: `the '${name}' chop of sase axe: ${BUILTIN_CHOPS[name]!.summary}`,
    args: [{ name: 'target', description: 'ids of the records to look at only (default: all)', variadic: true }],
    options: CHOP_OPTIONS,
    description: `${doc.description}

This is one of the chops sase axe ships. A tick runs it in its own process when there is nothing to do, and as this executable, in a process group of its own that is killed past the chop's timeout, when there is; run by hand, it does one pass in the repository at the current folder. It keeps the chop contract every chop keeps (sase-axe-tick(1)): it reads the context file named by --context and writes its result, {v: 1, status, summary, counters, launches}, to the file SASE_CHOP_RESULT_FILE names (else the context's result_file).`,
    output:
      'The result: one NDJSON record {v, kind: "chop_result", chop, run_id, status (ok, no_op, check_error or failed), summary, counters, launches}. On a terminal, its summary line.',
    exit: [
      [1, 'the chop failed or its check found a problem (the summary says what)'],
      [129, 'a target that is no record id'],
    ] as Array<[number, string]>,
    examples: doc.examples ?? [
      { cmd: `sase-chop-${name} --dry-run`, text: 'what a pass would do here, changing nothing' },
    ],
    seeAlso: ['sase-axe-tick', 'sase-axe-chop-run'],
  };
}

/** Targets are record ids: a bad one is refused before anything runs. */
export function checkTargets(targets: string[]): void {
  for (const target of targets)
    if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/.test(target))
      throw new UsageError(
        `target '${target.slice(0, 40)}${target.length > 40 ? '...' : ''}' is not a record id (letters, digits, '.', '_', ':', '/' and '-', at most 200)`,
      );
}

/** Runs the built-in chop `name` as its executable does. */
export async function runBuiltinChopCommand(
  ctx: Ctx,
  name: string,
  args: string[],
  opts: { context?: string; dryRun?: boolean },
): Promise<number> {
  checkTargets(args);
  const store = await ctx.store();
  const context = opts.context
    ? readContext(opts.context)
    : await prepareContext(store, name, {
        lumberjack: 'manual',
        dryRun: opts.dryRun ?? false,
        targets: args,
        at: isoNow(ctx),
        random: ctx.random,
      });
  if (opts.dryRun) context.dry_run = true;
  const chop = await BUILTIN_CHOPS[name]!.load();
  const ctl = new AbortController();
  const stop = () => ctl.abort();
  process.once('SIGTERM', stop);
  const run: ChopRun = {
    store,
    context,
    env: { cwd: ctx.cwd, env: ctx.env, at: context.at, random: ctx.random },
    signal: ctl.signal,
    log: (line) => ctx.stderr.write(`${line}\n`),
  };
  let result: ChopResult;
  try {
    result = (chop.idle ? await chop.idle(run) : null) ?? (await chop.run(run));
  } catch (err) {
    result = chopResult('failed', (err as Error).message.split('\n')[0]!);
  } finally {
    process.off('SIGTERM', stop);
  }
  writeFileSync(ctx.env.SASE_CHOP_RESULT_FILE || context.result_file, `${JSON.stringify(result)}\n`);
  if (ctx.format === 'text')
    ctx.stdout.write(`${name}: ${result.status}${result.summary ? `: ${result.summary}` : ''}\n`);
  else
    ctx.stdout.write(
      `${JSON.stringify({ v: 1, kind: 'chop_result', chop: name, run_id: context.run_id, ...withoutV(result) })}\n`,
    );
  return result.status === 'ok' || result.status === 'no_op' ? 0 : 1;
}
