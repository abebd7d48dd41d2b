import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { ok, okBin, sase } from '../helpers/run.ts';
import { stateTip, writeStateCommit } from '../helpers/state.ts';

const t = suite('bead-create');

t('creates a task with a prefixed random id and prints it', async () => {
  const repo = await initedRepo();
  // through the real executable
  const [b] = okBin(repo, 'bead-create', ['--title', 'First task']);
  assert.match(b!.id, /^ts-[0-9a-z]{8}$/);
  assert.is(b!.kind, 'bead');
  assert.is(b!.issue_type, 'task');
  assert.is(b!.status, 'open');
  assert.is(b!.priority, 2);
  assert.is(b!.short_id, b!.id.slice(0, 7));
  const log = repo.git('log', '--format=%s', 'refs/sase/state');
  assert.match(log, /sase: create ts-/);
});

t('a phase gets <epic>.<n> ids in order', async () => {
  const repo = await initedRepo();
  const [epic] = await ok(repo, 'bead-create', ['--title', 'Epic', '--tier', 'epic']);
  assert.is(epic!.issue_type, 'plan');
  const [p1] = await ok(repo, 'bead-create', ['--title', 'One', '--type', 'phase', '--parent', epic!.short_id]);
  const [p2] = await ok(repo, 'bead-create', [
    '--title',
    'Two',
    '--type',
    'phase',
    '--parent',
    epic!.id,
    '--deps',
    p1!.id,
  ]);
  assert.is(p1!.id, `${epic!.id}.1`);
  assert.is(p2!.id, `${epic!.id}.2`);
  assert.equal(
    p2!.dependencies.map((d: any) => d.depends_on_id),
    [p1!.id],
  );
});

t('refuses a phase without an epic parent, and unknown parents', async () => {
  const repo = await initedRepo();
  const noParent = await sase(repo, 'bead-create', ['--title', 'x', '--type', 'phase']);
  assert.is(noParent.code, 129);
  const [task] = await ok(repo, 'bead-create', ['--title', 'task']);
  const notEpic = await sase(repo, 'bead-create', ['--title', 'x', '--type', 'phase', '--parent', task!.id]);
  assert.is(notEpic.code, 1);
  assert.match(notEpic.stderr, /must be an epic/);
  const missing = await sase(repo, 'bead-create', ['--title', 'x', '--parent', 'ts-zzzzzzzz']);
  assert.is(missing.code, 4);
  assert.match(missing.stderr, /^error: no bead 'ts-zzzzzzzz'/);
});

t('a value option takes the next argument even when it starts with a dash', async () => {
  const repo = await initedRepo();
  const [b] = await ok(repo, 'bead-create', ['--title', '-dash first', '--description', '--not-an-option']);
  assert.is(b!.title, '-dash first');
  assert.is(b!.description, '--not-an-option');
  const neg = await sase(repo, 'bead-list', ['--limit', '-1']);
  assert.is(neg.code, 129);
  assert.match(neg.stderr, /^error: option '--limit' expects a whole number, got '-1'/);
  const missing = await sase(repo, 'bead-list', ['--limit']);
  assert.is(missing.code, 129);
  assert.match(missing.stderr, /^error: option '--limit' needs a value/);
});

t('a changed .sase/config.toml is read again (the parsed config is cached by size and time)', async () => {
  // a state with no settings.json (made by a bead create, with no sase init) takes its prefix from the config
  const repo = gitdir();
  repo.write('.sase/config.toml', '[beads]\nprefix = "ts"\n');
  assert.match((await ok(repo, 'bead-create', ['--title', 'a']))[0]!.id, /^ts-/);
  repo.write('.sase/config.toml', '[beads]\nprefix = "web"\n');
  assert.match((await ok(repo, 'bead-create', ['--title', 'b']))[0]!.id, /^web-/);
  repo.write('.sase/config.toml', '[beads]\nprefix = "web"\nbogus = 1\n');
  const bad = await sase(repo, 'bead-create', ['--title', 'c']);
  assert.is(bad.code, 128);
  assert.match(bad.stderr, /unknown key 'beads.bogus'/);
});

t("the prefix is the state's (settings.json), shared by every clone, whatever the config says", async () => {
  const repo = await initedRepo();
  repo.write('.sase/config.toml', '[beads]\nprefix = "web"\n');
  assert.match((await ok(repo, 'bead-create', ['--title', 'a']))[0]!.id, /^ts-[0-9a-z]{8}$/);
  // a malformed settings.json is refused, naming it, and nothing is written
  const tip = stateTip(repo);
  writeStateCommit(
    repo,
    { 'settings.json': '{"v":1,"prefix":"Bad","created_at":"2026-01-01T00:00:00Z"}\n' },
    'sase: by hand\n',
  );
  const bad = await sase(repo, 'bead-create', ['--title', 'b']);
  assert.is(bad.code, 128);
  assert.is(
    bad.stderr.split('\n')[0],
    `fatal: state: 'settings.json' is malformed (prefix "Bad" is not lower-case letters, digits, '_' and inner '-')`,
  );
  assert.is(repo.git('rev-parse', `${stateTip(repo)}^`).trim(), tip, 'only the commit made by hand');
});

t.run();
