import { defineCommand, type CommandSpec } from '../cli/spec.ts';
import { runCommand } from '../cli/main.ts';
import { commitInScratch, gitInScratch, makeScratchRepo } from '../app/demo/scratch.ts';
import { openStore } from '../store/store.ts';
import { resolveRun } from '../store/runs.ts';
import { isFinished, type AgentRun } from '../core/agents/run.ts';
import { supervisorAlive } from '../proc/agent-process.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { spec as init } from './init.ts';
import { spec as put } from './sdd-put.ts';
import { spec as approve } from './sdd-approve.ts';
import { spec as sddShow } from './sdd-show.ts';
import { spec as ready } from './bead-ready.ts';
import { spec as beadWork } from './bead-work.ts';
import { spec as csShow } from './cs-show.ts';
import { spec as hookAdd } from './cs-hook-add.ts';
import { spec as hookRun } from './cs-hook-run.ts';
import { spec as csSet } from './cs-set.ts';
import { spec as csMail } from './cs-mail.ts';
import { spec as csSubmit } from './cs-submit.ts';
import { spec as agentLog } from './agent-log.ts';
import { spec as agentList } from './agent-list.ts';
import { spec as log } from './log.ts';
import { spec as fsck } from './fsck.ts';
import { landChangeName } from '../core/beads/work.ts';

export const spec = defineCommand({
  name: 'demo',
  summary: 'a scripted tour of sase in a throw-away repository',
  args: [],
  options: [{ flags: '--keep', description: 'keep the throw-away repository and print its path', type: 'bool' }],
  formatted: false,
  description: `Creates a throw-away git repository in a temporary folder and walks through the main loop, printing each command as it runs it and what it printed: sase init; an epic plan with four phases in a diamond of dependencies (one phase first, two in parallel after it, a last one after both), handed in as a file as an agent would (sase sdd put); its approval, which turns the phases into beads in one commit (sase sdd approve); sase bead ready showing only the first phase.

The epic is then worked by a team of agent runs in one command, sase bead work, after its schedule (sase bead work --dry-run: the phases in waves, each after its blockers). The agent is the example agent that ships with sase (the provider 'example', sase-example-agent(1): scripted, no model), and each phase's description in the plan is its script: it creates a file and commits it, and a phase after others first checks (run: test -f) that their files are in its checkout. sase bead work --jobs 2 claims every phase for its run in one commit, starts each run once its blockers are done, at most two at once, each in a workspace that begins at its blockers' work (a merge of both for the last phase), then a land run on every phase's work merged, recorded as the change land_<epic>. Then the runs (sase agent list), what the last phase's agent was told and did (sase agent log), the note on its commit naming the run, the bead and the plan (git log --notes=sase), the land change with every phase's commit (sase cs show); a hook checks it in a temporary worktree, and it is mailed and submitted to main. Last, the plan done with the commits that carried it out (sase sdd show), the operation log and sase fsck.

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
    const say = (text: string) => ctx.stdout.write(`\n${c.bold(text)}\n`);
    const shown = (cmd: string) => ctx.stdout.write(`${c.dim('$')} ${c.cyan(cmd)}\n`);
    const aside = (text: string) => ctx.stdout.write(c.dim(`  (${text})\n`));
    /**
     * Runs one step; returns what it printed (hidden steps are captured, in
     * their id form when they have one). With `progress`, what the step
     * writes on stderr (sase bead work's progress lines) is shown with it.
     */
    const step = async (s: CommandSpec, args: string[], show = true, progress = false): Promise<string> => {
      let captured = '';
      const sink = new Writable({
        write(chunk, _enc, done) {
          captured += chunk.toString();
          done();
        },
      });
      if (show) shown(`sase ${s.name.replace(/-/g, ' ')} ${args.map(quote).join(' ')}`.trim());
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
        cwd: scratch.dir,
        env,
        stdin: ctx.stdin,
        stdout: show ? ctx.stdout : sink,
        stderr: progress ? ctx.stdout : ctx.stderr,
        stdinIsTTY: true,
        stdoutIsTTY: show && ctx.stdoutIsTTY,
        stderrIsTTY: progress ? ctx.stdoutIsTTY : ctx.stderrIsTTY,
      });
      if (code !== 0) throw new DemoStepFailed(`'sase ${s.name.replace(/-/g, ' ')}' exited ${code}`);
      return captured.trim();
    };
    /**
     * The run named `name` once it has ended and its supervisor is gone. The
     * record says done a moment before the supervisor has let go of the
     * workspace; the next step should see all of that.
     */
    const ended = async (name: string): Promise<AgentRun> => {
      const store = await openStore({ cwd: scratch.dir, env }, ctx);
      try {
        const deadline = ctx.clock.ms() + 30_000;
        for (;;) {
          const run = await resolveRun(await store.snapshot(), name);
          if (isFinished(run.status) && (run.pid === null || !supervisorAlive(run.pid, run.id))) {
            if (run.status !== 'done')
              throw new DemoStepFailed(`the run '${name}' ended ${run.status}: ${run.error ?? ''}`);
            return run;
          }
          if (ctx.clock.ms() > deadline) throw new DemoStepFailed(`the run '${name}' did not end in 30 seconds`);
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        store.close();
      }
    };
    try {
      ctx.stdout.write(`${c.bold('sase demo')}: a throw-away repository at ${scratch.dir}\n`);
      say('1. Set up sase: the state lives in the git ref refs/sase/state.');
      await commitInScratch({ cwd: scratch.dir, env }, 'main', {}, 'Start the project'); // an empty tree: the work tree stays clean
      await step(init, ['--prefix', 'demo'], false);
      shown('sase init --prefix demo');
      say(
        '2. A plan: an epic in four phases, written as a file (as an agent hands one in). Phase 1 comes first; 2 and 3 need it; 4 needs both.',
      );
      aside(
        "a phase's description is what its agent is told. The agent here is the example agent (scripted, no model), so each description is its script: create a file, commit it; a phase after others first checks that their files are in its checkout",
      );
      writeFileSync(join(scratch.dir, 'ready-cache.md'), EPIC_PLAN);
      ctx.stdout.write(
        EPIC_PLAN.split('\n')
          .map((l) => c.dim(`  ${l}`))
          .join('\n') + '\n',
      );
      await step(put, ['ready-cache.md']);
      say(
        '3. Approving it makes the beads, in one commit: the epic and a phase bead per phase, with their dependencies.',
      );
      await step(approve, ['ready-queue-cache']);
      const epic = (await step(approve, ['ready-queue-cache'], false)).split('\n')[0]!;
      const phase = (n: number) => `${epic}.${n}`;
      say('4. What can be worked on now? Only the first phase.');
      await step(ready, ['--parent', epic]);

      say(
        '5. sase bead work turns the epic into a team of agent runs. First its schedule: the phases in waves, each after its blockers, then a land run. A dry run changes nothing.',
      );
      await step(beadWork, ['ready-queue-cache', '--dry-run']);
      say(
        '6. Now for real, with the example agent, two runs at a time. One commit claims every phase for its run and stores the runs, waiting (the checkpoint); each starts once its blockers are done.',
      );
      aside(
        "each run works in a workspace of its own, a git worktree that begins at its blockers' work (phase 4's at a merge of phases 2 and 3, made by sase); the land run starts from every phase's work merged, recorded as a change; your checkout is never touched",
      );
      await step(beadWork, ['ready-queue-cache', '--provider', 'example', '--jobs', '2', '--yes'], true, true);
      for (const n of [1, 2, 3]) await ended(phase(n));
      const last = await ended(phase(4));
      await ended(`${epic}.land`);

      say(
        "7. The runs, each named by its bead. Phase 4's agent was told the plan, the phase and its blockers (lines the example agent ignores), then followed its script: the test -f passed, its checkout held the work of phases 2 and 3.",
      );
      await step(agentList, []);
      await step(agentLog, [phase(4)]);
      say('8. Its commit carries a note naming the run, the bead and the plan, and the land change it is part of.');
      const sha = last.commits[0]!.slice(0, 12);
      shown(`git log --notes=sase --oneline -1 ${sha}`);
      ctx.stdout.write(await gitInScratch({ cwd: scratch.dir, env }, ['log', '--notes=sase', '--oneline', '-1', sha]));

      const land = landChangeName(epic);
      say(
        `9. The land change, ${land}: every phase's commit, and the merge sase made for phase 4. A hook checks it in a temporary worktree; it passes, the change is mailed and submitted to main.`,
      );
      await step(csShow, [land]);
      const check = 'test -s src/cache.ts && test -s bench/RESULTS.md';
      await step(hookAdd, [land, check], false);
      shown(`sase cs hook add ${land} ${quote(check)}`);
      await step(hookRun, [land]);
      await step(csSet, [land, '--status', 'Ready'], false);
      await step(csMail, [land], false);
      shown(`sase cs set ${land} --status Ready && sase cs mail ${land}`);
      await step(csSubmit, [land]);

      say(
        '10. The plan followed its beads: every phase is closed and the land run closed the epic, so it is done, with the commits that carried it out (found by their notes).',
      );
      await step(sddShow, ['ready-queue-cache']);
      say('11. Every change is one commit in refs/sase/state: the log is the history. The checkpoint was one of them.');
      await step(log, ['--limit', '6']);
      await step(log, ['--op', 'agent.work']);
      await step(fsck, []);
      say(
        opts.keep
          ? `The repository is kept at ${scratch.dir}`
          : 'Done. (sase demo --keep keeps the repository to look around.)',
      );
      return 0;
    } catch (err) {
      if (err instanceof DemoStepFailed) {
        ctx.stderr.write(`error: demo step failed: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      if (!opts.keep) scratch.remove();
    }
  },
});

class DemoStepFailed extends Error {}

const EPIC_PLAN = `---
tier: epic
title: Ready-queue cache
goal: sase bead ready answers in one file read
phases:
  - id: store
    title: Cache keyed by tip
    size: small
    depends_on: []
    description: |
      create src/cache.ts: export const cache = new Map();
      commit: Add the cache module
  - id: query
    title: ready reads the cache
    size: small
    depends_on: [store]
    description: |
      run: test -f src/cache.ts
      create src/ready.ts: // ready answers from the cache
      commit: ready reads the cache
  - id: incremental
    title: Incremental blocked flags
    size: medium
    depends_on: [store]
    description: |
      run: test -f src/cache.ts
      create src/blocked.ts: export const blocked = new Set();
      commit: Incremental blocked flags
  - id: bench
    title: Benchmark at 100k beads
    size: small
    depends_on: [query, incremental]
    description: |
      run: test -f src/ready.ts && test -f src/blocked.ts
      create bench/RESULTS.md: ready: one file read at 100k beads
      commit: Benchmark at 100k beads
---
## Context

Reading every bead on every query is slow at 100k beads.
`;

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
