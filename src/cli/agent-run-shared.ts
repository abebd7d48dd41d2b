// What the commands that start runs share (agent-run, agent-retry,
// agent-resume, cs-mentor): their options, reading those options into a
// request, and following the started runs to their end.

import { followRuns, killRun } from '../app/agents/control.ts';
import { launchRuns, planRuns, type RunRequest } from '../app/agents/launch.ts';
import { wireRun } from '../app/agents/view.ts';
import type { AgentRun } from '../core/agents/run.ts';
import { parseAge } from '../core/workspaces/refs.ts';
import { readRun } from '../store/runs.ts';
import type { Store } from '../store/store.ts';
import { printRunLine, TranscriptPrinter } from './agent-view.ts';
import type { Ctx } from './context.ts';
import { isoNow } from './context.ts';
import { clean } from './render.ts';
import type { OptionSpec, OptionsOf } from './spec.ts';

export const runOptions = [
  {
    flags: '--provider <name>',
    description: 'the agent CLI to run (default: [agents] provider in config, else claude)',
  },
  { flags: '--model <model>', description: "the model, passed with the provider's model flag" },
  {
    flags: '--name <name>',
    description: 'a name for the run (lower-case letters, digits, . _ -); runs can be addressed by it',
  },
  {
    flags: '--bead <id>',
    description:
      'the bead the run works: claimed and put in progress, closed on success with a commit, released otherwise',
    complete: 'beads',
  },
  {
    flags: '--cs <name>',
    description: 'a follow-up on this change: its branch, description and open comments; its commits join the change',
  },
  {
    flags: '--ws <ref>',
    description: 'where the agent works: #<n>, #cd:<path>, #git:<ref>, #cs:<name>, #gh:<owner>/<repo>[#<pr>]',
  },
  {
    flags: '--wait <agent>',
    description: 'wait for this agent (run id or name) to be done, or bead:<id> to be closed; repeatable',
    type: 'list',
  },
  { flags: '--fanout <n>', description: 'start n runs of the prompt', type: 'int' },
  { flags: '--timeout <age>', description: 'stop the agent after this long (30s, 20m, 2h)' },
  { flags: '--no-close', description: 'leave the bead in progress when the run succeeds', type: 'bool' },
  { flags: '--detach', description: 'print the records and return; the runs go on in the background', type: 'bool' },
  {
    flags: '--raw',
    description: "on a terminal, print the agent's output as it is, not as readable lines",
    type: 'bool',
  },
] as const satisfies readonly OptionSpec[];

/** The request the shared options describe (the prompt and bead are the caller's). */
export function runRequestFrom(opts: OptionsOf<typeof runOptions>): Omit<RunRequest, 'prompt'> {
  return {
    provider: opts.provider ?? null,
    model: opts.model ?? null,
    name: opts.name ?? null,
    cs: opts.cs ?? null,
    ws: opts.ws ?? null,
    waits: opts.wait ?? [],
    fanout: opts.fanout ?? 1,
    timeout: opts.timeout === undefined ? null : parseAge(opts.timeout) / 1000,
    close: opts.close,
  };
}

/**
 * Follows started runs to their end: their output streamed on a terminal
 * (prefixed by the run's name when there are several), their records printed
 * on a pipe. Ctrl-C kills them. 0 when every run is done, 1 otherwise, 130
 * when interrupted; runs left waiting are printed as they are.
 */
export async function followAndReport(ctx: Ctx, store: Store, runs: AgentRun[], raw = false): Promise<number> {
  const text = ctx.format === 'text';
  const several = runs.length > 1;
  const printers = new Map<string, TranscriptPrinter>();
  // agents' event lines (claude, codex, the example agent) are shown readably unless --raw
  const printer = (r: AgentRun) => {
    let p = printers.get(r.id);
    if (!p) {
      p = new TranscriptPrinter(ctx, { raw, prefix: several ? `${ctx.colors.dim(`[${r.name ?? r.id}]`)} ` : '' });
      printers.set(r.id, p);
    }
    return p;
  };
  let interrupted = false;
  const onInt = () => {
    interrupted = true;
  };
  process.on('SIGINT', onInt);
  let ended: AgentRun[];
  try {
    ended = await followRuns(
      store,
      runs.map((r) => r.id),
      {
        stopped: () => interrupted,
        write(run, chunk) {
          if (text) printer(run).write(chunk);
        },
      },
    );
  } finally {
    process.off('SIGINT', onInt);
  }
  if (interrupted) {
    for (const r of runs) {
      const now = await readRun(await store.snapshot(), r.id);
      if (now && !['done', 'failed', 'killed'].includes(now.status)) await killRun(store, now).catch(() => {});
    }
    ctx.stderr.write(ctx.errColors.red('interrupted: runs killed\n'));
    return 130;
  }
  const nowMs = ctx.clock.now().getTime();
  for (const r of ended) {
    const rec = wireRun(store, r, nowMs);
    if (!text) printRunLine(ctx, rec, 'run');
    else {
      printers.get(r.id)?.end();
      printRunLine(ctx, rec, r.status === 'waiting' ? 'waiting' : 'run');
      if (r.status !== 'done' && r.status !== 'waiting' && r.workspace)
        ctx.stderr.write(
          `hint: its work is kept in ${r.workspace.n === null ? clean(r.workspace.path) : `workspace #${r.workspace.n}`}; 'sase agent retry ${r.id}' tries again there\n`,
        );
    }
  }
  return ended.every((r) => r.status === 'done' || r.status === 'waiting') ? 0 : 1;
}

/** Plans and launches the runs of a request, then prints them (--detach) or follows them to their end. */
export async function launchAndReport(
  ctx: Ctx,
  store: Store,
  req: RunRequest,
  opts: { readonly detach?: boolean; readonly raw?: boolean },
): Promise<number> {
  const env = { cwd: ctx.cwd, env: ctx.env, at: isoNow(ctx), random: ctx.random };
  const runs = await launchRuns(store, await planRuns(store, req, env), env);
  if (!opts.detach) return followAndReport(ctx, store, runs, opts.raw);
  const nowMs = ctx.clock.now().getTime();
  for (const r of runs) printRunLine(ctx, wireRun(store, r, nowMs), r.status === 'waiting' ? 'waiting' : 'started');
  return 0;
}
