import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir } from '../helpers/gitdir.ts';
import { staleRegistryLock } from '../helpers/leftovers.ts';
import { fails, ok, sase, saseProcess } from '../helpers/run.ts';

const t = suite('ws-new');

function registry(dir: string): any {
  return JSON.parse(readFileSync(join(dir, '.git', 'sase', 'workspaces.json'), 'utf8'));
}

t('numbered worktrees on their own branches; the user’s work tree and HEAD untouched', async () => {
  const repo = gitdir();
  repo.write('wip.txt', 'mine\n'); // the user's own uncommitted work
  const head = repo.git('rev-parse', 'HEAD').trim();
  const [a] = await ok(repo, 'ws-new', [], { env: { SASE_NOW: '2026-11-25T10:00:00Z' } });
  assert.is(a!.kind, 'workspace');
  assert.is(a!.v, 1);
  assert.is(a!.id, 1);
  assert.is(a!.n, 1);
  assert.is(a!.branch, 'sase/ws/1');
  assert.is(a!.base, head);
  assert.is(a!.state, 'free');
  assert.is(a!.run, null);
  assert.is(a!.created_at, '2026-11-25T10:00:00Z');
  assert.is(a!.path, join(realpathSync(repo.dir), '.git', 'sase', 'workspaces', '1'));
  assert.ok(existsSync(join(a!.path, 'README')));
  assert.is(repo.git('-C', a!.path, 'symbolic-ref', '--short', 'HEAD').trim(), 'sase/ws/1');
  const [b] = await ok(repo, 'ws-new', ['--for', 'run-7']);
  assert.is(b!.n, 2);
  assert.is(b!.state, 'busy');
  assert.is(b!.run, 'run-7');
  assert.is(repo.git('symbolic-ref', '--short', 'HEAD').trim(), 'main');
  assert.is(repo.git('rev-parse', 'HEAD').trim(), head);
  assert.is(repo.git('status', '--porcelain').trim(), '?? wip.txt');
  const reg = registry(repo.dir);
  assert.equal(
    reg.workspaces.map((w: any) => [w.n, w.branch, w.state, w.run]),
    [
      [1, 'sase/ws/1', 'free', null],
      [2, 'sase/ws/2', 'busy', 'run-7'],
    ],
  );
});

t('--base and --branch; a configured root', async () => {
  const repo = gitdir();
  const first = repo.git('rev-parse', 'HEAD').trim();
  repo.write('b.txt', 'b\n');
  repo.git('add', 'b.txt');
  repo.git('commit', '-q', '-m', 'second');
  repo.write('.sase/config.toml', '[workspace]\nroot = "../wss"\n');
  const [w] = await ok(repo, 'ws-new', ['--base', 'HEAD~1', '--branch', 'topic/x']);
  assert.is(w!.base, first);
  assert.is(w!.branch, 'topic/x');
  assert.is(w!.path, join(realpathSync(join(repo.dir, '..')), 'wss', '1'));
  assert.ok(!existsSync(join(w!.path, 'b.txt')));
  assert.is(repo.git('rev-parse', 'topic/x').trim(), first);
});

t('five at once get five distinct numbers', async () => {
  const repo = gitdir();
  const rs = await Promise.all([1, 2, 3, 4, 5].map(() => saseProcess(repo, 'ws-new')));
  for (const r of rs) assert.is(r.code, 0, r.stderr);
  assert.equal(rs.map((r) => r.records[0]!.n).sort(), [1, 2, 3, 4, 5]);
  assert.equal(
    registry(repo.dir)
      .workspaces.map((w: any) => w.n)
      .sort(),
    [1, 2, 3, 4, 5],
  );
  assert.is(repo.git('branch', '--list', 'sase/ws/*').split('\n').filter(Boolean).length, 5);
});

t('a lock left by a killed ws-new is taken over once stale (10 s)', async () => {
  const repo = gitdir();
  const lock = join(repo.dir, '.git', 'sase', 'workspaces.json.lock');
  mkdirSync(join(repo.dir, '.git', 'sase'), { recursive: true });
  writeFileSync(lock, '99999\n');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  const [w] = await ok(repo, 'ws-new');
  assert.is(w!.n, 1);
  assert.ok(!existsSync(lock));
});

t('a lock whose holder is gone (its pid in it) is taken over at once, whatever its age', async () => {
  const repo = gitdir();
  const lock = staleRegistryLock(repo);
  // dated in the future: its age alone would never make it stale
  const later = new Date(Date.now() + 3600_000);
  utimesSync(lock, later, later);
  const [w] = await ok(repo, 'ws-new');
  assert.is(w!.n, 1);
  assert.ok(!existsSync(lock));
  assert.equal(
    readdirSync(join(repo.dir, '.git', 'sase')).filter((f) => f.startsWith('workspaces.json')),
    ['workspaces.json'],
    'no lock and no temporary file left',
  );
});

t('the lowest free number is reused after a clean', async () => {
  const repo = gitdir();
  await ok(repo, 'ws-new');
  await ok(repo, 'ws-new');
  await ok(repo, 'ws-new');
  await ok(repo, 'ws-clean', ['2']);
  const [w] = await ok(repo, 'ws-new');
  assert.is(w!.n, 2);
});

t('bad input: clear errors, nothing left behind', async () => {
  const repo = gitdir();
  fails(await sase(repo, 'ws-new', ['--base', 'nope']), 4, "error: no commit 'nope'");
  fails(await sase(repo, 'ws-new', ['--base', '--all']), 129, "error: '--all' is not a revision");
  fails(await sase(repo, 'ws-new', ['--branch', 'a..b']), 129, "error: 'a..b' is not a valid branch name");
  fails(await sase(repo, 'ws-new', ['--branch', 'main']), 1, "error: branch 'main' exists");
  fails(await sase(repo, 'ws-new', ['extra']), 129, "error: unexpected argument 'extra'");
  assert.ok(!existsSync(join(repo.dir, '.git', 'sase', 'workspaces', '1')));
  const file = join(repo.dir, '.git', 'sase', 'workspaces.json');
  assert.ok(!existsSync(file) || registry(repo.dir).workspaces.length === 0);
  assert.is(repo.git('branch', '--list', 'sase/*').trim(), '');
});

t.run();
