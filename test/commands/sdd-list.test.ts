import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase, tableRows } from '../helpers/run.ts';
import { writtenPlanArgs } from '../helpers/sdd.ts';
import { opMessage, writeStateCommit } from '../helpers/state.ts';

const t = suite('sdd-list');
const at = (day: number) => `2026-01-0${day}T00:00:00Z`;
const on = (day: number) => ({ env: { SASE_NOW: at(day) } });

async function newPlan(
  repo: TestRepo,
  tier: string,
  title: string,
  day: number,
  extra: string[] = [],
): Promise<Record<string, any>> {
  return (
    await ok(
      repo,
      'sdd-new',
      ['--tier', tier, '--title', title, '--goal', `${title} works`, ...writtenPlanArgs(repo, tier), ...extra],
      on(day),
    )
  )[0]!;
}

// tales, epics and legends out of order; then an approve and a status move
const repo = await initedRepo();
await newPlan(repo, 'epic', 'Zeta epic', 1);
await newPlan(repo, 'tale', 'Beta tale', 2);
await newPlan(repo, 'legend', 'Saga', 3, ['--epic', 'zeta-epic']);
await newPlan(repo, 'epic', 'Alpha epic', 4);
await newPlan(repo, 'tale', 'Alpha tale', 5);
const [epicBead] = await ok(repo, 'sdd-approve', ['alpha-epic'], on(6));
await ok(repo, 'sdd-status', ['alpha-epic', 'done'], on(7));

t('plans by tier (tales, epics, legends) then slug, with the time of the last change', async () => {
  // through the real executable
  const all = okBin(repo, 'sdd-list');
  assert.equal(
    all.map((r) => [r.kind, r.tier, r.slug, r.status, r.updated_at]),
    [
      ['plan', 'tale', 'alpha-tale', 'draft', at(5)],
      ['plan', 'tale', 'beta-tale', 'draft', at(2)],
      ['plan', 'epic', 'alpha-epic', 'done', at(7)],
      ['plan', 'epic', 'zeta-epic', 'draft', at(1)],
      ['plan', 'legend', 'saga', 'draft', at(3)],
    ],
  );
  const alpha = all[2]!;
  assert.is(alpha.id, 'sdd/epics/alpha-epic.md');
  assert.is(alpha.v, 1);
  assert.is(alpha.bead, epicBead!.id);
  assert.is(alpha.title, 'Alpha epic');
  assert.is(alpha.created_at, at(4), 'created stays, updated moves');
  assert.ok(Array.isArray(alpha.phases));
});

t('--tier and --kind: plural, singular, lists, prompts and all', async () => {
  const slugs = async (args: string[]) => (await ok(repo, 'sdd-list', args)).map((r) => `${r.kind}:${r.slug}`);
  assert.equal(await slugs(['--tier', 'epics']), ['plan:alpha-epic', 'plan:zeta-epic']);
  assert.equal(await slugs(['--kind', 'epics']), ['plan:alpha-epic', 'plan:zeta-epic']);
  assert.equal(await slugs(['--tier', 'epic']), ['plan:alpha-epic', 'plan:zeta-epic']);
  const seed = await sase(repo, '', ['sdd', 'list', '--kind', 'epics']);
  assert.is(seed.code, 0, seed.stderr);
  assert.equal(
    seed.records.map((r) => r.slug),
    ['alpha-epic', 'zeta-epic'],
    'the seed spelling, through the dispatcher',
  );
  assert.equal(await slugs(['--tier', 'legend,tale']), ['plan:alpha-tale', 'plan:beta-tale', 'plan:saga']);
  assert.equal(
    await slugs(['--tier', 'epics', '--kind', 'epic']),
    ['plan:alpha-epic', 'plan:zeta-epic'],
    'the same choice twice is fine',
  );
  const prompts = await ok(repo, 'sdd-list', ['--tier', 'prompts']);
  assert.equal(
    prompts.map((r) => r.slug),
    ['alpha-epic', 'alpha-tale', 'beta-tale', 'saga', 'zeta-epic'],
  );
  assert.is(prompts[0]!.kind, 'prompt');
  assert.is(prompts[0]!.plan, 'sdd/epics/alpha-epic.md');
  assert.is(prompts[0]!.updated_at, at(4));
  assert.equal(
    await slugs(['--kind', 'prompt']),
    prompts.map((r) => `prompt:${r.slug}`),
  );
  const all = await slugs(['--tier', 'all']);
  assert.is(all.length, 10);
  assert.equal(
    all.slice(5),
    prompts.map((r) => `prompt:${r.slug}`),
    'prompts come last',
  );
});

t('--status filters (prompts have none); bad values are usage errors', async () => {
  assert.equal(
    (await ok(repo, 'sdd-list', ['--status', 'done'])).map((r) => r.slug),
    ['alpha-epic'],
  );
  assert.equal(
    (await ok(repo, 'sdd-list', ['--status', 'draft', '--tier', 'epics'])).map((r) => r.slug),
    ['zeta-epic'],
  );
  assert.equal((await ok(repo, 'sdd-list', ['--status', 'done,draft', '--tier', 'all'])).length, 5);
  assert.equal(await ok(repo, 'sdd-list', ['--status', 'abandoned']), []);
  fails(
    await sase(repo, 'sdd-list', ['--status', 'finished']),
    129,
    "error: option '--status': 'finished' is not one of draft, approved, in_progress, done, abandoned, invalid",
  );
  fails(
    await sase(repo, 'sdd-list', ['--tier', 'sagas']),
    129,
    "error: option '--tier': 'sagas' is not one of tales, epics, legends, prompts, all, tale, epic, legend, prompt",
  );
  fails(
    await sase(repo, 'sdd-list', ['--kind', 'saga']),
    129,
    "error: option '--kind': 'saga' is not one of tales, epics, legends, prompts, all, tale, epic, legend, prompt",
  );
  fails(
    await sase(repo, 'sdd-list', ['--tier', 'epics', '--kind', 'tales']),
    129,
    "error: '--kind' is another name for '--tier'; give one of them",
  );
  fails(await sase(repo, 'sdd-list', ['extra']), 129, "error: unexpected argument 'extra'");
});

t('a table on a terminal (--format text), one path a line with --format id', async () => {
  const r = await sase(repo, 'sdd-list', ['--format', 'text'], on(8));
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.not.match(r.stdout, /\x1b\[/, 'no colours when piped');
  assert.equal(tableRows(r.stdout), [
    { TIER: 'tale', SLUG: 'alpha-tale', STATUS: 'draft', BEAD: '', UPDATED: '3 days ago', TITLE: 'Alpha tale' },
    { TIER: 'tale', SLUG: 'beta-tale', STATUS: 'draft', BEAD: '', UPDATED: '6 days ago', TITLE: 'Beta tale' },
    {
      TIER: 'epic',
      SLUG: 'alpha-epic',
      STATUS: 'done',
      BEAD: epicBead!.id,
      UPDATED: '1 day ago',
      TITLE: 'Alpha epic',
    },
    { TIER: 'epic', SLUG: 'zeta-epic', STATUS: 'draft', BEAD: '', UPDATED: '7 days ago', TITLE: 'Zeta epic' },
    { TIER: 'legend', SLUG: 'saga', STATUS: 'draft', BEAD: '', UPDATED: '5 days ago', TITLE: 'Saga' },
  ]);
  const ids = await sase(repo, 'sdd-list', ['--format', 'id', '--tier', 'tales']);
  assert.is(ids.stdout, 'sdd/tales/alpha-tale.md\nsdd/tales/beta-tale.md\n');
});

t('a stored plan that no longer parses is listed as invalid, with its diagnostics', async () => {
  const r2 = await initedRepo();
  await newPlan(r2, 'tale', 'Good', 1);
  writeStateCommit(
    r2,
    {
      'sdd/tales/broken.md': '---\ntier: [unclosed\n---\nbody\n',
      'sdd/prompts/odd.md': 'no front matter\n',
      'sdd/tales/Not A Slug.md': 'ignored\n',
    },
    opMessage('sdd put sdd/tales/broken.md', {
      op: 'sdd.put',
      paths: ['sdd/tales/broken.md', 'sdd/prompts/odd.md'],
      at: at(2),
      actor: 'x@example.com',
    }),
  );
  const list = await ok(r2, 'sdd-list', ['--tier', 'all']);
  assert.equal(
    list.map((r) => [r.path, r.status ?? null]),
    [
      ['sdd/tales/broken.md', 'invalid'],
      ['sdd/tales/good.md', 'draft'],
      ['sdd/prompts/good.md', null],
      ['sdd/prompts/odd.md', 'invalid'],
    ],
  );
  const broken = list[0]!;
  assert.is(broken.kind, 'plan');
  assert.is(broken.tier, 'tale');
  assert.is(broken.slug, 'broken');
  assert.is(broken.title, null);
  assert.is(broken.updated_at, at(2));
  assert.is(broken.diagnostics[0].code, 'yaml-invalid');
  assert.is(list[3]!.diagnostics[0].code, 'frontmatter-missing');
  assert.equal(
    (await ok(r2, 'sdd-list', ['--status', 'invalid'])).map((r) => r.slug),
    ['broken'],
  );
  const text = await sase(r2, 'sdd-list', ['--format', 'text']);
  assert.is(text.code, 0);
  assert.equal(
    tableRows(text.stdout).map((row) => [row.SLUG, row.STATUS]),
    [
      ['broken', 'invalid'],
      ['good', 'draft'],
    ],
  );
});

t('an empty store, or none at all: no output, exit 0', async () => {
  const none = gitdir();
  for (const args of [[], ['--format', 'text'], ['--tier', 'all']]) {
    const r = await sase(none, 'sdd-list', args);
    assert.is(r.code, 0);
    assert.is(r.stdout, '');
    assert.is(r.stderr, '');
  }
  const bare = await initedRepo();
  await ok(bare, 'bead-create', ['--title', 'not a plan']);
  assert.equal(await ok(bare, 'sdd-list', ['--tier', 'all']), []);
  fails(
    await sase(none, 'sdd-list', [], { cwd: none.home }),
    128,
    'fatal: not a git repository (or any of the parent directories)',
  );
});

t('--help', async () => {
  const r = await sase(repo, 'sdd-list', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-sdd-list [--tier <tiers>] [--kind <tiers>] [--status <list>] [--limit <n>] [--sort <fields>] [--grep <text>] [--no-pager]',
    ),
    r.stdout,
  );
});

t.run();
