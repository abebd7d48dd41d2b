// The tour `sase demo` gives: a throw-away repository, an epic plan worked by
// the example agent, and the change it lands, step by step. The steps are
// sase commands; which code runs a step, and how it looks, is the caller's
// (TourIO), so this holds only the story and what it waits for.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AgentRun, isFinished } from '../../core/agents/run.ts';
import { landChangeName } from '../../core/beads/work.ts';
import { supervisorAlive } from '../../proc/agent-process.ts';
import { resolveRun } from '../../store/runs.ts';
import { openStore, type StoreEnv } from '../../store/store.ts';
import { commitInScratch, gitInScratch } from './scratch.ts';

/** A step that did not go as the tour needs; its message says which. */
export class TourStepFailed extends Error {}

/** The commands the tour runs, by their names (sase-<name>). */
export type TourCommand =
  | 'ace'
  | 'init'
  | 'sdd-put'
  | 'sdd-approve'
  | 'sdd-show'
  | 'bead-ready'
  | 'bead-work'
  | 'cs-show'
  | 'cs-hook-add'
  | 'cs-hook-run'
  | 'cs-set'
  | 'cs-mail'
  | 'cs-submit'
  | 'agent-log'
  | 'agent-list'
  | 'log'
  | 'fsck'
  | 'sync'
  | 'bead-create'
  | 'bead-update'
  | 'axe-tick'
  | 'axe-lumberjack-list';

export interface TourIO {
  /** a numbered part of the story */
  say(text: string): void;
  /** a remark beside it */
  aside(text: string): void;
  /** a command line, shown as run (by `run`, or by the tour itself) */
  shown(cmd: string): void;
  /** text shown as it is, a line at a time (dimmed: quoted material) */
  print(text: string, dim?: boolean): void;
  /**
   * Runs `sase <command> <args>` in the tour's repository; shown unless
   * `show` is false (then its output comes back in id form, where it has
   * one); with `progress`, what it says on stderr is shown with it.
   * A command that fails throws TourStepFailed. `cwd`: another repository
   * of the tour (the second clone), instead of its own. `capture`: run it
   * as shown (text), but return what it printed instead of printing it.
   */
  run(
    command: TourCommand,
    args: string[],
    opts?: { show?: boolean; progress?: boolean; cwd?: string; capture?: boolean },
  ): Promise<string>;
}

export interface Tour {
  dir: string;
  env: Record<string, string | undefined>;
}

/** How long a run may take before the tour gives up on it. */
const RUN_DEADLINE_MS = 30_000;

/**
 * The run named `name` once it has ended and its supervisor is gone. The
 * record says done a moment before the supervisor has let go of the
 * workspace; the next step should see all of that.
 */
async function ended(tour: Tour, storeEnv: StoreEnv, name: string): Promise<AgentRun> {
  const store = await openStore({ cwd: tour.dir, env: tour.env }, storeEnv);
  try {
    const deadline = storeEnv.clock.ms() + RUN_DEADLINE_MS;
    for (;;) {
      const run = await resolveRun(await store.snapshot(), name);
      if (isFinished(run.status) && (run.pid === null || !supervisorAlive(run.pid, run.id))) {
        if (run.status !== 'done')
          throw new TourStepFailed(`the run '${name}' ended ${run.status}: ${run.error ?? ''}`);
        return run;
      }
      if (storeEnv.clock.ms() > deadline) throw new TourStepFailed(`the run '${name}' did not end in 30 seconds`);
      await sleep(25);
    }
  } finally {
    store.close();
  }
}

/** Shell quoting for a command line shown to a person. */
export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The tour, in the scratch repository `tour.dir`. */
export async function runTour(tour: Tour, storeEnv: StoreEnv, io: TourIO): Promise<void> {
  const { say, aside, shown, run } = io;
  const git = { cwd: tour.dir, env: tour.env };
  say('1. Set up sase: the state lives in the git ref refs/sase/state.');
  await commitInScratch(git, 'main', {}, 'Start the project'); // an empty tree: the work tree stays clean
  await run('init', ['--prefix', 'demo'], { show: false });
  shown('sase init --prefix demo');
  say(
    '2. A plan: an epic in four phases, written as a file (as an agent hands one in). Phase 1 comes first; 2 and 3 need it; 4 needs both.',
  );
  aside(
    "a phase's description is what its agent is told. The agent here is the example agent (scripted, no model), so each description is its script: create a file, commit it; a phase after others first checks that their files are in its checkout",
  );
  writeFileSync(join(tour.dir, 'ready-cache.md'), EPIC_PLAN);
  io.print(
    EPIC_PLAN.split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
    true,
  );
  await run('sdd-put', ['ready-cache.md']);
  say('3. Approving it makes the beads, in one commit: the epic and a phase bead per phase, with their dependencies.');
  await run('sdd-approve', ['ready-queue-cache']);
  const epic = (await run('sdd-approve', ['ready-queue-cache'], { show: false })).split('\n')[0]!;
  const phase = (n: number) => `${epic}.${n}`;
  say('4. What can be worked on now? Only the first phase.');
  await run('bead-ready', ['--parent', epic]);

  say(
    '5. sase bead work turns the epic into a team of agent runs. First its schedule: the phases in waves, each after its blockers, then a land run. A dry run changes nothing.',
  );
  await run('bead-work', ['ready-queue-cache', '--dry-run']);
  say(
    '6. Now for real, with the example agent, two runs at a time. One commit claims every phase for its run and stores the runs, waiting (the checkpoint); each starts once its blockers are done.',
  );
  aside(
    "each run works in a workspace of its own, a git worktree that begins at its blockers' work (phase 4's at a merge of phases 2 and 3, made by sase); the land run starts from every phase's work merged, recorded as a change; your checkout is never touched",
  );
  await run('bead-work', ['ready-queue-cache', '--provider', 'example', '--jobs', '2', '--yes'], { progress: true });
  for (const n of [1, 2, 3]) await ended(tour, storeEnv, phase(n));
  const last = await ended(tour, storeEnv, phase(4));
  await ended(tour, storeEnv, `${epic}.land`);

  say(
    "7. The runs, each named by its bead. Phase 4's agent was told the plan, the phase and its blockers (lines the example agent ignores), then followed its script: the test -f passed, its checkout held the work of phases 2 and 3.",
  );
  await run('agent-list', []);
  await run('agent-log', [phase(4)]);
  say('8. Its commit carries a note naming the run, the bead and the plan, and the land change it is part of.');
  const sha = last.commits[0]!.slice(0, 12);
  shown(`git log --notes=sase --oneline -1 ${sha}`);
  io.print((await gitInScratch(git, ['log', '--notes=sase', '--oneline', '-1', sha])).trimEnd());

  const land = landChangeName(epic);
  say(
    `9. The land change, ${land}: every phase's commit, and the merge sase made for phase 4. A hook checks it in a temporary worktree; it passes, the change is mailed and submitted to main.`,
  );
  await run('cs-show', [land]);
  const check = 'test -s src/cache.ts && test -s bench/RESULTS.md';
  await run('cs-hook-add', [land, check], { show: false });
  shown(`sase cs hook add ${land} ${quote(check)}`);
  await run('cs-hook-run', [land]);
  await run('cs-set', [land, '--status', 'Ready'], { show: false });
  await run('cs-mail', [land], { show: false });
  shown(`sase cs set ${land} --status Ready && sase cs mail ${land}`);
  await run('cs-submit', [land]);

  say(
    '10. The plan followed its beads: every phase is closed and the land run closed the epic, so it is done, with the commits that carried it out (found by their notes).',
  );
  await run('sdd-show', ['ready-queue-cache']);
  say('11. Every change is one commit in refs/sase/state: the log is the history. The checkpoint was one of them.');
  await run('log', ['--limit', '6']);
  await run('log', ['--op', 'agent.work']);
  await run('fsck', []);

  say(
    '12. The Axe: supervision that runs from your scheduler, so work moves on while nobody types. A second epic, worked with --detach: only the checkpoint is written, and the command returns. Then nothing but ticks.',
  );
  aside(
    "sase axe install writes one schedule entry that runs 'sase axe tick --all --for 55s' every minute; each tick runs the lumberjacks that are due. waits, which starts what is ready, runs every 10 s by default; every second here, by .sase/config.toml",
  );
  mkdirSync(join(tour.dir, '.sase'), { recursive: true });
  writeFileSync(join(tour.dir, '.sase', 'config.toml'), '[axe.lumberjacks.waits]\ninterval = "1s"\n');
  writeFileSync(join(tour.dir, 'docs-site.md'), DOCS_PLAN);
  await run('sdd-put', ['docs-site.md'], { show: false });
  await run('bead-work', ['docs-site', '--provider', 'example', '--detach', '--yes'], { progress: true });
  const docs = (await run('sdd-approve', ['docs-site'], { show: false })).split('\n')[0]!;
  const deadline = storeEnv.clock.ms() + RUN_DEADLINE_MS * 2;
  for (;;) {
    const said = await run('axe-tick', [], { capture: true });
    const moved = said.split('\n').filter((l) => / ok |failed|check_error/.test(l));
    if (moved.length) {
      shown('sase axe tick');
      io.print(moved.join('\n'));
    }
    if (await landEnded(tour, storeEnv, `${docs}.land`)) break;
    if (storeEnv.clock.ms() > deadline)
      throw new TourStepFailed('the Axe did not carry the epic to its land run in 60 seconds');
    await sleep(1000);
  }
  say(
    '13. No foreground ran: the ticks started each wave as the one before it ended, then the land run. The plan is done.',
  );
  await run('sdd-show', ['docs-site']);
  await run('axe-lumberjack-list', []);
  const parent = dirname(tour.dir);
  const remote = join(parent, 'remote.git');
  const clone = join(parent, 'clone');
  say(
    '14. Sharing: the state travels with git. A bare remote (a folder here), and a second clone of it: git clone copies no sase refs, sase sync brings them.',
  );
  await gitInScratch({ cwd: parent, env: tour.env }, ['init', '-q', '--bare', remote]);
  await gitInScratch(git, ['remote', 'add', 'origin', remote]);
  await gitInScratch(git, ['push', '-q', 'origin', 'main']);
  shown(`git remote add origin ${quote(remote)} && git push -q origin main`);
  await run('sync', []);
  await gitInScratch({ cwd: parent, env: tour.env }, ['clone', '-q', remote, clone]);
  shown(`git clone -q ${quote(remote)} ${quote(clone)} && cd ${quote(clone)}`);
  await run('sync', [], { cwd: clone });
  say(
    "15. Both work offline: the clone files a follow-up, this checkout raises the epic's priority. Each syncs; the later one replays its operation on top of the other's, and both end equal, every operation in the log.",
  );
  await run('bead-create', ['--title', 'Document the ready cache', '--priority', '1'], { cwd: clone });
  await run('bead-update', [epic, '--priority', '0']);
  await run('sync', [], { cwd: clone });
  await run('sync', []);
  await run('sync', [], { cwd: clone });
  await run('log', ['--limit', '3'], { cwd: clone });
  say(
    "16. One screen over all of it: sase ace, an fzf-style picker over beads, plans, changes, agents, workflows and notifications (type to filter, Alt keys to act, '?' for the keys). Without a screen, --filter gives its matches, as records, to a pipeline: here the open beads that say cache (sase ace --filter 'status:open cache' | sase bead claim would claim them).",
  );
  await run('ace', ['--filter', 'status:open cache'], { cwd: clone });
}

/** Whether the run named `name` exists and has ended (done; anything else stops the tour). */
async function landEnded(tour: Tour, storeEnv: StoreEnv, name: string): Promise<boolean> {
  const store = await openStore({ cwd: tour.dir, env: tour.env }, storeEnv);
  try {
    const run = await resolveRun(await store.snapshot(), name).catch(() => null);
    if (!run || !isFinished(run.status)) return false;
    if (run.status !== 'done') throw new TourStepFailed(`the run '${name}' ended ${run.status}: ${run.error ?? ''}`);
    return true;
  } finally {
    store.close();
  }
}

const DOCS_PLAN = `---
tier: epic
title: Docs site
goal: the cache is documented
phases:
  - id: guide
    title: Write the guide
    size: small
    depends_on: []
    description: |
      create docs/guide.md: # The ready cache
      commit: Write the guide
  - id: links
    title: Link it from the README
    size: small
    depends_on: [guide]
    description: |
      run: test -f docs/guide.md
      create docs/index.md: see guide.md
      commit: Link the guide
---
## Context

The ready cache needs a page.
`;

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
