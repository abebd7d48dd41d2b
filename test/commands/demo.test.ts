import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir } from '../helpers/gitdir.ts';
import { BIN, sase } from '../helpers/run.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';

const t = suite('demo');

// sase's bin/ taken off PATH: the demo finds the example agent and the supervisor beside itself
const PATH = (process.env.PATH ?? '').split(delimiter).filter((d) => d && resolve(d) !== resolve(BIN)).join(delimiter);

/** The text of a numbered section of the tour, up to the next one. */
function section(out: string, n: number): string {
  const from = out.indexOf(`\n${n}. `);
  assert.ok(from >= 0, `section ${n} is printed`);
  const to = out.indexOf(`\n${n + 1}. `, from);
  return out.slice(from, to < 0 ? undefined : to);
}

t('tours the main loop, the phases done by the example agent, and removes the repository', () => {
  const repo = gitdir();
  const r = sase(repo, 'demo', [], { env: { PATH } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.not.match(r.stdout, /\x1b\[/, 'no colour when piped');
  // the first ready list holds only phase 1; after its run, phases 2 and 3
  const sections = r.stdout.split('$ sase bead ready');
  assert.is(sections.length, 3);
  assert.match(sections[1]!, /\.1 +P2 +open +phase +Cache keyed by tip/);
  assert.not.match(sections[1]!.split('\n\n')[0]!, /\.2 /);
  const second = sections[2]!.split('\n\n')[0]!;
  assert.match(second, /\.2 +P2 +open/);
  assert.match(second, /\.3 +P2 +open/);
  assert.not.match(second, /\.1 /);
  // it starts from an epic plan, approved into beads
  assert.match(r.stdout, /\$ sase sdd put ready-cache.md\n/);
  assert.match(r.stdout, /\$ sase sdd approve ready-queue-cache\n/);

  // phase 1: the example agent, labelled as such, works the bead as a change in workspace #1
  const five = section(r.stdout, 5);
  assert.match(five, /the example agent \(scripted, no model\)/);
  assert.match(five, /\$ sase agent run --provider example --bead demo-\w+\.1 --cs cache_keyed_by_tip --name store 'create src\/cache\.ts: /);
  const id = /run store \((r-[0-9a-z]{8})\) in #1: done\n/.exec(five)?.[1];
  assert.ok(id, 'the run is done in workspace #1');
  // what it left: the record, the note on its commit naming the run, the bead and the plan; the bead closed by the run
  const six = section(r.stdout, 6);
  assert.match(six, new RegExp(`store \\(${id}\\) +done\\n`));
  assert.match(six, /workspace +#1 \S+ on sase\/cs\/cache_keyed_by_tip\n/);
  assert.match(six, /\$ git log --notes=sase --oneline -1 [0-9a-f]{12}\n[0-9a-f]+ Add the cache module\nNotes \(sase\):\n/);
  assert.match(six, new RegExp(`\\{"v":1,"agent":"${id}","bead":"demo-\\w+\\.1","changespec":"cache_keyed_by_tip","plan":"sdd/epics/ready-queue-cache\\.md"\\}`));
  assert.match(six, new RegExp(`\\$ sase bead show demo-\\w+\\.1\\n.*\\nclosed +P2 +phase .*@${id}\\n`));
  assert.match(six, new RegExp(`done by run ${id}`));
  // the agent's commit is the change's: checked by a hook and submitted to main
  assert.match(r.stdout, /\$ sase cs hook run cache_keyed_by_tip\nPASSED /);
  assert.match(r.stdout, /\$ sase cs submit cache_keyed_by_tip\ncache_keyed_by_tip Submitted main [0-9a-f]+\.\.[0-9a-f]+ \(fast-forward\)/);

  // phases 2 and 3 at once, each in its own workspace; phase 4 waits for both, then is dispatched
  const nine = section(r.stdout, 9);
  assert.match(nine, /started query \(r-\w+\) in #2: queued\n/);
  assert.match(nine, /started incremental \(r-\w+\) in #3: queued\n/);
  assert.match(nine, /\$ sase agent run --provider example --detach --bead demo-\w+\.4 --name bench --wait query --wait incremental /);
  assert.match(nine, /waiting bench \(r-\w+\)/);
  // sase agent log -f: each log to the run's end
  assert.match(nine, /\$ sase agent log -f query\n\{"type":"start"[^\n]*\n(\{[^\n]*\n)*\{"type":"done"[^\n]*"commits":\["[0-9a-f]{40}"\]\}\n/);
  assert.match(nine, /\$ sase agent log -f incremental\n\{"type":"start"[^\n]*\n(\{[^\n]*\n)*\{"type":"done"/);
  const ten = section(r.stdout, 10);
  assert.match(ten, /\$ sase agent dispatch\nstarted bench \(r-\w+\) in #4: queued\n/);
  assert.match(ten, /\$ sase agent log -f bench\n\{"type":"start"[^\n]*\n(\{[^\n]*\n)*\{"type":"done"/);
  const list = ten.split('$ sase agent list\n')[1]!.split('\n\n')[0]!.split('\n').filter(Boolean);
  assert.is(list.length, 5, 'a header and four runs');
  for (const name of ['store', 'query', 'incremental', 'bench']) assert.ok(list.some((l) => new RegExp(`^r-\\w+ +${name} +done +example +#\\d`).test(l)), `${name} done`);
  // the plan is done, every phase closed, with the runs' commits
  const plan = section(r.stdout, 12);
  assert.match(plan, /epic +done +sdd\/epics\/ready-queue-cache\.md/);
  for (const n of [1, 2, 3, 4]) assert.match(plan, new RegExp(`demo-\\w+\\.${n} closed`));
  assert.match(plan, /Benchmark at 100k beads +demo-\w+\.4\n/);
  assert.match(r.stdout, /ok: 5 beads, \d+ operations replayed, 0 problems/);
  const dir = /throw-away repository at (\S+)/.exec(r.stdout)![1]!;
  assert.not.ok(existsSync(dir), 'removed at the end');
});

t('--keep keeps the repository: the runs, their logs and notes, the beads closed', () => {
  const repo = gitdir();
  const r = sase(repo, 'demo', ['--keep']);
  assert.is(r.code, 0, r.stderr);
  const dir = /kept at (\S+)/.exec(r.stdout)![1]!;
  const kept = { ...repo, dir };
  const fsck = sase(kept, 'fsck');
  assert.is(fsck.code, 0);
  assert.is(fsck.records.at(-1)!.beads, 5);
  const runs = sase(kept, 'agent-list', ['--all']).records;
  assert.equal(runs.map((x) => [x.name, x.provider, x.status]).sort(), [
    ['bench', 'example', 'done'],
    ['incremental', 'example', 'done'],
    ['query', 'example', 'done'],
    ['store', 'example', 'done'],
  ]);
  for (const run of runs) {
    // each bead closed by its run, each commit noted with the run and the bead, each log stored in the ref
    const [bead] = sase(kept, 'bead-show', [run.bead]).records;
    assert.is(bead!.status, 'closed', run.name);
    assert.is(bead!.close_reason, `done by run ${run.id}`);
    assert.is(run.commits.length, 1);
    const note = execFileSync('git', ['notes', '--ref', 'sase', 'show', run.commits[0]], { cwd: dir, env: repo.env, encoding: 'utf8' });
    assert.ok(note.split('\n').some((l: string) => l.startsWith(`{"v":1,"agent":"${run.id}","bead":"${run.bead}"`)), note);
    const log = sase(kept, 'agent-log', [run.id]);
    assert.is(log.code, 0);
    assert.match(log.stdout, new RegExp(`"type":"done".*"commits":\\["${run.commits[0]}"\\]`));
  }
  assert.is(runs.find((x) => x.name === 'store')!.workspace.n, 1);
  assert.equal(runs.find((x) => x.name === 'bench')!.waits, [{ agent: 'query' }, { agent: 'incremental' }]);
  rmSync(dirname(dir), { recursive: true, force: true });
});

t('--help documents the tour', () => {
  const r = sase(gitdir(), 'demo', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: sase-demo/);
});

t.run();
