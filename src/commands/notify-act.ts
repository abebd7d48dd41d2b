import { Writable } from 'node:stream';
import { type ActDone, markActedOn, performAct, prepareAct } from '../app/notify/act.ts';
import { type Ctx, isoNow } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { parseArgv } from '../cli/main.ts';
import { clean } from '../cli/render.ts';
import { type CommandSpec, defineCommand } from '../cli/spec.ts';
import { transcriptRenderer } from '../core/agents/transcript.ts';
import { UsageError } from '../core/errors.ts';
import type { ActStep } from '../core/notifications/act.ts';
import type { About } from '../core/notifications/model.ts';
import { notifyActToWire } from '../wire/notification.ts';
import { spec as agentLog } from './agent-log.ts';
import { spec as agentShow } from './agent-show.ts';
import { spec as beadShow } from './bead-show.ts';
import { spec as csShow } from './cs-show.ts';
import { spec as notifyShow } from './notify-show.ts';
import { spec as sddShow } from './sdd-show.ts';
import { spec as wfStatus } from './wf-status.ts';

export const spec = defineCommand({
  name: 'notify-act',
  prints: ['notify-act'],
  summary: 'do what a notification asks: approve, retry, resume or show what it is about',
  args: [
    {
      name: 'id',
      complete: 'notifications',
      description: 'the notification: its id, or any unique prefix of the part after n-, with or without n-',
      required: true,
    },
  ],
  options: [{ flags: '--dry-run', description: 'say what it would run, and change nothing', type: 'bool' }],
  description: `Carries out the action a notification offers (its action: {verb, target}), through the same code as the command it stands for, then marks the notification read (a notify.state operation; a dismissed one stays dismissed):

- approve a plan (target sdd/<tier>s/<slug>.md): as sase-sdd-approve(1), its beads made in one commit;
- approve a workflow run's step (target <run>/<step>, as w-9k2m4x7q/ship): as sase-wf-approve(1) with --resume --detach, the run carried on in the background by sase-wf-exec(1);
- retry an agent run (target r-<id>): as sase-agent-retry(1) --detach, a new attempt in the same workspace, in the background; a workflow run (w-<id>) is resumed as sase-wf-resume(1) --detach;
- resume an agent run: as sase-agent-resume(1) --detach, its session told to continue; a workflow run as sase-wf-resume(1) --detach;
- show what the target names, as its show command does: a run (sase-agent-show(1), and on a terminal its log as sase-agent-log(1) prints it, readably), a workflow run or step (sase-wf-status(1)), a plan (sase-sdd-show(1)), a bead (sase-bead-show(1)), a change (sase-cs-show(1)) or a notification (sase-notify-show(1)).

A notification without an action, or whose target its verb cannot take, is refused. So is one whose target is gone (not found). When the action fails, its error is said with its exit code, and the notification is left as it was. With --dry-run nothing is run or changed: the command that would run is said.`,
  output: `One NDJSON record of kind "notify_act": {v, kind, id (the notification), verb, target, subject ({kind, id}: what the target names, kind one of plan, workflow_step, workflow_run, run, bead, change, notification), command (the sase command that does the same), dry_run, results (a list of {kind, id}: the beads of an approved plan, the workflow run carried on, the new agent run; [] for show and a dry run), state (the notification's state now)}. For show, the records the show command prints come first. On a terminal, a line saying what was done (for show, what the show command prints).`,
  exit: [
    [
      1,
      'refused: the notification has no action, or one sase cannot do; or its action was refused (a plan that does not validate, a run still going, a step not waiting)',
    ],
    [4, 'no notification matches the id, or the record its action names is gone'],
    [129, 'the id is ambiguous (the candidates are named) or malformed'],
  ],
  examples: [
    { cmd: 'sase notify act 4k2p', text: 'approve the plan, retry the run, ... that notification n-4k2p... asks for' },
    { cmd: 'sase notify act 4k2p --dry-run', text: 'say what it would run' },
    {
      cmd: "sase notify act 4k2p --json | jq -r '.results[].id'",
      text: 'the ids of what it made (a new run, the beads of a plan)',
    },
  ],
  seeAlso: ['sase-notify-list', 'sase-notify-show', 'sase-notify-read'],
  async run(ctx, args, opts) {
    if (args.length !== 1) throw new UsageError(`unexpected argument '${args[1]}'`);
    const store = await ctx.store();
    const { notification, step } = await prepareAct(store, args[0]!);
    if (opts.dryRun) {
      if (ctx.format === 'text') ctx.stdout.write(`${step.notification}: would run '${step.command.join(' ')}'\n`);
      else writeRecord(ctx, notifyActToWire({ step, dryRun: true, results: [], state: notification.state }));
      return 0;
    }
    let done: ActDone | null = null;
    if (step.verb === 'show') {
      const code = await show(ctx, step);
      if (code !== 0) return code;
    } else {
      done = await performAct(store, step, { cwd: ctx.cwd, env: ctx.env, at: isoNow(ctx), random: ctx.random });
    }
    const now = await markActedOn(store, notification.id, isoNow(ctx));
    if (ctx.format === 'text') {
      if (done) ctx.stdout.write(`${step.notification}: ${doneLine(ctx, done, step)}\n`);
    } else writeRecord(ctx, notifyActToWire({ step, dryRun: false, results: resultsOf(done), state: now.state }));
    return 0;
  },
});

/** The show commands, by their name (sase-<noun>-<verb>). */
const SHOWS: Record<string, CommandSpec> = {
  'agent-show': agentShow,
  'wf-status': wfStatus,
  'sdd-show': sddShow,
  'bead-show': beadShow,
  'cs-show': csShow,
  'notify-show': notifyShow,
};

/** Runs the show command a step stands for (['sase', noun, verb, ...args]) here, on our output; its exit code. */
async function show(ctx: Ctx, step: ActStep): Promise<number> {
  const [, noun, verb, ...argv] = step.command;
  const code = await runHere(ctx, SHOWS[`${noun}-${verb}`]!, argv);
  if (code !== 0 || step.subject.kind !== 'run' || ctx.format !== 'text') return code;
  // a run's card, then what it printed, readably (as a run in the foreground shows it)
  let log = '';
  const into = new Writable({
    write(chunk, _enc, next) {
      log += chunk.toString();
      next();
    },
  });
  const logCode = await runHere(Object.create(ctx, { stdout: { value: into } }), agentLog, [step.subject.id]);
  const lines = log.split('\n').filter((l) => l.trim());
  if (lines.length) ctx.stdout.write(`${ctx.colors.dim('log')}\n`);
  const render = transcriptRenderer();
  for (const l of [...lines.flatMap((line) => render.line(line)), ...render.end()]) ctx.stdout.write(`  ${clean(l)}\n`);
  return logCode;
}

/** Runs a command's spec in this process with our context (its format, colours and streams). */
async function runHere(ctx: Ctx, spec: CommandSpec, argv: string[]): Promise<number> {
  const { args, opts } = parseArgv(spec, argv);
  return (await spec.run(ctx, args, opts)) ?? 0;
}

/** The records an action made or moved, as {kind, id}. */
function resultsOf(done: ActDone | null): About[] {
  if (!done) return [];
  if (done.kind === 'plan') return done.beads.map((b) => ({ kind: 'bead', id: b.id }));
  if (done.kind === 'workflow') return [{ kind: 'workflow_run', id: done.run.id }];
  return done.runs.map((r) => ({ kind: 'run', id: r.id }));
}

/** What an action did, as a person reads it. */
function doneLine(ctx: Ctx, done: ActDone, step: ActStep): string {
  const c = ctx.colors;
  if (done.kind === 'plan') {
    const [top, ...phases] = done.beads;
    const what = `${top?.id ?? '?'}${phases.length ? ` with ${phases.length} phase${phases.length === 1 ? '' : 's'}` : ''}`;
    return done.already ? `${done.path} was approved before: ${what}` : `approved ${done.path}: ${c.bold(what)}`;
  }
  if (done.kind === 'workflow') {
    const run = `${clean(done.run.workflow)} (${done.run.id})`;
    const did = done.approved ? `approved step '${done.approved}' of ${run}` : `resumed workflow run ${run}`;
    return `${did}; it goes on in the background ('sase wf status ${done.run.id}' follows it)`;
  }
  const from = step.subject.kind === 'run' ? step.subject.id : step.target;
  return done.runs
    .map(
      (r) =>
        `${step.verb === 'retry' ? 'retried' : 'resumed'} run ${from} as ${c.bold(r.id)} in the background ('sase agent show ${r.id}' follows it)`,
    )
    .join('\n');
}
