import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { storedChange } from '../helpers/changes.ts';
import { makeStack, midText, onTerminal, SHA1 } from '../helpers/cs-records.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, sase } from '../helpers/run.ts';

const t = suite('cs-show');

t('json: the record with its stack place and open comments counted', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const [mid] = await ok(repo, 'cs-show', ['mid']);
  assert.is(mid!.kind, 'changespec');
  assert.is(mid!.v, 1);
  assert.is(mid!.name, 'mid');
  assert.is(mid!.id, 'mid');
  assert.is(mid!.status, 'Draft');
  assert.is(mid!.description, 'Middle of the stack\n\nwith a body');
  assert.equal(mid!.stack, { position: 2, size: 3, below: ['base'], above: ['top'] });
  assert.is(mid!.unresolved, 1);
  assert.equal(mid!.commits[0], { n: 1, subject: 'Add the cache', sha: SHA1, bead: 'ts-abcd' });
  assert.equal(mid!.hooks[1], {
    command: '!npm run lint',
    blocking: false,
    runs: [{ commit: 2, at: '2026-11-25T10:16:30Z', result: 'FAILED', seconds: 4 }],
  });
  assert.equal(mid!.comments[1], {
    id: 2,
    author: 'bob',
    path: 'src/ready.ts',
    line: 3,
    text: 'Check the error here\nand here',
    resolved: false,
  });
  assert.equal(mid!.deltas[1], { op: '~', path: 'src/ready.ts', added: 4, changed: 2, removed: 1 });
  const [top] = await ok(repo, 'cs-show', ['top', '--json']);
  assert.equal(top!.stack, { position: 3, size: 3, below: ['mid', 'base'], above: [] });
  const [base] = await ok(repo, 'cs-show', ['base', '--format', 'json']);
  assert.equal(base!.stack, { position: 1, size: 3, below: [], above: ['mid'] });
  const [other] = await ok(repo, 'cs-show', ['other']);
  assert.equal(other!.stack, { position: 1, size: 1, below: [], above: [] });
});

t('--format spec prints the stored text exactly', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const r = await sase(repo, 'cs-show', ['mid', '--format', 'spec']);
  assert.is(r.code, 0);
  assert.is(r.stdout, storedChange(repo, 'mid'));
  assert.is(r.stdout, midText());
});

t('text: a card with the stack, hook results per commit, deltas, open comments and timestamps', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const r = await sase(repo, 'cs-show', ['mid', '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.not.match(out, /\x1b\[/, 'no colours on a pipe');
  const lines = out.split('\n');
  assert.is(lines[0], 'mid  Draft');
  assert.ok(lines.includes('cl       not mailed'));
  assert.ok(lines.includes('branch   sase/cs/mid'));
  assert.ok(lines.includes('stack    2 of 3: base <- mid <- top'));
  assert.ok(lines.includes('comments 1 unresolved of 2'));
  assert.ok(lines.includes('  Middle of the stack'));
  assert.ok(lines.includes('  with a body'));
  const commits = lines.indexOf('Commits');
  assert.equal(lines.slice(commits + 1, commits + 6), [
    '  (1) 4f1c2d9e0a1b Add the cache [ts-abcd]',
    '      PASSED (12s) npm test',
    '  (2) 9e8d7c6b5a49 Use the cache',
    '      PASSED (1m3s) npm test',
    '      FAILED (4s) !npm run lint',
  ]);
  assert.ok(lines.includes('  + src/cache.ts  +120 ~0 -0'));
  assert.ok(lines.includes('Unresolved comments (1)'));
  assert.ok(lines.includes('  #2 src/ready.ts:3 [bob] Check the error here'));
  assert.ok(lines.includes('      and here'));
  assert.not.match(out, /Path built from an id/, 'resolved comments are counted, not listed');
  assert.ok(lines.includes('  2026-11-25 10:00:00 +0000  CREATE Draft from sase/cs/base at 000000000000'));
});

t('on a terminal: a coloured card (status, PASSED green, FAILED red); --no-color turns it off', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const r = onTerminal(repo, 'sase-cs-show mid');
  assert.is(r.code, 0, r.out);
  assert.match(r.out, '\x1b[1mmid\x1b[22m  \x1b[36mDraft\x1b[39m');
  assert.match(r.out, '\x1b[32mPASSED\x1b[39m (12s) npm test');
  assert.match(r.out, '\x1b[31mFAILED\x1b[39m (4s) !npm run lint');
  const plain = onTerminal(repo, 'sase-cs-show mid --no-color');
  assert.not.match(plain.out, /\x1b\[/);
  assert.match(plain.out, 'stack    2 of 3: base <- mid <- top');
});

t('names on stdin: NDJSON records with "name" or bare names; several cards or records', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const listed = (await sase(repo, 'cs-list', ['--query', 'unresolved'])).stdout;
  const [fromList] = await ok(repo, 'cs-show', [], { input: listed });
  assert.is(fromList!.name, 'mid');
  const recs = await ok(repo, 'cs-show', [], { input: '{"name":"top"}\nbase\n' });
  assert.equal(
    recs.map((r) => r.name),
    ['top', 'base'],
  );
  const dash = await ok(repo, 'cs-show', ['-'], { input: 'other\n' });
  assert.equal(
    dash.map((r) => r.name),
    ['other'],
  );
  const spec = await sase(repo, 'cs-show', ['--format', 'spec'], { input: 'base\nother\n' });
  assert.is(spec.stdout, storedChange(repo, 'base')! + storedChange(repo, 'other')!);
  fails(
    await sase(repo, 'cs-show', [], { input: '{"title":"x"}\n' }),
    128,
    "fatal: stdin:1: record has no 'name' or 'id'",
  );
});

t('missing changes are not found (4) and nothing is printed; bad names are usage errors', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const r = await sase(repo, 'cs-show', ['nope']);
  fails(r, 4, "error: no change 'nope'");
  assert.match(r.stderr, "hint: try 'sase cs list'");
  fails(await sase(repo, 'cs-show', ['mid', 'nope']), 4, "error: no change 'nope'");
  fails(await sase(repo, 'cs-show', [], { input: 'base\nnope\n' }), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-show', ['../x']),
    129,
    "error: change name '../x' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  fails(
    await sase(repo, 'cs-show', ['mid', '--format', 'yaml']),
    129,
    "error: option '--format': 'yaml' is not one of text, json, spec",
  );
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-show', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--format <format>/);
});

t.run();
