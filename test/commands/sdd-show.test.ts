import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { stored } from '../helpers/sdd.ts';
import { approvedEpic, codeCommit as commitAt, draftEpic } from '../helpers/sdd-plans.ts';
import { opMessage, writeStateCommit } from '../helpers/state.ts';

const t = suite('sdd-show');

t('an approved epic: prompt, bead, phase beads and the commits that carry it out, oldest first', async () => {
  const repo = await initedRepo();
  const bead = await approvedEpic(repo, 'Ready cache', [{ id: 'store' }, { id: 'query', depends_on: ['store'] }]);
  const late = commitAt(repo, 'ready reads the cache', '2026-03-02T00:00:00Z');
  const early = commitAt(repo, 'cache keyed by tree', '2026-03-01T00:00:00Z');
  const other = commitAt(repo, 'unrelated', '2026-02-01T00:00:00Z');
  await ok(repo, 'sdd-link', ['ready-cache', '--commit', late, '--phase', 'query']);
  await ok(repo, 'sdd-link', ['ready-cache', '--commit', early, '--phase', 'store']);
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Other tale', '--goal', 'g']);
  await ok(repo, 'sdd-link', ['other-tale', '--commit', other]);
  // a note that names only a bead of the plan (as an agent run would write it) counts too
  repo.git('notes', '--ref=sase', 'append', '-m', `{"v":1,"bead":"${bead}"}`, other);
  await ok(repo, 'bead-claim', [`${bead}.1`]);

  // through the real executable
  const [p] = okBin(repo, 'sdd-show', ['ready-cache']);
  assert.is(p!.kind, 'plan');
  assert.is(p!.id, 'sdd/epics/ready-cache.md');
  assert.is(p!.status, 'in_progress');
  assert.is(p!.bead, bead);
  assert.equal(p!.prompt_record, {
    path: 'sdd/prompts/ready-cache.md',
    exists: true,
    plan: 'sdd/epics/ready-cache.md',
  });
  assert.equal(Object.keys(p!.bead_record), ['id', 'short_id', 'title', 'status', 'issue_type', 'priority']);
  assert.is(p!.bead_record.id, bead);
  assert.is(p!.bead_record.issue_type, 'plan');
  assert.ok(
    bead.startsWith(p!.bead_record.short_id) && p!.bead_record.short_id.length < bead.length,
    'the short id of the bead',
  );
  assert.equal(
    p!.phase_beads.map((x: any) => [x.phase, x.bead.id, x.bead.status]),
    [
      ['store', `${bead}.1`, 'claimed'],
      ['query', `${bead}.2`, 'open'],
    ],
  );
  assert.is(p!.epic_plans, null);
  assert.equal(p!.commits, [
    { commit: other, subject: 'unrelated', date: '2026-02-01T00:00:00Z', plan: null, bead },
    {
      commit: early,
      subject: 'cache keyed by tree',
      date: '2026-03-01T00:00:00Z',
      plan: 'sdd/epics/ready-cache.md',
      bead: `${bead}.1`,
    },
    {
      commit: late,
      subject: 'ready reads the cache',
      date: '2026-03-02T00:00:00Z',
      plan: 'sdd/epics/ready-cache.md',
      bead: `${bead}.2`,
    },
  ]);
  assert.equal(
    (await ok(repo, 'sdd-show', ['other-tale']))[0]!.commits.map((c: any) => c.commit),
    [other],
  );
});

t('a draft: no bead yet; phases without beads; no commits; a prompt path shows the prompt', async () => {
  const repo = await initedRepo();
  await draftEpic(repo, 'Draft one', [{ id: 'a' }, { id: 'b', depends_on: ['a'] }]);
  const [p] = await ok(repo, 'sdd-show', ['sdd/epics/draft-one.md']);
  assert.is(p!.status, 'draft');
  assert.is(p!.bead_record, null);
  assert.equal(p!.phase_beads, [
    { phase: 'a', bead: null },
    { phase: 'b', bead: null },
  ]);
  assert.equal(p!.commits, []);
  const [prompt] = await ok(repo, 'sdd-show', ['sdd/prompts/draft-one.md']);
  assert.is(prompt!.kind, 'prompt');
  assert.is(prompt!.plan, 'sdd/epics/draft-one.md');
});

t('a legend: each epic it names with its status and bead, or missing', async () => {
  const repo = await initedRepo();
  const bead = await approvedEpic(repo, 'One', [{ id: 'a' }]);
  await ok(repo, 'sdd-new', ['--tier', 'legend', '--title', 'Big picture', '--goal', 'g', '--epic', 'one,two']);
  const [l] = await ok(repo, 'sdd-show', ['big-picture']);
  assert.equal(l!.epic_plans, [
    { slug: 'one', path: 'sdd/epics/one.md', status: 'approved', bead },
    { slug: 'two', path: 'sdd/epics/two.md', status: 'missing', bead: null },
  ]);
  assert.is(l!.phase_beads, null);
});

t('--raw prints the stored text exactly; the card cleans control characters', async () => {
  const repo = await initedRepo();
  repo.write('body.md', '## Context\n\nred \u001b[31malert\u001b[0m here\n');
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Raw tale', '--goal', 'g', '--body-file', 'body.md']);
  const raw = await sase(repo, 'sdd-show', ['raw-tale', '--raw']);
  assert.is(raw.code, 0);
  assert.is(raw.stdout, stored(repo, 'sdd/tales/raw-tale.md'));
  assert.ok(raw.stdout.includes('\u001b[31m'), 'kept byte for byte');
  const c = commitAt(repo, 'the fix', '2026-03-01T00:00:00Z');
  await ok(repo, 'sdd-link', ['raw-tale', '--commit', c]);
  const card = await sase(repo, 'sdd-show', ['raw-tale', '--format', 'text']);
  assert.is(card.code, 0, card.stderr);
  assert.not.match(card.stdout, /\u001b/, 'no escape reaches the terminal (and no colour when piped)');
  assert.match(card.stdout, /^Raw tale\ntale {2}draft {2}sdd\/tales\/raw-tale.md\ngoal: +g\n/);
  assert.match(card.stdout, /prompt: +sdd\/prompts\/raw-tale.md\n/);
  assert.match(card.stdout, /bead: +none\n/);
  assert.match(card.stdout, new RegExp(`commits:\\n  ${c.slice(0, 10)} the fix\\n`));
  assert.match(card.stdout, /red \?\[31malert\?\[0m here/);
});

t('the card of an epic lists each phase with its bead, status and dependencies', async () => {
  const repo = await initedRepo();
  const bead = await approvedEpic(repo, 'Carded', [
    { id: 'store', title: 'Keyed store' },
    { id: 'query', depends_on: ['store'] },
  ]);
  const card = await sase(repo, 'sdd-show', ['carded', '--format', 'text']);
  assert.is(card.code, 0, card.stderr);
  const short = (await ok(repo, 'sdd-show', ['carded']))[0]!.phase_beads[0].bead.short_id as string;
  assert.ok(short.endsWith('.1'));
  assert.match(card.stdout, /epic {2}approved {2}sdd\/epics\/carded.md/);
  assert.match(
    card.stdout,
    new RegExp(
      `phases:\\n +1\\. store +${short.replace('.', '\\.')} open +small +Keyed store\\n +2\\. query .*open +small +Phase query +after store\\n`,
    ),
  );
  assert.ok(card.stdout.includes(bead.slice(0, 5)));
});

t('not found exits 4; a slug in two tiers is ambiguous (129) and names both', async () => {
  const repo = await initedRepo();
  fails(await sase(repo, 'sdd-show', ['nope']), 4, "error: no plan 'nope'");
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Twice', '--goal', 'g']);
  // sase refuses a slug in use; another clone's history (or a hand edit) can still hold one in two tiers
  const text = stored(repo, 'sdd/tales/twice.md')!
    .replace('tier: tale', 'tier: epic')
    .replace(/size: .*\n/, 'phases:\n  - id: a\n    title: A\n    size: small\n    depends_on: []\n');
  writeStateCommit(
    repo,
    { 'sdd/epics/twice.md': text },
    opMessage('sdd put sdd/epics/twice.md', {
      op: 'sdd.put',
      paths: ['sdd/epics/twice.md'],
      at: '2026-01-01T00:00:00Z',
      actor: 'a@example.com',
    }),
  );
  const r = await sase(repo, 'sdd-show', ['twice']);
  assert.is(r.code, 129);
  assert.match(r.stderr, /sdd\/tales\/twice.md/);
  assert.match(r.stderr, /sdd\/epics\/twice.md/);
  assert.is((await ok(repo, 'sdd-show', ['sdd/epics/twice.md']))[0]!.tier, 'epic', 'the path picks one');
});

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'sdd-show', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--raw/);
});

t(
  'a plan by a unique prefix of its slug (in any tier, or within one); an ambiguous one names the candidates',
  async () => {
    const repo = await initedRepo();
    await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', 'Ready cache', '--goal', 'g']);
    await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Ready queue', '--goal', 'g']);
    // a prefix used to be no plan at all
    assert.is((await ok(repo, 'sdd-show', ['ready-c']))[0]!.path, 'sdd/epics/ready-cache.md');
    assert.is((await ok(repo, 'sdd-show', ['tales/ready']))[0]!.path, 'sdd/tales/ready-queue.md');
    assert.is((await ok(repo, 'sdd-status', ['ready-q', 'abandoned']))[0]!.status, 'abandoned');
    fails(
      await sase(repo, 'sdd-show', ['ready']),
      129,
      "error: short id 'ready' is ambiguous: sdd/epics/ready-cache.md, sdd/tales/ready-queue.md",
    );
    fails(await sase(repo, 'sdd-show', ['steady']), 4, "error: no plan 'steady'");
  },
);

t.run();
