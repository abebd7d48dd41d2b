import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { BIN, ok, ROOT, sase, saseBin } from '../helpers/run.ts';

const t = suite('sase');

const repo = await initedRepo();
const at = (s: number) => ({ SASE_NOW: `2026-01-01T00:00:0${s}Z` });
const [first] = await ok(repo, 'bead-create', ['--title', 'first', '--priority', '1'], { env: at(1) });
await ok(repo, 'bead-create', ['--title', 'second'], { env: at(2) });

t('sase bead ready --limit 1 prints what sase-bead-ready --limit 1 prints', async () => {
  const viaSase = await sase(repo, '', ['bead', 'ready', '--limit', '1']);
  const direct = await sase(repo, 'bead-ready', ['--limit', '1']);
  assert.is(viaSase.code, 0);
  assert.is(viaSase.stderr, '');
  assert.is(viaSase.stdout, direct.stdout);
  assert.equal(
    viaSase.records.map((r) => r.id),
    [first!.id],
  );
  assert.is(
    (await sase(repo, '', ['bead', 'ready', '--format', 'id'])).stdout,
    (await sase(repo, 'bead-ready', ['--format', 'id'])).stdout,
  );
});

t('the longest command name wins, arguments and stdin pass through', async () => {
  const [a] = await ok(repo, '', ['bead', 'create', '--title', 'made through sase']);
  assert.is(a!.title, 'made through sase');
  const [dep] = await ok(repo, '', ['bead', 'dep', 'add', a!.id, first!.id]);
  assert.equal(
    dep!.dependencies.map((d: any) => d.depends_on_id),
    [first!.id],
  );
  const shown = await ok(repo, '', ['bead', 'show'], { input: `${a!.id}\n` });
  assert.equal(
    shown.map((r) => r.id),
    [a!.id],
  );
});

t('exit codes and stderr pass through: sase bead show nope exits 4', async () => {
  const r = await sase(repo, '', ['bead', 'show', 'nope']);
  const direct = await sase(repo, 'bead-show', ['nope']);
  assert.is(r.code, 4);
  assert.is(r.stdout, '');
  assert.is(r.stderr, "error: no bead 'nope'\nhint: try 'sase bead list'\n");
  assert.is(r.stderr, direct.stderr);
  assert.is((await sase(repo, '', ['bead', 'claim', first!.id, '--as', 'x', '--frob'])).code, 129);
  await ok(repo, 'bead-claim', [first!.id, '--as', 'w1']);
  const lost = await sase(repo, '', ['bead', 'claim', first!.id, '--as', 'w2']);
  assert.is(lost.code, 3);
  assert.is(lost.stderr.split('\n')[0], `error: bead '${first!.id}' is not open (it is claimed by 'w1')`);
});

t('sase --list-cmds lists every command, one a line', async () => {
  const r = await sase(repo, '', ['--list-cmds']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  const listed = r.stdout.trim().split('\n');
  const launchers = readdirSync(BIN)
    .filter((f) => f.startsWith('sase-'))
    .map((f) => f.slice(5));
  const commands = readdirSync(join(ROOT, 'src', 'commands'))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3));
  for (const name of [...launchers, ...commands]) assert.ok(listed.includes(name), `${name} is not listed`);
  for (const name of ['init', 'log', 'fsck', 'bead-ready', 'bead-claim', 'bead-dep-tree'])
    assert.ok(listed.includes(name), name);
  assert.is(new Set(listed).size, listed.length);
});

t("an unknown command exits 1: sase: 'bead frob' is not a sase command", async () => {
  const r = await sase(repo, '', ['bead', 'frob']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.is(r.stderr, "sase: 'bead frob' is not a sase command. See 'sase bead --help'.\n");
  const one = await sase(repo, '', ['frob', '--x']);
  assert.is(one.code, 1);
  assert.is(one.stderr, "sase: 'frob' is not a sase command. See 'sase --help'.\n");
});

t('a sase-<name> executable on PATH is a plugin: run and listed', async () => {
  const dir = join(repo.home, 'plugins');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'sase-hello');
  writeFileSync(file, '#!/bin/sh\necho "hello $*"\nexit 7\n');
  chmodSync(file, 0o755);
  const env = { PATH: `${BIN}:${dir}:${repo.env.PATH}` };
  const r = await sase(repo, '', ['hello', 'a', 'b'], { env });
  assert.is(r.code, 7);
  assert.is(r.stdout, 'hello a b\n');
  assert.ok((await sase(repo, '', ['--list-cmds'], { env })).stdout.trim().split('\n').includes('hello'));
});

t('--help, --version, no arguments, an unknown option', async () => {
  const help = await sase(repo, '', ['--help']);
  assert.is(help.code, 0);
  assert.is(help.stderr, '');
  assert.ok(help.stdout.startsWith('usage: sase <noun> <verb> [<options>] [<args>]\n'), help.stdout);
  assert.match(help.stdout, /\n {2}bead ready +list open beads whose blockers are all closed\n/);
  assert.not.match(help.stdout, /\x1b\[/);
  const version = await sase(repo, '', ['--version']);
  assert.is(version.code, 0);
  assert.is(version.stdout, `sase version ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  const none = await sase(repo, '', []);
  assert.is(none.code, 1);
  assert.ok(none.stdout.startsWith('usage: sase '));
  const bad = await sase(repo, '', ['--frob']);
  assert.is(bad.code, 129);
  assert.is(bad.stderr, "sase: unknown option '--frob'. See 'sase --help'.\n");
  // a command's own --help through the dispatcher
  const sub = await sase(repo, '', ['bead', 'ready', '--help']);
  assert.is(sub.code, 0);
  assert.ok(sub.stdout.startsWith('usage: sase-bead-ready '), sub.stdout);
  const noMan = await sase(repo, '', ['help', 'bead', 'frob']);
  assert.is(noMan.code, 1);
  assert.is(noMan.stderr, "sase: no manual for 'bead frob'. See 'sase --help'.\n");
});

t(
  "a noun alone lists its verbs: on stdout, exit 0, when asked for; else on stderr, exit 129 (as 'git worktree')",
  async () => {
    const asked = await sase(repo, '', ['bead', '--help']);
    assert.is(asked.code, 0, asked.stderr);
    assert.is(asked.stderr, '');
    assert.ok(asked.stdout.startsWith('usage: sase bead <verb> [<options>] [<args>]\n\nverbs:\n'), asked.stdout);
    assert.match(asked.stdout, /\n {2}ready +list open beads whose blockers are all closed\n/);
    assert.match(asked.stdout, /\n {2}dep add +make a bead depend on another/);
    assert.not.match(asked.stdout, /\n {2}(ready|list) .*\n(.*\n)* {2}\1 /, 'each verb once');
    assert.is((await sase(repo, '', ['bead', '-h'])).stdout, asked.stdout);
    const help = await sase(repo, '', ['help', 'bead']);
    assert.is(help.code, 0);
    assert.is(help.stdout, asked.stdout);
    const alone = await sase(repo, '', ['bead']);
    assert.is(alone.code, 129);
    assert.is(alone.stdout, '');
    assert.is(alone.stderr, asked.stdout);
    // nested nouns
    const dep = await sase(repo, '', ['bead', 'dep']);
    assert.is(dep.code, 129);
    assert.equal(
      dep.stderr
        .split('\n')
        .filter((l) => l.startsWith('  '))
        .map((l) => l.trim().split(/ +/)[0]),
      ['add', 'list', 'rm', 'satisfy', 'tree'],
    );
    const chop = await sase(repo, '', ['axe', 'chop', '--help']);
    assert.is(chop.code, 0);
    assert.ok(chop.stdout.startsWith('usage: sase axe chop <verb> '), chop.stdout);
    assert.match(chop.stdout, /\n {2}doctor +check every chop/);
  },
);

t("a mistyped word gets a hint: sase bead redy -> did you mean 'ready'?", async () => {
  const r = await sase(repo, '', ['bead', 'redy', '--limit', '1']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.is(
    r.stderr,
    "sase: 'bead redy' is not a sase command. See 'sase bead --help'.\nhint: did you mean 'ready'?\n",
  );
  const noun = await sase(repo, '', ['baed', 'ready']);
  assert.is(noun.code, 1);
  assert.is(noun.stderr, "sase: 'baed' is not a sase command. See 'sase --help'.\nhint: did you mean 'bead'?\n");
  const nested = await sase(repo, '', ['bead', 'dep', 'ad', 'x', 'y']);
  assert.is(nested.stderr.split('\n')[1], "hint: did you mean 'add'?");
  const several = await sase(repo, '', ['bead', 're']);
  assert.is(several.stderr.split('\n')[1], "hint: did you mean 'ready', 'release' or 'reopen'?");
  const manual = await sase(repo, '', ['help', 'bead', 'redy']);
  assert.is(manual.code, 1);
  assert.is(manual.stderr.split('\n')[1], "hint: did you mean 'bead ready'?");
  const top = await sase(repo, '', ['--lsit-cmds']);
  assert.is(top.code, 129);
  assert.is(top.stderr.split('\n')[1], "hint: did you mean '--list-cmds'?");
  // a mistyped option of a command, through the dispatcher and directly
  const opt = await sase(repo, '', ['bead', 'ready', '--limt', '1']);
  assert.is(opt.code, 129);
  assert.is(opt.stdout, '');
  assert.equal(opt.stderr.split('\n').slice(0, 2), ["error: unknown option '--limt'", "hint: did you mean '--limit'?"]);
  const direct = await sase(repo, 'bead-list', ['--stat', 'open']);
  assert.equal(direct.stderr.split('\n').slice(0, 2), [
    "error: unknown option '--stat'",
    "hint: did you mean '--status'?",
  ]);
  // nothing close: no hint
  assert.is((await sase(repo, 'bead-ready', ['--frobnicate'])).stderr.split('\n')[1]!.startsWith('usage: '), true);
});

t('the hint through the real launchers (the edit distance is a bundle of its own, loaded on this path only)', () => {
  const word = saseBin(repo, '', ['bead', 'redy']);
  assert.is(word.code, 1);
  assert.is(
    word.stderr,
    "sase: 'bead redy' is not a sase command. See 'sase bead --help'.\nhint: did you mean 'ready'?\n",
  );
  const opt = saseBin(repo, 'bead-ready', ['--limt', '1']);
  assert.is(opt.code, 129);
  assert.equal(opt.stderr.split('\n').slice(0, 2), ["error: unknown option '--limt'", "hint: did you mean '--limit'?"]);
});

t("our own commands run in the dispatcher's process; plugins in their own", async () => {
  // a `node` first on PATH that notes each start: bin/sase starts through it
  const dir = join(repo.home, 'counting');
  const log = join(dir, 'starts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'node'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${process.execPath}' "$@"\n`);
  chmodSync(join(dir, 'node'), 0o755);
  const plugin = join(dir, 'sase-nodeplugin');
  writeFileSync(plugin, '#!/usr/bin/env node\nprocess.stdout.write(process.argv.slice(2).join(" ") + "\\n");\n');
  chmodSync(plugin, 0o755);
  const env = { PATH: `${dir}:${BIN}:${repo.env.PATH}` };
  const starts = () => readFileSync(log, 'utf8').trim().split('\n');
  const r = await sase(repo, '', ['bead', 'ready', '--limit', '1'], { env });
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.records.map((x) => x.kind),
    ['bead'],
  );
  assert.equal(starts(), [join(BIN, 'sase')], 'one Node process for sase bead ready');
  rmSync(log);
  const p = await sase(repo, '', ['nodeplugin', 'a', 'b'], { env });
  assert.is(p.stdout, 'a b\n');
  assert.equal(starts(), [join(BIN, 'sase'), plugin], 'a plugin is a process of its own');
  rmSync(log);
  // a usage error and a not-found exit as they do directly, from the one process
  assert.is((await sase(repo, '', ['bead', 'show', 'nope'], { env })).code, 4);
  assert.is((await sase(repo, '', ['bead', 'show', '--frob'], { env })).code, 129);
  assert.equal(starts(), [join(BIN, 'sase'), join(BIN, 'sase')]);
});

t(
  "man finds the pages beside bin/ on PATH: man -w sase-bead-ready, man -w 7 sase; 'sase help' opens sase(7)",
  async () => {
    const env = { ...repo.env, PATH: `${BIN}:${repo.env.PATH}` } as Record<string, string>;
    delete env.MANPATH;
    const where = (...args: string[]) => spawnSync('man', ['-w', ...args], { env, encoding: 'utf8' });
    const page = where('sase-bead-ready');
    assert.is(page.status, 0, page.stderr);
    assert.is(realpathSync(page.stdout.trim()), realpathSync(join(ROOT, 'man', 'man1', 'sase-bead-ready.1')));
    const model = where('7', 'sase');
    assert.is(model.status, 0, model.stderr);
    assert.is(realpathSync(model.stdout.trim()), realpathSync(join(ROOT, 'man', 'man7', 'sase.7')));
    assert.is(realpathSync(where('1', 'sase').stdout.trim()), realpathSync(join(ROOT, 'man', 'man1', 'sase.1')));
    // sase help: sase(7) through man, formatted as text on a pipe
    const shown = await sase(repo, '', ['help'], { env: { MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '100' } });
    assert.is(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /SASE\(7\)/);
    assert.match(shown.stdout, /sase - the sase data model/);
    const cmd = await sase(repo, '', ['help', 'bead', 'ready'], { env: { MANPAGER: 'cat', PAGER: 'cat' } });
    assert.is(cmd.code, 0, cmd.stderr);
    assert.match(cmd.stdout, /sase-bead-ready - list open beads whose blockers are all closed/);
  },
);

t.run();
