import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { assertFsckOk, commitCount, fsck, stateTip } from '../helpers/state.ts';

const t = suite('bead-dep-satisfy');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const ME = 'author@example.com';
const EXT = 'external:gastown:gt-5kjn';

// bd records: one waits on another project, one on a bead the export left out, one on a parent it left out
const repo = await initedRepo();
const blocks = (target: string) => ({ depends_on_id: target, type: 'blocks', created_at: T0 });
const input = [
  { id: 'bd-ext1', title: 'waits on gastown', created_at: T0, dependencies: [blocks(EXT)] },
  { id: 'bd-gone1', title: 'waits on a wisp', created_at: T0, dependencies: [blocks('bd-wisp-x1')] },
  { id: 'bd-kid1', title: 'child of a wisp', created_at: T0, parent: 'bd-wisp-p1' },
  {
    id: 'bd-both1',
    title: 'both',
    created_at: T0,
    parent: 'bd-wisp-p2',
    dependencies: [blocks(EXT), blocks('bd-ext1')],
  },
];
const imported = await sase(repo, 'bead-import', [], { input: input.map((r) => JSON.stringify(r)).join('\n') });
assert.is(imported.code, 0, imported.stderr);
const ready = async () => (await ok(repo, 'bead-ready')).map((b) => b.id);
const blockedBy = async () => Object.fromEntries((await ok(repo, 'bead-blocked')).map((b) => [b.id, b.blocked_by]));

t('before: each waits on what sase cannot see', async () => {
  assert.equal(await ready(), []);
  assert.equal(await blockedBy(), {
    'bd-both1': [EXT, 'bd-ext1', 'bd-wisp-p2'],
    'bd-ext1': [EXT],
    'bd-gone1': ['bd-wisp-x1'],
    'bd-kid1': ['bd-wisp-p1'],
  });
  await assertFsckOk(repo);
});

t('marks an external reference satisfied, in one commit: the bead is ready', async () => {
  const before = commitCount(repo);
  // through the real executable
  const [r, ...rest] = okBin(repo, 'bead-dep-satisfy', ['ext1', EXT], { env: { SASE_NOW: T1 } });
  assert.is(rest.length, 0);
  assert.is(r!.id, 'bd-ext1');
  assert.equal(r!.satisfied, [{ ref: EXT, satisfied_at: T1, satisfied_by: ME }]);
  assert.is(r!.updated_at, T1);
  assert.is(r!.blocked, false);
  assert.is(commitCount(repo), before + 1);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: dep satisfy bd-ext1 -> ${EXT}`);
  assert.equal(await ready(), ['bd-ext1']);
  // the mark is the bead's own: another bead waiting on the same reference still waits
  assert.equal((await blockedBy())['bd-both1'], [EXT, 'bd-ext1', 'bd-wisp-p2']);
});

t('a missing bead and a missing parent; --all marks every blocker sase cannot see', async () => {
  await ok(repo, 'bead-dep-satisfy', ['bd-gone1', 'bd-wisp-x1']);
  await ok(repo, 'bead-dep-satisfy', ['bd-kid1', 'bd-wisp-p1']);
  const [both] = await ok(repo, 'bead-dep-satisfy', ['bd-both1', '--all']);
  assert.equal(
    both!.satisfied.map((s: any) => s.ref),
    ['bd-wisp-p2', EXT],
  );
  assert.equal(both!.missing, ['bd-wisp-p2'], 'what was missing stays recorded');
  // what is left is a bead of this repository: closing it is what releases bd-both1
  assert.equal(await ready(), ['bd-ext1', 'bd-gone1', 'bd-kid1']);
  assert.equal(await blockedBy(), { 'bd-both1': ['bd-ext1'] });
  const [shown] = await ok(repo, 'bead-show', ['bd-both1']);
  assert.equal(shown!.open_blockers, ['bd-ext1']);
  const res = await assertFsckOk(repo);
  assert.is(res.summary.warnings, 0, 'satisfied references are not mentioned');
});

t('--undo takes the mark back: the bead waits again; marking again changes nothing', async () => {
  const [r] = await ok(repo, 'bead-dep-satisfy', ['bd-ext1', EXT, '--undo']);
  assert.equal(r!.satisfied, []);
  assert.is(r!.blocked, true);
  assert.equal((await blockedBy())['bd-ext1'], [EXT]);
  assert.not.ok((await ready()).includes('bd-ext1'));
  await ok(repo, 'bead-dep-satisfy', ['bd-ext1', EXT]);
  const tip = stateTip(repo);
  const again = await sase(repo, 'bead-dep-satisfy', ['bd-ext1', EXT]);
  assert.is(again.code, 0);
  assert.is(stateTip(repo), tip);
  // the log replays, the new operation included
  assert.equal((await fsck(repo)).problems, []);
});

t('--format text shows the card of a satisfied and an unsatisfied blocker', async () => {
  await ok(repo, 'bead-dep-satisfy', ['bd-both1', EXT, '--undo']);
  const r = await sase(repo, 'bead-show', ['bd-both1', '--format', 'text']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^parent: {5}bd-wisp-p2 missing \(satisfied\)$/m);
  assert.match(r.stdout, /^ {2}external:gastown:gt-5kjn external \(blocks until satisfied\)$/m);
});

t('refused: a stored bead (close it instead), a ref the bead does not name, no ref at all', async () => {
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'bead-dep-satisfy', ['bd-both1', 'bd-ext1']),
    1,
    "error: 'bd-ext1' is a bead of this repository: it stops blocking 'bd-both1' when it is closed",
  );
  fails(
    await sase(repo, 'bead-dep-satisfy', ['bd-both1', 'external:other:thing']),
    4,
    "error: 'bd-both1' neither depends on 'external:other:thing' nor has it as its parent",
  );
  fails(await sase(repo, 'bead-dep-satisfy', ['bd-nope', EXT]), 4, "error: no bead 'bd-nope'");
  fails(await sase(repo, 'bead-dep-satisfy', ['bd-both1']), 129, 'error: name the blockers to mark, or give --all');
  assert.is(stateTip(repo), tip);
});

t.run();
