import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { BIN, fails, ok, sase } from '../helpers/run.ts';

const t = suite('cs-diff');

t("the change's own diff as plain text when piped; --stat; a stacked change shows only its own", async () => {
  const repo = await initedRepo();
  const main0 = repo.git('rev-parse', 'main').trim();
  await ok(repo, 'cs-new', ['base', '--description', 'd']);
  repo.git('config', 'color.ui', 'always'); // piped output stays plain whatever the config says
  assert.is((await sase(repo, 'cs-diff', ['base'])).stdout, '', 'no commits: no diff');
  const b1 = commitOn(repo, 'sase/cs/base', { 'a.txt': 'one\n', README: 'test\nmore\n' }, 'base work');
  commitOn(repo, 'main', { 'later.txt': 'landed on main since\n' }, 'main moves on');
  await ok(repo, 'cs-new', ['top', '--description', 'd', '--parent', 'base']);
  const t1 = commitOn(repo, 'sase/cs/top', { 'b.txt': 'two\n' }, 'top work');

  const r = await sase(repo, 'cs-diff', ['base']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, repo.git('-c', 'color.ui=never', 'diff', main0, b1));
  assert.match(r.stdout, 'diff --git a/README b/README');
  assert.not.match(r.stdout, 'later.txt', 'what landed on main since is not the change');
  assert.not.match(r.stdout, '\x1b[');
  const top = (await sase(repo, 'cs-diff', ['top'])).stdout;
  assert.is(top, repo.git('-c', 'color.ui=never', 'diff', b1, t1));
  const stat = (await sase(repo, 'cs-diff', ['base', '--stat'])).stdout;
  assert.is(stat, repo.git('-c', 'color.ui=never', 'diff', '--stat', main0, b1));
  assert.match(stat, '2 files changed, 2 insertions(+)');
});

t('colour through a pipe follows --color, FORCE_COLOR and NO_COLOR', async () => {
  const repo = await initedRepo();
  await ok(repo, 'cs-new', ['tinted', '--description', 'd']);
  commitOn(repo, 'sase/cs/tinted', { 'c.txt': 'coloured\n' }, 'work');
  const patch = async (argv: string[], env?: Record<string, string>) => {
    const r = await sase(repo, 'cs-diff', ['tinted', ...argv], { env });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, 'c.txt');
    return r.stdout;
  };
  const coloured = await patch(['--color=always']);
  assert.match(coloured, '\x1b[');
  assert.is(coloured, repo.git('diff', '--color=always', 'main', 'sase/cs/tinted'));
  assert.not.match(await patch([]), '\x1b[');
  assert.not.match(await patch(['--color=never']), '\x1b[');
  assert.match(await patch([], { FORCE_COLOR: '1' }), '\x1b[');
  assert.not.match(await patch([], { FORCE_COLOR: '0' }), '\x1b[');
  assert.not.match(await patch(['--color=never'], { FORCE_COLOR: '1' }), '\x1b[');
  // as for sase's own colours, the option wins over the environment
  assert.match(await patch(['--color=always'], { NO_COLOR: '1' }), '\x1b[');
});

t('errors', async () => {
  const repo = await initedRepo();
  fails(await sase(repo, 'cs-diff', ['nope']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-diff', ['a b']),
    129,
    "error: change name 'a b' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  fails(await sase(repo, 'cs-diff', ['x', '--json']), 129, "error: unknown option '--json'");
});

const hasScript = spawnSync('script', ['--version']).status === 0;

t("on a terminal the diff goes through git's pager", async () => {
  if (!hasScript) return; // needs util-linux script(1) for a pseudo-terminal
  const repo = await initedRepo();
  await ok(repo, 'cs-new', ['paged', '--description', 'd']);
  commitOn(repo, 'sase/cs/paged', { 'p.txt': 'paged line\n' }, 'work');
  const r = spawnSync('script', ['-qec', 'sase-cs-diff paged', '/dev/null'], {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}`, GIT_PAGER: 'sed s/^/PAGED:/', NO_COLOR: '1', TERM: 'dumb' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'PAGED:diff --git a/p.txt b/p.txt');
  assert.match(r.stdout, 'PAGED:+paged line');
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-diff', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--stat/);
});

t.run();
