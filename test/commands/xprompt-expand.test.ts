import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

const t = suite('xprompt-expand');

function library(): TestRepo {
  const repo = gitdir();
  repo.write(
    '.sase/xprompts/review.md',
    '---\ninputs:\n  focus: {type: word}\n  depth: {type: int, default: 2}\n---\nReview {{focus}} at depth {{depth}}. #careful\n',
  );
  repo.write('.sase/xprompts/careful.md', 'Be careful.\n');
  repo.write(
    '.sase/xprompts/team/deploy.md',
    '---\ninputs:\n  env: {type: word, default: staging}\n---\nDeploy to {{env}}. %model:opus\n',
  );
  return repo;
}

t('prints the expanded text: each syntax, namespaces, code left alone, unknown names kept', async () => {
  const repo = library();
  const prompt =
    '# Plan #nope\nFix #123: #review:tests\n#review(focus=api, depth=3)\n#team/deploy(env="prod")\n```\n#careful\n```\n';
  // through the real executable
  const r = saseBin(repo, 'xprompt-expand', [], { input: prompt });
  assert.is(r.code, 0, r.stderr);
  assert.is(
    r.stdout,
    '# Plan #nope\nFix #123: Review tests at depth 2. Be careful.\nReview api at depth 3. Be careful.\nDeploy to prod.\n```\n#careful\n```\n',
  );
  repo.write('prompt.md', 'Go #careful');
  assert.is((await sase(repo, 'xprompt-expand', ['prompt.md'])).stdout, 'Go Be careful.\n');
  assert.is((await sase(repo, 'xprompt-expand', ['-'], { input: '#careful\n' })).stdout, 'Be careful.\n');
});

t('the user folder comes after the project, first wins', async () => {
  const repo = library();
  const user = join(repo.env.XDG_CONFIG_HOME!, 'sase', 'xprompts');
  mkdirSync(user, { recursive: true });
  writeFileSync(join(user, 'careful.md'), 'user careful\n');
  writeFileSync(join(user, 'mine.md'), 'mine\n');
  assert.is((await sase(repo, 'xprompt-expand', [], { input: '#careful #mine' })).stdout, 'Be careful. mine\n');
});

t('--json: directives, segments, trace; --trace on stderr', async () => {
  const repo = library();
  const prompt = '%name:first\n#team/deploy\n---\n%name:second\n%wait:first,bead:ts-1\n#review(focus=x)\n';
  const [rec] = await ok(repo, 'xprompt-expand', ['--json'], { input: prompt });
  assert.equal(rec, {
    v: 1,
    kind: 'expansion',
    id: '-',
    text: 'Deploy to staging.\n---\nReview x at depth 2. Be careful.\n',
    directives: { model: 'opus', name: 'first', wait: ['first', 'bead:ts-1'], provider: null },
    segments: [
      { text: 'Deploy to staging.', directives: { model: 'opus', name: 'first', wait: [], provider: null } },
      {
        text: 'Review x at depth 2. Be careful.',
        directives: { model: null, name: 'second', wait: ['first', 'bead:ts-1'], provider: null },
      },
    ],
    trace: [
      { name: 'team/deploy', args: { env: 'staging' }, depth: 0, parent: null, line: 2 },
      { name: 'review', args: { focus: 'x', depth: '2' }, depth: 0, parent: null, line: 6 },
      { name: 'careful', args: {}, depth: 1, parent: 'review', line: 1 },
    ],
  });
  const r = await sase(repo, 'xprompt-expand', ['--trace'], { input: 'a\n#review:x\n' });
  assert.is(r.code, 0);
  assert.is(r.stdout, 'a\nReview x at depth 2. Be careful.\n', 'text, not NDJSON, on a pipe');
  assert.is(r.stderr, 'trace: #review(focus="x", depth="2") at prompt:2\ntrace:   #careful at #review:1\n');
});

t('errors: cycle 128, missing or mistyped input 129, unknown with arguments 4, too large 128', async () => {
  const repo = library();
  repo.write('.sase/xprompts/a.md', 'A #b\n');
  repo.write('.sase/xprompts/b.md', 'B #a\n');
  fails(await sase(repo, 'xprompt-expand', [], { input: 'x #a' }), 128, 'fatal: xprompt cycle: a -> b -> a');
  fails(
    await sase(repo, 'xprompt-expand', [], { input: '#review' }),
    129,
    "error: xprompt 'review': missing required input 'focus' (word)",
  );
  fails(
    await sase(repo, 'xprompt-expand', [], { input: '#review(focus=x, depth=deep)' }),
    129,
    "error: xprompt 'review': input 'depth' expects an int, got 'deep'",
  );
  fails(
    await sase(repo, 'xprompt-expand', [], { input: '#nope(x=1)' }),
    4,
    "error: no xprompt 'nope' (prompt, line 1; try 'sase xprompt list')",
  );
  fails(
    await sase(repo, 'xprompt-expand', [], { input: '#review(focus=x' }),
    128,
    "fatal: prompt:1: '#review(': unclosed argument list (expected ',' or ')')",
  );
  fails(await sase(repo, 'xprompt-expand', ['missing.md']), 128, "fatal: cannot read prompt 'missing.md': ENOENT");
  const big = 'x'.repeat(10 << 20);
  fails(
    await sase(repo, 'xprompt-expand', [], { input: big }),
    128,
    `fatal: prompt '-' is ${10 << 20} bytes; at most 4194304 are accepted`,
  );
});

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'xprompt-expand', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: sase-xprompt-expand/);
});

t.run();
