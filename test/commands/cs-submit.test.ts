import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn, storedChange } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, ROOT, sase } from '../helpers/run.ts';

const t = suite('cs-submit');
const NOW = { SASE_NOW: '2026-11-25T10:00:00Z' };
const GH = join(ROOT, 'test', 'fixtures', 'gh');

const rev = (repo: TestRepo, ref: string) => {
  try {
    return repo.git('rev-parse', '--verify', '-q', ref).trim();
  } catch {
    return null;
  }
};
const subjects = (repo: TestRepo, range: string) =>
  repo.git('log', '--format=%s', range).trim().split('\n').filter(Boolean);
const cleanTree = (repo: TestRepo) => repo.git('status', '--porcelain', '--untracked-files=no').trim();

/** Commits on main through the work tree (main is checked out there). */
function commitOnMain(repo: TestRepo, path: string, content: string, message: string): string {
  repo.write(path, content);
  repo.git('add', path);
  repo.git('commit', '-q', '-m', message);
  return rev(repo, 'main')!;
}

/** A Mailed change 'feat' with one recorded commit (and its own children, when asked for). */
async function mailed(
  repo: TestRepo,
  name: string,
  files: Record<string, string>,
  opts: { parent?: string } = {},
): Promise<string> {
  await ok(
    repo,
    'cs-new',
    [name, '--description', `Change ${name}`, '--status', 'Ready', ...(opts.parent ? ['--parent', opts.parent] : [])],
    { env: NOW },
  );
  const tip = commitOn(repo, `sase/cs/${name}`, files, `Commit of ${name}`);
  await ok(repo, 'cs-commit', [name]);
  await ok(repo, 'cs-mail', [name]);
  return tip;
}

/** Everything a failed submit must leave alone. */
function snapshot(repo: TestRepo): string {
  return [
    repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/sase'),
    cleanTree(repo),
    repo.git('rev-parse', 'HEAD'),
    repo.git('worktree', 'list', '--porcelain'),
  ].join('\n');
}

t(
  'a change on main fast-forwards the checked-out main with git merge --ff-only: work tree follows, Submitted',
  async () => {
    const repo = await initedRepo();
    const tip = await mailed(repo, 'feat', { 'cache.ts': 'cache\n' });
    // through the real executable
    const [c] = okBin(repo, 'cs-submit', ['feat'], { env: NOW });
    assert.is(c!.status, 'Submitted');
    assert.is(rev(repo, 'main'), tip);
    assert.is(readFileSync(join(repo.dir, 'cache.ts'), 'utf8'), 'cache\n', 'the work tree follows');
    assert.is(cleanTree(repo), '');
    const text = storedChange(repo, 'feat')!;
    assert.match(text, 'STATUS: Submitted');
    assert.match(text, 'STATUS Mailed -> Submitted');
    assert.match(text, `SUBMIT ${rev(repo, 'main~1')}..${tip} to main`);
    assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), /"op":"cs.submit"/);
    fails(
      await sase(repo, 'cs-submit', ['feat']),
      1,
      "error: change 'feat' is Submitted, not Mailed: only a mailed change is submitted",
    );
    await ok(repo, 'fsck');
  },
);

t(
  'main moved on: the change is rebased in a temporary worktree, main fast-forwarded with CAS (not checked out), COMMITS and notes follow',
  async () => {
    const repo = await initedRepo();
    const old = await mailed(repo, 'feat', { 'cache.ts': 'cache\n' });
    const main1 = commitOnMain(repo, 'other.ts', 'other\n', 'Other work');
    repo.git('checkout', '-q', '--detach');
    const [c] = await ok(repo, 'cs-submit', ['feat']);
    const main2 = rev(repo, 'main')!;
    assert.is(rev(repo, 'main~1'), main1, 'a fast-forward of main');
    assert.equal(subjects(repo, `${main1}..main`), ['Commit of feat']);
    assert.is.not(main2, old);
    assert.is(rev(repo, 'sase/cs/feat'), main2, "the change's branch holds what landed");
    assert.is(c!.commits[0].sha, main2);
    assert.match(repo.git('notes', '--ref=sase', 'show', main2), '"changespec":"feat"');
    assert.equal(
      repo
        .git('worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')).length,
      1,
      'no worktree left',
    );
  },
);

t(
  'refusals change nothing: not Mailed, parent not submitted, failing hook, open comments, conflict, dirty main',
  async () => {
    const repo = await initedRepo();
    await ok(repo, 'cs-new', ['draft', '--description', 'Draft', '--status', 'Ready']);
    fails(
      await sase(repo, 'cs-submit', ['draft']),
      1,
      "error: change 'draft' is Ready, not Mailed: only a mailed change is submitted",
    );
    await mailed(repo, 'feat', { 'cache.ts': 'cache\n' });
    await mailed(repo, 'kid', { 'kid.ts': 'kid\n' }, { parent: 'feat' });
    fails(
      await sase(repo, 'cs-submit', ['kid']),
      1,
      "error: change 'kid' stacks on 'feat', which is Mailed: submit 'feat' first",
    );
    await ok(repo, 'cs-hook-add', ['feat', 'test -f cache.ts']);
    await ok(repo, 'cs-hook-add', ['feat', 'false']);
    await ok(repo, 'cs-hook-add', ['feat', '!false']);
    assert.is((await sase(repo, 'cs-hook-run', ['feat'])).code, 1);
    await ok(repo, 'cs-comment', ['feat', '--path', 'cache.ts', '--line', '1', '--text', 'Name it better']);
    const before = snapshot(repo);
    const state = rev(repo, 'refs/sase/state');
    const r = await sase(repo, 'cs-submit', ['feat']);
    fails(
      r,
      1,
      "error: change 'feat' cannot be submitted: hook 'false' FAILED on commit (1); 1 unresolved comment (feat#1)",
    );
    assert.match(r.stderr, 'hint: fix those, or give --force to submit anyway');
    // a conflict with main
    commitOnMain(repo, 'cache.ts', 'main version\n', 'Main has a cache too');
    const before2 = snapshot(repo);
    fails(
      await sase(repo, 'cs-submit', ['feat', '--force']),
      1,
      "error: change 'feat' does not apply on 'main': conflict in cache.ts",
    );
    assert.is(snapshot(repo), before2);
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    assert.is(snapshot(repo), before);
    // main checked out with local changes
    repo.write('README', 'edited\n');
    fails(
      await sase(repo, 'cs-submit', ['feat', '--force']),
      1,
      `error: 'main' is checked out in '${repo.git('rev-parse', '--show-toplevel').trim()}' with local changes (README)`,
    );
    repo.git('checkout', '-q', '--', 'README');
    assert.is(snapshot(repo), before);
    assert.is(rev(repo, 'refs/sase/state'), state, 'no record changed');
    // --force overrides the hooks and comments, says so, and logs it
    const f = await sase(repo, 'cs-submit', ['feat', '--force']);
    assert.is(f.code, 0, f.stderr);
    assert.match(
      f.stderr,
      "warning: --force overrode: hook 'false' FAILED on commit (1)\nwarning: --force overrode: 1 unresolved comment (feat#1)\n",
    );
    assert.equal(f.records[0]!.overridden, ["hook 'false' FAILED on commit (1)", '1 unresolved comment (feat#1)']);
    assert.match(storedChange(repo, 'feat')!, "FORCE hook 'false' FAILED on commit (1); 1 unresolved comment (feat#1)");
  },
);

t(
  'a stack of three: hooks, comments, mail, submit the bottom one; the others are rebased onto the new main',
  async () => {
    const repo = await initedRepo();
    // new, commits on each, recorded
    const a = await mailed(repo, 'base_store', { 'store.ts': 'store\n' });
    await ok(repo, 'cs-new', ['mid_query', '--parent', 'base_store', '--description', 'Query', '--status', 'Ready']);
    const b = commitOn(repo, 'sase/cs/mid_query', { 'query.ts': 'query\n' }, 'Query');
    await ok(repo, 'cs-commit', ['mid_query']);
    assert.is((await ok(repo, 'cs-show', ['mid_query', '--json']))[0]!.commits[0].sha, b);
    await ok(repo, 'cs-new', ['top_cli', '--parent', 'mid_query', '--description', 'CLI', '--status', 'Ready']);
    const c = commitOn(repo, 'sase/cs/top_cli', { 'cli.ts': 'cli\n' }, 'CLI');
    await ok(repo, 'cs-commit', ['top_cli']);
    assert.is((await ok(repo, 'cs-show', ['top_cli', '--json']))[0]!.commits[0].sha, c);
    // hooks: one passing, one failing but not blocking
    await ok(repo, 'cs-hook-add', ['base_store', 'test -f store.ts']);
    await ok(repo, 'cs-hook-add', ['base_store', '!test -f nothing.ts']);
    assert.is((await sase(repo, 'cs-hook-run', ['base_store'])).code, 0);
    assert.match(storedChange(repo, 'base_store')!, /HOOKS:\n {2}test -f store.ts\n {6}\| \(1\) \[[^\]]+\] PASSED/);
    // comments added and resolved
    await ok(repo, 'cs-comment', ['base_store', '--path', 'store.ts', '--text', 'Why a store?']);
    assert.is((await sase(repo, 'cs-submit', ['base_store'])).code, 1);
    await ok(repo, 'cs-resolve', ['base_store', '1']);
    // mail the others
    await ok(repo, 'cs-mail', ['mid_query']);
    await ok(repo, 'cs-mail', ['top_cli']);
    assert.is(rev(repo, 'refs/sase/review/top_cli'), c);
    // main moves on, then the bottom one is submitted
    const m1 = commitOnMain(repo, 'docs.md', 'docs\n', 'Docs');
    const [s] = await ok(repo, 'cs-submit', ['base_store'], { env: NOW });
    assert.equal(s!.restacked, [
      { name: 'mid_query', rebased: true, onto: 'main', reason: null },
      { name: 'top_cli', rebased: true, onto: 'sase/cs/mid_query', reason: null },
    ]);
    const main = rev(repo, 'main')!;
    assert.equal(subjects(repo, `${m1}..main`), ['Commit of base_store']);
    assert.is.not(main, a);
    assert.is(rev(repo, 'sase/cs/base_store'), main);
    assert.is(cleanTree(repo), '');
    // the children: PARENT cleared for the direct one, branches rebased, COMMITS follow
    assert.equal(subjects(repo, 'main..sase/cs/mid_query'), ['Query']);
    assert.is(rev(repo, 'sase/cs/mid_query~1'), main);
    assert.equal(subjects(repo, 'sase/cs/mid_query..sase/cs/top_cli'), ['CLI']);
    assert.is(rev(repo, 'sase/cs/top_cli~1'), rev(repo, 'sase/cs/mid_query'));
    const [mid] = await ok(repo, 'cs-show', ['mid_query', '--json']);
    assert.is(mid!.parent, null);
    assert.is(mid!.status, 'Mailed');
    assert.is(mid!.commits[0].sha, rev(repo, 'sase/cs/mid_query'));
    assert.match(
      storedChange(repo, 'mid_query')!,
      `PARENT base_store -> none (base_store submitted to main)\n  [2026-11-25T10:00:00Z] REBASE onto main at ${rev(repo, 'sase/cs/mid_query')!.slice(0, 12)}`,
    );
    const [top] = await ok(repo, 'cs-show', ['top_cli', '--json']);
    assert.is(top!.parent, 'mid_query');
    assert.is(top!.commits[0].sha, rev(repo, 'sase/cs/top_cli'));
    // the next one submits on top
    await ok(repo, 'cs-submit', ['mid_query']);
    assert.equal(subjects(repo, `${m1}..main`), ['Query', 'Commit of base_store']);
    assert.is((await ok(repo, 'cs-show', ['top_cli', '--json']))[0]!.parent, null);
    await ok(repo, 'fsck');
  },
);

t('a child that conflicts keeps its branch: a warning, exit 0, its PARENT cleared', async () => {
  const repo = await initedRepo();
  await mailed(repo, 'feat', { 'a.ts': 'a\n' });
  await ok(repo, 'cs-new', ['kid', '--parent', 'feat', '--description', 'Kid', '--status', 'Ready']);
  const kid = commitOn(repo, 'sase/cs/kid', { 'shared.ts': 'kid\n' }, 'Kid');
  commitOnMain(repo, 'shared.ts', 'main\n', 'Main touches shared');
  const r = await sase(repo, 'cs-submit', ['feat']);
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    "warning: change 'kid' was not rebased onto 'main': conflict in shared.ts (run 'sase cs rebase kid')",
  );
  assert.is(rev(repo, 'sase/cs/kid'), kid, 'the branch stays');
  assert.equal(r.records[0]!.restacked, [
    { name: 'kid', rebased: false, onto: 'main', reason: 'conflict in shared.ts' },
  ]);
  assert.is((await ok(repo, 'cs-show', ['kid', '--json']))[0]!.parent, null);
  assert.equal(
    repo
      .git('worktree', 'list', '--porcelain')
      .split('\n')
      .filter((l) => l.startsWith('worktree ')).length,
    1,
  );
});

t('github: gh pr merge --rebase pinned to the mailed head; a gh failure changes nothing', async () => {
  const repo = await initedRepo();
  const remote = gitdir({ bare: true, name: 'remote.git' });
  repo.git('remote', 'add', 'origin', remote.dir);
  appendFileSync(join(repo.dir, '.sase', 'config.toml'), '\n[review]\nprovider = "github"\n');
  const log = join(repo.home, 'gh.log');
  const env = { PATH: `${GH}:${repo.env.PATH}`, GH_STUB_LOG: log };
  await ok(repo, 'cs-new', ['feat', '--description', 'Feat', '--status', 'Ready']);
  const tip = commitOn(repo, 'sase/cs/feat', { 'f.ts': 'f\n' }, 'Feat');
  await ok(repo, 'cs-mail', ['feat'], { env });
  await ok(repo, 'cs-new', ['kid', '--parent', 'feat', '--description', 'Kid']);
  const before = snapshot(repo);
  const main = rev(repo, 'main');
  const state = rev(repo, 'refs/sase/state');
  fails(
    await sase(repo, 'cs-submit', ['feat'], { env: { ...env, GH_STUB_FAIL: 'pr merge' } }),
    1,
    "error: 'gh pr merge' failed (exit 1): GraphQL: stub failure for 'pr merge' (mergePullRequest)",
  );
  assert.is(snapshot(repo), before);
  assert.is(rev(repo, 'refs/sase/state'), state);
  const r = await sase(repo, 'cs-submit', ['feat'], { env });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.records[0]!.status, 'Submitted');
  assert.match(
    r.stderr,
    "warning: change 'kid' was not rebased onto 'main': its branch stays: fetch 'main', then 'sase cs rebase kid'",
  );
  const last = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .pop();
  assert.equal(last.args, ['pr', 'merge', '7', '--repo', 'acme/widgets', '--rebase', '--match-head-commit', tip]);
  assert.is(rev(repo, 'main'), main, 'the merge happened on GitHub; the local main is not touched');
  assert.match(storedChange(repo, 'feat')!, `SUBMIT github:acme/widgets#7 merged by rebase at ${tip.slice(0, 12)}`);
  assert.is((await ok(repo, 'cs-show', ['kid', '--json']))[0]!.parent, null);
  // reverting is GitHub's
  fails(
    await sase(repo, 'cs-revert', ['feat']),
    1,
    "error: change 'feat' was submitted on GitHub (github:acme/widgets#7): revert a GitHub change on GitHub",
  );
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-submit', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--force/);
});

t.run();
