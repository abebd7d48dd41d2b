// COMMITS following a rewritten branch (core/changes/commits.ts). Rebase and
// submit used to carry two versions of this that disagreed when the rewrite
// dropped a commit (already on the new base): one kept the old, gone SHA, the
// other dropped the entry and numbered the rest again. The one version drops
// it, as sase-cs-rebase(1) says ("commits already on the new base are
// dropped"), for both.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { changeBead, remapCommits } from '../../src/core/changes/commits.ts';
import type { ChangeSpec, CommitEntry } from '../../src/core/changes/spec.ts';

const t = suite('change commits');

const entry = (n: number, sha: string, subject: string, bead: string | null = null): CommitEntry => ({
  n,
  sha,
  subject,
  bead,
});
const c = (sha: string, subject: string) => ({ sha, subject });

t('a rebase that keeps every commit: each entry follows its commit by position, beads kept', () => {
  const recorded = [entry(1, 'aaaa', 'one', 'ts-1'), entry(2, 'bbbb', 'two')];
  const before = [c('aaaa1111', 'one'), c('bbbb2222', 'two')];
  const after = [c('cccc3333', 'one'), c('dddd4444', 'two')];
  assert.equal(remapCommits(recorded, before, after), [
    entry(1, 'cccc3333', 'one', 'ts-1'),
    entry(2, 'dddd4444', 'two'),
  ]);
});

t('a commit the rewrite dropped (already on the new base) leaves COMMITS, and the rest are numbered again', () => {
  // the case where the two old versions differed: submit kept (1) with its old SHA
  const recorded = [entry(1, 'aaaa', 'landed upstream'), entry(2, 'bbbb', 'mine', 'ts-2')];
  const before = [c('aaaa1111', 'landed upstream'), c('bbbb2222', 'mine')];
  const after = [c('eeee5555', 'mine')];
  assert.equal(remapCommits(recorded, before, after), [entry(1, 'eeee5555', 'mine', 'ts-2')]);
});

t('with fewer commits after, entries are matched by subject, each new commit taken once', () => {
  const recorded = [entry(1, 'aaaa', 'fix'), entry(2, 'bbbb', 'drop me'), entry(3, 'cccc', 'fix')];
  const before = [c('aaaa', 'fix'), c('bbbb', 'drop me'), c('cccc', 'fix')];
  const after = [c('1111', 'fix'), c('2222', 'fix')];
  assert.equal(remapCommits(recorded, before, after), [entry(1, '1111', 'fix'), entry(2, '2222', 'fix')]);
});

t('an entry whose commit the old branch did not hold is kept as recorded', () => {
  const recorded = [entry(1, 'ffff', 'elsewhere'), entry(2, 'aaaa', 'one')];
  const before = [c('aaaa', 'one')];
  const after = [c('bbbb', 'one')];
  assert.equal(remapCommits(recorded, before, after), [entry(1, 'ffff', 'elsewhere'), entry(2, 'bbbb', 'one')]);
});

t('with the old commits unknown (a provider that cannot tell), COMMITS stay as they are', () => {
  const recorded = [entry(1, 'aaaa', 'one')];
  assert.equal(remapCommits(recorded, [], []), recorded);
  assert.equal(remapCommits(recorded, [], [c('bbbb', 'one')]), recorded);
});

t("a change's bead is the latest BEAD line of its TIMESTAMPS", () => {
  const change = {
    timestamps: [
      { at: '2026-01-01T00:00:00Z', event: 'BEAD ts-1' },
      { at: '2026-01-02T00:00:00Z', event: 'MAIL local:x at 0123' },
      { at: '2026-01-03T00:00:00Z', event: 'BEAD ts-2' },
    ],
  } as ChangeSpec;
  assert.is(changeBead(change), 'ts-2');
  assert.is(changeBead({ timestamps: [] } as unknown as ChangeSpec), null);
});

t.run();
