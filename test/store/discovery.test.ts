import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { ok, sase } from '../helpers/run.ts';

// Commands find the repository from the file system in the common layouts,
// and through git in the others; every layout must see the same state.
const t = suite('repository discovery');

t('from a subfolder of the work tree', async () => {
  const repo = await initedRepo();
  const [b] = await ok(repo, 'bead-create', ['--title', 'x']);
  mkdirSync(join(repo.dir, 'a', 'b'), { recursive: true });
  const r = await sase(repo, 'bead-list', ['--format', 'id'], { cwd: join(repo.dir, 'a', 'b') });
  assert.is(r.stdout.trim(), b!.id);
});

t('a linked worktree shares the state and the default prefix', async () => {
  const repo = gitdir({ name: 'proj' });
  await ok(repo, 'init');
  const [a] = await ok(repo, 'bead-create', ['--title', 'main']);
  const wt = join(repo.dir, '..', 'proj-wt');
  repo.git('worktree', 'add', '-q', '-b', 'wt', wt);
  const [b] = await ok({ ...repo, dir: wt }, 'bead-create', ['--title', 'from the worktree']);
  assert.match(b!.id, /^proj-/);
  const listed = (await sase(repo, 'bead-list', ['--format', 'id'])).stdout.trim().split('\n');
  assert.equal(listed.sort(), [a!.id, b!.id].sort());
});

t('a bare repository, and GIT_DIR, go through git itself', async () => {
  const bare = gitdir({ bare: true });
  await ok(bare, 'init');
  const [b] = await ok(bare, 'bead-create', ['--title', 'in a bare repo']);
  const other = gitdir();
  const viaEnv = await sase(other, 'bead-list', ['--format', 'id'], { env: { GIT_DIR: realpathSync(bare.dir) } });
  assert.is(viaEnv.code, 0, viaEnv.stderr);
  assert.is(viaEnv.stdout.trim(), b!.id);
});

t('inside the .git folder', async () => {
  const repo = await initedRepo();
  const [b] = await ok(repo, 'bead-create', ['--title', 'x']);
  const r = await sase(repo, 'bead-show', [b!.id, '--format', 'id'], { cwd: join(repo.dir, '.git') });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim(), b!.id);
});

t.run();
