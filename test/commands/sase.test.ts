import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { BIN, ok, ROOT, sase } from '../helpers/run.ts';

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
  assert.is(r.stderr, "sase: 'bead frob' is not a sase command. See 'sase --help'.\n");
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

t.run();
