import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { approvedEpic, codeCommit as commit } from '../helpers/sdd-plans.ts';

const t = suite('sdd-link');
const NOTES = 'refs/notes/sase';

function note(repo: TestRepo, c: string): string {
  return repo.git('notes', '--ref=sase', 'show', c);
}

function notesTip(repo: TestRepo): string | null {
  try {
    return repo.git('rev-parse', '-q', '--verify', NOTES).trim();
  } catch {
    return null;
  }
}

t('links a commit: one JSON line in its note, a link record, and again is a no-op', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Fix login', '--goal', 'g']);
  const c = commit(repo, 'fix the login form');
  // through the real executable
  const [rec] = okBin(repo, 'sdd-link', ['fix-login', '--commit', 'HEAD']);
  assert.equal(rec, {
    v: 1,
    kind: 'link',
    id: c,
    commit: c,
    subject: 'fix the login form',
    plan: 'sdd/tales/fix-login.md',
    bead: null,
    phase: null,
    added: true,
  });
  assert.is(note(repo, c), '{"v":1,"plan":"sdd/tales/fix-login.md"}\n');
  assert.is(repo.git('log', '-1', '--format=%s', NOTES).trim(), `sase: note ${c}`);
  const tip = notesTip(repo);
  const [again] = await ok(repo, 'sdd-link', ['sdd/tales/fix-login.md', '--commit', c.slice(0, 8)]);
  assert.is(again!.added, false);
  assert.is(notesTip(repo), tip, 'nothing written');
  assert.match(
    repo.git('log', '-1', '--notes=sase', c),
    /Notes \(sase\):\n\s+\{"v":1,"plan":"sdd\/tales\/fix-login.md"\}/,
  );
});

t('an approved plan: the note names its bead, or with --phase the phase bead (by id or number)', async () => {
  const repo = await initedRepo();
  const bead = await approvedEpic(repo, 'Ready cache', [{ id: 'store' }, { id: 'query', depends_on: ['store'] }]);
  const a = commit(repo, 'cache keyed by tree');
  const b = commit(repo, 'ready reads the cache');
  const [whole] = await ok(repo, 'sdd-link', ['ready-cache', '--commit', a]);
  assert.is(whole!.bead, bead);
  const [p1] = await ok(repo, 'sdd-link', ['ready-cache', '--commit', a, '--phase', 'store']);
  assert.is(p1!.bead, `${bead}.1`);
  assert.is(p1!.phase, 'store');
  const [p2] = await ok(repo, 'sdd-link', ['ready-cache', '--commit', b, '--phase', '2']);
  assert.is(p2!.bead, `${bead}.2`);
  assert.is(p2!.phase, 'query');
  assert.is(
    note(repo, a),
    `{"v":1,"bead":"${bead}","plan":"sdd/epics/ready-cache.md"}\n{"v":1,"bead":"${bead}.1","plan":"sdd/epics/ready-cache.md"}\n`,
  );
  fails(
    await sase(repo, 'sdd-link', ['ready-cache', '--commit', a, '--phase', 'nope']),
    4,
    "error: no phase 'nope' in plan 'ready-cache'",
  );
  fails(
    await sase(repo, 'sdd-link', ['ready-cache', '--commit', a, '--phase', '3']),
    4,
    "error: no phase '3' in plan 'ready-cache'",
  );
});

t('many commits: repeated, comma-separated, or on stdin (rev-list lines, NDJSON) in one notes commit', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Many', '--goal', 'g']);
  const cs = [1, 2, 3, 4].map((i) => commit(repo, `c${i}`));
  const before = notesTip(repo);
  const recs = await ok(repo, 'sdd-link', ['many', '--commit', `${cs[0]},${cs[1]}`, '--commit', cs[1]!]);
  assert.equal(
    recs.map((r) => r.commit),
    [cs[0], cs[1]],
    'one record a commit, repeats dropped',
  );
  assert.is(before, null);
  assert.is(repo.git('rev-list', '--count', NOTES).trim(), '1');
  const fromRevList = await ok(repo, 'sdd-link', ['many', '--stdin'], { input: repo.git('rev-list', 'main~3..main') });
  assert.equal(
    fromRevList.map((r) => [r.commit, r.added]),
    [
      [cs[3], true],
      [cs[2], true],
      [cs[1], false],
    ],
  );
  assert.is(repo.git('rev-list', '--count', NOTES).trim(), '2', 'one notes commit for the batch');
  const ndjson = `{"kind":"link","commit":"${cs[0]}"}\n{"id":"${cs[3]}"}\n`;
  assert.equal(
    (await ok(repo, 'sdd-link', ['many'], { input: ndjson })).map((r) => r.commit),
    [cs[0], cs[3]],
    'no --commit and a piped stdin: read it',
  );
  assert.equal(
    (await ok(repo, 'sdd-link', ['many', '--commit', '-'], { input: `${cs[2]}\n` })).map((r) => r.commit),
    [cs[2]],
  );
  fails(
    await sase(repo, 'sdd-link', ['many'], { input: '' }),
    129,
    "error: no commit given (use '--commit <sha>', or pipe commits on stdin)",
  );
  fails(
    await sase(repo, 'sdd-link', ['many'], { input: '{"title":"x"}\n' }),
    128,
    "fatal: stdin:1: record has no 'commit' or 'id'",
  );
});

t('errors: unknown commit or plan, --phase misuse, ambiguity; nothing is written', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Tale', '--goal', 'g']);
  await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', 'Draft epic', '--goal', 'g']);
  const c = commit(repo, 'work');
  fails(await sase(repo, 'sdd-link', ['tale', '--commit', `${c},deadbeef`]), 4, "error: no commit 'deadbeef'");
  fails(
    await sase(repo, 'sdd-link', ['tale', '--commit', 'refs/sase/state:VERSION']),
    4,
    "error: no commit 'refs/sase/state:VERSION'",
  );
  assert.is(notesTip(repo), null, 'a failed link writes nothing, not even the good commit');
  fails(await sase(repo, 'sdd-link', ['nope', '--commit', c]), 4, "error: no plan 'nope'");
  fails(
    await sase(repo, 'sdd-link', ['tale', '--commit', c, '--phase', 'x']),
    129,
    "error: '--phase' is for epics; 'tale' is a tale",
  );
  fails(
    await sase(repo, 'sdd-link', ['draft-epic', '--commit', c, '--phase', 'first-phase']),
    1,
    "error: plan 'draft-epic' is draft and has no beads yet",
  );
  fails(
    await sase(repo, 'sdd-link', ['sdd/prompts/tale.md', '--commit', c]),
    129,
    "error: 'sdd/prompts/tale.md' is a prompt, not a plan",
  );
  fails(
    await sase(repo, 'sdd-link', ['tale', '--commit', c, '--stdin']),
    129,
    "error: give commits with '--commit' or on stdin, not both",
  );
  fails(await sase(repo, 'sdd-link', []), 129, 'error: no plan given');
  assert.is(notesTip(repo), null);
});

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'sdd-link', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--commit <revs>/);
  assert.match(r.stdout, /--phase <id>/);
});

t.run();
