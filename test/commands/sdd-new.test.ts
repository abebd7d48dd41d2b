import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { stored } from '../helpers/sdd.ts';

const t = suite('sdd-new');

t('stores a draft plan and its prompt, linked both ways, in one commit', async () => {
  const repo = await initedRepo();
  const before = repo.git('rev-list', '--count', 'refs/sase/state').trim();
  const [p] = await ok(
    repo,
    'sdd-new',
    ['--tier', 'epic', '--title', 'Diamond epic', '--goal', 'phases run in waves'],
    {
      input: 'Plan the #diamond work\n',
    },
  );
  assert.is(p!.kind, 'plan');
  assert.is(p!.id, 'sdd/epics/diamond-epic.md');
  assert.is(p!.slug, 'diamond-epic');
  assert.is(p!.status, 'draft');
  assert.is(p!.prompt, 'sdd/prompts/diamond-epic.md');
  assert.is(Number(repo.git('rev-list', '--count', 'refs/sase/state').trim()), Number(before) + 1);
  const plan = stored(repo, 'sdd/epics/diamond-epic.md')!;
  assert.match(plan, /^---\ntier: epic\ntitle: Diamond epic\n/);
  assert.match(plan, /prompt: sdd\/prompts\/diamond-epic.md/);
  const prompt = stored(repo, 'sdd/prompts/diamond-epic.md')!;
  assert.match(prompt, /plan: sdd\/epics\/diamond-epic.md/);
  assert.match(prompt, /Plan the #diamond work/, 'the prompt is kept as written');
  await ok(repo, 'fsck');
});

t('--slug, --body-file, a tale size and a legend with epics', async () => {
  const repo = await initedRepo();
  repo.write('body.md', '## Context\n\nOur own body.\n');
  // through the real executable
  const [tale] = okBin(repo, 'sdd-new', [
    '--tier',
    'tale',
    '--title',
    'Fix it!',
    '--goal',
    'g',
    '--slug',
    'fix-login',
    '--body-file',
    'body.md',
    '--size',
    'small',
  ]);
  assert.is(tale!.id, 'sdd/tales/fix-login.md');
  assert.is(tale!.size, 'small');
  assert.match(stored(repo, 'sdd/tales/fix-login.md')!, /Our own body\./);
  assert.match(stored(repo, 'sdd/prompts/fix-login.md')!, /\n---\ng\n$/, 'no prompt given: the goal is the prompt');
  const [legend] = await ok(repo, 'sdd-new', [
    '--tier',
    'legend',
    '--title',
    'Big picture',
    '--goal',
    'g',
    '--epic',
    'one,two',
  ]);
  assert.equal(legend!.epics, ['one', 'two']);
});

t('refuses a slug in use, bad slugs, and missing or bad options', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Same', '--goal', 'g']);
  const tip = repo.git('rev-parse', 'refs/sase/state');
  fails(
    await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Same', '--goal', 'g']),
    1,
    "error: plan 'same' exists (sdd/tales/same.md); store a new version with 'sase sdd put' or 'sase sdd edit'",
  );
  fails(
    await sase(repo, 'sdd-new', ['--tier', 'epic', '--title', 'Same', '--goal', 'g']),
    1,
    "error: the slug 'same' is taken by the tale sdd/tales/same.md; a slug names one plan",
  );
  fails(
    await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'x', '--goal', 'g', '--slug', '../x']),
    129,
    "error: slug '../x' is not lower-case letters and digits joined by single '-' (at most 80 characters)",
  );
  fails(
    await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'x', '--goal', 'g', '--slug', 'a/b']),
    129,
    "error: slug 'a/b' is not lower-case letters and digits joined by single '-' (at most 80 characters)",
  );
  fails(
    await sase(repo, 'sdd-new', ['--tier', 'saga', '--title', 'x', '--goal', 'g']),
    129,
    "error: option '--tier': 'saga' is not one of tale, epic, legend",
  );
  fails(await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'x']), 129, "error: missing '--goal'");
  fails(
    await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'x', '--goal', 'g', '--body-file', 'nope.md']),
    128,
    "fatal: cannot read body file 'nope.md': ENOENT",
  );
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip, 'nothing stored');
});

t('stores the prompt with its XPrompts expanded and directives stripped; bad references store nothing', async () => {
  const repo = await initedRepo();
  repo.write(
    '.sase/xprompts/careful.md',
    '---\ninputs:\n  area: {type: word, default: everything}\n---\nCheck {{area}} twice.\n',
  );
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Expanded', '--goal', 'g'], {
    input: '%model:opus\nFix the login. #careful:auth\n```\n#careful\n```\nSee #42 and #unknown\n',
  });
  const prompt = stored(repo, 'sdd/prompts/expanded.md')!;
  assert.match(prompt, /\n---\nFix the login\. Check auth twice\.\n```\n#careful\n```\nSee #42 and #unknown\n$/);
  assert.not.match(prompt, /%model/);
  const tip = repo.git('rev-parse', 'refs/sase/state');
  fails(
    await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Bad', '--goal', 'g'], {
      input: '#careful(area=two words)\n',
    }),
    129,
    "error: xprompt 'careful': input 'area' expects a word (no spaces), got 'two words'",
  );
  repo.write('.sase/xprompts/loop.md', '#loop\n');
  fails(
    await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Bad', '--goal', 'g'], { input: '#loop\n' }),
    128,
    'fatal: xprompt cycle: loop -> loop',
  );
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip, 'nothing stored');
});

t('the stored prompt and plan are checked, not the files given: a 1 MiB prompt or body stores nothing', async () => {
  const repo = await initedRepo();
  const tip = repo.git('rev-parse', 'refs/sase/state');
  // each file is within the limit as given; with its front matter, what would be stored is not
  repo.write('prompt.md', 'p'.repeat((1 << 20) - 1) + '\n');
  repo.write('body.md', `## Context\n\n${'b'.repeat((1 << 20) - 20)}\n`);
  for (const [flag, file, path] of [
    ['--prompt-file', 'prompt.md', 'sdd/prompts/big.md'],
    ['--body-file', 'body.md', 'sdd/tales/big.md'],
  ]) {
    const r = await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Big', '--goal', 'g', flag!, file!]);
    assert.is(r.code, 1, r.stderr);
    assert.is(r.stdout, '');
    assert.match(r.stderr, new RegExp(`${path}.*too-large|too-large.*${path}|${path}.*at most 1048576`), r.stderr);
    assert.match(r.stderr, /error: plan 'big' does not validate; nothing stored\n$/);
    assert.is(repo.git('rev-parse', 'refs/sase/state'), tip, 'nothing stored');
  }
  // the same prompt on stdin
  const r = await sase(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Big', '--goal', 'g'], {
    input: 'p'.repeat((1 << 20) - 1),
  });
  assert.is(r.code, 1, r.stderr);
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip, 'nothing stored');
  await ok(repo, 'fsck');
  await ok(repo, 'sdd-validate');
});

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'sdd-new', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--tier <tier>/);
});

t.run();
