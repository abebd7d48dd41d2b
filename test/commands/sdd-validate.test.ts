import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DIAGNOSTIC_CODES } from '../../src/core/sdd/diagnostics.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, ROOT, sase } from '../helpers/run.ts';
import { epicText, stored, taleText } from '../helpers/sdd.ts';
import { approvedEpic } from '../helpers/sdd-plans.ts';
import { stateTip, writeStateCommit } from '../helpers/state.ts';

const t = suite('sdd-validate');
const codes = (records: Record<string, any>[]) => records.map((r) => r.code);

async function repoWithPlans(): Promise<TestRepo> {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Small fix', '--goal', 'g']);
  await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', 'Big work', '--goal', 'g']);
  return repo;
}

/** Writes files into the state ref by hand, as another tool or a bad merge would. */
function handEdit(repo: TestRepo, files: Record<string, string | null>): void {
  writeStateCommit(repo, files, 'hand edit\n');
}

t('a clean store: exit 0, no records; on a terminal-like text format, "ok: N files"', async () => {
  const repo = await repoWithPlans();
  // through the real executable
  assert.equal(okBin(repo, 'sdd-validate'), []);
  const r = await sase(repo, 'sdd-validate', ['--format', 'text']);
  assert.is(r.code, 0);
  assert.is(r.stdout, '');
  assert.is(r.stderr, 'ok: 4 files\n', 'two plans and their prompts');
});

t('an empty store is valid', async () => {
  const repo = await initedRepo();
  assert.equal(await ok(repo, 'sdd-validate'), []);
});

t('findings as NDJSON diagnostics; as lines and a summary in text; exit 1', async () => {
  const repo = await repoWithPlans();
  handEdit(repo, {
    'sdd/tales/small-fix.md': stored(repo, 'sdd/tales/small-fix.md')!.replace(
      'size: null',
      'size: huge\npriority: high',
    ),
  });
  const r = await sase(repo, 'sdd-validate');
  assert.is(r.code, 1);
  assert.equal(r.records, [
    {
      v: 1,
      kind: 'diagnostic',
      code: 'unknown-key',
      severity: 'error',
      path: 'sdd/tales/small-fix.md',
      line: 12,
      message:
        "unknown key 'priority' (known: tier, title, goal, slug, status, created_at, prompt, bead, model, and size, phases or epics by tier)",
    },
    {
      v: 1,
      kind: 'diagnostic',
      code: 'size-invalid',
      severity: 'error',
      path: 'sdd/tales/small-fix.md',
      line: 11,
      message: '\'size\' is "huge"; expected one of xsmall, small, medium, large, xlarge',
    },
  ]);
  const text = await sase(repo, 'sdd-validate', ['--format', 'text']);
  assert.is(text.code, 1);
  assert.equal(text.stdout.split('\n'), [
    "sdd/tales/small-fix.md:12: error: unknown key 'priority' (known: tier, title, goal, slug, status, created_at, prompt, bead, model, and size, phases or epics by tier) [unknown-key]",
    'sdd/tales/small-fix.md:11: error: \'size\' is "huge"; expected one of xsmall, small, medium, large, xlarge [size-invalid]',
    '',
  ]);
  assert.is(text.stderr, '2 errors in 1 file\n');
  assert.is(
    (await sase(repo, 'sdd-validate', ['--format', 'id'])).stdout,
    'sdd/tales/small-fix.md\n',
    'the files with findings',
  );
});

// the codes only a store can show (the single-file ones are in test/core/sdd-plan.test.ts)
t('store findings: tier-mismatch, slug-mismatch, link-broken, link-one-way, bead-missing', async () => {
  const repo = await repoWithPlans();
  const tale = stored(repo, 'sdd/tales/small-fix.md')!;
  const epic = stored(repo, 'sdd/epics/big-work.md')!;
  const prompt = stored(repo, 'sdd/prompts/small-fix.md')!;
  const only = async (files: Record<string, string | null>, expect: string[], where: string) => {
    const r = await sase(repo, 'sdd-validate');
    assert.equal(codes(r.records), expect, `${where}: ${r.stdout}`);
    assert.is(r.code, 1);
    handEdit(repo, files); // put it back
    assert.equal(await ok(repo, 'sdd-validate'), [], `${where}: clean again`);
  };
  handEdit(repo, { 'sdd/tales/small-fix.md': null, 'sdd/epics/small-fix.md': tale });
  await only(
    { 'sdd/epics/small-fix.md': null, 'sdd/tales/small-fix.md': tale },
    ['tier-mismatch', 'link-one-way', 'link-broken'],
    'a tale among the epics',
  );

  handEdit(repo, { 'sdd/tales/small-fix.md': tale.replace('slug: small-fix', 'slug: other-fix') });
  await only({ 'sdd/tales/small-fix.md': tale }, ['slug-mismatch'], 'a file not named by its slug');

  handEdit(repo, { 'sdd/prompts/small-fix.md': null });
  await only({ 'sdd/prompts/small-fix.md': prompt }, ['link-broken'], 'a missing prompt');

  handEdit(repo, { 'sdd/prompts/small-fix.md': prompt.replace('sdd/tales/small-fix.md', 'sdd/epics/big-work.md') });
  await only({ 'sdd/prompts/small-fix.md': prompt }, ['link-one-way', 'link-one-way'], 'a prompt naming another plan');

  handEdit(repo, { 'sdd/epics/big-work.md': epic.replace('status: draft', 'status: approved') });
  await only({ 'sdd/epics/big-work.md': epic }, ['bead-missing'], 'approved without a bead');

  handEdit(repo, { 'sdd/epics/big-work.md': epic.replace('bead: null', 'bead: ts-zzzz') });
  await only({ 'sdd/epics/big-work.md': epic }, ['link-broken'], 'a bead that does not exist');
});

t('store findings: an approved epic whose phases no longer match its beads (phase-beads-mismatch)', async () => {
  const repo = await initedRepo();
  const bead = await approvedEpic(repo, 'Waves', [{ id: 'a' }, { id: 'b', depends_on: ['a'] }]);
  assert.equal(await ok(repo, 'sdd-validate'), []);
  const epic = stored(repo, 'sdd/epics/waves.md')!;
  handEdit(repo, {
    'sdd/epics/waves.md': epic.replace('depends_on: [a]', 'depends_on: []').replace('title: Phase a', 'title: Phase A'),
  });
  const r = await sase(repo, 'sdd-validate', ['waves']);
  assert.is(r.code, 1);
  assert.equal(codes(r.records), ['phase-beads-mismatch', 'phase-beads-mismatch']);
  assert.match(
    r.records[0]!.message,
    new RegExp(`phase 'a' is titled 'Phase A' but its bead '${bead}.1' is 'Phase a'`),
  );
  assert.match(r.records[1]!.message, new RegExp(`phase 'b' depends on nothing but its bead '${bead}.2' on ${bead}.1`));
  // and put refuses to store such a version
  repo.write('waves.md', epic.replace('title: Phase a', 'title: Phase A'));
  const tip = stateTip(repo);
  const put = await sase(repo, 'sdd-put', ['waves.md']);
  assert.is(put.code, 1);
  assert.match(put.stderr, /^waves.md:\d+: error: phase 'a' is titled 'Phase A' .*\[phase-beads-mismatch\]\n/);
  assert.is(stateTip(repo), tip);
});

t('a file on disk is checked as put would, links included, and nothing is stored', async () => {
  const repo = await repoWithPlans();
  const tip = stateTip(repo);
  repo.write('good.md', taleText('Good'));
  repo.write('bad.md', epicText('Bad', [{ id: 'a', depends_on: ['a'] }]));
  repo.write('linked.md', taleText('Linked', 'prompt: sdd/prompts/big-work.md'));
  repo.write('taken.md', epicText('Small fix', [{ id: 'a' }]));
  assert.equal(await ok(repo, 'sdd-validate', ['good.md']), []);
  const r = await sase(repo, 'sdd-validate', ['good.md', 'bad.md', 'linked.md', 'taken.md']);
  assert.is(r.code, 1);
  assert.equal(
    r.records.map((d) => [d.path, d.line, d.code]),
    [
      ['bad.md', 6, 'dep-self'],
      ['linked.md', 6, 'link-one-way'],
      ['taken.md', null, 'tier-mismatch'],
    ],
  );
  assert.is(
    r.records[2]!.message,
    "the slug 'small-fix' is taken by the tale sdd/tales/small-fix.md; a slug names one plan",
  );
  assert.is(stateTip(repo), tip, 'nothing stored');
  assert.is(stored(repo, 'sdd/tales/good.md'), null);
  // stdin
  const s = await sase(repo, 'sdd-validate', ['-'], { input: '---\n- a list\n---\nbody\n' });
  assert.equal(
    s.records.map((d) => [d.path, d.code]),
    [['stdin', 'frontmatter-not-mapping']],
  );
  // a file too large is a finding, not a crash
  repo.write('big.md', taleText('Big') + 'x'.repeat(2 << 20));
  assert.equal(codes((await sase(repo, 'sdd-validate', ['big.md'])).records), ['too-large']);
});

t('a stored plan by slug, tier/slug or path: that plan and its prompt only', async () => {
  const repo = await repoWithPlans();
  const epic = stored(repo, 'sdd/epics/big-work.md')!;
  handEdit(repo, {
    'sdd/epics/big-work.md': epic.replace('title: Big work', 'title: Big work\nowner: me'),
    'sdd/tales/small-fix.md': stored(repo, 'sdd/tales/small-fix.md')!.replace('size: null', 'size: huge'),
  });
  for (const ref of ['big-work', 'epics/big-work', 'sdd/epics/big-work.md']) {
    const r = await sase(repo, 'sdd-validate', [ref]);
    assert.is(r.code, 1, ref);
    assert.equal(
      r.records.map((d) => [d.path, d.code]),
      [['sdd/epics/big-work.md', 'unknown-key']],
      ref,
    );
  }
  const text = await sase(repo, 'sdd-validate', ['--format', 'text', 'small-fix']);
  assert.is(text.stderr, '1 error in 1 file\n');
  const clean = await sase(repo, 'sdd-validate', ['--format', 'text', 'prompts/small-fix']);
  assert.is(clean.code, 0);
  assert.is(clean.stderr, 'ok: 1 file\n');
  fails(await sase(repo, 'sdd-validate', ['no-such-plan']), 4, "error: no plan 'no-such-plan'");
  fails(
    await sase(repo, 'sdd-validate', ['../etc']),
    129,
    "error: '../etc' is not a plan slug (lower-case letters and digits joined by single '-') or a path like sdd/epics/<slug>.md",
  );
});

t('warnings do not fail the check, unless --strict', async () => {
  const repo = await repoWithPlans();
  repo.write('inert.md', readFileSync(join(ROOT, 'test', 'fixtures', 'sdd', 'invalid', 'inert-field.md'), 'utf8'));
  const r = await sase(repo, 'sdd-validate', ['inert.md']);
  assert.is(r.code, 0);
  assert.equal(
    r.records.map((d) => [d.code, d.severity]),
    [['inert-field', 'warning']],
  );
  const strict = await sase(repo, 'sdd-validate', ['--strict', 'inert.md']);
  assert.is(strict.code, 1);
  assert.is((await sase(repo, 'sdd-validate', ['--format', 'text', 'inert.md'])).stderr, '1 warning in 1 file\n');
});

t('the man page documents every diagnostic code', () => {
  const man = readFileSync(join(ROOT, 'man', 'man1', 'sase-sdd-validate.1'), 'utf8');
  const missing = DIAGNOSTIC_CODES.map(([c]) => c).filter((c) => !man.includes(`${c.replace(/-/g, '\\-')}:`));
  assert.equal(missing, []);
});

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'sdd-validate', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--strict/);
});

t.run();
