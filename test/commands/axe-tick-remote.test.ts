// Two machines, each with its own Axe, on one epic through one bare remote.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, defaultsOffExcept } from '../helpers/axe.ts';
import { cloneRepo, type TestRepo } from '../helpers/gitdir.ts';
import { remoteWithState } from '../helpers/remote.ts';
import { BIN, ok, sase } from '../helpers/run.ts';
import { assertFsckOk, stateTip } from '../helpers/state.ts';

const t = suite('axe-tick, two machines');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t('two clones tick concurrently on one epic: no phase is launched twice, and the epic completes', async () => {
  const launches = join((await import('node:os')).tmpdir(), `sase-axe-launches-${process.pid}-${Date.now()}`);
  const phase = (id: string, deps: string[]) =>
    `  - id: ${id}\n    title: Phase ${id}\n    size: small\n    depends_on: [${deps.join(', ')}]\n    description: |\n      run: echo ${id} >> ${launches}\n      create ${id}.txt: ${id}\n      commit: phase ${id}`;
  const { remote, a } = await remoteWithState(() =>
    axeRepo(`${defaultsOffExcept('waits', 'sync')}[sync]\nremote = "origin"\n`),
  );
  a.write(
    'duo.md',
    `---\ntier: epic\ntitle: Duo\ngoal: both machines work it\nphases:\n${[phase('a', []), phase('b', []), phase('c', ['a', 'b']), phase('d', ['a'])].join('\n')}\n---\nThe body.\n`,
  );
  const d = await sase(a, 'bead-work', ['duo.md', '--detach', '--provider', 'fixture']);
  assert.is(d.code, 0, d.stderr);
  const epic = d.records[0]!.epic as string;
  await ok(a, 'sync');
  const b = cloneRepo(remote.dir);
  b.write('.sase/config.toml', readFileSync(join(a.dir, '.sase', 'config.toml'), 'utf8'));
  await ok(b, 'sync');

  // each machine's Axe, as its schedule runs it: ticking for a while, concurrently
  const axes = [a, b].map((repo: TestRepo) =>
    spawn(join(BIN, 'sase-axe-tick'), ['--for', '90s'], {
      cwd: repo.dir,
      env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}` },
    }),
  );
  const closed = async (repo: TestRepo) => (await ok(repo, 'bead-show', [epic]))[0]!.status === 'closed';
  try {
    for (let i = 0; i < 400 && !((await closed(a)) && (await closed(b))); i++) await sleep(200);
  } finally {
    for (const p of axes) p.kill('SIGTERM');
    await Promise.all(axes.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.on('close', r)))));
  }
  for (const repo of [a, b, a]) await sase(repo, 'sync');
  assert.is(stateTip(a), stateTip(b), 'the two machines converge');
  assert.ok(await closed(a), 'the epic completes');
  const lines = readFileSync(launches, 'utf8').trim().split('\n').sort();
  assert.equal(lines, ['a', 'b', 'c', 'd'], 'every phase ran exactly once');
  const runs = await ok(a, 'agent-list', ['--all']);
  const land = runs.find((r) => r.name === `${epic}.land`)!;
  assert.is(land.status, 'done');
  assert.is((await ok(a, 'sdd-show', ['duo']))[0]!.status, 'done');
  await assertFsckOk(a, 'machine a');
  await assertFsckOk(b, 'machine b');
});

t.run();
