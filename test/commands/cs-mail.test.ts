import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, ROOT, sase } from '../helpers/run.ts';

const t = suite('cs-mail');
const NOW = { SASE_NOW: '2026-11-25T10:00:00Z' };
const GH = join(ROOT, 'test', 'fixtures', 'gh');

async function setup(status = 'Ready'): Promise<{ repo: TestRepo; tip: string }> {
  const repo = await changeRepo({ description: 'Add the cache\n\nIt keeps snapshots.', status, now: NOW.SASE_NOW });
  const tip = commitOn(repo, 'sase/cs/feat', { 'cache.ts': 'x\n' }, 'Add the cache');
  return { repo, tip };
}

const rev = (repo: TestRepo, ref: string) => {
  try {
    return repo.git('rev-parse', '--verify', '-q', ref).trim();
  } catch {
    return null;
  }
};
const config = (repo: TestRepo, text: string) => appendFileSync(join(repo.dir, '.sase', 'config.toml'), `\n${text}\n`);

/** A bare repository as the remote 'origin'. */
function withRemote(repo: TestRepo): TestRepo {
  const remote = gitdir({ bare: true, name: 'remote.git' });
  repo.git('remote', 'add', 'origin', remote.dir);
  repo.git('push', '-q', 'origin', 'main');
  return remote;
}

t(
  'local: the branch goes to refs/sase/review/<name>; CL, Mailed, MAIL logged; mailing again sends the new tip',
  async () => {
    const { repo, tip } = await setup();
    const main = rev(repo, 'main');
    // through the real executable
    const [c] = okBin(repo, 'cs-mail', ['feat'], { env: NOW });
    assert.is(c!.status, 'Mailed');
    assert.is(c!.cl, 'local:refs/sase/review/feat');
    assert.equal(c!.mailed, [`refs/sase/review/feat at ${tip.slice(0, 12)}`]);
    assert.is(rev(repo, 'refs/sase/review/feat'), tip);
    const text = storedChange(repo, 'feat')!;
    assert.match(text, 'CL: local:refs/sase/review/feat\nSTATUS: Mailed\n');
    assert.match(
      text,
      `  [2026-11-25T10:00:00Z] STATUS Ready -> Mailed\n  [2026-11-25T10:00:00Z] MAIL local:refs/sase/review/feat at ${tip.slice(0, 12)}\n`,
    );
    assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), /"op":"cs.mail"/);
    assert.is(rev(repo, 'main'), main, 'main untouched');
    const tip2 = commitOn(repo, 'sase/cs/feat', { 'cache.ts': 'y\n' }, 'Fix the cache');
    const [again] = await ok(repo, 'cs-mail', ['feat']);
    assert.is(again!.status, 'Mailed');
    assert.is(rev(repo, 'refs/sase/review/feat'), tip2);
    assert.is((storedChange(repo, 'feat')!.match(/MAIL /g) ?? []).length, 2);
    await ok(repo, 'fsck');
  },
);

t('refused unless Ready (or Mailed), with commits, on a mailed parent: exit 1, nothing changed', async () => {
  const { repo } = await setup('WIP');
  const state = rev(repo, 'refs/sase/state');
  fails(
    await sase(repo, 'cs-mail', ['feat']),
    1,
    "error: change 'feat' is WIP, not Ready: only a Ready change is mailed",
  );
  assert.match(
    (await sase(repo, 'cs-mail', ['feat'])).stderr,
    "hint: mark it ready with 'sase cs set feat --status Ready'",
  );
  await ok(repo, 'cs-new', ['empty', '--description', 'Nothing yet', '--status', 'Ready']);
  fails(await sase(repo, 'cs-mail', ['empty']), 1, "error: change 'empty' has no commits on 'sase/cs/empty' to mail");
  await ok(repo, 'cs-new', ['child', '--parent', 'feat', '--description', 'On top', '--status', 'Ready']);
  commitOn(repo, 'sase/cs/child', { 'child.ts': 'c\n' }, 'Child');
  fails(
    await sase(repo, 'cs-mail', ['child']),
    1,
    "error: change 'child' stacks on 'feat', which is WIP: mail 'feat' first",
  );
  fails(await sase(repo, 'cs-mail', ['nope']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-mail', ['Bad']),
    129,
    "error: change name 'Bad' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  assert.is(rev(repo, 'refs/sase/review/feat'), null);
  assert.is(rev(repo, 'refs/sase/review/child'), null);
  assert.is(storedChange(repo, 'feat')!.includes('STATUS: WIP'), true);
  assert.is(rev(repo, 'refs/sase/state') !== state, true); // the two cs-new calls
  const after = rev(repo, 'refs/sase/state');
  fails(
    await sase(repo, 'cs-mail', ['child']),
    1,
    "error: change 'child' stacks on 'feat', which is WIP: mail 'feat' first",
  );
  assert.is(rev(repo, 'refs/sase/state'), after);
});

t('local with [review] remote: pushed to <remote> refs/sase/review/<name>, with a lease', async () => {
  const { repo, tip } = await setup();
  const remote = withRemote(repo);
  config(repo, '[review]\nremote = "origin"');
  const [c] = await ok(repo, 'cs-mail', ['feat']);
  assert.is(c!.cl, 'local:refs/sase/review/feat');
  assert.equal(c!.mailed, [`pushed ${tip.slice(0, 12)} to origin refs/sase/review/feat`]);
  assert.is(remote.git('rev-parse', 'refs/sase/review/feat').trim(), tip);
  assert.is(rev(repo, 'refs/sase/review/feat'), null, 'not kept here');
  // a rewritten branch is pushed again (the lease is what the remote had)
  repo.git('update-ref', 'refs/heads/sase/cs/feat', repo.git('rev-parse', 'main').trim());
  const tip2 = commitOn(repo, 'sase/cs/feat', { 'cache.ts': 'rewritten\n' }, 'Add the cache, again');
  await ok(repo, 'cs-mail', ['feat']);
  assert.is(remote.git('rev-parse', 'refs/sase/review/feat').trim(), tip2);
  // an unreachable remote: refused, nothing recorded
  const { repo: r2 } = await setup();
  r2.git('remote', 'add', 'origin', join(r2.home, 'no-such-remote.git'));
  config(r2, '[review]\nremote = "origin"');
  const r = await sase(r2, 'cs-mail', ['feat']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: could not push 'sase\/cs\/feat' to 'origin' refs\/sase\/review\/feat: /);
  assert.match(storedChange(r2, 'feat')!, 'STATUS: Ready');
});

t(
  'github: push the branch, gh pr create with argument arrays, CL from the URL; a gh failure takes the push back',
  async () => {
    const { repo, tip } = await setup();
    const remote = withRemote(repo);
    config(repo, '[review]\nprovider = "github"\ntarget = "main"');
    const log = join(repo.home, 'gh.log');
    const env = {
      PATH: `${GH}:${repo.env.PATH}`,
      GH_STUB_LOG: log,
      GH_STUB_URL: 'https://github.com/acme/widgets/pull/42',
    };
    // gh fails: the remote branch is deleted again, the record unchanged
    const state = rev(repo, 'refs/sase/state');
    fails(
      await sase(repo, 'cs-mail', ['feat'], { env: { ...env, GH_STUB_FAIL: 'pr create' } }),
      1,
      "error: 'gh pr create' failed (exit 1): GraphQL: stub failure for 'pr create' (mergePullRequest)",
    );
    assert.is(remote.git('for-each-ref', 'refs/heads/sase').trim(), '', 'the push was taken back');
    assert.is(rev(repo, 'refs/sase/state'), state);
    const [c] = await ok(repo, 'cs-mail', ['feat'], { env });
    assert.is(c!.cl, 'github:acme/widgets#42');
    assert.is(c!.status, 'Mailed');
    assert.is(remote.git('rev-parse', 'refs/heads/sase/cs/feat').trim(), tip);
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(calls[calls.length - 1].args, [
      'pr',
      'create',
      '--base',
      'main',
      '--head',
      'sase/cs/feat',
      '--title',
      'Add the cache',
      '--body',
      'It keeps snapshots.',
    ]);
    assert.is(calls[calls.length - 1].cwd, repo.dir);
    // a stacked change gets its parent's branch as base; mailing again only pushes
    await ok(repo, 'cs-new', [
      'child',
      '--parent',
      'feat',
      '--description',
      'Child; $(touch pwned) `x`',
      '--status',
      'Ready',
    ]);
    commitOn(repo, 'sase/cs/child', { 'child.ts': 'c\n' }, 'Child');
    await ok(repo, 'cs-mail', ['child'], { env: { ...env, GH_STUB_URL: 'https://github.com/acme/widgets/pull/43' } });
    const last = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .pop();
    assert.equal(last.args, [
      'pr',
      'create',
      '--base',
      'sase/cs/feat',
      '--head',
      'sase/cs/child',
      '--title',
      'Child; $(touch pwned) `x`',
      '--body',
      '',
    ]);
    const before = readFileSync(log, 'utf8').trim().split('\n').length;
    const tip2 = commitOn(repo, 'sase/cs/feat', { 'cache.ts': 'z\n' }, 'More');
    const [again] = await ok(repo, 'cs-mail', ['feat'], { env });
    assert.is(again!.cl, 'github:acme/widgets#42');
    assert.is(remote.git('rev-parse', 'refs/heads/sase/cs/feat').trim(), tip2);
    assert.is(readFileSync(log, 'utf8').trim().split('\n').length, before, 'no second pull request');
  },
);

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-mail', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /Ready/);
});

t.run();
