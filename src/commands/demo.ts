import { Writable } from 'node:stream';
import { makeScratchRepo } from '../app/demo/scratch.ts';
import { quote, runTour, type TourCommand, type TourIO, TourStepFailed } from '../app/demo/tour.ts';
import { runCommand } from '../cli/main.ts';
import { type CommandSpec, defineCommand } from '../cli/spec.ts';
import { spec as ace } from './ace.ts';
import { spec as agentList } from './agent-list.ts';
import { spec as agentLog } from './agent-log.ts';
import { spec as axeLumberjackList } from './axe-lumberjack-list.ts';
import { spec as axeTick } from './axe-tick.ts';
import { spec as beadCreate } from './bead-create.ts';
import { spec as ready } from './bead-ready.ts';
import { spec as beadUpdate } from './bead-update.ts';
import { spec as beadWork } from './bead-work.ts';
import { spec as hookAdd } from './cs-hook-add.ts';
import { spec as hookRun } from './cs-hook-run.ts';
import { spec as csMail } from './cs-mail.ts';
import { spec as csSet } from './cs-set.ts';
import { spec as csShow } from './cs-show.ts';
import { spec as csSubmit } from './cs-submit.ts';
import { spec as fsck } from './fsck.ts';
import { spec as init } from './init.ts';
import { spec as log } from './log.ts';
import { spec as approve } from './sdd-approve.ts';
import { spec as put } from './sdd-put.ts';
import { spec as sddShow } from './sdd-show.ts';
import { spec as sync } from './sync.ts';

export const spec = defineCommand({
  name: 'demo',
  summary: 'a scripted tour of sase in a throw-away repository',
  args: [],
  options: [{ flags: '--keep', description: 'keep the throw-away repository and print its path', type: 'bool' }],
  formatted: false,
  description: `Creates a throw-away git repository in a temporary folder and walks through the main loop, printing each command as it runs it and what it printed: sase init; an epic plan with four phases in a diamond of dependencies (one phase first, two in parallel after it, a last one after both), handed in as a file as an agent would (sase sdd put); its approval, which turns the phases into beads in one commit (sase sdd approve); sase bead ready showing only the first phase.

The epic is then worked by a team of agent runs in one command, sase bead work, after its schedule (sase bead work --dry-run: the phases in waves, each after its blockers). The agent is the example agent that ships with sase (the provider 'example', sase-example-agent(1): scripted, no model), and each phase's description in the plan is its script: it creates a file and commits it, and a phase after others first checks (run: test -f) that their files are in its checkout. sase bead work --jobs 2 claims every phase for its run in one commit, starts each run once its blockers are done, at most two at once, each in a workspace that begins at its blockers' work (a merge of both for the last phase), then a land run on every phase's work merged, recorded as the change land_<epic>. Then the runs (sase agent list), what the last phase's agent was told and did (sase agent log), the note on its commit naming the run, the bead and the plan (git log --notes=sase), the land change with every phase's commit (sase cs show); a hook checks it in a temporary worktree, and it is mailed and submitted to main. Then the plan done with the commits that carried it out (sase sdd show), the operation log and sase fsck. Last, sharing: a bare remote in the same temporary folder and a second clone of it (git clone copies no sase refs; sase sync adopts them), both working offline, converging with sase sync: one pushes, the other replays its operation on top and pushes, the first fast-forwards. It ends with sase ace --filter over the records made on the way (the screen itself is sase ace).

Every step runs the same code as the sase-* command it names; the agents run as they would for you, detached, each under its own supervisor. The repository is removed at the end unless --keep is given. Needs nothing but git: no agent CLI, no model, no network.`,
  output:
    'Text for people: each command prefixed with "$ " and its output in text form (sase bead work\'s progress lines, on stderr when you run it, are shown with it; the example agent\'s log is its JSON transcript, one event a line).',
  exit: [[1, 'a step of the tour failed (its error is shown)']],
  examples: [
    { cmd: 'sase demo', text: 'take the tour' },
    {
      cmd: 'sase demo --keep',
      text: 'take it and keep the repository to look around (sase agent list, sase ws list, sase cs show)',
    },
  ],
  seeAlso: [
    'sase',
    'sase-sdd-put',
    'sase-sdd-approve',
    'sase-bead-ready',
    'sase-bead-work',
    'sase-agent-run',
    'sase-example-agent',
    'sase-init',
  ],
  async run(ctx, _args, opts) {
    const c = ctx.colors;
    const scratch = await makeScratchRepo({ cwd: ctx.cwd, env: ctx.env }, 'demo');
    const env = {
      ...ctx.env,
      GIT_AUTHOR_NAME: ctx.env.GIT_AUTHOR_NAME ?? 'Demo',
      GIT_AUTHOR_EMAIL: ctx.env.GIT_AUTHOR_EMAIL ?? 'demo@example.com',
      GIT_COMMITTER_NAME: ctx.env.GIT_COMMITTER_NAME ?? 'Demo',
      GIT_COMMITTER_EMAIL: ctx.env.GIT_COMMITTER_EMAIL ?? 'demo@example.com',
    };
    const shown = (cmd: string) => ctx.stdout.write(`${c.dim('$')} ${c.cyan(cmd)}\n`);
    /**
     * Runs one step through the same code as its command; returns what it
     * printed (hidden steps are captured, in their id form when they have
     * one). With `progress`, what the step writes on stderr (sase bead
     * work's progress lines) is shown with it.
     */
    const run: TourIO['run'] = async (
      name,
      args,
      { show = true, progress = false, cwd = scratch.dir, capture = false } = {},
    ) => {
      const s = STEPS[name];
      let captured = '';
      const sink = new Writable({
        write(chunk, _enc, done) {
          captured += chunk.toString();
          done();
        },
      });
      if (show && !capture) shown(`sase ${s.name.replace(/-/g, ' ')} ${args.map(quote).join(' ')}`.trim());
      // a command that formats its own output (sase cs show) may still take --format
      const takesFormat = s.formatted !== false || s.options.some((o) => o.flags.startsWith('--format '));
      const format = !takesFormat
        ? []
        : show
          ? ['--format', 'text', ...(ctx.stdoutIsTTY ? [] : ['--no-color'])]
          : s.formatted === false
            ? []
            : ['--format', 'id'];
      const code = await runCommand(s, [...args, ...format], {
        cwd,
        env,
        stdin: ctx.stdin,
        stdout: show && !capture ? ctx.stdout : sink,
        stderr: progress ? ctx.stdout : ctx.stderr,
        stdinIsTTY: true,
        stdoutIsTTY: show && !capture && ctx.stdoutIsTTY,
        stderrIsTTY: progress ? ctx.stdoutIsTTY : ctx.stderrIsTTY,
        clock: ctx.clock,
        random: ctx.random,
      });
      if (code !== 0) throw new TourStepFailed(`'sase ${s.name.replace(/-/g, ' ')}' exited ${code}`);
      return captured.trim();
    };
    const io: TourIO = {
      say: (text) => ctx.stdout.write(`\n${c.bold(text)}\n`),
      aside: (text) => ctx.stdout.write(c.dim(`  (${text})\n`)),
      shown,
      print: (text, dim = false) =>
        ctx.stdout.write(
          `${
            dim
              ? text
                  .split('\n')
                  .map((l) => c.dim(l))
                  .join('\n')
              : text
          }\n`,
        ),
      run,
    };
    try {
      ctx.stdout.write(`${c.bold('sase demo')}: a throw-away repository at ${scratch.dir}\n`);
      await runTour({ dir: scratch.dir, env }, ctx, io);
      io.say(
        opts.keep
          ? `The repository is kept at ${scratch.dir}`
          : 'Done. (sase demo --keep keeps the repository to look around.)',
      );
      return 0;
    } catch (err) {
      if (err instanceof TourStepFailed) {
        ctx.stderr.write(`error: demo step failed: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      if (!opts.keep) scratch.remove();
    }
  },
});

/** The commands the tour runs. */
const STEPS: Record<TourCommand, CommandSpec> = {
  ace,
  init,
  'sdd-put': put,
  'sdd-approve': approve,
  'sdd-show': sddShow,
  'bead-ready': ready,
  'bead-work': beadWork,
  'cs-show': csShow,
  'cs-hook-add': hookAdd,
  'cs-hook-run': hookRun,
  'cs-set': csSet,
  'cs-mail': csMail,
  'cs-submit': csSubmit,
  'agent-log': agentLog,
  'agent-list': agentList,
  log,
  fsck,
  sync,
  'bead-create': beadCreate,
  'bead-update': beadUpdate,
  'axe-tick': axeTick,
  'axe-lumberjack-list': axeLumberjackList,
};
