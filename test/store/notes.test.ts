// refs/notes/sase written with plumbing: lines sorted and unique, git's own
// `git notes` reads what we write and we read what it writes (flat and
// fanned-out trees), and racing writers lose no note.
import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { machineClock, machineRandom } from '../../src/cli/context.ts';
import { appendNote, appendNotes, readNotes } from '../../src/store/notes.ts';
import { openStore } from '../../src/store/store.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { ok, type RunResult, saseProcess } from '../helpers/run.ts';
import { codeCommit as commit } from '../helpers/sdd-plans.ts';

const t = suite('store notes');
const NOTES = 'refs/notes/sase';

function noteOf(repo: TestRepo, c: string): string {
  return repo.git('notes', '--ref=sase', 'show', c);
}

function notesCommits(repo: TestRepo): number {
  return Number(repo.git('rev-list', '--count', NOTES).trim());
}

async function withStore<T>(
  repo: TestRepo,
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> {
  const store = await openStore(
    { cwd: repo.dir, env: repo.env },
    { clock: machineClock(repo.env), random: machineRandom },
  );
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

t('appendNote creates the ref, keeps lines sorted and unique, and git reads the note', async () => {
  const repo = gitdir();
  const c = commit(repo, 'work');
  await withStore(repo, async (store) => {
    assert.equal(await readNotes(store), new Map(), 'no notes ref: no notes');
    assert.is(await appendNote(store, c, { v: 1, plan: 'sdd/tales/x.md' }), true);
    assert.is(await appendNote(store, c, { plan: 'sdd/epics/a.md', v: 1, bead: 'ts-1' }), true);
    assert.is(await appendNote(store, c, { v: 1, plan: 'sdd/tales/x.md' }), false, 'the same line again');
  });
  assert.is(
    noteOf(repo, c),
    '{"v":1,"bead":"ts-1","plan":"sdd/epics/a.md"}\n{"v":1,"plan":"sdd/tales/x.md"}\n',
    'v first, keys sorted; lines sorted',
  );
  assert.is(notesCommits(repo), 2, 'a line already there writes nothing');
  assert.is(repo.git('log', '-1', '--format=%s', NOTES).trim(), `sase: note ${c}`);
  assert.match(repo.git('reflog', 'show', NOTES), /sase: note/, 'the ref has a reflog');
  assert.match(repo.git('log', '-1', '--notes=sase', '--format=%N', c), /"plan":"sdd\/tales\/x.md"/);
  repo.git('fsck', '--strict', '--no-dangling');
  await withStore(repo, async (store) => {
    const notes = await readNotes(store);
    assert.equal([...notes.keys()], [c]);
    assert.equal(notes.get(c), [
      { v: 1, bead: 'ts-1', plan: 'sdd/epics/a.md' },
      { v: 1, plan: 'sdd/tales/x.md' },
    ]);
  });
});

t('lines git wrote are kept; lines that are not JSON objects are not records', async () => {
  const repo = gitdir();
  const c = commit(repo, 'work');
  repo.git('notes', '--ref=sase', 'add', '-m', 'reviewed by a person', c);
  const d = commit(repo, 'more');
  repo.git('notes', '--ref=sase', 'add', '-m', '[1,2]\n{"v":1,"plan":"sdd/tales/y.md"}\n{broken', d);
  await withStore(repo, async (store) => {
    await appendNote(store, c, { v: 1, plan: 'sdd/tales/x.md' });
    const notes = await readNotes(store);
    assert.equal(notes.get(c), [{ v: 1, plan: 'sdd/tales/x.md' }]);
    assert.equal(notes.get(d), [{ v: 1, plan: 'sdd/tales/y.md' }]);
  });
  assert.is(noteOf(repo, c), 'reviewed by a person\n{"v":1,"plan":"sdd/tales/x.md"}\n');
  assert.is(repo.git('rev-list', '--count', `${NOTES}~1..${NOTES}`).trim(), '1', "our commit goes on top of git's");
});

t('a fanned-out notes tree (ab/cdef...) is read, edited in place, and grows inside its fan-out', async () => {
  const repo = gitdir();
  const c = commit(repo, 'one');
  const d = commit(repo, 'two');
  // a tree as git lays it out once notes are many: <2 chars>/<the rest>
  const noteBlob = execFileSync('git', ['hash-object', '-w', '--stdin'], {
    cwd: repo.dir,
    env: repo.env,
    input: '{"v":1,"plan":"sdd/tales/old.md"}\n',
    encoding: 'utf8',
  }).trim();
  const sub = execFileSync('git', ['mktree'], {
    cwd: repo.dir,
    env: repo.env,
    input: `100644 blob ${noteBlob}\t${c.slice(2)}\n`,
    encoding: 'utf8',
  }).trim();
  const root = execFileSync('git', ['mktree'], {
    cwd: repo.dir,
    env: repo.env,
    input: `040000 tree ${sub}\t${c.slice(0, 2)}\n`,
    encoding: 'utf8',
  }).trim();
  const notesCommit = repo.git('commit-tree', root, '-m', 'fanned out').trim();
  repo.git('update-ref', NOTES, notesCommit);
  assert.match(noteOf(repo, c), /old\.md/, 'git reads the fanned-out layout');

  await withStore(repo, async (store) => {
    assert.equal((await readNotes(store)).get(c), [{ v: 1, plan: 'sdd/tales/old.md' }]);
    assert.equal(
      await appendNotes(store, [
        { commit: c, record: { v: 1, plan: 'sdd/tales/new.md' } },
        { commit: d, record: { v: 1, plan: 'sdd/tales/new.md' } },
      ]),
      [true, true],
    );
  });
  const paths = repo.git('ls-tree', '-r', '--name-only', NOTES).split('\n').filter(Boolean).sort();
  assert.equal(
    paths,
    [`${c.slice(0, 2)}/${c.slice(2)}`, `${d.slice(0, 2)}/${d.slice(2)}`].sort(),
    'edited in place; the new note in its fan-out directory',
  );
  assert.is(noteOf(repo, c), '{"v":1,"plan":"sdd/tales/new.md"}\n{"v":1,"plan":"sdd/tales/old.md"}\n');
  assert.is(noteOf(repo, d), '{"v":1,"plan":"sdd/tales/new.md"}\n');
  assert.is(repo.git('log', '-1', '--format=%s', NOTES).trim(), 'sase: note 2 commits', 'both in one notes commit');
  repo.git('fsck', '--strict', '--no-dangling');
});

t('notes merge with cat_sort_uniq: two clones that noted one commit end with both lines', async () => {
  const repo = gitdir();
  const c = commit(repo, 'work');
  await withStore(repo, (store) => appendNote(store, c, { v: 1, plan: 'sdd/tales/a.md' }));
  const theirs = repo.git('rev-parse', NOTES).trim();
  repo.git('update-ref', 'refs/notes/theirs', theirs);
  await withStore(repo, (store) => appendNote(store, c, { v: 1, plan: 'sdd/tales/b.md' }));
  // their side: the same base plus another line, written by git itself
  repo.git('notes', '--ref=theirs', 'append', '-m', '{"v":1,"plan":"sdd/tales/c.md"}', c);
  repo.git('notes', '--ref=sase', 'merge', '-q', '-s', 'cat_sort_uniq', 'refs/notes/theirs');
  await withStore(repo, async (store) => {
    assert.equal((await readNotes(store)).get(c), [
      { v: 1, plan: 'sdd/tales/a.md' },
      { v: 1, plan: 'sdd/tales/b.md' },
      { v: 1, plan: 'sdd/tales/c.md' },
    ]);
  });
});

function explain(rs: RunResult[]): string {
  return rs.map((r, i) => `#${i} exit ${r.code}: ${r.stderr.trim()}`).join('\n');
}

t('10 processes linking different commits at once leave 10 notes', async () => {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Racing tale', '--goal', 'g']);
  const commits = Array.from({ length: 10 }, (_, i) => commit(repo, `racer ${i}`));
  const runs = await Promise.all(commits.map((c) => saseProcess(repo, 'sdd-link', ['racing-tale', '--commit', c])));
  assert.ok(
    runs.every((r) => r.code === 0),
    `every link exits 0:\n${explain(runs)}`,
  );
  await withStore(repo, async (store) => {
    const notes = await readNotes(store);
    assert.equal([...notes.keys()].sort(), [...commits].sort());
    for (const c of commits) assert.equal(notes.get(c), [{ v: 1, plan: 'sdd/tales/racing-tale.md' }]);
  });
  assert.is(notesCommits(repo), 10, 'one notes commit per link');
  assert.is(repo.git('rev-list', '--merges', '--count', NOTES).trim(), '0');
});

t.run();
