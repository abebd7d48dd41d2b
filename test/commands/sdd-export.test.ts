import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { stored } from '../helpers/sdd.ts';
import { opMessage, writeStateCommit } from '../helpers/state.ts';

const t = suite('sdd-export');

const repo = await initedRepo();
await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', 'Cache', '--goal', 'fast reads'], {
  input: 'Make #ready fast\n',
});
await ok(repo, 'sdd-new', [
  '--tier',
  'tale',
  '--title',
  'Flaky login',
  '--goal',
  'passes every run',
  '--size',
  'small',
]);
await ok(repo, 'sdd-new', ['--tier', 'legend', '--title', 'Speed', '--goal', 'fast', '--epic', 'cache']);
// a stored file that does not parse is exported as it is; a name that is not a slug never is
writeStateCommit(
  repo,
  {
    'sdd/tales/broken.md': '---\ntier: [\n---\n\u00e9t\u00e9\r\n',
    'sdd/tales/..md': 'escape\n',
    'sdd/notes.md': 'not a plan\n',
  },
  opMessage('sdd put sdd/tales/broken.md', {
    op: 'sdd.put',
    paths: ['sdd/tales/broken.md'],
    at: '2026-01-01T00:00:00Z',
    actor: 'x@example.com',
  }),
);

const ALL = [
  'sdd/tales/broken.md',
  'sdd/tales/flaky-login.md',
  'sdd/epics/cache.md',
  'sdd/legends/speed.md',
  'sdd/prompts/cache.md',
  'sdd/prompts/flaky-login.md',
  'sdd/prompts/speed.md',
];

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  walk(dir, '');
  return out;
}

t('writes every plan and prompt under DIR, byte for byte, one record a file', async () => {
  // through the real executable
  const out = okBin(repo, 'sdd-export', ['out/plans']);
  assert.equal(
    out.map((r) => r.source),
    ALL,
  );
  for (const r of out) {
    assert.is(r.v, 1);
    assert.is(r.kind, 'file');
    assert.is(r.id, r.path);
    assert.is(r.path, r.source.replace(/^sdd\//, 'out/plans/'));
    assert.ok(readFileSync(join(repo.dir, r.path)).equals(Buffer.from(stored(repo, r.source)!, 'utf8')), r.path);
  }
  assert.ok(
    readFileSync(join(repo.dir, 'out/plans/tales/broken.md')).equals(
      Buffer.from(repo.git('cat-file', 'blob', 'refs/sase/state:sdd/tales/broken.md'), 'utf8'),
    ),
  );
  assert.equal(tree(join(repo.dir, 'out/plans')), ALL.map((p) => p.slice(4)).sort());
  assert.not.ok(existsSync(join(repo.dir, 'out/tales')), 'nothing outside DIR');
});

t('--tier (or --kind) chooses the directories', async () => {
  assert.equal(
    (await ok(repo, 'sdd-export', ['e1', '--tier', 'epics'])).map((r) => r.path),
    ['e1/epics/cache.md'],
  );
  assert.equal(tree(join(repo.dir, 'e1')), ['epics/cache.md']);
  assert.equal(
    (await ok(repo, 'sdd-export', ['e2', '--kind', 'prompt,legend'])).map((r) => r.source),
    ['sdd/legends/speed.md', 'sdd/prompts/cache.md', 'sdd/prompts/flaky-login.md', 'sdd/prompts/speed.md'],
  );
  fails(
    await sase(repo, 'sdd-export', ['e3', '--tier', 'sagas']),
    129,
    "error: option '--tier': 'sagas' is not one of tales, epics, legends, prompts, all, tale, epic, legend, prompt",
  );
  assert.not.ok(existsSync(join(repo.dir, 'e3')));
});

t('a directory that is not empty is refused without --force; --force replaces files of the same name', async () => {
  mkdirSync(join(repo.dir, 'full/epics'), { recursive: true });
  writeFileSync(join(repo.dir, 'full/epics/cache.md'), 'old\n');
  writeFileSync(join(repo.dir, 'full/keep.txt'), 'mine\n');
  fails(
    await sase(repo, 'sdd-export', ['full']),
    1,
    "error: 'full' exists and is not empty (give --force to write into it)",
  );
  assert.is(readFileSync(join(repo.dir, 'full/epics/cache.md'), 'utf8'), 'old\n', 'nothing written');
  assert.equal(tree(join(repo.dir, 'full')), ['epics/cache.md', 'keep.txt']);
  const out = await ok(repo, 'sdd-export', ['full', '--force', '--tier', 'epics']);
  assert.equal(
    out.map((r) => r.path),
    ['full/epics/cache.md'],
  );
  assert.is(readFileSync(join(repo.dir, 'full/epics/cache.md'), 'utf8'), stored(repo, 'sdd/epics/cache.md'));
  assert.is(readFileSync(join(repo.dir, 'full/keep.txt'), 'utf8'), 'mine\n', 'other files are left alone');
  mkdirSync(join(repo.dir, 'empty'));
  assert.is(
    (await ok(repo, 'sdd-export', ['empty', '--tier', 'tales'])).length,
    2,
    'an empty directory needs no --force',
  );
  writeFileSync(join(repo.dir, 'afile'), 'x\n');
  fails(await sase(repo, 'sdd-export', ['afile']), 1, "error: 'afile' exists and is not a directory");
  fails(await sase(repo, 'sdd-export', ['afile', '--force']), 1, "error: 'afile' exists and is not a directory");
});

t('links inside DIR are replaced, never written through', async () => {
  const outside = join(repo.home, 'victim');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'cache.md'), 'precious\n');
  mkdirSync(join(repo.dir, 'linked/epics'), { recursive: true });
  symlinkSync(join(outside, 'cache.md'), join(repo.dir, 'linked/epics/cache.md'));
  await ok(repo, 'sdd-export', ['linked', '--force', '--tier', 'epics']);
  assert.is(readFileSync(join(outside, 'cache.md'), 'utf8'), 'precious\n');
  assert.not.ok(lstatSync(join(repo.dir, 'linked/epics/cache.md')).isSymbolicLink());
  mkdirSync(join(repo.dir, 'linkdir'));
  symlinkSync(outside, join(repo.dir, 'linkdir/tales'));
  fails(
    await sase(repo, 'sdd-export', ['linkdir', '--force', '--tier', 'tales']),
    1,
    "error: 'linkdir/tales' exists and is not a directory",
  );
  assert.equal(readdirSync(outside), ['cache.md']);
  assert.is(readlinkSync(join(repo.dir, 'linkdir/tales')), outside);
});

t('on a terminal (--format text): a summary on stderr; --format id prints the paths', async () => {
  const r = await sase(repo, 'sdd-export', ['t1', '--format', 'text']);
  assert.is(r.code, 0);
  assert.is(r.stdout, '');
  assert.is(r.stderr, "exported 7 files to 't1'\n");
  const ids = await sase(repo, 'sdd-export', ['t2', '--format', 'id', '--tier', 'epics']);
  assert.is(ids.code, 0);
  assert.is(ids.stdout, 't2/epics/cache.md\n');
});

t('an empty store: DIR is made, nothing printed', async () => {
  const none = gitdir();
  const r = await sase(none, 'sdd-export', ['out']);
  assert.is(r.code, 0);
  assert.is(r.stdout, '');
  assert.is(r.stderr, '');
  assert.equal(readdirSync(join(none.dir, 'out')), []);
  const inited = await initedRepo();
  const text = await sase(inited, 'sdd-export', ['out', '--format', 'text']);
  assert.is(text.stderr, "exported 0 files to 'out'\n");
});

t('usage errors', async () => {
  fails(await sase(repo, 'sdd-export', []), 129, 'error: missing <dir>');
  fails(await sase(repo, 'sdd-export', ['a', 'b']), 129, "error: unexpected argument 'b'");
});

t('--help', async () => {
  const r = await sase(repo, 'sdd-export', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-sdd-export [--tier <tiers>] [--kind <tiers>] [--force] [--format <format>] [--json] <dir>\n',
    ),
    r.stdout,
  );
});

t.run();
