import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeStack, onTerminal } from '../helpers/cs-records.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, sase, tableRows } from '../helpers/run.ts';

const t = suite('cs-list');

const brief = (recs: Record<string, any>[]) => recs.map((r) => `${'.'.repeat(r.depth)}${r.name}`);

t('pipes: one record per change in tree order (roots by name, children under parents) with depth', async () => {
  const repo = await initedRepo();
  assert.equal(await ok(repo, 'cs-list'), [], 'no changes: an empty list');
  await makeStack(repo);
  await ok(repo, 'cs-new', ['alpha', '--description', 'First by name'], { env: { SASE_NOW: '2026-11-25T11:00:00Z' } });
  await ok(repo, 'cs-new', ['mid_two', '--parent', 'base', '--description', 'A second child'], {
    env: { SASE_NOW: '2026-11-25T11:00:00Z' },
  });
  const recs = await ok(repo, 'cs-list');
  assert.equal(brief(recs), ['alpha', 'base', '.mid', '..top', '.mid_two', 'other']);
  const mid = recs.find((r) => r.name === 'mid')!;
  assert.is(mid.kind, 'changespec');
  assert.is(mid.parent, 'base');
  assert.is(mid.unresolved, 1);
  assert.is(mid.commits.length, 2);
  // --format id: the names alone, one a line, in the same order
  const names = await sase(repo, 'cs-list', ['--format', 'id']);
  assert.equal([names.code, names.stderr], [0, '']);
  assert.is(names.stdout, 'alpha\nbase\nmid\ntop\nmid_two\nother\n');
});

t('text: a table with children indented under their parents', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const r = await sase(repo, 'cs-list', ['--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  const rows = tableRows(r.stdout);
  assert.equal(
    rows.map((x) => [x.NAME, x.STATUS, x.PARENT, x.CL, x.COMMITS, x.UNRESOLVED, x.DESCRIPTION]),
    [
      ['base', 'WIP', '', '', '0', '0', 'Base of the stack'],
      ['└ mid', 'Draft', 'base', '', '2', '1', 'Middle of the stack'],
      ['└ top', 'WIP', 'mid', '', '0', '0', 'Top of the stack'],
      ['other', 'WIP', '', '', '0', '0', 'Other work'],
    ],
  );
  const lines = r.stdout.split('\n');
  assert.ok(lines[2]!.startsWith('  └ mid '));
  assert.ok(lines[3]!.startsWith('    └ top '));
  const term = onTerminal(repo, 'sase-cs-list');
  assert.is(term.code, 0);
  assert.match(term.out, '\x1b[36mDraft');
});

t(
  'filters: --status, --parent (none for roots), combined; a child of a hidden parent hangs under its nearest listed ancestor',
  async () => {
    const repo = await initedRepo();
    await makeStack(repo);
    assert.equal(brief(await ok(repo, 'cs-list', ['--status', 'WIP'])), ['base', '.top', 'other']);
    assert.equal(brief(await ok(repo, 'cs-list', ['--status', 'Draft,Ready'])), ['mid']);
    assert.equal(brief(await ok(repo, 'cs-list', ['-s', 'Draft', '-s', 'WIP'])), ['base', '.mid', '..top', 'other']);
    assert.equal(brief(await ok(repo, 'cs-list', ['--parent', 'base'])), ['mid']);
    assert.equal(brief(await ok(repo, 'cs-list', ['--parent', 'none'])), ['base', 'other']);
    assert.equal(brief(await ok(repo, 'cs-list', ['--parent', 'top'])), []);
    assert.equal(brief(await ok(repo, 'cs-list', ['--parent', 'mid', '--status', 'Draft'])), []);
    fails(await sase(repo, 'cs-list', ['--parent', 'nope']), 4, "error: no change 'nope'");
    fails(
      await sase(repo, 'cs-list', ['--status', 'Open']),
      129,
      "error: option '--status': 'Open' is not one of WIP, Draft, Ready, Mailed, Submitted, Reverted, Archived",
    );
  },
);

t('--query unresolved, failing, text:<substring>; an unknown query names the known ones', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  assert.equal(brief(await ok(repo, 'cs-list', ['--query', 'unresolved'])), ['mid']);
  assert.equal(brief(await ok(repo, 'cs-list', ['-q', 'failing'])), ['mid']);
  assert.equal(brief(await ok(repo, 'cs-list', ['--query', 'text:STACK'])), ['base', '.mid', '..top']);
  assert.equal(
    brief(await ok(repo, 'cs-list', ['--query', 'text:spike'])),
    ['other'],
    'the body of a description counts',
  );
  assert.equal(brief(await ok(repo, 'cs-list', ['--query', 'text:oth'])), ['other'], 'so does the name');
  assert.equal(brief(await ok(repo, 'cs-list', ['--query', 'text:stack', '--status', 'WIP'])), ['base', '.top']);
  fails(
    await sase(repo, 'cs-list', ['--query', 'open']),
    129,
    "error: unknown query 'open' (known: unresolved, failing, text:<substring>)",
  );
  fails(
    await sase(repo, 'cs-list', ['--query', 'text:']),
    129,
    "error: query 'text:' needs a substring ('text:<substring>')",
  );
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-list', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--query <query>/);
});

t.run();
