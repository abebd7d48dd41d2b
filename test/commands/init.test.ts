import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cloneRepo, gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import {
  assertFsckOk,
  commitCount,
  gitTry,
  opMessage,
  opsInLog,
  statePaths,
  stateTip,
  writeStateCommit,
} from '../helpers/state.ts';

const t = suite('init');
const STATE = 'refs/sase/state';
const NOTES = 'refs/notes/sase';
const NOW = '2026-03-01T10:00:00Z';

/** settings.json as sase stores it. */
const settingsJson = (prefix: string, at = NOW) =>
  `{\n  "created_at": "${at}",\n  "prefix": "${prefix}",\n  "v": 1\n}\n`;

const fetchSpecs = (remote: string) => [
  `${remote}: +refs/sase/*:refs/sase-remotes/${remote}/*`,
  `${remote}: +refs/notes/sase*:refs/sase-remotes/${remote}/notes*`,
];

/**
 * A shared repository: a bare remote (git init --bare) holding main, and,
 * unless `state` is false, the sase state of a first clone ('up', prefix
 * 'up', its config not committed) with two beads and a note. Returns the
 * remote and that first repository.
 */
async function sharedRemote(opts: { state?: boolean } = {}): Promise<{ remote: TestRepo; up: TestRepo }> {
  const remote = gitdir({ bare: true, name: 'shared.git' });
  const up = gitdir({ name: 'up' });
  up.git('remote', 'add', 'origin', remote.dir);
  up.git('push', '-q', 'origin', 'main');
  if (opts.state !== false) {
    await ok(up, 'init', ['--prefix', 'up', '--no-fetch'], { env: { SASE_NOW: NOW } });
    await ok(up, 'bead-create', ['--title', 'first']);
    await ok(up, 'bead-create', ['--title', 'second']);
    up.git('notes', '--ref=sase', 'add', '-m', '{"v":1,"bead":"up-x"}', 'HEAD');
    up.git('push', '-q', 'origin', STATE, NOTES);
  }
  return { remote, up };
}

t('creates the state ref holding VERSION and settings.json, with a reflog, and a config with the prefix', async () => {
  const repo = gitdir();
  // through the real executable
  const [r, ...rest] = okBin(repo, 'init', ['--prefix', 'web'], { env: { SASE_NOW: NOW } });
  assert.is(rest.length, 0);
  const config = realpathSync(join(repo.dir, '.sase', 'config.toml'));
  assert.equal(r, {
    v: 1,
    kind: 'init',
    id: STATE,
    state_ref: STATE,
    tip: stateTip(repo),
    created: true,
    adopted_from: null,
    remote: null,
    remote_state: null,
    prefix: 'web',
    settings_created: true,
    config,
    config_created: true,
    refspecs_added: [],
  });
  assert.equal(statePaths(repo), ['VERSION', 'settings.json']);
  assert.is(repo.git('show', `${STATE}:VERSION`), '1\n');
  assert.is(repo.git('show', `${STATE}:settings.json`), settingsJson('web'));
  assert.is(commitCount(repo), 1);
  // the operation carries the settings, so a replay of the log rebuilds them
  const message = repo.git('log', '-1', '--format=%B', STATE);
  assert.match(message, /^sase: init\n\nSase-Op: \{"op":"init"/);
  assert.equal(JSON.parse(/^Sase-Op: (.*)$/m.exec(message)![1]!).settings, { v: 1, prefix: 'web', created_at: NOW });
  assert.is(repo.git('reflog', 'show', '--format=%H', STATE).trim(), r!.tip);
  assert.match(readFileSync(config, 'utf8'), /^\[beads\]$/m);
  assert.match(readFileSync(config, 'utf8'), /^prefix = "web"$/m);
  // the work tree's own branch is untouched
  assert.is(repo.git('rev-list', '--count', 'main').trim(), '1');
  // new beads take the prefix
  assert.match((await ok(repo, 'bead-create', ['--title', 'x']))[0]!.id, /^web-[0-9a-z]{8}$/);
  const f = await assertFsckOk(repo);
  assert.is(f.summary.operations, 2);
});

t('is idempotent: a second run creates nothing, commits nothing and keeps the config and the prefix', async () => {
  const repo = gitdir();
  const [first] = await ok(repo, 'init', ['--prefix', 'one']);
  const config = readFileSync(join(repo.dir, '.sase', 'config.toml'), 'utf8');
  // another --prefix changes nothing, and says so
  const second = await sase(repo, 'init', ['--prefix', 'two']);
  assert.is(second.code, 0);
  assert.is(
    second.stderr,
    "warning: --prefix 'two' changes nothing: the state's prefix is 'one' (settings.json), shared by every clone\n",
  );
  assert.equal(second.records, [{ ...first, created: false, settings_created: false, config_created: false }]);
  assert.is(commitCount(repo), 1);
  assert.is(readFileSync(join(repo.dir, '.sase', 'config.toml'), 'utf8'), config);
  // with beads in it, the state is kept as it is
  await ok(repo, 'bead-create', ['--title', 'kept']);
  const tip = stateTip(repo);
  const [third] = await ok(repo, 'init');
  assert.is(third!.tip, tip);
  assert.is(third!.created, false);
  assert.is(third!.prefix, 'one');
  assert.is(stateTip(repo), tip);
});

t("the default prefix is the configuration's, else the folder's name, made into a valid prefix", async () => {
  const repo = gitdir({ name: 'My.Project' });
  const [r] = await ok(repo, 'init');
  assert.is(r!.prefix, 'my-project');
  assert.match(readFileSync(join(repo.dir, '.sase', 'config.toml'), 'utf8'), /^prefix = "my-project"$/m);
  assert.match(repo.git('show', `${STATE}:settings.json`), /"prefix": "my-project"/);
  // a committed config names the prefix of a new state
  const other = gitdir({ name: 'other' });
  other.write('.sase/config.toml', '[beads]\nprefix = "cfg"\n');
  const [c] = await ok(other, 'init');
  assert.equal([c!.prefix, c!.config_created], ['cfg', false]);
  assert.match(other.git('show', `${STATE}:settings.json`), /"prefix": "cfg"/);
});

t(
  'a clone adopts the state of its remote: the same tip, notes and prefix (no committed config), the same beads',
  async () => {
    const { remote, up } = await sharedRemote();
    const clone = cloneRepo(remote.dir);
    // a plain clone copies neither the state nor the notes
    assert.is(stateTip(clone), null);
    const [r] = await ok(clone, 'init', [], { env: { SASE_NOW: '2026-04-01T00:00:00Z' } });
    assert.equal(r, {
      v: 1,
      kind: 'init',
      id: STATE,
      state_ref: STATE,
      tip: stateTip(up),
      created: false,
      adopted_from: 'origin',
      remote: 'origin',
      remote_state: 'adopted',
      prefix: 'up',
      settings_created: false,
      config: realpathSync(join(clone.dir, '.sase', 'config.toml')),
      config_created: true,
      refspecs_added: fetchSpecs('origin'),
    });
    assert.is(stateTip(clone), stateTip(up), 'the same root and tip: no second state');
    assert.is(clone.git('rev-parse', NOTES).trim(), up.git('rev-parse', NOTES).trim());
    assert.is(clone.git('show', `${STATE}:settings.json`), settingsJson('up'));
    // the ref was made with a reflog, saying what it adopted
    assert.match(
      clone.git('reflog', 'show', '--format=%H %gs', STATE),
      new RegExp(`^${r!.tip} sase: adopt the state of 'origin'\n$`),
    );
    // the config written repeats the state's prefix, not the folder's name
    assert.match(readFileSync(join(clone.dir, '.sase', 'config.toml'), 'utf8'), /^prefix = "up"$/m);
    const theirs = (await ok(up, 'bead-list')).map((b) => b.id).sort();
    assert.equal((await ok(clone, 'bead-list')).map((b) => b.id).sort(), theirs);
    assert.match((await ok(clone, 'bead-create', ['--title', 'mine']))[0]!.id, /^up-[0-9a-z]{8}$/);
    const f = await assertFsckOk(clone);
    assert.is(f.summary.operations, 4);
    // running it again: the same state, and nothing to say
    const [again] = await ok(clone, 'init');
    assert.equal([again!.remote_state, again!.adopted_from, again!.created], ['related', null, false]);

    // in text, what was adopted
    const second = cloneRepo(remote.dir, 'second');
    const text = await sase(second, 'init', ['--format', 'text']);
    assert.is(text.code, 0, text.stderr);
    assert.is(text.stderr, '');
    assert.is(
      text.stdout,
      [
        `adopted the state of 'origin' (3 operations, tip ${stateTip(up)!.slice(0, 10)})`,
        'bead ids look like up-k3f9abcd (wrote .sase/config.toml)',
        'added fetch refspec origin: +refs/sase/*:refs/sase-remotes/origin/*',
        'added fetch refspec origin: +refs/notes/sase*:refs/sase-remotes/origin/notes*',
        '',
      ].join('\n'),
    );
  },
);

t('a config with another prefix: the state of the remote wins, with a warning', async () => {
  const { remote } = await sharedRemote();
  const clone = cloneRepo(remote.dir);
  clone.write('.sase/config.toml', '[beads]\nprefix = "mine"\n');
  const r = await sase(clone, 'init');
  assert.is(r.code, 0, r.stderr);
  assert.is(
    r.stderr,
    [
      "warning: the configuration's [beads] prefix is 'mine', but the state's settings.json says 'up': new ids take 'up'",
      'hint: set prefix = "up" in .sase/config.toml, or remove it',
      '',
    ].join('\n'),
  );
  assert.equal([r.records[0]!.prefix, r.records[0]!.adopted_from], ['up', 'origin']);
  assert.match((await ok(clone, 'bead-create', ['--title', 'x']))[0]!.id, /^up-/);
});

t('a remote without a state: the root is made here, with settings.json; the remote is said to have none', async () => {
  const { remote } = await sharedRemote({ state: false });
  const clone = cloneRepo(remote.dir, 'fresh');
  const [r] = await ok(clone, 'init', [], { env: { SASE_NOW: NOW } });
  assert.equal(
    [r!.created, r!.remote, r!.remote_state, r!.adopted_from, r!.prefix, r!.settings_created],
    [true, 'origin', 'absent', null, 'fresh', true],
  );
  assert.equal(statePaths(clone), ['VERSION', 'settings.json']);
  assert.is(clone.git('show', `${STATE}:settings.json`), settingsJson('fresh'));
  await assertFsckOk(clone);
});

t('a state made before settings.json gets it in a commit of its own, never rewritten; fsck replays it', async () => {
  const repo = gitdir({ name: 'old' });
  // the first commit as an older sase init made it: VERSION, and an operation without settings
  const root = writeStateCommit(
    repo,
    { VERSION: '1\n' },
    opMessage('init', { op: 'init', version: '1', at: '2025-01-01T00:00:00Z', actor: 'author@example.com' }),
  );
  repo.write('.sase/config.toml', '[beads]\nprefix = "legacy"\n');
  const [b] = await ok(repo, 'bead-create', ['--title', 'from before']);
  assert.match(b!.id, /^legacy-/, 'an older state takes the configured prefix');
  const before = stateTip(repo)!;
  await assertFsckOk(repo, 'before');
  const text = await sase(repo, 'init', ['--format', 'text'], { env: { SASE_NOW: NOW } });
  assert.is(text.code, 0, text.stderr);
  assert.is(text.stderr, '');
  const tip = stateTip(repo)!;
  assert.is(
    text.stdout,
    `sase is already set up here (${STATE} at ${tip.slice(0, 10)})\nrecorded the prefix 'legacy' in settings.json\nbead ids look like legacy-k3f9abcd\n`,
  );
  assert.is(repo.git('rev-parse', `${tip}^`).trim(), before, 'one commit on top of the old ones');
  assert.is(repo.git('rev-list', '--max-parents=0', STATE).trim(), root, 'the same root');
  assert.equal(opsInLog(repo), ['init', 'bead.create', 'init']);
  assert.is(repo.git('log', '-1', '--format=%s', STATE), 'sase: init: record settings.json\n');
  assert.is(repo.git('show', `${STATE}:settings.json`), settingsJson('legacy'));
  const f = await assertFsckOk(repo, 'after');
  assert.is(f.summary.operations, 3);
  // the ref's prefix is read from now on, whatever the config says
  repo.write('.sase/config.toml', '[beads]\nprefix = "changed"\n');
  assert.match((await ok(repo, 'bead-create', ['--title', 'after']))[0]!.id, /^legacy-/);
  // and a second run adds nothing; the config that disagrees is warned of
  const latest = stateTip(repo);
  const again = await sase(repo, 'init');
  assert.match(
    again.stderr,
    /^warning: the configuration's \[beads\] prefix is 'changed', but the state's settings.json says 'legacy'/,
  );
  assert.equal([again.records[0]!.settings_created, again.records[0]!.prefix], [false, 'legacy']);
  assert.is(stateTip(repo), latest);
});

t('a remote whose state shares no history with this one: nothing is touched, a warning says so', async () => {
  const { remote, up } = await sharedRemote();
  const clone = cloneRepo(remote.dir);
  // --no-fetch: a state of its own, made without looking at the remote
  const [own] = await ok(clone, 'init', ['--no-fetch', '--prefix', 'mine']);
  assert.equal([own!.created, own!.remote, own!.remote_state], [true, null, null]);
  assert.is(gitTry(clone, ['rev-parse', '--verify', '-q', 'refs/sase-remotes/origin/state']), null, 'nothing fetched');
  const tip = stateTip(clone)!;
  const r = await sase(clone, 'init');
  assert.is(r.code, 0, r.stderr);
  assert.is(
    r.stderr,
    [
      `warning: the state of 'origin' (${stateTip(up)!.slice(0, 10)}) shares no history with this one (${tip.slice(0, 10)}); nothing was changed`,
      "hint: 'sase sync' refuses unrelated states, so keep one; to use the state of 'origin' in place of this one (the reflog keeps this one): git update-ref refs/sase/state refs/sase-remotes/origin/state",
      '',
    ].join('\n'),
  );
  assert.equal([r.records[0]!.remote_state, r.records[0]!.prefix, r.records[0]!.tip], ['unrelated', 'mine', tip]);
  assert.is(stateTip(clone), tip);
  assert.is(clone.git('rev-parse', 'refs/sase-remotes/origin/state').trim(), stateTip(up));
  assert.is(gitTry(clone, ['rev-parse', '--verify', '-q', NOTES]), null, 'the notes are not taken either');
  // the hint works: the remote's state in place of this one (whose prefix the config written before repeats)
  clone.git('update-ref', STATE, 'refs/sase-remotes/origin/state');
  const after = await sase(clone, 'init');
  assert.match(
    after.stderr,
    /^warning: the configuration's \[beads\] prefix is 'mine', but the state's settings.json says 'up'/,
  );
  assert.equal([after.records[0]!.remote_state, after.records[0]!.prefix], ['same', 'up']);
});

t('an unreachable remote: init works offline, and says what it cannot know', async () => {
  const repo = gitdir();
  const gone = join(repo.home, 'no-such-remote.git');
  repo.git('remote', 'add', 'origin', gone);
  const r = await sase(repo, 'init', ['--prefix', 'off']);
  assert.is(r.code, 0, r.stderr);
  const [warning, hint, ...rest] = r.stderr.split('\n');
  assert.match(
    warning!,
    /^warning: could not reach 'origin' to look for its sase state: '[^']*no-such-remote\.git' does not appear to be a git repository$/,
  );
  assert.is(
    hint,
    "hint: a new state was made without knowing whether 'origin' has one; if it has, the two share no history and 'sase sync' refuses them: run 'sase init' again once 'origin' is reachable to know",
  );
  assert.equal(rest, ['']);
  assert.equal(
    [r.records[0]!.created, r.records[0]!.remote, r.records[0]!.remote_state, r.records[0]!.refspecs_added],
    [true, 'origin', 'unreachable', fetchSpecs('origin')],
  );
  assert.equal(statePaths(repo), ['VERSION', 'settings.json']);
  // with a state here, only the warning
  const again = await sase(repo, 'init');
  assert.is(again.code, 0);
  assert.match(again.stderr, /^warning: could not reach 'origin' to look for its sase state: [^\n]*\n$/);
  // --no-fetch does not try
  assert.equal(await ok(repo, 'init', ['--no-fetch']).then((x) => x[0]!.remote_state), null);
});

t('--no-refspecs adds no refspecs (the remote is still looked at); --no-fetch with it looks at nothing', async () => {
  const { remote } = await sharedRemote();
  const clone = cloneRepo(remote.dir);
  const [r] = await ok(clone, 'init', ['--no-refspecs']);
  assert.equal([r!.refspecs_added, r!.remote_state], [[], 'adopted']);
  assert.equal(clone.git('config', '--get-all', 'remote.origin.fetch').trim().split('\n'), [
    '+refs/heads/*:refs/remotes/origin/*',
  ]);
  assert.is(gitTry(clone, ['config', '--get-all', 'remote.origin.push']), null, 'no push refspecs');
  const bare = cloneRepo(remote.dir, 'other');
  const [b] = await ok(bare, 'init', ['--no-refspecs', '--no-fetch']);
  assert.equal([b!.refspecs_added, b!.remote, b!.created], [[], null, true]);
  assert.is(bare.git('config', '--get-all', 'remote.origin.fetch').trim(), '+refs/heads/*:refs/remotes/origin/*');
});

t(
  'adds fetch refspecs (and no push refspecs) to every remote, once, so that git fetch brings the state along',
  async () => {
    const upstream = gitdir({ name: 'upstream' });
    await ok(upstream, 'init', ['--prefix', 'up']);
    const [bead] = await ok(upstream, 'bead-create', ['--title', 'from upstream']);
    const repo = gitdir();
    repo.git('remote', 'add', 'origin', upstream.dir);
    repo.git('remote', 'add', 'mirror', upstream.dir);
    const [r] = await ok(repo, 'init');
    // origin (no upstream branch here, so the remote named origin) has a state: adopted
    assert.equal([r!.adopted_from, r!.prefix], ['origin', 'up']);
    assert.equal([...r!.refspecs_added].sort(), [...fetchSpecs('mirror'), ...fetchSpecs('origin')].sort());
    assert.equal(repo.git('config', '--get-all', 'remote.origin.fetch').trim().split('\n'), [
      '+refs/heads/*:refs/remotes/origin/*',
      '+refs/sase/*:refs/sase-remotes/origin/*',
      '+refs/notes/sase*:refs/sase-remotes/origin/notes*',
    ]);
    // a bare 'git push' keeps doing what it did: no remote.<name>.push
    assert.is(gitTry(repo, ['config', '--get-regexp', '^remote\\..*\\.push$']), null);
    const [again] = await ok(repo, 'init');
    assert.equal(again!.refspecs_added, []);
    assert.is(repo.git('config', '--get-all', 'remote.origin.fetch').trim().split('\n').length, 3);
    // the remote has no notes yet: fetching must still work
    await ok(upstream, 'bead-create', ['--title', 'later']);
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
  },
);

t(
  "the remote looked at: [sync] remote, else the upstream branch's, else origin; several and none chosen is said",
  async () => {
    const { remote } = await sharedRemote();
    const empty = gitdir({ bare: true, name: 'empty.git' });
    // [sync] remote names it
    const a = gitdir();
    a.git('remote', 'add', 'origin', empty.dir);
    a.git('remote', 'add', 'shared', remote.dir);
    a.write('.sase/config.toml', '[sync]\nremote = "shared"\n');
    const [ra] = await ok(a, 'init');
    assert.equal([ra!.remote, ra!.remote_state, ra!.prefix], ['shared', 'adopted', 'up']);
    // the current branch's upstream is on it
    const b = gitdir();
    b.git('remote', 'add', 'origin', empty.dir);
    b.git('remote', 'add', 'shared', remote.dir);
    b.git('config', 'branch.main.remote', 'shared');
    b.git('config', 'branch.main.merge', 'refs/heads/main');
    const [rb] = await ok(b, 'init');
    assert.equal([rb!.remote, rb!.remote_state], ['shared', 'adopted']);
    // origin, when nothing else says
    const c = gitdir();
    c.git('remote', 'add', 'origin', empty.dir);
    c.git('remote', 'add', 'shared', remote.dir);
    const [rc] = await ok(c, 'init');
    assert.equal([rc!.remote, rc!.remote_state, rc!.created], ['origin', 'absent', true]);
    // the only remote, whatever its name
    const d = gitdir();
    d.git('remote', 'add', 'shared', remote.dir);
    assert.is((await ok(d, 'init'))[0]!.adopted_from, 'shared');
    // several, none of them chosen: a new state, and a warning
    const e = gitdir();
    e.git('remote', 'add', 'one', empty.dir);
    e.git('remote', 'add', 'two', remote.dir);
    const re = await sase(e, 'init');
    assert.is(re.code, 0);
    assert.is(
      re.stderr,
      [
        "warning: made a new state without looking for one on a remote: none of 'one', 'two' is the default",
        "hint: name the remote that holds the state with [sync] remote in .sase/config.toml (or give the branch an upstream), and run 'sase init' again to compare",
        '',
      ].join('\n'),
    );
    assert.equal([re.records[0]!.remote, re.records[0]!.created], [null, true]);
  },
);

t("a remote whose state is not sase's is refused (exit 128): nothing is adopted, nothing made", async () => {
  const { remote, up } = await sharedRemote({ state: false });
  // a project's branch pushed where the state belongs
  up.git('push', '-q', remote.dir, 'main:refs/sase/state');
  const clone = cloneRepo(remote.dir);
  const r = await sase(clone, 'init');
  fails(
    r,
    128,
    "fatal: the state of 'origin' cannot be adopted: 'refs/sase/state' has no VERSION: it is not a sase state (or a tool rewrote it)",
  );
  assert.is(
    r.stderr.split('\n')[1],
    "hint: nothing was changed; 'git log refs/sase-remotes/origin/state' shows what 'origin' holds",
  );
  assert.is(stateTip(clone), null);
  assert.not.ok(existsSync(join(clone.dir, '.sase')));
  assert.is(
    gitTry(clone, ['config', '--get-all', 'remote.origin.fetch'])!.trim(),
    '+refs/heads/*:refs/remotes/origin/*',
  );
});

t('a bare repository gets the state ref and no config file', async () => {
  const repo = gitdir({ bare: true });
  const [r] = await ok(repo, 'init');
  assert.is(r!.created, true);
  assert.is(r!.config, null);
  assert.is(r!.config_created, false);
  assert.equal(statePaths(repo), ['VERSION', 'settings.json']);
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
  // the repository is its own remote: the same state there
  repo.git('remote', 'add', 'origin', repo.dir);
  const text = await sase(repo, 'init', ['--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.is(
    text.stdout,
    [
      `sase is already set up here (${STATE} at ${tip.slice(0, 10)})`,
      'bead ids look like ts-k3f9abcd',
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
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-init [--prefix <prefix>] [--no-fetch] [--no-refspecs] [--format <format>] [--json]\n',
    ),
    r.stdout,
  );
  assert.is(stateTip(repo), null);
});

t.run();
