import { realpathSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

const t = suite('ws-path');

t('prints the folder alone, on a pipe too; 0 is the main checkout', async () => {
  const repo = gitdir();
  const [w] = await ok(repo, 'ws-new');
  await ok(repo, 'ws-new');
  // through the real executable
  const r = saseBin(repo, 'ws-path', ['1']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, w!.path + '\n');
  assert.is((await sase(repo, 'ws-path', ['#1'])).stdout, w!.path + '\n');
  assert.is((await sase(repo, 'ws-path', ['0'])).stdout, realpathSync(repo.dir) + '\n');
  // from inside a workspace, the numbers are the same
  assert.is((await sase(repo, 'ws-path', ['2'], { cwd: w!.path })).stdout, w!.path.replace(/1$/, '2') + '\n');
  assert.is((await sase(repo, 'ws-path', ['0'], { cwd: w!.path })).stdout, realpathSync(repo.dir) + '\n');
});

t('unknown numbers: 4; bad ones: 129', async () => {
  const repo = gitdir();
  fails(await sase(repo, 'ws-path', ['3']), 4, "error: no workspace #3 (try 'sase ws list')");
  fails(await sase(repo, 'ws-path', ['x']), 129, "error: 'x' is not a workspace number");
  fails(await sase(repo, 'ws-path', ['../1']), 129, "error: '../1' is not a workspace number");
});

t.run();
