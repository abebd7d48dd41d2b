import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { doctor as runDoctor } from '../../src/app/doctor/doctor.ts';
import type { Check } from '../../src/core/doctor.ts';
import { programVersion, which } from '../../src/proc/which.ts';
import { commitOn } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, scratchDir, type TestRepo } from '../helpers/gitdir.ts';
import { interruptedWorkspace, staleRegistryLock } from '../helpers/leftovers.ts';
import { withStore } from '../helpers/notifications.ts';
import { BIN, ok, sase, saseBin, tableRows } from '../helpers/run.ts';

const t = suite('doctor');

const realGit = which('git', process.env)!;

/** A folder of fake programs, and a PATH of it plus git and node only (so no installed agent CLI shows). */
function fakeBin(scripts: Record<string, string>): { dir: string; path: string } {
  const dir = scratchDir('sase-doctor-bin-');
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  const sys = scratchDir('sase-doctor-sys-');
  // git and node by themselves, not the whole folder they live in
  for (const [name, target] of [
    ['git', realGit],
    ['node', process.execPath],
  ] as const) {
    if (!scripts[name]) spawnSync('ln', ['-s', target, join(sys, name)]);
  }
  return { dir, path: `${dir}:${sys}` };
}

/** A fake agent CLI: its version for --version, else its help text (excerpts of the real CLIs' help). */
function cli(version: string, help: string): string {
  // printf, a shell builtin: the test PATH holds no cat
  return `if [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi\nprintf '%s\\n' '${help.replaceAll("'", "'\\''")}'`;
}

const CLAUDE_HELP = `Usage: claude [options] [command] [prompt]
  --dangerously-skip-permissions        Bypass all permission checks.
  --model <model>                       Model for the current session.
  --output-format <format>              Output format (only works with --print)
  -p, --print                           Print response and exit
  -r, --resume [value]                  Resume a conversation by session ID
  --session-id <uuid>                   Use a specific session ID for the conversation
  --verbose                             Override verbose mode setting from config`;

const QWEN_HELP = `Usage: qwen [options] [command]
  -m, --model                           Model  [string]
  -y, --yolo                            Automatically accept all actions  [boolean]
  -o, --output-format                   The format of the CLI output.  [string]
  -r, --resume                          Resume a specific session by its ID.  [string]`;

const byId = (records: Record<string, any>[]) => new Map<string, any>(records.map((r) => [r.id, r]));

async function doctor(
  repo: TestRepo,
  path: string,
  args: string[] = [],
  cwd?: string,
  env: Record<string, string> = {},
) {
  return await sase(repo, 'doctor', args, { env: { PATH: path, ...env }, cwd });
}

t(
  'every check is one record; an installed provider shows its path and version, a missing one fails without failing doctor',
  async () => {
    const repo = await initedRepo();
    const bin = fakeBin({ claude: cli('2.1.3 (Claude Code)', CLAUDE_HELP) });
    // through the real executable (IS_SANDBOX: should the tests run as root, claude would refuse without it)
    const r = saseBin(repo, 'doctor', [], { env: { PATH: bin.path, IS_SANDBOX: '1' } });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '');
    for (const rec of r.records) {
      assert.equal(Object.keys(rec), ['v', 'kind', 'id', 'what', 'ok', 'needed', 'detail', 'version', 'path']);
      assert.is(rec.kind, 'check');
      assert.is(rec.v, 1);
    }
    const c = byId(r.records);
    assert.equal(
      [...c.keys()],
      [
        'git',
        'node',
        'repository',
        'config',
        'provider:claude',
        'provider:codex',
        'provider:gemini',
        'provider:qwen',
        'provider:opencode',
        'provider:example',
        'state',
        'prefix',
        'worktrees',
        'branches',
        'workspaces',
      ],
    );
    for (const id of ['git', 'node', 'repository', 'config', 'state']) {
      assert.ok(c.get(id).ok, `${id}: ${c.get(id).detail}`);
      assert.ok(c.get(id).needed, id);
    }
    assert.match(c.get('git').version, /^\d+\.\d+\.\d+$/);
    assert.equal(c.get('provider:claude'), {
      v: 1,
      kind: 'check',
      id: 'provider:claude',
      what: 'provider claude',
      ok: true,
      needed: false,
      detail: `2.1.3 (Claude Code) (${join(bin.dir, 'claude')})`,
      version: '2.1.3 (Claude Code)',
      path: join(bin.dir, 'claude'),
    });
    assert.equal(c.get('provider:codex'), {
      v: 1,
      kind: 'check',
      id: 'provider:codex',
      what: 'provider codex',
      ok: false,
      needed: false,
      detail: "'codex' not on PATH",
      version: null,
      path: null,
    });
    assert.is(c.get('provider:example').what, 'provider example (the example agent shipped with sase)');
    assert.is(c.get('provider:example').detail, "'sase-example-agent' not on PATH");
    assert.equal(c.get('worktrees'), {
      v: 1,
      kind: 'check',
      id: 'worktrees',
      what: 'stale workspaces',
      ok: true,
      needed: false,
      detail: 'none',
      version: null,
      path: join(repo.dir, '.git', 'sase', 'worktrees'),
    });
  },
);

t('a configured provider is checked by its own program; one whose --version fails is still found', async () => {
  const repo = await initedRepo();
  repo.write(
    '.sase/config.toml',
    '[providers.mine]\ncommand = ["my-agent", "--go"]\n\n[providers.codex]\ncommand = ["codex-beta", "exec", "--json", "-"]\n',
  );
  const bin = fakeBin({
    'my-agent': 'echo "no such option" >&2; exit 2',
    'codex-beta': cli('codex-cli 0.50.0', 'Usage: codex exec [OPTIONS] [PROMPT]\n  -m, --model <MODEL>\n      --json'),
  });
  const r = await doctor(repo, bin.path);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  const c = byId(r.records);
  assert.is(c.get('config').detail, 'valid (7 providers)');
  const mine = c.get('provider:mine');
  assert.is(mine.ok, true);
  assert.is(mine.version, null);
  // a help that cannot be read is noted, not warned about
  assert.is(
    mine.detail,
    `found at ${join(bin.dir, 'my-agent')}; no version: '${join(bin.dir, 'my-agent')} --version' exited 2: no such option; flags not checked: 'my-agent --help' exited 2: no such option`,
  );
  assert.is(c.get('provider:codex').version, 'codex-cli 0.50.0');
});

t(
  'an invalid config is a needed failure (exit 1) naming the key; the built-in providers are still reported',
  async () => {
    const repo = await initedRepo();
    repo.write('.sase/config.toml', '[providers.claude]\ncommand = ["claude"]\nbogus = 1\n');
    const r = await doctor(repo, fakeBin({}).path);
    assert.is(r.code, 1, r.stderr);
    assert.is(r.stderr, '');
    const c = byId(r.records);
    assert.is(c.get('config').ok, false);
    assert.is(c.get('config').needed, true);
    assert.is(
      c.get('config').detail,
      `${join(repo.dir, '.sase', 'config.toml')}: unknown key 'providers.claude.bogus'`,
    );
    assert.ok(c.has('provider:claude') && c.has('provider:example'));
    assert.ok(c.get('state').ok);
  },
);

t(
  'outside a repository: the repository check fails (exit 1), git, node and the providers are still reported',
  async () => {
    const repo = gitdir();
    const outside = scratchDir('sase-doctor-out-');
    const r = await doctor(repo, fakeBin({}).path, [], outside);
    assert.is(r.code, 1, r.stderr);
    const c = byId(r.records);
    assert.equal(
      [...c.keys()],
      [
        'git',
        'node',
        'repository',
        'provider:claude',
        'provider:codex',
        'provider:gemini',
        'provider:qwen',
        'provider:opencode',
        'provider:example',
      ],
    );
    assert.is(c.get('repository').ok, false);
    assert.match(c.get('repository').detail, /not a git repository/);
    assert.ok(c.get('git').ok);
  },
);

t('a git older than 2.39 is a needed failure', async () => {
  const repo = await initedRepo();
  const bin = fakeBin({
    git: `if [ "$1" = "--version" ]; then echo "git version 2.30.1"; exit 0; fi\nexec '${realGit}' "$@"`,
  });
  const r = await doctor(repo, bin.path);
  assert.is(r.code, 1, r.stderr);
  const git = byId(r.records).get('git');
  assert.equal([git.ok, git.needed, git.version], [false, true, '2.30.1']);
  assert.is(git.detail, 'git version 2.30.1: sase needs git 2.39 or later');
});

t('a broken state ref is a needed failure summarised from fsck', async () => {
  const repo = await initedRepo();
  // a state commit whose tree holds a file fsck does not expect
  const tip = repo.git('rev-parse', 'refs/sase/state').trim();
  const blob = spawnSync('git', ['hash-object', '-w', '--stdin'], {
    cwd: repo.dir,
    env: repo.env,
    input: 'junk\n',
    encoding: 'utf8',
  }).stdout.trim();
  const tree = spawnSync('git', ['mktree'], {
    cwd: repo.dir,
    env: repo.env,
    input: `${repo.git('ls-tree', tip).trim()}\n100644 blob ${blob}\tjunk.txt\n`,
    encoding: 'utf8',
  }).stdout.trim();
  const commit = repo.git('commit-tree', tree, '-p', tip, '-m', 'junk').trim();
  repo.git('update-ref', 'refs/sase/state', commit);
  const r = await doctor(repo, fakeBin({}).path);
  assert.is(r.code, 1, r.stderr);
  const state = byId(r.records).get('state');
  assert.equal([state.ok, state.needed], [false, true]);
  assert.is(state.detail, "1 problem (run 'sase fsck'): unexpected file 'junk.txt' in the state tree");
});

t(
  'stale workspaces: reported without failing; --fix removes them and keeps live ones and a stopped rebase',
  async () => {
    const repo = await initedRepo();
    const root = join(repo.dir, '.git', 'sase', 'worktrees');
    mkdirSync(root, { recursive: true });
    const dead = spawnSync('true').pid!; // a process that has ended
    const stale = join(root, `hook-${dead}-abc123`);
    const live = join(root, `run-${process.pid}-def456`);
    const rebase = join(root, `rebase-${dead}-aaa111`);
    for (const dir of [stale, live, rebase]) repo.git('worktree', 'add', '--detach', '--quiet', dir, 'HEAD');
    writeFileSync(`${rebase}.rebase.json`, '{}');
    writeFileSync(join(stale, 'half-done.txt'), 'work of a killed run\n');

    const r = await doctor(repo, fakeBin({}).path);
    assert.is(r.code, 0, r.stderr);
    const wt = byId(r.records).get('worktrees');
    assert.equal([wt.ok, wt.needed], [false, false]);
    assert.is(wt.detail, `1 left by killed runs (remove with 'sase doctor --fix'): hook-${dead}-abc123`);
    assert.ok(existsSync(stale), 'reporting changes nothing');

    const f = await doctor(repo, fakeBin({}).path, ['--fix']);
    assert.is(f.code, 0, f.stderr);
    const fixed = byId(f.records).get('worktrees');
    assert.equal([fixed.ok, fixed.detail], [true, `removed 1: hook-${dead}-abc123`]);
    assert.not.ok(existsSync(stale));
    assert.ok(existsSync(live) && existsSync(rebase));
    const listed = repo.git('worktree', 'list', '--porcelain');
    assert.not.ok(listed.includes(stale), 'git forgot the removed worktree');
    assert.ok(listed.includes(live));
    assert.is(byId((await doctor(repo, fakeBin({}).path)).records).get('worktrees').detail, 'none');
  },
);

t(
  'what killed commands left is reported without failing; --fix repairs it, says each repair, and loses nothing',
  async () => {
    const repo = await initedRepo();
    const main = repo.git('rev-parse', 'main').trim();
    repo.git('branch', 'sase/cs/lost', main);
    repo.git('branch', 'sase/cs/worked', main);
    const work = commitOn(repo, 'sase/cs/worked', { 'w.ts': 'w\n' }, 'Work kept');
    // no commits of its own, but checked out: adopted rather than deleted
    repo.git('branch', 'sase/cs/inuse', main);
    const inuse = join(repo.home, 'inuse');
    repo.git('worktree', 'add', '--quiet', inuse, 'sase/cs/inuse');
    const half = interruptedWorkspace(repo, 1, { worktree: 'half' });
    const whole = interruptedWorkspace(repo, 2, { worktree: 'whole' });
    const bare = interruptedWorkspace(repo, 3, { branch: true });
    // one whose creation was interrupted but that holds work (somebody found it): kept, as a free workspace
    const used = interruptedWorkspace(repo, 4, { worktree: 'whole' });
    writeFileSync(join(used.path, 'mine.txt'), 'work\n');
    const lock = staleRegistryLock(repo);
    const bin = fakeBin({}).path;

    const r = await doctor(repo, bin);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '');
    const c = byId(r.records);
    assert.ok(c.get('state').ok, c.get('state').detail);
    assert.equal([c.get('branches').ok, c.get('branches').needed], [false, false]);
    assert.is(
      c.get('branches').detail,
      "3 change branches without a record (repair with 'sase doctor --fix'): sase/cs/inuse, sase/cs/lost, sase/cs/worked",
    );
    assert.equal([c.get('workspaces').ok, c.get('workspaces').needed], [false, false]);
    assert.is(
      c.get('workspaces').detail,
      "4 interrupted creations and a stale lock (repair with 'sase doctor --fix'): #1, #2, #3, #4, workspaces.json.lock",
    );
    assert.is((await sase(repo, 'fsck')).code, 1);

    const f = await doctor(repo, bin, ['--fix'], undefined, { SASE_NOW: '2026-11-25T10:00:00Z' });
    assert.is(f.code, 0, f.stderr);
    assert.equal(f.stderr.trimEnd().split('\n'), [
      "adopted the branch 'sase/cs/inuse' as change 'inuse' (no commits of its own, but checked out at '" +
        inuse +
        "')",
      "deleted the branch 'sase/cs/lost' (no change record, no commits of its own)",
      "adopted the branch 'sase/cs/worked' as change 'worked' (1 commit)",
      `removed the stale lock '${lock}'`,
      `removed workspace #1 ('${half.path}') and its branch 'sase/ws/1': its creation was interrupted`,
      `removed workspace #2 ('${whole.path}') and its branch 'sase/ws/2': its creation was interrupted`,
      `removed workspace #3 ('${bare.path}') and its branch 'sase/ws/3': its creation was interrupted`,
      `kept workspace #4 ('${used.path}') as a free workspace: its creation was interrupted, but it holds uncommitted changes`,
    ]);
    const fixed = byId(f.records);
    assert.equal([fixed.get('branches').ok, fixed.get('workspaces').ok], [true, true]);
    assert.is(fixed.get('branches').detail, 'adopted sase/cs/inuse, sase/cs/worked; deleted sase/cs/lost');
    assert.is(
      fixed.get('workspaces').detail,
      'removed workspaces.json.lock; removed #1, #2, #3; kept #4 (it holds work)',
    );
    await ok(repo, 'fsck');
    assert.is(
      repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/sase/').trim(),
      'sase/cs/inuse\nsase/cs/worked\nsase/ws/4',
    );
    assert.is(repo.git('rev-parse', 'sase/cs/worked').trim(), work);
    const [worked] = await ok(repo, 'cs-show', ['worked']);
    assert.equal(
      worked!.commits.map((k: any) => k.sha),
      [work],
    );
    assert.is(worked!.description, 'Work kept');
    for (const p of [half.path, whole.path, bare.path]) assert.not.ok(existsSync(p), p);
    assert.ok(existsSync(join(used.path, 'mine.txt')));
    assert.not.ok(existsSync(lock));
    const listed = repo.git('worktree', 'list', '--porcelain');
    assert.not.ok(listed.includes(half.path) || listed.includes(whole.path));
    // the numbers are free again, and git lets a worktree be made where the half-made one was
    const [w] = await ok(repo, 'ws-new');
    assert.is(w!.n, 1);
    assert.equal(
      (await ok(repo, 'ws-list')).map((x) => [x.n, x.state]),
      [
        [0, 'free'],
        [1, 'free'],
        [4, 'free'],
      ],
    );
    const again = byId((await doctor(repo, bin)).records);
    assert.equal([again.get('branches').detail, again.get('workspaces').detail], ['none', 'none']);
  },
);

t(
  "a config prefix that disagrees with the state's is a warning, not a failure; an older state's is the config's",
  async () => {
    const repo = await initedRepo();
    const bin = fakeBin({}).path;
    assert.equal(byId((await doctor(repo, bin)).records).get('prefix'), {
      v: 1,
      kind: 'check',
      id: 'prefix',
      what: 'bead id prefix',
      ok: true,
      needed: false,
      detail: "'ts' (settings.json in the state ref)",
      version: null,
      path: null,
    });
    repo.write('.sase/config.toml', '[beads]\nprefix = "web"\n');
    const r = await doctor(repo, bin);
    assert.is(r.code, 0, r.stderr);
    const prefix = byId(r.records).get('prefix');
    assert.equal([prefix.ok, prefix.needed], [false, false]);
    assert.is(
      prefix.detail,
      `[beads] prefix 'web' of the configuration disagrees with the state's 'ts' (settings.json), which new ids take: set prefix = "ts" in .sase/config.toml, or remove it`,
    );
    const text = tableRows((await doctor(repo, bin, ['--format', 'text', '--no-color'])).stdout);
    assert.is(text.find((x) => x.CHECK === 'prefix')!.STATUS, 'warn');
    // a state made before settings.json: the config's prefix, and what records it
    const old = gitdir();
    old.write('.sase/config.toml', '[beads]\nprefix = "legacy"\n');
    await ok(old, 'bead-create', ['--title', 'made with no sase init']);
    assert.is(
      byId((await doctor(old, bin)).records).get('prefix').detail,
      "'legacy' from [beads] prefix of .sase/config.toml (the state has no settings.json yet: 'sase init' records the prefix there)",
    );
    const none = gitdir({ name: 'fresh' });
    assert.is(
      byId((await doctor(none, bin)).records).get('prefix').detail,
      "'fresh' from the folder's name (no state yet: 'sase init' records the prefix in the state)",
    );
  },
);

t(
  "a worktree entry a killed 'git worktree add' left half-written: named by doctor and fsck, removed by doctor --fix; ws new works meanwhile",
  async () => {
    const repo = await initedRepo();
    const ws = interruptedWorkspace(repo, 1, { worktree: 'entry-only' });
    const entry = join(repo.dir, '.git', 'worktrees', '1');
    const bin = fakeBin({}).path;
    const before = byId((await doctor(repo, bin)).records);
    assert.is(
      before.get('workspaces').detail,
      `1 half-written worktree entry of an interrupted creation (repair with 'sase doctor --fix'): ${entry}`,
    );
    assert.match(before.get('branches').detail, /^not checked: git lists no worktree/);
    const f = await sase(repo, 'fsck');
    assert.is(f.code, 1, f.stderr);
    assert.equal(
      f.records.filter((x) => x.kind === 'problem').map((p) => [p.check, p.path]),
      [['workspace', entry]],
    );
    // a new workspace is made all the same: the entry of the dead creation goes first
    const made = await sase(repo, 'ws-new');
    assert.is(made.code, 0, made.stderr);
    assert.not.ok(existsSync(entry) && !existsSync(join(entry, 'gitdir')), 'the half-written entry is gone');
    const fixed = await doctor(repo, bin, ['--fix']);
    assert.is(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, new RegExp(`#1 \\('${ws.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'\\)`));
    const after = await sase(repo, 'fsck');
    assert.is(after.code, 0, JSON.stringify(after.records));
  },
);

t('on a terminal (--format text): a table, one row a check', async () => {
  const repo = await initedRepo();
  const r = await doctor(repo, fakeBin({ qwen: cli('0.1.0', QWEN_HELP) }).path, ['--format', 'text', '--no-color']);
  assert.is(r.code, 0, r.stderr);
  const rows = tableRows(r.stdout);
  assert.equal(Object.keys(rows[0]!), ['CHECK', 'STATUS', 'NEEDED', 'DETAIL']);
  const row = (id: string) => rows.find((x) => x.CHECK === id)!;
  assert.equal(row('git').STATUS, 'ok');
  assert.equal(row('provider:qwen').STATUS, 'ok');
  assert.equal(row('provider:codex'), {
    CHECK: 'provider:codex',
    STATUS: 'missing',
    NEEDED: 'no',
    DETAIL: "'codex' not on PATH",
  });
  assert.is(rows.length, 15);
});

const GEMINI_HELP = `Usage: gemini [options] [command]
  -m, --model                     Model  [string]
      --skip-trust                Trust the current workspace for this session.  [boolean]
  -y, --yolo                      Automatically accept all actions  [boolean]
  -r, --resume                    Resume a previous session.  [string]
  -o, --output-format             The format of the CLI output.  [string]`;

t("each installed provider's --help is read for the flags sase passes: all there, nothing said", async () => {
  const repo = await initedRepo();
  const bin = fakeBin({
    gemini: cli('0.61.0', GEMINI_HELP),
    // codex's flags are its subcommands' (exec, exec resume): each help is read
    codex: `case "$*" in
  --version) echo "codex-cli 0.171.0";;
  "exec --help") printf '  -m, --model <MODEL>\n      --dangerously-bypass-approvals-and-sandbox\n      --skip-git-repo-check\n      --color <COLOR>\n      --json\n';;
  "exec resume --help") printf '  -m, --model <MODEL>\n      --dangerously-bypass-approvals-and-sandbox\n      --skip-git-repo-check\n      --json\n';;
  *) echo "unexpected: $*" >&2; exit 2;;
esac`,
  });
  const r = await doctor(repo, bin.path);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  const c = byId(r.records);
  assert.is(c.get('provider:gemini').ok, true);
  assert.is(c.get('provider:gemini').detail, `0.61.0 (${join(bin.dir, 'gemini')})`);
  assert.is(c.get('provider:codex').ok, true);
  assert.is(c.get('provider:codex').detail, `codex-cli 0.171.0 (${join(bin.dir, 'codex')})`);
});

t(
  'a CLI update that renamed a flag sase passes: a warning naming the provider and the flag; doctor still passes',
  async () => {
    const repo = await initedRepo();
    // this gemini calls --skip-trust something else, and opencode's run lost --auto
    const bin = fakeBin({
      gemini: cli('0.70.0', GEMINI_HELP.replace('--skip-trust', '--trust-workspace')),
      opencode: `case "$*" in
  --version) echo "1.19.0";;
  "run --help") printf '  -s, --session   session id\n  -m, --model   model\n      --format   json\n';;
  *) exit 2;;
esac`,
    });
    const r = await doctor(repo, bin.path);
    assert.is(r.code, 0, r.stderr);
    assert.equal(r.stderr.trimEnd().split('\n'), [
      "warning: provider 'gemini': 'gemini --help' does not list '--skip-trust', which sase passes (renamed by an update? set [providers.gemini] command/resume to what it takes now)",
      "warning: provider 'opencode': 'opencode run --help' does not list '--auto', which sase passes (renamed by an update? set [providers.opencode] command/resume to what it takes now)",
    ]);
    const gemini = byId(r.records).get('provider:gemini');
    assert.equal(
      [gemini.ok, gemini.needed, gemini.version, gemini.path],
      [false, false, '0.70.0', join(bin.dir, 'gemini')],
    );
    assert.is(
      gemini.detail,
      `0.70.0 (${join(bin.dir, 'gemini')}); 'gemini --help' does not list '--skip-trust', which sase passes (renamed by an update? set [providers.gemini] command/resume to what it takes now)`,
    );
    // on a terminal: a provider that is there but would fail warns (one not there is missing)
    const text = await doctor(repo, bin.path, ['--format', 'text', '--no-color']);
    const rows = tableRows(text.stdout);
    assert.is(rows.find((x) => x.CHECK === 'provider:gemini')!.STATUS, 'warn');
    assert.is(rows.find((x) => x.CHECK === 'provider:codex')!.STATUS, 'missing');
    // told what it takes now, the check passes
    repo.write(
      '.sase/config.toml',
      '[providers.gemini]\ncommand = ["gemini", "--output-format", "stream-json", "--yolo", "--trust-workspace"]\nresume = ["gemini", "--output-format", "stream-json", "--yolo", "--trust-workspace", "--resume", "{session}"]\n',
    );
    const again = await doctor(repo, bin.path);
    assert.is(byId(again.records).get('provider:gemini').ok, true);
    assert.not.match(again.stderr, /gemini/);
  },
);

t(
  'as root, claude without IS_SANDBOX=1 is a warning saying how to set it; the provider env or the environment clears it',
  async () => {
    const repo = await initedRepo();
    const bin = fakeBin({ claude: cli('2.1.197 (Claude Code)', CLAUDE_HELP) });
    const warned: string[] = [];
    const run = (uid: number, env: Record<string, string> = {}) =>
      withStore(repo, (store) =>
        runDoctor({
          cwd: repo.dir,
          env: { ...repo.env, PATH: bin.path, ...env },
          store: async () => store,
          uid,
          warn: (l) => warned.push(l),
        }),
      );
    const claude = (checks: Check[]) => checks.find((c) => c.id === 'provider:claude')!;
    const asRoot = claude(await run(0));
    const why =
      'claude refuses to start as root unless IS_SANDBOX=1 is in its environment: in a container, set env = { IS_SANDBOX = "1" } under [providers.claude] in .sase/config.toml';
    assert.equal([asRoot.ok, asRoot.needed], [false, false]);
    assert.is(asRoot.detail, `2.1.197 (Claude Code) (${join(bin.dir, 'claude')}); ${why}`);
    assert.equal(warned, [`provider 'claude': ${why}`]);
    warned.length = 0;
    assert.is(claude(await run(1000)).ok, true, 'not root');
    assert.is(claude(await run(0, { IS_SANDBOX: '1' })).ok, true, "IS_SANDBOX in sase's environment");
    repo.write('.sase/config.toml', '[providers.claude]\nenv = { IS_SANDBOX = "1" }\n');
    assert.is(claude(await run(0)).ok, true, 'the provider env');
    assert.equal(warned, []);
  },
);

t("sase's own example agent answers --version and lists the flags sase passes it", async () => {
  const repo = await initedRepo();
  // sase's bin/ on PATH, as a user who runs 'sase' has it (it was: exited 129: unknown option '--version')
  const r = await doctor(repo, `${BIN}:${fakeBin({}).path}`);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  const example = byId(r.records).get('provider:example');
  const version = JSON.parse(readFileSync(join(BIN, '..', 'package.json'), 'utf8')).version;
  assert.is(example.ok, true);
  assert.is(example.version, `sase-example-agent (sase) ${version}`);
  assert.is(example.detail, `sase-example-agent (sase) ${version} (${join(BIN, 'sase-example-agent')})`);
  const direct = saseBin(repo, 'example-agent', ['--version']);
  assert.equal([direct.code, direct.stdout], [0, `sase-example-agent (sase) ${version}\n`]);
});

t(
  'which and programVersion: a path search through argument arrays, and a --version that hangs is cut off',
  async () => {
    const bin = fakeBin({ slow: 'exec node -e "setTimeout(() => {}, 30000)"', ok: 'echo "$1"', quiet: 'exit 0' });
    const env = { PATH: bin.path };
    assert.is(which('ok', env), join(bin.dir, 'ok'));
    assert.is(which('nope', env), null);
    assert.is(which(join(bin.dir, 'ok'), {}), join(bin.dir, 'ok'));
    assert.is(which(dirname(join(bin.dir, 'ok')), env), null, 'a folder is not a program');
    assert.equal(await programVersion(join(bin.dir, 'ok'), env), {
      version: '--version',
      exitCode: 0,
      timedOut: false,
      error: null,
    });
    const quiet = await programVersion(join(bin.dir, 'quiet'), env);
    assert.equal([quiet.version, quiet.error], [null, `'${join(bin.dir, 'quiet')} --version' printed nothing`]);
    const slow = await programVersion(join(bin.dir, 'slow'), env, { timeoutMs: 200 });
    assert.equal([slow.version, slow.timedOut], [null, true]);
    assert.is(slow.error, `'${join(bin.dir, 'slow')} --version' did not answer in 0.2 s`);
  },
);

t.run();
