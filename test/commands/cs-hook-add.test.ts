import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { storedChange } from '../helpers/changes.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-hook-add');

t('appends hooks: words joined, one quoted string, words after --, an advisory ! hook', async () => {
  const repo = await changeRepo({ description: 'd' });
  const tip = repo.git('rev-parse', 'refs/sase/state').trim();
  // through the real executable
  const [c] = okBin(repo, 'cs-hook-add', ['feat', 'npm', 'test']);
  assert.is(c!.kind, 'changespec');
  assert.equal(c!.hooks, [{ command: 'npm test', blocking: true, runs: [] }]);
  assert.match(
    repo.git('log', '-1', '--format=%B', 'refs/sase/state'),
    /Sase-Op: \{"op":"cs.hook-add","name":"feat","command":"npm test"/,
  );
  assert.is(repo.git('rev-list', '--count', `${tip}..refs/sase/state`).trim(), '1');
  await ok(repo, 'cs-hook-add', ['feat', `grep -q "a;b" 'x y' | wc -l; echo $HOME`]);
  await ok(repo, 'cs-hook-add', ['feat', '--', 'make', '-j4', '--keep-going']);
  const [last] = await ok(repo, 'cs-hook-add', ['feat', '!npm run lint']);
  assert.equal(
    last!.hooks.map((h: any) => [h.command, h.blocking]),
    [
      ['npm test', true],
      [`grep -q "a;b" 'x y' | wc -l; echo $HOME`, true],
      ['make -j4 --keep-going', true],
      ['!npm run lint', false],
    ],
  );
  assert.match(
    storedChange(repo, 'feat')!,
    `HOOKS:\n  npm test\n  grep -q "a;b" 'x y' | wc -l; echo $HOME\n  make -j4 --keep-going\n  !npm run lint\n`,
  );
  await ok(repo, 'fsck', ['--replay']);
});

t('a terminal gets one line', async () => {
  const repo = await changeRepo({ description: 'd' });
  const r = await sase(repo, 'cs-hook-add', ['feat', '!true', '--no-color'], { terminal: true });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'added feat hook 1: !true (advisory)\n');
});

t('refusals: a duplicate, empty or multi-line command, a missing change or a bad name; nothing stored', async () => {
  const repo = await changeRepo({ description: 'd' });
  await ok(repo, 'cs-hook-add', ['feat', 'npm test']);
  const tip = repo.git('rev-parse', 'refs/sase/state').trim();
  fails(
    await sase(repo, 'cs-hook-add', ['feat', 'npm', 'test']),
    1,
    "error: change 'feat' has the hook 'npm test' already",
  );
  fails(
    await sase(repo, 'cs-hook-add', ['feat', '  npm test  ']),
    1,
    "error: change 'feat' has the hook 'npm test' already",
  );
  fails(
    await sase(repo, 'cs-hook-add', ['feat', 'echo a\necho b']),
    129,
    'error: hook command must be one line without control characters',
  );
  fails(
    await sase(repo, 'cs-hook-add', ['feat', 'echo \u001b[31m']),
    129,
    'error: hook command must be one line without control characters',
  );
  fails(await sase(repo, 'cs-hook-add', ['feat', '   ']), 129, 'error: hook command must not be empty');
  fails(await sase(repo, 'cs-hook-add', ['feat', '!']), 129, "error: hook command '!' runs nothing");
  fails(await sase(repo, 'cs-hook-add', ['feat']), 129, 'error: missing <command>');
  fails(await sase(repo, 'cs-hook-add', ['nope', 'true']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-hook-add', ['../x', 'true']),
    129,
    "error: change name '../x' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  assert.is(repo.git('rev-parse', 'refs/sase/state').trim(), tip, 'nothing stored');
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-hook-add', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /<command>\.\.\./);
});

t.run();
