import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('xprompt-show');

t('the record with its body; the project file wins over the user one', async () => {
  const repo = gitdir();
  repo.write(
    '.sase/xprompts/team/review.md',
    '---\ndescription: Review\ninputs:\n  focus: {type: word, default: all}\ntags: [a]\n---\nReview {{focus}}\n',
  );
  const user = join(repo.env.XDG_CONFIG_HOME!, 'sase', 'xprompts', 'team');
  mkdirSync(user, { recursive: true });
  writeFileSync(join(user, 'review.md'), 'user version\n');
  // through the real executable
  const [rec] = okBin(repo, 'xprompt-show', ['team/review']);
  assert.equal(rec, {
    v: 1,
    kind: 'xprompt',
    id: 'team/review',
    name: 'team/review',
    path: join(repo.dir, '.sase/xprompts/team/review.md'),
    source: 'repo',
    description: 'Review',
    inputs: [{ name: 'focus', type: 'word', default: 'all', required: false }],
    tags: ['a'],
    body: 'Review {{focus}}\n',
  });
  assert.is((await ok(repo, 'xprompt-show', ['#team/review']))[0]!.source, 'repo', 'a leading # is allowed');
});

t('a card on a terminal', async () => {
  const repo = gitdir();
  repo.write(
    '.sase/xprompts/review.md',
    '---\ndescription: Review it\ninputs:\n  focus: word\n  depth: {type: int, default: 2}\n---\nReview {{focus}}\n',
  );
  const r = await sase(repo, 'xprompt-show', ['review', '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  assert.is(
    r.stdout,
    `#review  repo: ${join(repo.dir, '.sase/xprompts/review.md')}\nReview it\n\ninputs:\n  focus (word)  required\n  depth (int)  default "2"\n\n---\nReview {{focus}}\n`,
  );
});

t('missing (4), malformed name (129), malformed file (128)', async () => {
  const repo = gitdir();
  fails(await sase(repo, 'xprompt-show', ['nope']), 4, "error: no xprompt 'nope' (try 'sase xprompt list')");
  fails(
    await sase(repo, 'xprompt-show', ['../x']),
    129,
    "error: '../x' is not an xprompt name (letters, digits, '_' and '-', namespaces joined by '/')",
  );
  fails(await sase(repo, 'xprompt-show', []), 129, 'error: missing <name>');
  repo.write('.sase/xprompts/bad.md', '---\nfoo: 1\n---\nB\n');
  fails(
    await sase(repo, 'xprompt-show', ['bad']),
    128,
    `fatal: ${join(repo.dir, '.sase/xprompts/bad.md')}: unknown front matter key 'foo' (known: name, description, inputs, tags)`,
  );
});

t.run();
