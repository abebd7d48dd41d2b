import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, ROOT, sase } from '../helpers/run.ts';
import { epicText, stored, taleText } from '../helpers/sdd.ts';
import { commitCount, opsInLog, stateTip } from '../helpers/state.ts';

const t = suite('sdd-put');
const corpus = (f: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'sdd', f), 'utf8');

async function repoWithStore(): Promise<TestRepo> {
  const repo = await initedRepo();
  return repo;
}

t('stores a new plan in its canonical form, as a draft, in one commit', async () => {
  const repo = await repoWithStore();
  const before = commitCount(repo);
  repo.write('plan.md', corpus('valid/crlf.md'));
  // through the real executable
  const [p] = okBin(repo, 'sdd-put', ['plan.md']);
  assert.is(p!.kind, 'plan');
  assert.is(p!.id, 'sdd/epics/crlf-epic.md');
  assert.is(p!.status, 'draft');
  assert.is(p!.updated_at, p!.created_at, 'a new plan: created and updated now');
  assert.equal(
    p!.phases.map((ph: any) => ph.id),
    ['one', 'two'],
  );
  assert.is(commitCount(repo), before + 1);
  const text = stored(repo, 'sdd/epics/crlf-epic.md')!;
  assert.is(text, corpus('canonical/crlf.md').replace('created_at: null', `created_at: '${p!.created_at}'`));
  assert.is(opsInLog(repo).at(-1), 'sdd.put');
  await ok(repo, 'fsck');
});

t("'-' reads the plan from stdin; the time comes from the clock", async () => {
  const repo = await repoWithStore();
  const [p] = await ok(repo, 'sdd-put', ['-'], {
    input: taleText('From stdin'),
    env: { SASE_NOW: '2026-11-25T10:00:00Z' },
  });
  assert.is(p!.id, 'sdd/tales/from-stdin.md');
  assert.is(p!.created_at, '2026-11-25T10:00:00Z');
  assert.is(p!.updated_at, '2026-11-25T10:00:00Z');
});

t(
  'a plan with the slug of a stored one is a new version; managed fields are kept, with a warning when the text differs',
  async () => {
    const repo = await repoWithStore();
    await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', 'Diamond', '--goal', 'g'], {
      env: { SASE_NOW: '2026-01-01T00:00:00Z' },
    });
    const before = commitCount(repo);
    repo.write(
      'diamond.md',
      epicText(
        'Diamond',
        [{ id: 'a' }, { id: 'b', depends_on: ['a'] }],
        'status: done\ncreated_at: 2030-01-01T00:00:00Z',
      ),
    );
    const r = await sase(repo, 'sdd-put', ['diamond.md']);
    assert.is(r.code, 0, r.stderr);
    assert.is(
      r.stderr,
      "warning: 'status' is managed by sase: kept 'draft', not 'done' (change it with 'sase sdd status')\n" +
        "warning: 'created_at' is managed by sase: kept '2026-01-01T00:00:00Z', not '2030-01-01T00:00:00Z' (it is set when the plan is first stored)\n",
    );
    const [p] = r.records;
    assert.is(p!.status, 'draft');
    assert.is(p!.prompt, 'sdd/prompts/diamond.md', 'the prompt link is kept when the file names none');
    assert.equal(
      p!.phases.map((ph: any) => ph.id),
      ['a', 'b'],
    );
    assert.is(commitCount(repo), before + 1);
    assert.match(stored(repo, 'sdd/epics/diamond.md')!, /prompt: sdd\/prompts\/diamond.md\n/);
    await ok(repo, 'sdd-validate');
  },
);

t('storing the same text again is a no-op: no commit, a note on stderr, the plan printed', async () => {
  const repo = await repoWithStore();
  repo.write('tale.md', taleText('Same'));
  await ok(repo, 'sdd-put', ['tale.md']);
  const tip = stateTip(repo);
  const r = await sase(repo, 'sdd-put', ['tale.md']);
  assert.is(r.code, 0);
  assert.is(r.stderr, "plan 'same' is unchanged (sdd/tales/same.md); nothing stored\n");
  assert.is(r.records[0]!.id, 'sdd/tales/same.md');
  assert.is(r.records[0]!.updated_at, null);
  assert.is(stateTip(repo), tip);
  // the stored canonical text itself is unchanged too
  repo.write('canonical.md', stored(repo, 'sdd/tales/same.md')!);
  assert.is((await sase(repo, 'sdd-put', ['canonical.md'])).code, 0);
  assert.is(stateTip(repo), tip);
});

t('a plan with errors: the diagnostics on stderr, exit 1, nothing stored', async () => {
  const repo = await repoWithStore();
  const tip = stateTip(repo);
  repo.write('bad.md', epicText('Bad', [{ id: 'a', depends_on: ['b'] }, { id: 'b' }, { id: 'b' }]));
  const r = await sase(repo, 'sdd-put', ['bad.md']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.equal(r.stderr.split('\n'), [
    "bad.md:6: error: phase 'a' depends on 'b', a later phase; a phase may depend on earlier phases only [dep-forward]",
    "bad.md:14: error: phases[3] repeats the id 'b' of phases[2] [phase-id-duplicate]",
    "error: plan 'bad.md' does not validate (2 errors); nothing stored",
    '',
  ]);
  assert.is(stateTip(repo), tip);
});

t('links are checked before storing, reported at the line of the file given', async () => {
  const repo = await repoWithStore();
  const tip = stateTip(repo);
  repo.write('linked.md', taleText('Linked', 'prompt: sdd/prompts/nope.md'));
  const r = await sase(repo, 'sdd-put', ['linked.md']);
  assert.is(r.code, 1);
  assert.is(
    r.stderr.split('\n')[0],
    "linked.md:6: error: the prompt 'sdd/prompts/nope.md' does not exist [link-broken]",
  );
  assert.is(stateTip(repo), tip);
});

t('warnings are printed and stored; --strict refuses them', async () => {
  const repo = await repoWithStore();
  repo.write('inert.md', corpus('invalid/inert-field.md'));
  const tip = stateTip(repo);
  const strict = await sase(repo, 'sdd-put', ['--strict', 'inert.md']);
  assert.is(strict.code, 1);
  assert.equal(strict.stderr.split('\n').slice(0, 2), [
    "inert.md:5: warning: 'epics' has no meaning for a tale; it is ignored [inert-field]",
    "error: plan 'inert.md' does not validate (1 warning); nothing stored",
  ]);
  assert.is(stateTip(repo), tip);
  const r = await sase(repo, 'sdd-put', ['inert.md']);
  assert.is(r.code, 0);
  assert.is(r.stderr, "inert.md:5: warning: 'epics' has no meaning for a tale; it is ignored [inert-field]\n");
  assert.not.match(stored(repo, 'sdd/tales/inert-field.md')!, /epics/, 'an inert field is not stored');
});

t('a slug names one plan across the tiers', async () => {
  const repo = await repoWithStore();
  repo.write('tale.md', taleText('Shared'));
  await ok(repo, 'sdd-put', ['tale.md']);
  const tip = stateTip(repo);
  repo.write('epic.md', epicText('Shared', [{ id: 'a' }]));
  fails(
    await sase(repo, 'sdd-put', ['epic.md']),
    1,
    "error: the slug 'shared' is taken by the tale sdd/tales/shared.md; a slug names one plan",
  );
  assert.is(stateTip(repo), tip);
});

// the bad inputs: a clear error, nothing stored
t('bad input: malformed YAML, a list for front matter, a 5 MB plan, slugs with / or .., an unknown tier', async () => {
  const repo = await repoWithStore();
  await ok(repo, 'sdd-put', ['-'], { input: taleText('Existing') });
  const tip = stateTip(repo);
  const refused = async (name: string, text: string, code: number, lines: string[]) => {
    repo.write(name, text);
    const r = await sase(repo, 'sdd-put', [name]);
    assert.is(r.code, code, `${name}: ${r.stderr}`);
    assert.is(r.stdout, '', name);
    assert.equal(r.stderr.trimEnd().split('\n'), lines, name);
    assert.not.match(r.stderr, /\n\s+at |Error:/, `${name}: no stack trace`);
    assert.is(stateTip(repo), tip, `${name}: nothing stored`);
  };
  await refused('yaml.md', '---\ntier: tale\ntitle: [oops\ngoal: g\n---\nbody\n', 1, [
    'yaml.md:4: error: the front matter is not valid YAML: missed comma between flow collection entries [yaml-invalid]',
    "error: plan 'yaml.md' does not validate (1 error); nothing stored",
  ]);
  await refused('list.md', '---\n- tier: tale\n- title: t\n---\nbody\n', 1, [
    'list.md:2: error: the front matter is a list; expected a mapping of keys to values [frontmatter-not-mapping]',
    "error: plan 'list.md' does not validate (1 error); nothing stored",
  ]);
  const big = taleText('Big') + 'x'.repeat(5 * 1024 * 1024);
  await refused('big.md', big, 128, [`fatal: plan file 'big.md' is ${big.length} bytes; at most 1048576 are accepted`]);
  await refused('slash.md', taleText('Slash', 'slug: a/b'), 1, [
    "slash.md:6: error: slug 'a/b' is not lower-case letters and digits joined by single '-' (at most 80 characters) [slug-invalid]",
    "error: plan 'slash.md' does not validate (1 error); nothing stored",
  ]);
  await refused('dots.md', taleText('Dots', 'slug: ../existing'), 1, [
    "dots.md:6: error: slug '../existing' is not lower-case letters and digits joined by single '-' (at most 80 characters) [slug-invalid]",
    "error: plan 'dots.md' does not validate (1 error); nothing stored",
  ]);
  await refused('tier.md', taleText('Tier').replace('tier: tale', 'tier: saga'), 1, [
    'tier.md:2: error: tier "saga" is not one of tale, epic, legend [tier-invalid]',
    "error: plan 'tier.md' does not validate (1 error); nothing stored",
  ]);
  // the same through stdin, where the size is only known once read
  const r = await sase(repo, 'sdd-put', ['-'], { input: big });
  assert.is(r.code, 128);
  assert.is(r.stderr, `fatal: plan file '-' is ${big.length} bytes; at most 1048576 are accepted\n`);
  fails(await sase(repo, 'sdd-put', ['missing.md']), 128, "fatal: cannot read plan file 'missing.md': ENOENT");
  fails(await sase(repo, 'sdd-put', []), 129, 'error: missing <file>');
  assert.is(stateTip(repo), tip);
  await ok(repo, 'fsck');
});

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'sdd-put', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--strict/);
});

t.run();
