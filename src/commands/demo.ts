import type { CommandSpec } from '../cli/spec.ts';
import { runCommand } from '../cli/main.ts';
import { makeScratchRepo } from '../store/scratch.ts';
import { Writable } from 'node:stream';
import { spec as init } from './init.ts';
import { spec as create } from './bead-create.ts';
import { spec as ready } from './bead-ready.ts';
import { spec as claim } from './bead-claim.ts';
import { spec as update } from './bead-update.ts';
import { spec as close } from './bead-close.ts';
import { spec as blocked } from './bead-blocked.ts';
import { spec as depTree } from './bead-dep-tree.ts';
import { spec as show } from './bead-show.ts';
import { spec as log } from './log.ts';
import { spec as fsck } from './fsck.ts';

export const spec: CommandSpec = {
  name: 'demo',
  summary: 'a scripted tour of sase in a throw-away repository',
  args: [],
  options: [{ flags: '--keep', description: 'keep the throw-away repository and print its path', type: 'bool' }],
  formatted: false,
  description: `Creates a throw-away git repository in a temporary folder and walks through the main loop, printing each command as it runs it and what it printed: sase init; an epic with four phases as beads, in a diamond of dependencies (one phase first, two in parallel after it, a last one after both); sase bead ready showing only the first phase; a worker claiming it, starting it and closing it; sase bead ready again, now showing the two phases it unblocked; the blocked list and the dependency tree of the last phase; the operation log; and sase fsck.

Every step runs the same code as the sase-* command it names. The repository is removed at the end unless --keep is given. Needs nothing but git.`,
  output: 'Text for people: each command prefixed with "$ " and its output in text form.',
  exit: [[1, 'a step of the tour failed (its error is shown)']],
  examples: [
    { cmd: 'sase demo', text: 'take the tour' },
    { cmd: 'sase demo --keep', text: 'take it and keep the repository to look around' },
  ],
  seeAlso: ['sase', 'sase-bead-ready', 'sase-init'],
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
      await step(init, ['--prefix', 'demo'], false);
      ctx.stdout.write(`${c.dim('$')} ${c.cyan('sase init --prefix demo')}\n`);
      say('2. An epic with four phases, as beads. Phase 1 comes first; 2 and 3 need it; 4 needs both.');
      const epic = await step(create, ['--title', 'Ready-queue cache', '--tier', 'epic', '--priority', '1'], false);
      const p1 = await step(create, ['--type', 'phase', '--parent', epic, '--title', 'Cache keyed by tip', '--size', 'small'], false);
      const p2 = await step(create, ['--type', 'phase', '--parent', epic, '--title', 'ready reads the cache', '--deps', p1], false);
      const p3 = await step(create, ['--type', 'phase', '--parent', epic, '--title', 'Incremental blocked flags', '--deps', p1], false);
      await step(create, ['--type', 'phase', '--parent', epic, '--title', 'Benchmark at 100k beads', '--deps', `${p2},${p3}`], false);
      await step(show, [epic]);
      say('3. What can be worked on now? Only the first phase.');
      await step(ready, ['--parent', epic]);
      say('4. A worker claims it (atomically: one winner if many race), starts, and closes it.');
      await step(claim, [p1, '--as', 'agent-1']);
      await step(update, [p1, '--status', 'in_progress']);
      await step(close, [p1, '--reason', 'cache module landed']);
      say('5. Ready again: closing phase 1 released the next wave, phases 2 and 3.');
      await step(ready, ['--parent', epic]);
      say('6. What still waits, and on what.');
      await step(blocked, []);
      await step(depTree, [`${epic}.4`]);
      say('7. Every change is one commit in refs/sase/state: the log is the history.');
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

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

