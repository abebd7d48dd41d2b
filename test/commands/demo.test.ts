import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir } from '../helpers/gitdir.ts';
import { sase } from '../helpers/run.ts';
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

const t = suite('demo');

t('tours the main loop in a throw-away repository and removes it', () => {
  const repo = gitdir();
  const r = sase(repo, 'demo');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.not.match(r.stdout, /\x1b\[/, 'no colour when piped');
  // the first ready list holds only phase 1; after closing it, phases 2 and 3
  const sections = r.stdout.split('$ sase bead ready');
  assert.is(sections.length, 3);
  assert.match(sections[1]!, /\.1 +P2 +open +phase +Cache keyed by tip/);
  assert.not.match(sections[1]!.split('\n\n')[0]!, /\.2 /);
  const second = sections[2]!.split('\n\n')[0]!;
  assert.match(second, /\.2 +P2 +open/);
  assert.match(second, /\.3 +P2 +open/);
  assert.not.match(second, /\.1 /);
  // it starts from an epic plan, approved into beads, which follows them into progress
  assert.match(r.stdout, /\$ sase sdd put ready-cache.md\n/);
  assert.match(r.stdout, /\$ sase sdd approve ready-queue-cache\n/);
  assert.match(r.stdout, /epic +ready-queue-cache +in_progress/);
  // the worker's phase is recorded as a change, checked by a hook and submitted to main
  assert.match(r.stdout, /\$ sase cs hook run cache_keyed_by_tip\nPASSED /);
  assert.match(r.stdout, /\$ sase cs submit cache_keyed_by_tip\ncache_keyed_by_tip Submitted main [0-9a-f]+\.\.[0-9a-f]+ \(fast-forward\)/);
  assert.match(r.stdout, /ok: 5 beads, 13 operations replayed, 0 problems/);
  const dir = /throw-away repository at (\S+)/.exec(r.stdout)![1]!;
  assert.not.ok(existsSync(dir), 'removed at the end');
});

t('--keep keeps the repository with its state ref', () => {
  const repo = gitdir();
  const r = sase(repo, 'demo', ['--keep']);
  assert.is(r.code, 0, r.stderr);
  const dir = /kept at (\S+)/.exec(r.stdout)![1]!;
  const fsck = sase({ ...repo, dir }, 'fsck');
  assert.is(fsck.code, 0);
  assert.is(fsck.records.at(-1)!.beads, 5);
  rmSync(dirname(dir), { recursive: true, force: true });
});

t('--help documents the tour', () => {
  const r = sase(gitdir(), 'demo', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: sase-demo/);
});

t.run();
