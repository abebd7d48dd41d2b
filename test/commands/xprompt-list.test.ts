import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase, tableRows } from '../helpers/run.ts';

const t = suite('xprompt-list');

function userFile(repo: TestRepo, rel: string, text: string): string {
  const path = join(repo.env.XDG_CONFIG_HOME!, 'sase', 'xprompts', rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

t('lists repo then user XPrompts, first wins, subfolders are namespaces', async () => {
  const repo = gitdir();
  repo.write(
    '.sase/xprompts/review.md',
    '---\ndescription: Project review\ninputs:\n  focus: {type: word}\n  depth: {type: int, default: 2}\ntags: [review]\n---\nReview {{focus}}\n',
  );
  repo.write('.sase/xprompts/team/deploy.md', 'Deploy\n');
  userFile(repo, 'review.md', '---\ndescription: User review\n---\nMine\n');
  const mine = userFile(repo, 'careful.md', 'Be careful\n');
  // through the real executable
  const recs = okBin(repo, 'xprompt-list');
  assert.equal(
    recs.map((r) => [r.name, r.source]),
    [
      ['careful', 'user'],
      ['review', 'repo'],
      ['team/deploy', 'repo'],
    ],
  );
  const review = recs[1]!;
  assert.equal(review, {
    v: 1,
    kind: 'xprompt',
    id: 'review',
    name: 'review',
    path: join(repo.dir, '.sase/xprompts/review.md'),
    source: 'repo',
    description: 'Project review',
    inputs: [
      { name: 'focus', type: 'word', default: null, required: true },
      { name: 'depth', type: 'int', default: '2', required: false },
    ],
    tags: ['review'],
  });
  assert.is(recs[0]!.path, mine);
  assert.equal(
    (await ok(repo, 'xprompt-list', ['--tag', 'review'])).map((r) => r.name),
    ['review'],
  );
  const sub = join(repo.dir, 'sub');
  mkdirSync(sub);
  assert.is(
    (await sase(repo, 'xprompt-list', [], { cwd: sub })).records.length,
    3,
    'found from a subfolder of the work tree',
  );
});

t('a table on a terminal; ids; outside a repository only the user XPrompts', async () => {
  const repo = gitdir();
  repo.write(
    '.sase/xprompts/review.md',
    '---\ndescription: Review\ninputs:\n  focus: word\n  depth: {type: int, default: 2}\n---\nR\n',
  );
  const r = await sase(repo, 'xprompt-list', ['--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(tableRows(r.stdout), [
    { NAME: '#review', SOURCE: 'repo', INPUTS: 'focus:word depth?:int', DESCRIPTION: 'Review' },
  ]);
  assert.is((await sase(repo, 'xprompt-list', ['--format', 'id'])).stdout, 'review\n');
  userFile(repo, 'u.md', 'U\n');
  const outside = join(repo.home, 'elsewhere');
  mkdirSync(outside);
  assert.equal(
    (await sase(repo, 'xprompt-list', [], { cwd: outside })).records.map((r) => r.name),
    ['u'],
  );
});

t('empty is success; bad names are skipped with a warning; a malformed file is fatal', async () => {
  const repo = gitdir();
  const r0 = await sase(repo, 'xprompt-list');
  assert.is(r0.code, 0);
  assert.is(r0.stdout, '');
  repo.write('.sase/xprompts/bad name.md', 'x\n');
  repo.write('.sase/xprompts/notes.txt', 'not markdown\n');
  repo.write('.sase/xprompts/good.md', 'g\n');
  const r = await sase(repo, 'xprompt-list');
  assert.is(r.code, 0);
  assert.equal(
    r.records.map((x) => x.name),
    ['good'],
  );
  assert.is(
    r.stderr,
    `warning: ignoring '${join(repo.dir, '.sase/xprompts/bad name.md')}': not a valid xprompt name\n`,
  );
  rmSync(join(repo.dir, '.sase/xprompts/bad name.md'));
  repo.write('.sase/xprompts/broken.md', '---\ninputs:\n  a: {type: number}\n---\nB\n');
  fails(
    await sase(repo, 'xprompt-list'),
    128,
    `fatal: ${join(repo.dir, '.sase/xprompts/broken.md')}: input 'a' has unknown type 'number' (known: word, line, text, path, int, bool, float)`,
  );
});

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'xprompt-list', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: sase-xprompt-list/);
});

t.run();
