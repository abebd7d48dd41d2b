// What every list command shares: --limit, --sort, --grep, --no-pager (the
// pager on a terminal), and --json FIELDS on every formatted command.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CommandSpec } from '../../src/cli/spec.ts';
import { optionLongFlag } from '../../src/cli/spec.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, ROOT, sase } from '../helpers/run.ts';
import { addBeadsWithIds, beadRecord } from '../helpers/state.ts';
import { withScreen } from '../helpers/tmux.ts';

const t = suite('list options');
const NOW = '2026-01-01T00:00:00Z';

const repo = await initedRepo();
await addBeadsWithIds(
  repo,
  Array.from({ length: 40 }, (_, i) =>
    beadRecord({
      id: `ts-li${String(i).padStart(6, '0')}`,
      title: `Bead number ${i}`,
      priority: i % 3,
      created_at: NOW,
      description: i === 7 ? 'mentions the Login page' : '',
    }),
  ),
);

const LISTS = [
  'agent-list',
  'axe-chop-list',
  'axe-lumberjack-list',
  'bead-blocked',
  'bead-dep-list',
  'bead-list',
  'bead-ready',
  'bead-search',
  'cs-list',
  'notify-list',
  'sdd-list',
  'sdd-search',
  'wf-list',
  'ws-list',
  'xprompt-list',
];

t('every list command has --limit, --sort, --grep (search commands: their text) and --no-pager', async () => {
  const names = readdirSync(join(ROOT, 'src', 'commands'))
    .filter((f) => /-(list|ready|blocked|search)\.ts$/.test(f))
    .map((f) => f.slice(0, -3));
  assert.equal(names.sort(), [...LISTS].sort());
  for (const name of LISTS) {
    const { spec } = (await import(pathToFileURL(join(ROOT, 'src', 'commands', `${name}.ts`)).href)) as {
      spec: CommandSpec;
    };
    const flags = spec.options.map(optionLongFlag);
    const want = name.endsWith('-search')
      ? ['--limit', '--sort', '--no-pager']
      : ['--limit', '--sort', '--grep', '--no-pager'];
    for (const f of want) assert.ok(flags.includes(f), `${name} lacks ${f}`);
  }
});

t('a bad --sort field is a usage error (129) naming the valid ones, before any work', async () => {
  for (const name of LISTS) {
    const args = name === 'bead-dep-list' ? ['ts-li000000'] : name.endsWith('-search') ? ['x'] : [];
    const r = await sase(repo, name, [...args, '--sort', 'nope']);
    assert.is(r.code, 129, `${name}: ${r.stderr}`);
    assert.match(r.stderr, /^error: option '--sort': unknown field 'nope' \(valid: [a-z_, ]+\)\n/, name);
  }
});

t('--sort, --limit and --grep on bead list (default: priority, then age, then id)', async () => {
  const ids = async (...args: string[]) => (await ok(repo, 'bead-list', args)).map((r) => r.id);
  const all = await ids();
  assert.equal(all.slice(0, 2), ['ts-li000000', 'ts-li000003']);
  assert.equal(await ids('--limit', '2', '--sort', '-priority,-id'), ['ts-li000038', 'ts-li000035']);
  assert.equal(await ids('--grep', 'LOGIN'), ['ts-li000007']);
  assert.equal(await ids('--grep', 'number 1', '--sort', 'id', '--limit', '3'), [
    'ts-li000001',
    'ts-li000010',
    'ts-li000011',
  ]);
  assert.equal(
    (await ok(repo, 'bead-ready', ['--grep', 'login page'])).map((r) => r.id),
    ['ts-li000007'],
  );
  assert.equal(
    (await ok(repo, 'bead-ready', ['--sort', '-id', '--limit', '1'])).map((r) => r.id),
    ['ts-li000039'],
  );
});

t('--json FIELDS prints only those fields, in that order; a bare --json whole records', async () => {
  const [first] = await ok(repo, 'bead-list', ['--json', 'title,id', '--limit', '1']);
  assert.equal(first, { title: 'Bead number 0', id: 'ts-li000000' });
  assert.equal(Object.keys(first!), ['title', 'id']);
  assert.equal(await ok(repo, 'bead-list', ['--limit', '1', '--json=id']), [{ id: 'ts-li000000' }]);
  // ready's fast path (a copy of its cache) honours them too
  assert.equal(await ok(repo, 'bead-ready', ['--limit', '1', '--json', 'id,priority']), [
    { id: 'ts-li000000', priority: 0 },
  ]);
  // a command that takes ids: a word after --json is a field list when an id is given besides
  assert.equal(await ok(repo, 'bead-show', ['ts-li000001', '--json', 'status']), [{ status: 'open' }]);
  assert.equal(await ok(repo, 'bead-show', ['--json', 'status', 'ts-li000001']), [{ status: 'open' }]);
  const whole = await ok(repo, 'bead-show', ['--json', 'ts-li000001']);
  assert.is(whole[0]!.id, 'ts-li000001');
  assert.ok('description' in whole[0]!);
  assert.ok('title' in (await ok(repo, 'bead-list', ['--json', '--limit', '1']))[0]!);
});

t('an unknown --json field is a usage error naming the valid ones', async () => {
  const r = await sase(repo, 'bead-list', ['--json', 'id,titel']);
  fails(r, 129, r.stderr.split('\n')[0]!);
  assert.match(r.stderr, /^error: option '--json': unknown field 'titel' \(valid: v, kind, id, short_id, title, /);
});

const fakePager = (file: string) => ({ SASE_PAGER: `cat > '${file}'` });

t('on a terminal the text goes through the pager; --no-pager, a pipe or JSON print it directly', async () => {
  const file = join(repo.dir, '.git', 'paged.txt');
  const tty = { stdout: true };
  const paged = await sase(repo, 'bead-list', ['--limit', '3'], { tty, env: fakePager(file) });
  assert.is(paged.code, 0, paged.stderr);
  assert.is(paged.stdout, '');
  const text = readFileSync(file, 'utf8');
  assert.match(text.replace(/\x1b\[[0-9;]*m/g, ''), /^ID\s+P\s+STATUS.*\nts-li\w*\s+P0\s+open/);
  const direct = await sase(repo, 'bead-list', ['--limit', '3', '--no-pager'], {
    tty,
    env: fakePager(`${file}.2`),
  });
  assert.match(direct.stdout.replace(/\x1b\[[0-9;]*m/g, ''), /^ID\s+P\s+STATUS/);
  const json = await sase(repo, 'bead-list', ['--limit', '3', '--json'], { tty, env: fakePager(`${file}.3`) });
  assert.is(json.records.length, 3);
  const pipe = await sase(repo, 'bead-list', ['--limit', '3', '--format', 'text'], { env: fakePager(`${file}.4`) });
  assert.match(pipe.stdout, /^ID\s+P\s+STATUS/);
  for (const n of [2, 3, 4]) assert.not.ok(existsSync(`${file}.${n}`), `pager ${n} ran`);
  // an empty answer starts no pager
  await sase(repo, 'bead-list', ['--grep', 'no such bead'], { tty, env: fakePager(`${file}.5`) });
  assert.not.ok(existsSync(`${file}.5`));
});

t('the pager: SASE_PAGER, else PAGER; LESS=FRX when unset; one that cannot start loses nothing', async () => {
  const file = join(repo.dir, '.git', 'less.txt');
  const tty = { stdout: true };
  const probe = `printf '%s' "$LESS" > '${file}'; cat > /dev/null`;
  await sase(repo, 'bead-list', ['--limit', '1'], { tty, env: { PAGER: probe } });
  assert.is(readFileSync(file, 'utf8'), 'FRX');
  await sase(repo, 'bead-list', ['--limit', '1'], { tty, env: { PAGER: probe, LESS: 'R' } });
  assert.is(readFileSync(file, 'utf8'), 'R');
  const r = await sase(repo, 'bead-list', ['--limit', '1'], { tty, env: { SASE_PAGER: 'no-such-pager-h5' } });
  assert.match(r.stdout.replace(/\x1b\[[0-9;]*m/g, ''), /^ID\s+P\s+STATUS/);
  const off = await sase(repo, 'bead-list', ['--limit', '1'], { tty, env: { SASE_PAGER: '', PAGER: probe } });
  assert.match(off.stdout.replace(/\x1b\[[0-9;]*m/g, ''), /^ID\s+P\s+STATUS/);
});

t('through the real launcher on a terminal: less shows a long list a screen at a time; q leaves it', async () => {
  await withScreen(
    repo,
    async (tm) => {
      tm.type('sase bead list; echo list-done');
      tm.keys('Enter');
      // less -FRX: the first screen and its prompt, not all 40 rows at once
      const s = await tm.waitFor(/^:\s*$/m);
      assert.match(s, /ID\s+P\s+STATUS/);
      assert.not.match(s, 'list-done');
      tm.keys('q');
      await tm.waitFor(/^list-done$/m);
    },
    100,
    15,
  );
});

t.run();
