import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('sdd-history');
const ME = 'author@example.com';
const at = (day: number) => `2026-01-0${day}T00:00:00Z`;
const on = (day: number) => ({ env: { SASE_NOW: at(day) } });
const PATH = 'sdd/epics/cache.md';

// an epic's life: stored, approved, its first phase claimed (the plan follows), finished by hand
const repo = await initedRepo();
await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', 'Cache', '--goal', 'fast reads'], on(1));
await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Other', '--goal', 'unrelated'], on(2));
const approved = await ok(repo, 'sdd-approve', ['cache'], on(3));
const epicBead = approved.find((r) => r.kind === 'bead' && r.issue_type === 'plan')!.id as string;
await ok(repo, 'bead-create', ['--title', 'not about the plan'], on(4));
await ok(repo, 'bead-claim', [`${epicBead}.1`, '--as', 'w1'], on(5));
await ok(repo, 'sdd-status', ['cache', 'done'], on(6));

/** The commit of the state ref whose operation ran on `day`. */
async function commitOn(day: number): Promise<string> {
  const log = await ok(repo, 'log');
  return log.find((e) => e.at === at(day))!.commit;
}

t('every version, newest first: the operation, who, when, the status it had and its blob', async () => {
  // through the real executable
  const versions = okBin(repo, 'sdd-history', ['cache']);
  assert.equal(
    versions.map((v) => [v.op, v.at, v.status]),
    [
      ['sdd.status', at(6), 'done'],
      ['bead.claim', at(5), 'in_progress'],
      ['sdd.approve', at(3), 'approved'],
      ['sdd.put', at(1), 'draft'],
    ],
  );
  for (const v of versions) {
    assert.is(v.v, 1);
    assert.is(v.kind, 'plan-version');
    assert.is(v.id, v.commit);
    assert.is(v.path, PATH);
    assert.is(v.actor, ME);
    assert.is(v.blob, repo.git('rev-parse', `${v.commit}:${PATH}`).trim());
    assert.not.ok('patch' in v);
  }
  assert.is(versions[3]!.commit, await commitOn(1));
  assert.is(versions[3]!.summary, 'sdd put sdd/epics/cache.md sdd/prompts/cache.md');
  assert.equal(await ok(repo, 'sdd-history', [PATH]), versions, 'a path names the same plan');
  assert.equal(await ok(repo, 'sdd-history', ['epics/cache']), versions);
});

t('a prompt by its path: its versions, without a status', async () => {
  const versions = await ok(repo, 'sdd-history', ['sdd/prompts/cache.md']);
  assert.equal(
    versions.map((v) => [v.op, v.status]),
    [['sdd.put', null]],
  );
});

t('--patch: the diff each version made, a first version from nothing', async () => {
  const versions = await ok(repo, 'sdd-history', ['cache', '--patch']);
  assert.is(versions.length, 4);
  const first = versions[3]!.patch as string;
  assert.match(first, /^diff --git a\/sdd\/epics\/cache.md b\/sdd\/epics\/cache.md\nnew file mode 100644\n/);
  assert.match(first, /\n--- \/dev\/null\n\+\+\+ b\/sdd\/epics\/cache.md\n@@ -0,0 \+1,\d+ @@\n\+---\n\+tier: epic\n/);
  const approve = versions[2]!.patch as string;
  assert.match(approve, /\n-status: draft\n\+status: approved\n/);
  assert.match(approve, /\n-bead: null\n\+bead: ts-/);
  assert.match(versions[1]!.patch, /\n-status: approved\n\+status: in_progress\n/);
  assert.match(versions[0]!.patch, /\n-status: in_progress\n\+status: done\n/);
  // each patch takes the version before it to this one
  for (let i = 0; i < 3; i++) {
    const expected = repo.git('diff-tree', '-p', versions[i + 1]!.commit, versions[i]!.commit, '--', PATH);
    assert.is(versions[i]!.patch, expected);
  }
});

t('on a terminal (--format text): a line a version, the diff under each with --patch; plain when piped', async () => {
  const r = await sase(repo, 'sdd-history', ['cache', '--format', 'text']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  const versions = await ok(repo, 'sdd-history', ['cache']);
  assert.is(r.stdout, versions.map((v) => `${v.commit.slice(0, 10)} ${v.at} ${ME} ${v.op} ${v.status}\n`).join(''));
  const p = await sase(repo, 'sdd-history', ['cache', '--format', 'text', '--patch']);
  assert.is(p.code, 0);
  assert.not.match(p.stdout, /\x1b\[/);
  const lines = p.stdout.split('\n');
  assert.is(lines[0], `${versions[0]!.commit.slice(0, 10)} ${at(6)} ${ME} sdd.status done`);
  assert.is(lines[1], 'diff --git a/sdd/epics/cache.md b/sdd/epics/cache.md');
  assert.ok(lines.includes('-status: in_progress') && lines.includes('+status: done'));
  assert.ok(lines.includes(`${versions[3]!.commit.slice(0, 10)} ${at(1)} ${ME} sdd.put draft`));
  const ids = await sase(repo, 'sdd-history', ['cache', '--format', 'id']);
  assert.is(ids.stdout, versions.map((v) => v.commit + '\n').join(''));
});

t('an unknown plan is not found; bad names and missing arguments are usage errors', async () => {
  const tip = repo.git('rev-parse', 'refs/sase/state');
  fails(await sase(repo, 'sdd-history', ['nope']), 4, "error: no plan 'nope'");
  fails(await sase(repo, 'sdd-history', ['sdd/epics/other.md']), 4, "error: no plan 'sdd/epics/other.md'");
  fails(
    await sase(repo, 'sdd-history', ['../x']),
    129,
    "error: '../x' is not a plan slug (lower-case letters and digits joined by single '-') or a path like sdd/epics/<slug>.md",
  );
  fails(await sase(repo, 'sdd-history', []), 129, 'error: missing <plan>');
  fails(await sase(repo, 'sdd-history', ['cache', 'other']), 129, "error: unexpected argument 'other'");
  const none = gitdir();
  fails(await sase(none, 'sdd-history', ['cache']), 4, "error: no plan 'cache'");
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip, 'reading changes nothing');
});

t('--help', async () => {
  const r = await sase(repo, 'sdd-history', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.startsWith('usage: sase-sdd-history [--patch] [--format <format>] [--json] <plan>\n'), r.stdout);
});

t.run();
