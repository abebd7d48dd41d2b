import type { CommandSpec } from '../cli/spec.ts';
import { runCommand } from '../cli/main.ts';
import { commitInScratch, makeScratchRepo } from '../store/scratch.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { spec as init } from './init.ts';
import { spec as put } from './sdd-put.ts';
import { spec as approve } from './sdd-approve.ts';
import { spec as sddShow } from './sdd-show.ts';
import { spec as sddList } from './sdd-list.ts';
import { spec as ready } from './bead-ready.ts';
import { spec as claim } from './bead-claim.ts';
import { spec as update } from './bead-update.ts';
import { spec as close } from './bead-close.ts';
import { spec as blocked } from './bead-blocked.ts';
import { spec as depTree } from './bead-dep-tree.ts';
import { spec as csNew } from './cs-new.ts';
import { spec as csCommit } from './cs-commit.ts';
import { spec as hookAdd } from './cs-hook-add.ts';
import { spec as hookRun } from './cs-hook-run.ts';
import { spec as csSet } from './cs-set.ts';
import { spec as csMail } from './cs-mail.ts';
import { spec as csSubmit } from './cs-submit.ts';
import { spec as csShow } from './cs-show.ts';
import { spec as log } from './log.ts';
import { spec as fsck } from './fsck.ts';

export const spec: CommandSpec = {
  name: 'demo',
  summary: 'a scripted tour of sase in a throw-away repository',
  args: [],
  options: [{ flags: '--keep', description: 'keep the throw-away repository and print its path', type: 'bool' }],
  formatted: false,
  description: `Creates a throw-away git repository in a temporary folder and walks through the main loop, printing each command as it runs it and what it printed: sase init; an epic plan with four phases in a diamond of dependencies (one phase first, two in parallel after it, a last one after both), handed in as a file as an agent would (sase sdd put); its approval, which turns the phases into beads in one commit (sase sdd approve); sase bead ready showing only the first phase; a worker claiming it and starting it, its work recorded as a change on its own branch (sase cs new, sase cs commit), a hook run on it in a temporary worktree, the change mailed and submitted to main, and the phase closed; sase bead ready again, now showing the two phases it unblocked; the blocked list and the dependency tree of the last phase; the plan, now in progress, with its beads (sase sdd show, sase sdd list); the operation log; and sase fsck.

Every step runs the same code as the sase-* command it names. The repository is removed at the end unless --keep is given. Needs nothing but git.`,
  output: 'Text for people: each command prefixed with "$ " and its output in text form.',
  exit: [[1, 'a step of the tour failed (its error is shown)']],
  examples: [
    { cmd: 'sase demo', text: 'take the tour' },
    { cmd: 'sase demo --keep', text: 'take it and keep the repository to look around' },
  ],
  seeAlso: ['sase', 'sase-sdd-put', 'sase-sdd-approve', 'sase-bead-ready', 'sase-init'],
  async run(ctx, _args, opts) {
    const c = ctx.colors;
    const scratch = await makeScratchRepo({ cwd: ctx.cwd, env: ctx.env }, 'demo');
    const env = { ...ctx.env, GIT_AUTHOR_NAME: ctx.env.GIT_AUTHOR_NAME ?? 'Demo', GIT_AUTHOR_EMAIL: ctx.env.GIT_AUTHOR_EMAIL ?? 'demo@example.com' };
    const say = (text: string) => ctx.stdout.write(`\n${c.bold(text)}\n`);
    /** runs one step; returns what it printed (json steps are captured, text steps shown) */
    const step = async (s: CommandSpec, args: string[], show = true): Promise<string> => {
      let captured = '';
      const sink = new Writable({
        write(chunk, _enc, done) {
          captured += chunk.toString();
          done();
        },
      });
      if (show) ctx.stdout.write(`${c.dim('$')} ${c.cyan(`sase ${s.name.replace(/-/g, ' ')} ${args.map(quote).join(' ')}`.trim())}\n`);
      const code = await runCommand(s, show ? [...args, '--format', 'text', ...(ctx.stdoutIsTTY ? [] : ['--no-color'])] : [...args, '--format', 'id'], {
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
    try {
      ctx.stdout.write(`${c.bold('sase demo')}: a throw-away repository at ${scratch.dir}\n`);
      say('1. Set up sase: the state lives in the git ref refs/sase/state.');
      await commitInScratch({ cwd: scratch.dir, env }, 'main', {}, 'Start the project'); // an empty tree: the work tree stays clean
      await step(init, ['--prefix', 'demo'], false);
      ctx.stdout.write(`${c.dim('$')} ${c.cyan('sase init --prefix demo')}\n`);
      say('2. A plan: an epic in four phases, written as a file (as an agent hands one in). Phase 1 comes first; 2 and 3 need it; 4 needs both.');
      writeFileSync(join(scratch.dir, 'ready-cache.md'), EPIC_PLAN);
      ctx.stdout.write(EPIC_PLAN.split('\n').map((l) => c.dim(`  ${l}`)).join('\n') + '\n');
      await step(put, ['ready-cache.md']);
      say('3. Approving it makes the beads, in one commit: the epic and a phase bead per phase, with their dependencies.');
      await step(approve, ['ready-queue-cache']);
      const epic = (await step(approve, ['ready-queue-cache'], false)).split('\n')[0]!;
      const p1 = `${epic}.1`;
      say('4. What can be worked on now? Only the first phase.');
      await step(ready, ['--parent', epic]);
      say('5. A worker claims it (atomically: one winner if many race) and starts; its work is a change, on its own branch.');
      await step(claim, [p1, '--as', 'agent-1']);
      await step(update, [p1, '--status', 'in_progress']);
      await step(csNew, ['cache_keyed_by_tip', '--description', 'Cache keyed by tip\n\nThe first phase of the ready-queue cache.', '--bead', p1]);
      ctx.stdout.write(c.dim('  (the worker commits src/cache.ts on the branch sase/cs/cache_keyed_by_tip)\n'));
      await commitInScratch({ cwd: scratch.dir, env }, 'sase/cs/cache_keyed_by_tip', { 'src/cache.ts': 'export const cache = new Map();\n' }, 'Add the cache module');
      await step(csCommit, ['cache_keyed_by_tip'], false);
      ctx.stdout.write(`${c.dim('$')} ${c.cyan('sase cs commit cache_keyed_by_tip')}\n`);
      say('6. A hook checks the change in a temporary worktree; it passes, the change is mailed and submitted to main.');
      await step(hookAdd, ['cache_keyed_by_tip', 'test -s src/cache.ts'], false);
      ctx.stdout.write(`${c.dim('$')} ${c.cyan("sase cs hook add cache_keyed_by_tip 'test -s src/cache.ts'")}\n`);
      await step(hookRun, ['cache_keyed_by_tip']);
      await step(csSet, ['cache_keyed_by_tip', '--status', 'Ready'], false);
      await step(csMail, ['cache_keyed_by_tip'], false);
      ctx.stdout.write(`${c.dim('$')} ${c.cyan('sase cs set cache_keyed_by_tip --status Ready && sase cs mail cache_keyed_by_tip')}\n`);
      await step(csSubmit, ['cache_keyed_by_tip']);
      await step(csShow, ['cache_keyed_by_tip']);
      await step(close, [p1, '--reason', 'submitted as cache_keyed_by_tip']);
      say('7. Ready again: closing phase 1 released the next wave, phases 2 and 3.');
      await step(ready, ['--parent', epic]);
      say('8. What still waits, and on what.');
      await step(blocked, []);
      await step(depTree, [`${epic}.4`]);
      say('9. The plan followed its beads: claiming a phase moved it to in_progress.');
      await step(sddShow, ['ready-queue-cache']);
      await step(sddList, []);
      say('10. Every change is one commit in refs/sase/state: the log is the history.');
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

