import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir } from '../helpers/gitdir.ts';
import { ok, okBin, sase, tableRows } from '../helpers/run.ts';

const t = suite('ws-list');

t('#0 first, then each workspace with dirty and exists', async () => {
  const repo = gitdir();
  assert.equal(
    okBin(repo, 'ws-list').map((r) => [r.n, r.path, r.branch, r.source]),
    [[0, realpathSync(repo.dir), 'main', 'main']],
  );
  const [a] = await ok(repo, 'ws-new');
  const [b] = await ok(repo, 'ws-new', ['--for', 'r1']);
  const [c] = await ok(repo, 'ws-new');
  writeFileSync(join(a!.path, 'new.txt'), 'x\n');
  rmSync(c!.path, { recursive: true, force: true });
  const list = await ok(repo, 'ws-list');
  assert.equal(
    list.map((r) => [r.kind, r.id, r.n, r.state, r.run, r.dirty, r.exists]),
    [
      ['workspace', 0, 0, 'free', null, false, true],
      ['workspace', 1, 1, 'free', null, true, true],
      ['workspace', 2, 2, 'busy', 'r1', false, true],
      ['workspace', 3, 3, 'free', null, null, false],
    ],
  );
  assert.is(list[2]!.path, b!.path);
});

t('--format id prints numbers; text is a table', async () => {
  const repo = gitdir();
  await ok(repo, 'ws-new');
  assert.is((await sase(repo, 'ws-list', ['--format', 'id'])).stdout, '0\n1\n');
  const rows = tableRows((await sase(repo, 'ws-list', ['--format', 'text'])).stdout);
  assert.equal(
    rows.map((r) => [r.N, r.STATE, r.BRANCH]),
    [
      ['#0', 'free', 'main'],
      ['#1', 'free', 'sase/ws/1'],
    ],
  );
});

t.run();
