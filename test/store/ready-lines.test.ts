// The ready list's lines of a cold build (store/ready-lines.ts): made in a
// thread of their own from READY_LINES_THREAD_FROM beads, the same bytes as
// on the main thread and as a warm `bead ready` prints; a thread that fails
// leaves the work to the main thread, which refuses a bad record as any read
// does; and the thread's bundle is there for the real launcher.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openRepo } from '../../src/git/repo.ts';
import { ownModulePath, startThread } from '../../src/proc/thread.ts';
import {
  makeReadyLines,
  READY_LINES_THREAD_FROM,
  type ReadyLines,
  type ReadyLinesJob,
  startReadyLines,
} from '../../src/store/ready-lines.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { sase, saseBin } from '../helpers/run.ts';

const t = suite('store ready lines');

const here = dirname(fileURLToPath(import.meta.url));
const threadModule = ownModulePath('ready-lines-thread', join(here, '..', '..', 'src', 'store', 'ready-lines.ts'));
const dropCache = (repo: TestRepo) => rmSync(join(repo.dir, '.git', 'sase', 'cache'), { recursive: true, force: true });
const text = (made: ReadyLines) => Buffer.from(made.body).toString('utf8');

let repo: TestRepo;
const count = READY_LINES_THREAD_FROM + 200;

t.before(async () => {
  repo = await initedRepo();
  // every bead ready but a few: one closed, one blocked by an open bead
  const beads = Array.from({ length: count }, (_, i) => ({
    id: `ts-r${String(i).padStart(5, '0')}`,
    title: `ready bead ${i} ${'x'.repeat(i % 50)}`,
    status: i === 3 ? 'closed' : 'open',
    priority: i % 5,
    created_at: `2025-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    ...(i === 5 ? { dependencies: [{ depends_on_id: 'ts-r00006', type: 'blocks' }] } : {}),
  }));
  const file = join(repo.home, 'beads.ndjson');
  writeFileSync(file, `${beads.map((b) => JSON.stringify(b)).join('\n')}\n`);
  assert.is((await sase(repo, 'bead-import', [file])).code, 0);
});

/** The job for every ready bead, as a warm `bead ready` lists them. */
async function jobOf(r: TestRepo): Promise<{ job: ReadyLinesJob; printed: string }> {
  const ready = await sase(r, 'bead-ready', ['--json']);
  assert.is(ready.code, 0, ready.stderr);
  const repoInfo = await openRepo({ cwd: r.dir, env: r.env });
  const oids = new Map(
    r
      .git('ls-tree', '-r', 'refs/sase/state', 'beads')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(l.lastIndexOf('/') + 1, -'.json'.length), l.split(/\s/)[2]!]),
  );
  const beads = ready.records.map((b) => ({ id: b.id as string, oid: oids.get(b.id)!, short: b.short_id as string }));
  return { job: { repo: repoInfo, beads }, printed: ready.stdout };
}

t('the thread makes the lines the main thread makes, and a warm `bead ready` prints', async () => {
  const { job: all, printed } = await jobOf(repo);
  assert.is(all.beads.length, count - 2, 'all but the closed and the blocked bead');
  // every tenth record asked for too (the mirror's, for a shard whose beads are all ready)
  const job = { ...all, beads: all.beads.map((b, i) => ({ ...b, keep: i % 10 === 0 })) };
  assert.ok(threadModule, 'the thread module is found beside ready-lines.ts');
  const thread = await startThread<ReadyLinesJob, ReadyLines>(threadModule, job);
  const inThread = await thread!.result;
  assert.ok(inThread, 'the thread posted its lines');
  const onMain = await makeReadyLines(job);
  assert.is(text(inThread!), text(onMain));
  assert.equal(inThread!.lengths, onMain.lengths);
  const wanted = job.beads.filter((b) => b.keep).map((b) => repo.git('cat-file', 'blob', b.oid));
  for (const made of [inThread!, onMain]) {
    assert.equal(
      made.recordLengths,
      wanted.map((w) => Buffer.byteLength(w)),
    );
    assert.is(Buffer.from(made.records).toString('utf8'), wanted.join(''));
  }
  assert.is(text(onMain), printed);
  // the one the cold build uses: in a thread from READY_LINES_THREAD_FROM beads
  assert.is(text(await (await startReadyLines(job))()), printed);
});

t('a cold `bead ready` prints what a warm one does, in process and through the launcher', async () => {
  const warm = await sase(repo, 'bead-ready', ['--json']);
  dropCache(repo);
  const cold = await sase(repo, 'bead-ready', ['--json']);
  assert.is(cold.code, 0, cold.stderr);
  assert.is(cold.stdout, warm.stdout);
  dropCache(repo);
  const launched = saseBin(repo, 'bead-ready', ['--json']);
  assert.is(launched.code, 0, launched.stderr);
  assert.is(launched.stdout, warm.stdout);
  assert.is(launched.records.length, count - 2);
});

t('a thread that fails leaves the work to the main thread, which refuses a bad record naming it', async () => {
  const { job } = await jobOf(repo);
  writeFileSync(join(repo.home, 'bad.json'), '{"kind":"bead",');
  const bad = repo.git('hash-object', '-w', join(repo.home, 'bad.json')).trim();
  const broken: ReadyLinesJob = { ...job, beads: job.beads.map((b, i) => (i === 7 ? { ...b, oid: bad } : b)) };
  const thread = await startThread<ReadyLinesJob, ReadyLines>(threadModule, broken);
  assert.is(await thread!.result, null, 'the thread posts {error}: no lines');
  const err = await (await startReadyLines(broken))().catch((e: Error) => e);
  assert.instance(err, Error);
  assert.match(
    (err as Error).message,
    `beads/${broken.beads[7]!.id.slice(3, 5)}/${broken.beads[7]!.id}.json: not valid JSON`,
  );
  // a module that is not there: no thread, and the caller does the work
  assert.is(await startThread(null, job), null);
  assert.is(ownModulePath('no-such-module', join(here, 'x.ts')), null);
});

t.run();
