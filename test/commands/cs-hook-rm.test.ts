import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { recordCommits } from '../helpers/change-commits.ts';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-hook-rm');

const logs = (repo: ReturnType<typeof gitdir>) =>
  repo.git('ls-tree', '-r', '--name-only', 'refs/sase/state', 'changes/feat/hooks/').trim().split('\n').filter(Boolean);
const stateFile = (repo: ReturnType<typeof gitdir>, path: string) => repo.git('show', `refs/sase/state:${path}`);

t(
  'removes a hook by its text or its number, with its runs; the later hooks keep their logs under their new numbers',
  async () => {
    const repo = await changeRepo({ description: 'd' });
    const sha = commitOn(repo, 'sase/cs/feat', { 'f.txt': 'x\n' }, 'One');
    await recordCommits(repo, 'feat', [{ sha, subject: 'One' }]);
    for (const h of ['echo first', 'echo second', 'echo third']) await ok(repo, 'cs-hook-add', ['feat', h]);
    await ok(repo, 'cs-hook-run', ['feat']);
    assert.equal(logs(repo), [
      'changes/feat/hooks/1-1.log',
      'changes/feat/hooks/2-1.log',
      'changes/feat/hooks/3-1.log',
    ]);
    const removedLog = repo.git('rev-parse', 'refs/sase/state:changes/feat/hooks/2-1.log').trim();

    // through the real executable
    const [c] = okBin(repo, 'cs-hook-rm', ['feat', 'echo', 'second']);
    assert.equal(
      c!.hooks.map((h: any) => [h.command, h.runs.length]),
      [
        ['echo first', 1],
        ['echo third', 1],
      ],
    );
    assert.match(
      repo.git('log', '-1', '--format=%B', 'refs/sase/state'),
      /Sase-Op: \{"op":"cs.hook-rm","name":"feat","command":"echo second","index":2/,
    );
    assert.equal(logs(repo), ['changes/feat/hooks/1-1.log', 'changes/feat/hooks/2-1.log']);
    assert.is(stateFile(repo, 'changes/feat/hooks/2-1.log'), 'third\n', "hook 3's log follows it to number 2");
    assert.is(repo.git('cat-file', '-t', removedLog).trim(), 'blob', 'the removed log stays in history');
    assert.not.match(storedChange(repo, 'feat')!, 'echo second');

    const [d] = await ok(repo, 'cs-hook-rm', ['feat', '1']);
    assert.equal(
      d!.hooks.map((h: any) => h.command),
      ['echo third'],
    );
    assert.equal(logs(repo), ['changes/feat/hooks/1-1.log']);
    assert.is(stateFile(repo, 'changes/feat/hooks/1-1.log'), 'third\n');
    await ok(repo, 'fsck', ['--replay']);
  },
);

t('a hook whose text is a number is found by its text first', async () => {
  const repo = await changeRepo({ description: 'd' });
  await ok(repo, 'cs-hook-add', ['feat', 'true']);
  await ok(repo, 'cs-hook-add', ['feat', '1']);
  const [c] = await ok(repo, 'cs-hook-rm', ['feat', '1']);
  assert.equal(
    c!.hooks.map((h: any) => h.command),
    ['true'],
  );
  const r = await sase(repo, 'cs-hook-rm', ['feat', 'true', '--no-color'], { terminal: true });
  assert.is(r.stdout, 'removed feat hook 1: true\n');
});

t('refusals: no such hook or change; nothing stored', async () => {
  const repo = await changeRepo({ description: 'd' });
  fails(await sase(repo, 'cs-hook-rm', ['feat', '1']), 4, "error: change 'feat' has no hook '1' (it has none)");
  await ok(repo, 'cs-hook-add', ['feat', 'npm test']);
  const tip = repo.git('rev-parse', 'refs/sase/state').trim();
  fails(
    await sase(repo, 'cs-hook-rm', ['feat', '2']),
    4,
    "error: change 'feat' has no hook '2' (it has 1: 1 'npm test')",
  );
  fails(
    await sase(repo, 'cs-hook-rm', ['feat', 'npm']),
    4,
    "error: change 'feat' has no hook 'npm' (it has 1: 1 'npm test')",
  );
  fails(await sase(repo, 'cs-hook-rm', ['nope', '1']), 4, "error: no change 'nope'");
  fails(await sase(repo, 'cs-hook-rm', ['feat']), 129, 'error: missing <hook>');
  assert.is(repo.git('rev-parse', 'refs/sase/state').trim(), tip, 'nothing stored');
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-hook-rm', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /<hook>\.\.\./);
});

t.run();
