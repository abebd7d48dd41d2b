import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, sase, saseProcess } from '../helpers/run.ts';
import { DIAMOND, epicText, stored, taleText, writtenPlanArgs } from '../helpers/sdd.ts';

const t = suite('sdd-approve');

const ids = (records: Record<string, any>[]) => records.map((r) => r.id);
const commits = (repo: TestRepo) => Number(repo.git('rev-list', '--count', 'refs/sase/state').trim());

async function putPlan(repo: TestRepo, file: string, text: string): Promise<void> {
  repo.write(file, text);
  await ok(repo, 'sdd-put', [file]);
}

/** Writes a file into the state ref directly, as a hand edit or another tool would. */
function forceStore(repo: TestRepo, path: string, text: string): void {
  repo.write('.forced', text);
  const blob = repo.git('hash-object', '-w', '.forced').trim();
  const env = { ...repo.env, GIT_INDEX_FILE: `${repo.dir}/.git/forced-index` };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, env, encoding: 'utf8' });
  git('read-tree', 'refs/sase/state');
  git('update-index', '--add', '--cacheinfo', `100644,${blob},${path}`);
  const tree = git('write-tree').trim();
  const commit = git('commit-tree', tree, '-p', 'refs/sase/state', '-m', 'hand edit').trim();
  git('update-ref', 'refs/sase/state', commit);
}

t('an epic of 12 phases in a diamond: its beads and edges, then ready releases the waves', async () => {
  const repo = await initedRepo();
  await putPlan(repo, 'diamond.md', epicText('Diamond', DIAMOND));
  const before = commits(repo);
  const beads = await ok(repo, 'sdd-approve', ['diamond']);
  assert.is(commits(repo), before + 1, 'one commit');
  const [epic, ...phases] = beads;
  assert.is(epic!.issue_type, 'plan');
  assert.is(epic!.tier, 'epic');
  assert.is(epic!.design, 'sdd/epics/diamond.md');
  assert.is(phases.length, 12);
  const idOf = new Map(DIAMOND.map((p, i) => [p.id, `${epic!.id}.${i + 1}`]));
  DIAMOND.forEach((p, i) => {
    const b = phases[i]!;
    assert.is(b.id, idOf.get(p.id));
    assert.is(b.issue_type, 'phase');
    assert.is(b.parent_id, epic!.id);
    assert.is(b.title, `Phase ${p.id}`);
    assert.is(b.size, 'small');
    assert.equal(
      b.dependencies.map((d: any) => d.depends_on_id).sort(),
      (p.depends_on ?? []).map((d) => idOf.get(d)).sort(),
    );
  });
  const plan = stored(repo, 'sdd/epics/diamond.md')!;
  assert.match(plan, /\nstatus: approved\n/);
  assert.match(plan, new RegExp(`\\nbead: ${epic!.id}\\n`));
  const ready = async () => ids(await ok(repo, 'bead-ready')).sort();
  const wave = (...names: string[]) => names.map((n) => idOf.get(n)!).sort();
  assert.equal(await ready(), wave('a', 'h'), 'exactly the root phases');
  await ok(repo, 'bead-close', [idOf.get('a')!]);
  assert.equal(await ready(), wave('b1', 'b2', 'b3', 'h'));
  await ok(repo, 'bead-close', wave('b1', 'b2'));
  assert.equal(await ready(), wave('b3', 'h'), 'c waits for all three');
  await ok(repo, 'bead-close', wave('b3'));
  assert.equal(await ready(), wave('c', 'h'));
  await ok(repo, 'bead-close', wave('c'));
  assert.equal(await ready(), wave('d1', 'd2', 'h'));
  await ok(repo, 'fsck');
});

t('approving again is a no-op that reports the same beads', async () => {
  const repo = await initedRepo();
  await putPlan(repo, 'e.md', epicText('Twice', [{ id: 'one' }, { id: 'two', depends_on: ['one'] }]));
  const first = ids(await ok(repo, 'sdd-approve', ['twice']));
  const tip = repo.git('rev-parse', 'refs/sase/state');
  const again = ids(await ok(repo, 'sdd-approve', ['sdd/epics/twice.md']));
  assert.equal(again, first);
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip, 'nothing committed');
  assert.is(first.length, 3);
});

t('two approvals racing make one set of beads', async () => {
  const repo = await initedRepo();
  await putPlan(
    repo,
    'e.md',
    epicText('Race', [{ id: 'one' }, { id: 'two' }, { id: 'three', depends_on: ['one', 'two'] }]),
  );
  const before = commits(repo);
  const runs = await Promise.all([1, 2, 3].map(() => saseProcess(repo, 'sdd-approve', ['race'])));
  for (const r of runs) assert.is(r.code, 0, r.stderr);
  const sets = runs.map((r) => r.records.map((b) => b.id).join(' '));
  assert.is(new Set(sets).size, 1, 'every process reports the same beads');
  assert.is(commits(repo), before + 1, 'one approval commit');
  assert.is((await ok(repo, 'bead-list', ['--status', 'all'])).length, 4);
});

t('a tale gets one plan bead; a legend its bead and draft epics, whose beads become its children', async () => {
  const repo = await initedRepo();
  await putPlan(repo, 't.md', taleText('Small fix'));
  const [tale] = await ok(repo, 'sdd-approve', ['small-fix']);
  assert.is(tale!.issue_type, 'plan');
  assert.is(tale!.tier, 'plan');
  assert.is(tale!.size, 'small');
  assert.equal(ids(await ok(repo, 'bead-ready')), [tale!.id], 'a tale is ready work');

  await putPlan(repo, 'x.md', epicText('Existing', [{ id: 'only' }]));
  const [existing] = await ok(repo, 'sdd-approve', ['existing']);
  await ok(repo, 'sdd-new', [
    '--tier',
    'legend',
    '--title',
    'Saga',
    '--goal',
    'g',
    '--epic',
    'existing,later-one',
    ...writtenPlanArgs(repo, 'legend'),
  ]);
  const [legend] = await ok(repo, 'sdd-approve', ['saga']);
  assert.is(legend!.tier, 'legend');
  const draft = stored(repo, 'sdd/epics/later-one.md')!;
  assert.match(draft, /\nstatus: draft\n/, 'a missing epic is created as a draft plan');
  const moved = (await ok(repo, 'bead-show', [existing!.id]))[0]!;
  assert.is(moved.parent_id, legend!.id, "an approved epic's bead moves under the legend");
  // the draft holds placeholders: written first, then approved
  fails(
    await sase(repo, 'sdd-approve', ['later-one']),
    1,
    "sdd/epics/later-one.md:11: error: phase 'plan' is a placeholder ('Write the phases of Later one'): write the real phases [placeholder]",
  );
  await putPlan(repo, 'l.md', draft.replace('Write the phases of Later one', 'Build it').replace(/^TODO$/gm, 'Done.'));
  const [later, phase] = await ok(repo, 'sdd-approve', ['later-one']);
  assert.is(later!.id, `${legend!.id}.1`, 'an epic approved later is a child of the legend');
  assert.is(phase!.id, `${legend!.id}.1.1`);
  await ok(repo, 'sdd-validate');
  await ok(repo, 'fsck');
});

t('the skeleton of sdd new holds placeholders: approval refuses it, naming each; written, it is approved', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', 'Skeleton', '--goal', 'g']);
  await ok(repo, 'sdd-new', [
    '--tier',
    'legend',
    '--title',
    'Big saga',
    '--goal',
    'g',
    ...writtenPlanArgs(repo, 'legend'),
  ]);
  const tip = repo.git('rev-parse', 'refs/sase/state');
  // it used to be approved, making a bead called 'Name the first phase'
  const r = await sase(repo, 'sdd-approve', ['skeleton']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.equal(r.stderr.split('\n'), [
    "sdd/epics/skeleton.md:11: error: phase 'first-phase' is a placeholder ('Name the first phase'): write the real phases [placeholder]",
    "sdd/epics/skeleton.md:23: error: section 'Approach' still says TODO [placeholder]",
    "sdd/epics/skeleton.md:27: error: section 'Phases' still says TODO [placeholder]",
    "sdd/epics/skeleton.md:31: error: section 'Verification' still says TODO [placeholder]",
    "error: plan 'sdd/epics/skeleton.md' still holds placeholders; nothing approved",
    "hint: write them with 'sase sdd edit sdd/epics/skeleton.md'",
    '',
  ]);
  fails(
    await sase(repo, 'sdd-approve', ['big-saga']),
    1,
    "sdd/legends/big-saga.md:11: error: epic 'first-epic' is a placeholder: name the epics the legend coordinates [placeholder]",
  );
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip, 'nothing approved');
  assert.equal(await ok(repo, 'bead-list', ['--status', 'all']), []);
  // --phase names the phases at once; with a written body nothing is left to fill in
  await ok(repo, 'sdd-new', [
    '--tier',
    'epic',
    '--title',
    'Named',
    '--goal',
    'g',
    '--phase',
    'Store the cache',
    '--phase',
    'Read it',
    ...writtenPlanArgs(repo, 'tale'),
  ]);
  const beads = await ok(repo, 'sdd-approve', ['named']);
  assert.equal(
    beads.map((b) => b.title),
    ['Named', 'Store the cache', 'Read it'],
  );
});

t('a plan that does not validate is refused; unknown plans are not found', async () => {
  const repo = await initedRepo();
  forceStore(repo, 'sdd/epics/bad.md', epicText('Bad', [{ id: 'a', depends_on: ['b'] }, { id: 'b' }]));
  const tip = repo.git('rev-parse', 'refs/sase/state');
  const r = await sase(repo, 'sdd-approve', ['bad']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /sdd\/epics\/bad.md:\d+: error: .*\[dep-forward\]/);
  assert.match(r.stderr, /error: plan 'sdd\/epics\/bad.md' does not validate; nothing approved/);
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip);
  fails(await sase(repo, 'sdd-approve', ['nope']), 4, "error: no plan 'nope'");
  fails(
    await sase(repo, 'sdd-approve', ['../x']),
    129,
    "error: '../x' is not a plan slug (lower-case letters and digits joined by single '-') or a path like sdd/epics/<slug>.md",
  );
  fails(await sase(repo, 'sdd-approve', []), 129, 'error: missing <plan>');
});

t.run();
