import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { commitCount, statePaths, stateTip } from '../helpers/state.ts';

const t = suite('init');
const STATE = 'refs/sase/state';

t('creates the state ref holding VERSION, with a reflog, and a config with the prefix', async () => {
  const repo = gitdir();
  // through the real executable
  const [r, ...rest] = okBin(repo, 'init', ['--prefix', 'web']);
  assert.is(rest.length, 0);
  const config = realpathSync(join(repo.dir, '.sase', 'config.toml'));
  assert.equal(r, {
    v: 1,
    kind: 'init',
    id: STATE,
    state_ref: STATE,
    tip: stateTip(repo),
    created: true,
    prefix: 'web',
    config,
    config_created: true,
    refspecs_added: [],
  });
  assert.equal(statePaths(repo), ['VERSION']);
  assert.is(repo.git('show', `${STATE}:VERSION`), '1\n');
  assert.is(commitCount(repo), 1);
  assert.match(repo.git('log', '-1', '--format=%B', STATE), /^sase: init\n\nSase-Op: \{"op":"init"/);
  assert.is(repo.git('reflog', 'show', '--format=%H', STATE).trim(), r!.tip);
  assert.match(readFileSync(config, 'utf8'), /^\[beads\]$/m);
  assert.match(readFileSync(config, 'utf8'), /^prefix = "web"$/m);
  // the work tree's own branch is untouched
  assert.is(repo.git('rev-list', '--count', 'main').trim(), '1');
  // new beads take the prefix
  assert.match((await ok(repo, 'bead-create', ['--title', 'x']))[0]!.id, /^web-[0-9a-z]{8}$/);
});

t('is idempotent: a second run creates nothing, commits nothing and keeps the config', async () => {
  const repo = gitdir();
  const [first] = await ok(repo, 'init', ['--prefix', 'one']);
  const config = readFileSync(join(repo.dir, '.sase', 'config.toml'), 'utf8');
  const [second] = await ok(repo, 'init', ['--prefix', 'two']);
  assert.equal(second, { ...first, created: false, config_created: false });
  assert.is(commitCount(repo), 1);
  assert.is(readFileSync(join(repo.dir, '.sase', 'config.toml'), 'utf8'), config);
  // with beads in it, the state is kept as it is
  await ok(repo, 'bead-create', ['--title', 'kept']);
  const tip = stateTip(repo);
  const [third] = await ok(repo, 'init');
  assert.is(third!.tip, tip);
  assert.is(third!.created, false);
  assert.is(stateTip(repo), tip);
});

t("the default prefix is the folder's name, made into a valid prefix", async () => {
  const repo = gitdir({ name: 'My.Project' });
  const [r] = await ok(repo, 'init');
  assert.is(r!.prefix, 'my-project');
  assert.match(readFileSync(join(repo.dir, '.sase', 'config.toml'), 'utf8'), /^prefix = "my-project"$/m);
});

t('adds fetch refspecs to every remote, once, so that git fetch brings the state along', async () => {
  const upstream = gitdir({ name: 'upstream' });
  await ok(upstream, 'init', ['--prefix', 'up']);
  const [bead] = await ok(upstream, 'bead-create', ['--title', 'from upstream']);
  const repo = gitdir();
  repo.git('remote', 'add', 'origin', upstream.dir);
  repo.git('remote', 'add', 'mirror', upstream.dir);
  const [r] = await ok(repo, 'init', ['--prefix', 'ts']);
  assert.equal([...r!.refspecs_added].sort(), [
    'mirror: +refs/notes/sase*:refs/sase-remotes/mirror/notes*',
    'mirror: +refs/sase/*:refs/sase-remotes/mirror/*',
    'origin: +refs/notes/sase*:refs/sase-remotes/origin/notes*',
    'origin: +refs/sase/*:refs/sase-remotes/origin/*',
  ]);
  assert.equal(repo.git('config', '--get-all', 'remote.origin.fetch').trim().split('\n'), [
    '+refs/heads/*:refs/remotes/origin/*',
    '+refs/sase/*:refs/sase-remotes/origin/*',
    '+refs/notes/sase*:refs/sase-remotes/origin/notes*',
  ]);
  const [again] = await ok(repo, 'init');
  assert.equal(again!.refspecs_added, []);
  assert.is(repo.git('config', '--get-all', 'remote.origin.fetch').trim().split('\n').length, 3);
  // the remote has no notes yet: fetching must still work
  repo.git('fetch', '-q', 'origin');
  assert.is(repo.git('rev-parse', 'refs/sase-remotes/origin/state').trim(), stateTip(upstream));
  assert.match(
    repo.git('ls-tree', '-r', '--name-only', 'refs/sase-remotes/origin/state'),
    new RegExp(`${bead!.id}\\.json`),
  );
  // once it has notes, they come along
  upstream.git('notes', '--ref=sase', 'add', '-m', '{"v":1}', 'HEAD');
  repo.git('fetch', '-q', 'origin');
  assert.is(
    repo.git('rev-parse', 'refs/sase-remotes/origin/notes').trim(),
    upstream.git('rev-parse', 'refs/notes/sase').trim(),
  );
});

t('a bare repository gets the state ref and no config file', async () => {
  const repo = gitdir({ bare: true });
  const [r] = await ok(repo, 'init');
  assert.is(r!.created, true);
  assert.is(r!.config, null);
  assert.is(r!.config_created, false);
  assert.equal(statePaths(repo), ['VERSION']);
  // and the bead commands work there
  const [b] = await ok(repo, 'bead-create', ['--title', 'in a bare repository']);
  assert.match(b!.id, /^repo-[0-9a-z]{8}$/);
  assert.equal(
    (await ok(repo, 'bead-ready')).map((x) => x.id),
    [b!.id],
  );
});

t('--format id prints the state ref; --format text a plain summary', async () => {
  const repo = gitdir();
  const id = await sase(repo, 'init', ['--prefix', 'ts', '--format', 'id']);
  assert.is(id.code, 0);
  assert.is(id.stderr, '');
  assert.is(id.stdout, `${STATE}\n`);
  const tip = stateTip(repo)!;
  repo.git('remote', 'add', 'origin', repo.dir);
  const text = await sase(repo, 'init', ['--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.is(
    text.stdout,
    [
      `sase is already set up here (${STATE} at ${tip.slice(0, 10)})`,
      'bead ids look like ts-k3f9abcd (from .sase/config.toml)',
      'added fetch refspec origin: +refs/sase/*:refs/sase-remotes/origin/*',
      'added fetch refspec origin: +refs/notes/sase*:refs/sase-remotes/origin/notes*',
      '',
    ].join('\n'),
  );
  const fresh = gitdir();
  const t2 = await sase(fresh, 'init', ['--prefix', 'ab', '--format', 'text']);
  assert.is(
    t2.stdout,
    `Initialized sase: created ${STATE} at ${stateTip(fresh)!.slice(0, 10)}\nbead ids look like ab-k3f9abcd (wrote .sase/config.toml)\n`,
  );
});

t('exit 129: a bad prefix creates nothing; exit 128 outside a repository', async () => {
  const repo = gitdir();
  for (const bad of ['Web', '-x', 'a/b', 'x-', '']) {
    fails(
      await sase(repo, 'init', [`--prefix=${bad}`]),
      129,
      `error: prefix '${bad}' must be lower-case letters, digits, '_' and inner '-'`,
    );
  }
  assert.is(stateTip(repo), null);
  fails(await sase(repo, 'init', ['extra']), 129, "error: unexpected argument 'extra'");
  fails(
    await sase(repo, 'init', [], { cwd: repo.home }),
    128,
    'fatal: not a git repository (or any of the parent directories)',
  );
});

t('--help exits 0 and prints the usage line', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'init', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.startsWith('usage: sase-init [--prefix <prefix>]\n'), r.stdout);
  assert.is(stateTip(repo), null);
});

t.run();
