import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, ROOT, sase } from '../helpers/run.ts';

const t = suite('ws-resolve');
const GH = join(ROOT, 'test', 'fixtures', 'gh');

t('#cd: is the folder as it is; a missing one is not found', async () => {
  const repo = gitdir();
  mkdirSync(join(repo.dir, 'sub'));
  // through the real executable
  const [w] = okBin(repo, 'ws-resolve', ['#cd:sub']);
  assert.is(w!.kind, 'workspace');
  assert.is(w!.n, null);
  assert.is(w!.path, join(realpathSync(repo.dir), 'sub'));
  assert.is(w!.id, w!.path);
  assert.is(w!.branch, 'main');
  assert.is(w!.source, 'cd');
  assert.is((await ok(repo, 'ws-resolve', ['#cd:.']))[0]!.n, 0, 'the main checkout is #0');
  fails(await sase(repo, 'ws-resolve', ['#cd:nope']), 4, "error: no folder 'nope'");
  fails(await sase(repo, 'ws-resolve', ['#cd:README']), 4, "error: no folder 'README'");
  fails(
    await sase(repo, 'ws-resolve', ['cd:sub']),
    129,
    "error: 'cd:sub' is not a workspace reference (#cd:<path>, #git:<ref>, #cs:<name>, #gh:<owner>/<repo>[#<pr>] or #<n>)",
  );
  assert.ok(!existsSync(join(repo.dir, '.git', 'sase', 'workspaces', '1')), 'no workspace made');
});

t('#git: makes a numbered workspace at that ref; #<n> finds it', async () => {
  const repo = gitdir();
  const first = repo.git('rev-parse', 'HEAD').trim();
  repo.git('commit', '-q', '--allow-empty', '-m', 'second');
  const [w] = await ok(repo, 'ws-resolve', ['#git:HEAD~1', '--for', 'run-1']);
  assert.is(w!.n, 1);
  assert.is(w!.base, first);
  assert.is(w!.branch, 'sase/ws/1');
  assert.is(w!.source, 'git');
  assert.is(w!.ref, '#git:HEAD~1');
  assert.is(w!.state, 'busy');
  assert.is(repo.git('-C', w!.path, 'rev-parse', 'HEAD').trim(), first);
  assert.equal(await ok(repo, 'ws-resolve', ['#1']), [w]);
  fails(await sase(repo, 'ws-resolve', ['#git:nope']), 4, "error: no commit 'nope'");
  fails(await sase(repo, 'ws-resolve', ['#9']), 4, "error: no workspace #9 (try 'sase ws list')");
  assert.is(repo.git('symbolic-ref', '--short', 'HEAD').trim(), 'main');
});

t("#cs: checks the change's branch out (not detached), refused when it is checked out elsewhere", async () => {
  const repo = await initedRepo();
  await ok(repo, 'cs-new', ['my_change', '--description', 'd']);
  const [w] = await ok(repo, 'ws-resolve', ['#cs:my_change']);
  assert.is(w!.branch, 'sase/cs/my_change');
  assert.is(w!.source, 'cs');
  assert.is(repo.git('-C', w!.path, 'symbolic-ref', '--short', 'HEAD').trim(), 'sase/cs/my_change');
  fails(
    await sase(repo, 'ws-resolve', ['#cs:my_change']),
    1,
    `error: branch 'sase/cs/my_change' is checked out at '${w!.path}'`,
  );
  fails(await sase(repo, 'ws-resolve', ['#cs:nope']), 4, "error: no branch 'sase/cs/nope'");
  fails(
    await sase(repo, 'ws-resolve', ['#cs:Bad-Name']),
    129,
    "error: change name 'Bad-Name' is not lower-case letters, digits and '_'",
  );
  // cleaning it never deletes the change's branch
  await ok(repo, 'ws-clean', ['1']);
  assert.ok(repo.git('rev-parse', 'sase/cs/my_change').trim());
  assert.equal(
    (await ok(repo, 'ws-list')).map((r) => r.n),
    [0],
  );
});

t('#gh: clones through gh into a numbered folder, and checks a pull request out', async () => {
  const upstream = gitdir({ name: 'upstream' });
  upstream.git('branch', 'feature');
  const repo = gitdir();
  const log = join(repo.home, 'gh.log');
  const env = {
    PATH: `${GH}:${repo.env.PATH}`,
    GH_STUB_CLONE_FROM: upstream.dir,
    GH_STUB_LOG: log,
    GH_STUB_PR_BRANCH: 'feature',
  };
  const [c] = await ok(repo, 'ws-resolve', ['#gh:acme/widgets'], { env });
  assert.is(c!.n, 1);
  assert.is(c!.source, 'gh');
  assert.is(c!.branch, 'main');
  assert.is(c!.base, upstream.git('rev-parse', 'HEAD').trim());
  assert.ok(existsSync(join(c!.path, 'README')));
  const [p] = await ok(repo, 'ws-resolve', ['#gh:acme/widgets#7'], { env });
  assert.is(p!.n, 2);
  assert.is(p!.branch, 'feature');
  const calls = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(
    calls.map((x) => x.args),
    [
      ['repo', 'clone', 'acme/widgets', c!.path],
      ['repo', 'clone', 'acme/widgets', p!.path],
      ['pr', 'checkout', '7'],
    ],
  );
  assert.is(calls[2].cwd, p!.path);
  // a clone with work not pushed anywhere is kept
  repo.git('-C', p!.path, 'commit', '-q', '--allow-empty', '-m', 'local');
  const r = await sase(repo, 'ws-clean', ['2']);
  assert.equal(
    r.records.map((x) => [x.action, x.reason]),
    [['kept', '1 commit on no other branch']],
  );
  await ok(repo, 'ws-clean', ['1']);
  assert.ok(!existsSync(c!.path));
});

t('#gh: failures leave no workspace', async () => {
  const repo = gitdir();
  const env = { PATH: `${GH}:${repo.env.PATH}` };
  fails(
    await sase(repo, 'ws-resolve', ['#gh:acme/widgets'], { env }),
    1,
    "error: 'gh repo clone' failed (exit 1): stub: GH_STUB_CLONE_FROM is not set",
  );
  fails(
    await sase(repo, 'ws-resolve', ['#gh:acme'], { env }),
    129,
    "error: '#gh:acme' is not #gh:<owner>/<repo>[#<pr>]",
  );
  fails(
    await sase(repo, 'ws-resolve', ['#gh:-x/y'], { env }),
    129,
    "error: '#gh:-x/y' is not #gh:<owner>/<repo>[#<pr>]",
  );
  assert.ok(!existsSync(join(repo.dir, '.git', 'sase', 'workspaces', '1')));
  assert.equal(
    (await ok(repo, 'ws-list')).map((r) => r.n),
    [0],
  );
});

t.run();
