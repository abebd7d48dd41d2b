import type { CommandSpec } from '../cli/spec.ts';
import { runCommand } from '../cli/main.ts';
import { commitInScratch, gitInScratch, makeScratchRepo } from '../store/scratch.ts';
import { openStore } from '../store/store.ts';
import { resolveRun } from '../store/agent-records.ts';
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
import { spec as beadShow } from './bead-show.ts';
import { spec as csNew } from './cs-new.ts';
import { spec as hookAdd } from './cs-hook-add.ts';
import { spec as hookRun } from './cs-hook-run.ts';
import { spec as csSet } from './cs-set.ts';
import { spec as csMail } from './cs-mail.ts';
import { spec as csSubmit } from './cs-submit.ts';
import { spec as agentRun } from './agent-run.ts';
import { spec as agentShow } from './agent-show.ts';
import { spec as agentLog } from './agent-log.ts';
import { spec as agentList } from './agent-list.ts';
import { spec as agentDispatch } from './agent-dispatch.ts';
import { spec as wsList } from './ws-list.ts';
import { spec as log } from './log.ts';
import { spec as fsck } from './fsck.ts';

export const spec: CommandSpec = {
  name: 'demo',
  summary: 'a scripted tour of sase in a throw-away repository',
  args: [],
  options: [{ flags: '--keep', description: 'keep the throw-away repository and print its path', type: 'bool' }],
  formatted: false,
  description: `Creates a throw-away git repository in a temporary folder and walks through the main loop, printing each command as it runs it and what it printed: sase init; an epic plan with four phases in a diamond of dependencies (one phase first, two in parallel after it, a last one after both), handed in as a file as an agent would (sase sdd put); its approval, which turns the phases into beads in one commit (sase sdd approve); sase bead ready showing only the first phase.

The phases are then done by the example agent that ships with sase (the provider 'example', sase-example-agent(1): scripted, no model; its prompts here are its create and commit lines). Phase 1 is worked as a change: sase cs new, then sase agent run --bead --cs, which claims the bead for the run and runs the agent in workspace #1 on the change's branch; the run's record (sase agent show), the note on its commit naming the run, the bead and the plan (git log --notes=sase) and the bead, closed by the run. A hook checks the change in a temporary worktree; the change is mailed and submitted to main. sase bead ready now shows phases 2 and 3: two runs take them at once in the background (--detach), each in a workspace of its own, while a third, for phase 4, is stored waiting for both (--wait); sase agent log -f follows the two to their end, then sase agent dispatch starts the third. Then the runs (sase agent list), their workspaces (sase ws list), the plan done with the commits that carried it out (sase sdd show), the operation log and sase fsck.

Every step runs the same code as the sase-* command it names; the agents run as they would for you, detached, each under its own supervisor. The repository is removed at the end unless --keep is given. Needs nothing but git: no agent CLI, no model, no network.`,
  output: 'Text for people: each command prefixed with "$ " and its output in text form (the example agent\'s output is its JSON transcript, one event a line).',
  exit: [[1, 'a step of the tour failed (its error is shown)']],
  examples: [
    { cmd: 'sase demo', text: 'take the tour' },
    { cmd: 'sase demo --keep', text: 'take it and keep the repository to look around (sase agent list, sase agent log store, sase ws list)' },
  ],
  seeAlso: ['sase', 'sase-sdd-put', 'sase-sdd-approve', 'sase-bead-ready', 'sase-agent-run', 'sase-agent-dispatch', 'sase-example-agent', 'sase-init'],
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
    /** runs one step; returns what it printed (hidden steps are captured, in their id form when they have one) */
    const step = async (s: CommandSpec, args: string[], show = true): Promise<string> => {
      let captured = '';
      const sink = new Writable({
        write(chunk, _enc, done) {
          captured += chunk.toString();
          done();
        },
      });
      if (show) shown(`sase ${s.name.replace(/-/g, ' ')} ${args.map(quote).join(' ')}`.trim());
      const format = s.formatted === false ? [] : show ? ['--format', 'text', ...(ctx.stdoutIsTTY ? [] : ['--no-color'])] : ['--format', 'id'];
      const code = await runCommand(s, [...args, ...format], {
        cwd: scratch.dir,
        env,
        stdin: ctx.stdin,
        stdout: show ? ctx.stdout : sink,
        stderr: ctx.stderr,
        stdinIsTTY: true,
        stdoutIsTTY: show && ctx.stdoutIsTTY,
        stderrIsTTY: ctx.stderrIsTTY,
      });
      if (code !== 0) throw new DemoStepFailed(`'sase ${s.name.replace(/-/g, ' ')}' exited ${code}`);
      return captured.trim();
    };
    /**
     * The run named `name` once it has ended and its supervisor is gone. The
     * record says done a moment before the supervisor has noted the commits,
     * added them to the change and let go of the workspace; the next step
     * should see all of that.
     */
    const ended = async (name: string): Promise<AgentRun> => {
      const store = await openStore({ cwd: scratch.dir, env });
      try {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const run = await resolveRun(await store.snapshot(), name);
          if (isFinished(run.status) && (run.pid === null || !supervisorAlive(run.pid, run.id))) {
            if (run.status !== 'done') throw new DemoStepFailed(`the run '${name}' ended ${run.status}: ${run.error ?? ''}`);
            return run;
          }
          if (Date.now() > deadline) throw new DemoStepFailed(`the run '${name}' did not end in 30 seconds`);
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        store.close();
      }
    };
    const example = ['--provider', 'example'];
    try {
      ctx.stdout.write(`${c.bold('sase demo')}: a throw-away repository at ${scratch.dir}\n`);
      say('1. Set up sase: the state lives in the git ref refs/sase/state.');
      await commitInScratch({ cwd: scratch.dir, env }, 'main', {}, 'Start the project'); // an empty tree: the work tree stays clean
      await step(init, ['--prefix', 'demo'], false);
      shown('sase init --prefix demo');
      say('2. A plan: an epic in four phases, written as a file (as an agent hands one in). Phase 1 comes first; 2 and 3 need it; 4 needs both.');
      writeFileSync(join(scratch.dir, 'ready-cache.md'), EPIC_PLAN);
      ctx.stdout.write(EPIC_PLAN.split('\n').map((l) => c.dim(`  ${l}`)).join('\n') + '\n');
      await step(put, ['ready-cache.md']);
      say('3. Approving it makes the beads, in one commit: the epic and a phase bead per phase, with their dependencies.');
      await step(approve, ['ready-queue-cache']);
      const epic = (await step(approve, ['ready-queue-cache'], false)).split('\n')[0]!;
      const phase = (n: number) => `${epic}.${n}`;
      say('4. What can be worked on now? Only the first phase.');
      await step(ready, ['--parent', epic]);

      say('5. An agent works phase 1 as a change. Here it is the example agent (scripted, no model): it carries out the create and commit lines of its prompt and reports any other line as ignored, such as the change\'s description that sase adds to a run on a change.');
      aside("sase claims the bead for the run and runs the agent, detached, in workspace #1: a worktree on the change's branch; your checkout is never touched");
      await step(csNew, ['cache_keyed_by_tip', '--description', 'Cache keyed by tip\n\nThe first phase of the ready-queue cache.', '--bead', phase(1)]);
      await step(agentRun, [...example, '--bead', phase(1), '--cs', 'cache_keyed_by_tip', '--name', 'store', 'create src/cache.ts: export const cache = new Map();\ncommit: Add the cache module']);
      const store1 = await ended('store');
      say('6. What the run left: its record; a note on its commit naming the run, the bead and the plan; phase 1, closed by the run. (Its log is in the ref too: sase agent log store.)');
      await step(agentShow, ['store']);
      const sha = store1.commits[0]!.slice(0, 12);
      shown(`git log --notes=sase --oneline -1 ${sha}`);
      ctx.stdout.write(await gitInScratch({ cwd: scratch.dir, env }, ['log', '--notes=sase', '--oneline', '-1', sha]));
      await step(beadShow, [phase(1)]);

      say("7. A hook checks the change in a temporary worktree; it passes, the change is mailed and submitted to main.");
      await step(hookAdd, ['cache_keyed_by_tip', 'test -s src/cache.ts'], false);
      shown("sase cs hook add cache_keyed_by_tip 'test -s src/cache.ts'");
      await step(hookRun, ['cache_keyed_by_tip']);
      await step(csSet, ['cache_keyed_by_tip', '--status', 'Ready'], false);
      await step(csMail, ['cache_keyed_by_tip'], false);
      shown('sase cs set cache_keyed_by_tip --status Ready && sase cs mail cache_keyed_by_tip');
      await step(csSubmit, ['cache_keyed_by_tip']);

      say('8. Ready again: closing phase 1 released the next wave, phases 2 and 3.');
      await step(ready, ['--parent', epic]);
      say('9. Two runs take them at once, in the background, each in a workspace of its own. A third, for phase 4, is stored now and waits for both.');
      aside('a prompt of segments separated by lines holding only --- starts one run per segment in one command; a run that works a bead is started on its own, as here');
      await step(agentRun, [...example, '--detach', '--bead', phase(2), '--name', 'query', 'create src/ready.ts: // ready answers from the cache\ncommit: ready reads the cache']);
      await step(agentRun, [...example, '--detach', '--bead', phase(3), '--name', 'incremental', 'append src/cache.ts: export const blocked = new Set();\ncommit: Incremental blocked flags']);
      await step(agentRun, [...example, '--detach', '--bead', phase(4), '--name', 'bench', '--wait', 'query', '--wait', 'incremental', 'create bench/RESULTS.md: ready: one file read at 100k beads\ncommit: Benchmark at 100k beads']);
      await step(agentLog, ['-f', 'query']);
      await step(agentLog, ['-f', 'incremental']);
      await ended('query');
      await ended('incremental');
      say('10. Both done: sase agent dispatch starts the run that waited for them.');
      await step(agentDispatch, []);
      await step(agentLog, ['-f', 'bench']);
      await ended('bench');
      await step(agentList, []);
      say('11. Each run had a workspace of its own, a git worktree; they stay for a look or a retry. sase ws clean --finished removes them, but keeps one whose work is on no other branch.');
      await step(wsList, []);
      say('12. The plan followed its beads: every phase is closed, so it is done, with the commits that carried it out (found by their notes).');
      await step(sddShow, ['ready-queue-cache']);
      say('13. Every change is one commit in refs/sase/state: the log is the history.');
      await step(log, ['--limit', '5']);
      await step(fsck, []);
      say(opts.keep ? `The repository is kept at ${scratch.dir}` : 'Done. (sase demo --keep keeps the repository to look around.)');
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
};

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
  - id: query
    title: ready reads the cache
    size: small
    depends_on: [store]
  - id: incremental
    title: Incremental blocked flags
    size: medium
    depends_on: [store]
  - id: bench
    title: Benchmark at 100k beads
    size: small
    depends_on: [query, incremental]
---
## Context

Reading every bead on every query is slow at 100k beads.
`;

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

