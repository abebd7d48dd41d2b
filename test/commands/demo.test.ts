import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir } from '../helpers/gitdir.ts';
import { BIN, sase, saseBin } from '../helpers/run.ts';

const t = suite('demo');

// sase's bin/ taken off PATH: the demo finds the example agent and the supervisor beside itself
const PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((d) => d && resolve(d) !== resolve(BIN))
  .join(delimiter);

/** The text of a numbered section of the tour, up to the next one. */
function section(out: string, n: number): string {
  const from = out.indexOf(`\n${n}. `);
  assert.ok(from >= 0, `section ${n} is printed`);
  const to = out.indexOf(`\n${n + 1}. `, from);
  return out.slice(from, to < 0 ? undefined : to);
}

/** The lines a shown command printed, up to the next command or section. */
function printed(text: string, cmd: string): string[] {
  const at = text.indexOf(`$ ${cmd}\n`);
  assert.ok(at >= 0, `'${cmd}' is shown`);
  const rest = text.slice(at + cmd.length + 3);
  const end = rest.search(/^(\$ |\n)/m);
  return (end < 0 ? rest : rest.slice(0, end)).split('\n').filter(Boolean);
}

t(
  'tours the main loop: an epic plan worked by sase bead work with the example agent, its land change submitted; removes the repository',
  async () => {
    const repo = gitdir();
    // through the real executable
    const r = saseBin(repo, 'demo', [], { env: { PATH } });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '');
    assert.not.match(r.stdout, /\x1b\[/, 'no colour when piped');
    // it starts from an epic plan whose phases are scripts for the example agent, approved into beads
    assert.match(r.stdout, /\$ sase sdd put ready-cache.md\n/);
    assert.match(r.stdout, /\$ sase sdd approve ready-queue-cache\n/);
    assert.match(section(r.stdout, 2), /the example agent \(scripted, no model\)/);
    const epic = /approved ready-queue-cache: Ready-queue cache \((demo-\w+) with 4 phases\)/.exec(r.stdout)?.[1];
    assert.ok(epic, 'the epic bead is made');
    const esc = epic.replace(/[.-]/g, '\\$&');
    // only phase 1 is ready at first
    const readyList = printed(section(r.stdout, 4), `sase bead ready --parent ${epic}`);
    assert.is(readyList.length, 2, 'a header and phase 1');
    assert.match(readyList[1]!, /\.1 +P2 +open +phase +Cache keyed by tip/);

    // the schedule: three waves, each phase after its blockers, then the land run; nothing run
    const plan = printed(section(r.stdout, 5), 'sase bead work ready-queue-cache --dry-run');
    assert.match(plan[0]!, /^WAVE +PHASE +STATE/);
    assert.match(plan[1]!, new RegExp(`^1 +${esc}\\.1 +planned +Cache keyed by tip`));
    assert.match(plan[2]!, new RegExp(`^2 +${esc}\\.2 +planned +${esc}\\.1 `));
    assert.match(plan[3]!, new RegExp(`^2 +${esc}\\.3 +planned +${esc}\\.1 `));
    assert.match(plan[4]!, new RegExp(`^3 +${esc}\\.4 +planned +${esc}\\.2, ${esc}\\.3 `));
    assert.match(plan[5]!, new RegExp(`^land +${esc}\\.land +planned`));

    // the work: one command, the example agent, two at a time; its progress shown; every run done
    const six = section(r.stdout, 6);
    assert.match(
      six,
      /\$ sase bead work ready-queue-cache --provider example --jobs 2 --yes\ncheckpoint: 5 runs waiting for demo-\w+\n/,
    );
    for (const n of ['1', '2', '3', '4', 'land'])
      assert.match(six, new RegExp(`\\n${esc}\\.${n}: done \\(r-\\w+, \\d+s\\)\\n`), `${n} done`);
    const end = six
      .split('\n')
      .filter((l) => /^(\d|land) +demo-/.test(l))
      .slice(-5);
    assert.is(end.length, 5);
    for (const l of end) assert.match(l, /^(\d|land) +\S+ +done /);

    // the runs, each named by its bead; phase 4's agent found its blockers' files in its checkout
    const list = printed(section(r.stdout, 7), 'sase agent list');
    assert.is(list.length, 6, 'a header and five runs');
    for (const n of ['1', '2', '3', '4', 'land'])
      assert.ok(
        list.some((l) => new RegExp(`^r-\\w+ +${esc}\\.${n} +done +example +#\\d`).test(l)),
        `${n} done`,
      );
    const log = section(r.stdout, 7).split(`$ sase agent log ${epic}.4\n`)[1]!;
    assert.match(log, /"action":"run","command":"test -f src\/ready\.ts && test -f src\/blocked\.ts","exit_code":0/);
    const sha = /"action":"commit","message":"Benchmark at 100k beads","commit":"([0-9a-f]{40})"/.exec(log)?.[1];
    assert.ok(sha, "phase 4's commit");
    // the note on its commit: the run, the bead, the plan; and the land change
    const eight = section(r.stdout, 8);
    assert.match(
      eight,
      new RegExp(
        `\\$ git log --notes=sase --oneline -1 ${sha.slice(0, 12)}\\n[0-9a-f]+ Benchmark at 100k beads\\nNotes \\(sase\\):\\n`,
      ),
    );
    assert.match(
      eight,
      new RegExp(`\\{"v":1,"agent":"r-\\w+","bead":"${esc}\\.4","plan":"sdd/epics/ready-queue-cache\\.md"\\}`),
    );
    assert.match(eight, new RegExp(`\\{"v":1,"bead":"${esc}","changespec":"land_demo_\\w+"\\}`));

    // the land change holds every phase's commit and sase's merge for phase 4; checked by a hook and submitted to main
    const land = `land_${epic.replace('-', '_')}`;
    const nine = section(r.stdout, 9);
    const card = nine.split(`$ sase cs show ${land}\n`)[1]!.split('\n$ ')[0]!;
    for (const subject of [
      'Add the cache module',
      'ready reads the cache',
      'Incremental blocked flags',
      `sase: merge the work of ${epic}.2, ${epic}.3 for ${epic}.4`,
      'Benchmark at 100k beads',
    ]) {
      assert.match(card, new RegExp(`\\(\\d\\) [0-9a-f]{12} ${subject.replace(/[.-]/g, '\\$&')} \\[`), subject);
    }
    assert.match(card, `${sha.slice(0, 12)} Benchmark at 100k beads`);
    assert.match(nine, new RegExp(`\\$ sase cs hook run ${land}\\nPASSED `));
    assert.match(
      nine,
      new RegExp(
        `\\$ sase cs submit ${land}\\n${land} Submitted main [0-9a-f]+\\.\\.${sha.slice(0, 12)} \\(fast-forward\\)`,
      ),
    );

    // the epic closed and the plan done, with the runs' commits
    const ten = section(r.stdout, 10);
    assert.match(ten, /epic +done +sdd\/epics\/ready-queue-cache\.md/);
    assert.match(ten, /bead: +demo-\w+ closed\n/);
    for (const n of [1, 2, 3, 4]) assert.match(ten, new RegExp(`demo-\\w+\\.${n} closed`));
    assert.match(ten, new RegExp(`Benchmark at 100k beads  ${esc}\\.4\\n`));
    // the checkpoint is one operation; the log replays
    assert.match(
      section(r.stdout, 11),
      new RegExp(`\\$ sase log --op agent\\.work\\n[0-9a-f]+ \\S+ \\S+ agent work ${esc}\\.1 `),
    );
    assert.match(r.stdout, /ok: 5 beads, \d+ operations replayed, 0 problems/);
    // the Axe: a detached epic carried to its end by ticks alone, a wave a tick
    const fourteen = section(r.stdout, 12);
    assert.match(fourteen, /\$ sase bead work docs-site --provider example --detach --yes\n/);
    const started = [...fourteen.matchAll(/waits\/waits: ok started (demo-\w+\.(?:\d|land))/g)].map(
      (m) => m[1]!.split('.')[1],
    );
    assert.equal(started, ['1', '2', 'land'], 'each wave started by a tick, then the land run');
    const fifteen = section(r.stdout, 13);
    assert.match(fifteen, /epic +done +sdd\/epics\/docs-site\.md/);
    assert.match(fifteen, /waits every 1s: waits; last /);
    const dir = /throw-away repository at (\S+)/.exec(r.stdout)![1]!;
    assert.not.ok(existsSync(dir), 'removed at the end');
  },
);

t(
  '--keep keeps the repository: the runs, their notes, stacked workspaces, the epic closed and its land change on main',
  async () => {
    const repo = gitdir();
    const r = await sase(repo, 'demo', ['--keep']);
    assert.is(r.code, 0, r.stderr);
    const dir = /kept at (\S+)/.exec(r.stdout)![1]!;
    const kept = { ...repo, dir };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: repo.env, encoding: 'utf8' }).trim();
    const fsck = await sase(kept, 'fsck');
    assert.is(fsck.code, 0);
    // the epic, its four phases, the Axe scene's epic and its two, and the follow-up the second clone filed in the sharing scene
    assert.is(fsck.records.at(-1)!.beads, 9);
    // the sharing scene: the clone and this checkout ended equal, and equal to the remote
    const tipOf = (cwd: string) =>
      execFileSync('git', ['rev-parse', 'refs/sase/state'], { cwd, env: repo.env, encoding: 'utf8' }).trim();
    assert.is(tipOf(join(dir, '..', 'clone')), tipOf(dir));
    assert.is(tipOf(join(dir, '..', 'remote.git')), tipOf(dir));
    assert.match(r.stdout, /origin: replayed, fetched 1 operation, replayed 1, pushed/);
    const all = (await sase(kept, 'agent-list', ['--all'])).records;
    assert.is(all.length, 8, "five runs of the first epic, three of the Axe scene's");
    const first = /approved ready-queue-cache: Ready-queue cache \((demo-\w+)/.exec(r.stdout)![1]!;
    const runs = all.filter((x) => x.name.startsWith(`${first}.`));
    assert.is(runs.length, 5);
    const land = runs.find((x) => x.name.endsWith('.land'))!;
    const epic = land.bead as string;
    const byName = new Map(runs.map((x) => [x.name, x]));
    assert.equal(
      [...byName.keys()].sort(),
      [1, 2, 3, 4]
        .map((n) => `${epic}.${n}`)
        .concat(`${epic}.land`)
        .sort(),
    );
    for (const run of runs) assert.equal([run.provider, run.status], ['example', 'done'], run.name);
    const phases = [1, 2, 3, 4].map((n) => byName.get(`${epic}.${n}`)!);
    for (const run of phases) {
      // each phase closed by its run, its one commit noted with the run and the bead
      const [bead] = (await sase(kept, 'bead-show', [run.bead])).records;
      assert.is(bead!.status, 'closed', run.name);
      assert.is(bead!.close_reason, `done by run ${run.id}`);
      assert.is(run.commits.length, 1);
      const note = git('notes', '--ref', 'sase', 'show', run.commits[0]);
      assert.ok(
        note.split('\n').some((l: string) => l.startsWith(`{"v":1,"agent":"${run.id}","bead":"${run.bead}"`)),
        note,
      );
    }
    // every run started after its blockers ended; phase 4's workspace holds the commits of 1, 2 and 3
    const [p1, p2, p3, p4] = phases as [
      Record<string, any>,
      Record<string, any>,
      Record<string, any>,
      Record<string, any>,
    ];
    for (const [run, blockers] of [
      [p2, [p1]],
      [p3, [p1]],
      [p4, [p2, p3]],
      [land, phases],
    ] as const) {
      for (const b of blockers) assert.ok(run.started_at >= b.ended_at, `${run.name} after ${b.name}`);
    }
    for (const b of [p1, p2, p3]) git('merge-base', '--is-ancestor', b.commits[0], p4.workspace.branch);
    // the land change holds every phase's commit and was submitted: main is its tip
    const cs = (await sase(kept, 'cs-show', [land.changespec])).records[0]!;
    const shas = cs.commits.map((k: Record<string, string>) => k.sha);
    for (const run of phases) assert.ok(shas.includes(run.commits[0]), `${run.name}'s commit is in the change`);
    assert.is(cs.status, 'Submitted');
    assert.is(git('rev-parse', 'main'), shas.at(-1));
    // the epic closed by its land run, the plan done
    assert.is((await sase(kept, 'bead-show', [epic])).records[0]!.status, 'closed');
    assert.is((await sase(kept, 'sdd-show', ['ready-queue-cache'])).records[0]!.status, 'done');
    rmSync(dirname(dir), { recursive: true, force: true });
  },
);

t('--help documents the tour', async () => {
  const r = await sase(gitdir(), 'demo', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: sase-demo/);
});

t.run();
