// The log is the state: after a long random mix of operations, replaying the
// log rebuilds the tip exactly (sase-fsck), and a tip that the log does not
// explain (hand-written commits, corrupt records, dangling references) is
// reported with the path or id at fault.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { prng } from '../helpers/kill.ts';
import { ok, sase } from '../helpers/run.ts';
import {
  assertFsckOk,
  beadPathOf,
  canonical,
  commitCount,
  fsck,
  opMessage,
  STATE,
  stateTip,
  writeStateCommit,
} from '../helpers/state.ts';

const t = suite('store replay');

const ALLOWED = [0, 1, 3, 4];

t('a long random sequence of operations replays to the tip exactly', async () => {
  const repo = await initedRepo();
  const seed = Number(process.env.SASE_TEST_SEED ?? 4242);
  const rand = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const ids: string[] = [];
  const epics: string[] = [];
  const workers = ['worker-1', 'worker-2', 'author@example.com'];
  const labels = ['ui', 'db', 'urgent', 'later'];
  const tally = new Map<string, number[]>();
  // what earlier outputs said, so that dep-rm, release and reopen mostly aim at
  // beads they can act on (the state may have moved on; a refusal is fine)
  const depPairs: Array<[string, string]> = [];
  const claimed = new Map<string, string>();
  const closed: string[] = [];
  const pickOr = <T>(xs: T[], fallback: () => T): T => (xs.length && rand() < 0.8 ? pick(xs) : fallback());
  const forget = (id: string) => {
    for (const list of [ids, epics])
      for (let i = list.length - 1; i >= 0; i--) if (list[i] === id || list[i]!.startsWith(id + '.')) list.splice(i, 1);
  };
  const steps = 180;
  for (let step = 0; step < steps; step++) {
    const r = rand();
    let name: string;
    let args: string[];
    if (r < 0.24 || ids.length < 3) {
      name = 'bead-create';
      const kind = rand();
      if (kind < 0.15)
        args = ['--title', `epic ${step}`, '--tier', 'epic', '--priority', String(Math.floor(rand() * 5))];
      else if (kind < 0.35 && epics.length)
        args = ['--title', `phase ${step}`, '--type', 'phase', '--parent', pick(epics)];
      else if (kind < 0.45 && ids.length) args = ['--title', `child ${step}`, '--parent', pick(ids)];
      else args = ['--title', `task ${step}`, '--label', pick(labels)];
      if (rand() < 0.2 && ids.length) args.push('--deps', pick(ids));
    } else if (r < 0.38) {
      name = 'bead-update';
      args = [pick(ids)];
      const what = rand();
      if (what < 0.25) args.push('--priority', String(Math.floor(rand() * 5)));
      else if (what < 0.45) args.push('--title', `retitled ${step}`);
      else if (what < 0.6) args.push('--status', 'in_progress');
      else if (what < 0.7) args.push('--status', 'open');
      else if (what < 0.85) args.push('--add-label', `${pick(labels)},${pick(labels)}`);
      else args.push('--remove-label', pick(labels));
    } else if (r < 0.45) {
      name = 'bead-note';
      args = [pick(ids), `note ${step}: "quoted", with\nsecond line`];
    } else if (r < 0.55) {
      name = 'bead-dep-add';
      args = [pick(ids), pick(ids)];
    } else if (r < 0.6) {
      name = 'bead-dep-rm';
      args = pickOr(depPairs, () => [pick(ids), pick(ids)] as [string, string]);
    } else if (r < 0.68) {
      name = 'bead-claim';
      args = [pick(ids), '--as', pick(workers)];
    } else if (r < 0.73) {
      name = 'bead-release';
      const id = pickOr([...claimed.keys()], () => pick(ids));
      const r2 = rand();
      // as the one who claimed it (a bead put in progress by hand has no assignee: no --as then)
      const by = claimed.get(id);
      args = [id, ...(r2 < 0.3 ? ['--force'] : r2 < 0.8 && by ? ['--as', by] : [])];
    } else if (r < 0.84) {
      name = 'bead-close';
      args = [pick(ids)];
      if (rand() < 0.4) args.push('--force', '--reason', `forced ${step}`);
      else if (rand() < 0.5) args.push('--reason', 'done', '--resolution', pick(['done', 'canceled', 'superseded']));
    } else if (r < 0.92) {
      name = 'bead-reopen';
      args = [pickOr(closed, () => pick(ids))];
    } else {
      name = 'bead-rm';
      args = [pick(ids), ...(rand() < 0.6 ? ['--force'] : [])];
    }
    const res = await sase(repo, name, args);
    const where = `step ${step} (seed ${seed}): sase-${name} ${JSON.stringify(args)}`;
    assert.ok(ALLOWED.includes(res.code), `${where} exited ${res.code}\n${res.stderr}`);
    assert.not.match(res.stderr, /BUG:|\n\s+at /, where);
    if (res.code !== 0) assert.match(res.stderr, /^error: /, `${where}: the refusal is explained`);
    tally.set(name, [...(tally.get(name) ?? [0, 0]).map((n, i) => n + (i === (res.code === 0 ? 0 : 1) ? 1 : 0))]);
    if (res.code !== 0) continue;
    if (name === 'bead-create') {
      const b = res.records[0]!;
      ids.push(b.id);
      if (b.tier === 'epic') epics.push(b.id);
    } else if (name === 'bead-rm') forget(args[0]!);
    for (const b of name === 'bead-rm' ? [] : res.records) {
      for (const d of b.dependencies ?? [])
        if (!depPairs.some(([x, y]) => x === b.id && y === d.depends_on_id)) depPairs.push([b.id, d.depends_on_id]);
      if (b.status === 'claimed' || b.status === 'in_progress') claimed.set(b.id, b.assignee);
      else claimed.delete(b.id);
      if (b.status === 'closed' && !closed.includes(b.id)) closed.push(b.id);
      if (b.status !== 'closed' && closed.includes(b.id)) closed.splice(closed.indexOf(b.id), 1);
    }
    if (name === 'bead-dep-rm') {
      const at = depPairs.findIndex(([x, y]) => x === args[0] && y === args[1]);
      if (at >= 0) depPairs.splice(at, 1);
    }
  }
  // the mix really exercised the operations, not only their refusals
  for (const n of [
    'bead-create',
    'bead-update',
    'bead-note',
    'bead-dep-add',
    'bead-dep-rm',
    'bead-claim',
    'bead-release',
    'bead-close',
    'bead-reopen',
    'bead-rm',
  ]) {
    assert.ok((tally.get(n)?.[0] ?? 0) > 0, `some ${n} succeeded: ${JSON.stringify([...tally])}`);
  }
  if (process.env.SASE_TEST_VERBOSE) console.log(JSON.stringify([...tally]));
  const res = await assertFsckOk(repo);
  const commits = Number(repo.git('rev-list', '--count', STATE).trim());
  assert.ok(commits > 100, `a long log (${commits} commits)`);
  assert.is(res.summary.operations, commits, 'every commit replayed');
  assert.is(res.summary.beads, (await ok(repo, 'bead-list', ['--status', 'all'])).length);
  assert.is(res.summary.tip, stateTip(repo));
});

/** A small state to tamper with: three beads, one depending on another. */
async function smallState(): Promise<{ repo: TestRepo; ids: string[] }> {
  const repo = await initedRepo();
  const [a] = await ok(repo, 'bead-create', ['--title', 'alpha']);
  const [b] = await ok(repo, 'bead-create', ['--title', 'beta', '--deps', a!.id]);
  const [c] = await ok(repo, 'bead-create', ['--title', 'gamma']);
  await ok(repo, 'bead-note', [c!.id, 'hello']);
  await assertFsckOk(repo);
  return { repo, ids: [a!.id, b!.id, c!.id] };
}

function blobAt(repo: TestRepo, path: string): string {
  return repo.git('cat-file', 'blob', `${STATE}:${path}`);
}

const noteOp = (id: string, text: string) => ({
  op: 'bead.note',
  id,
  text,
  at: '2025-06-01T00:00:00Z',
  actor: 'author@example.com',
});

t(
  'a hand-written commit whose content its operation does not produce is a replay problem naming the path',
  async () => {
    const { repo, ids } = await smallState();
    const id = ids[0]!;
    const path = beadPathOf(id);
    const record = JSON.parse(blobAt(repo, path));
    // the operation says "add a note"; the content changes the title instead
    const tampered = canonical({ ...record, title: 'changed behind sase' });
    const before = commitCount(repo);
    writeStateCommit(repo, { [path]: tampered }, opMessage(`note ${id}`, noteOp(id, 'innocent')));
    assert.is(commitCount(repo), before + 1);
    const res = await fsck(repo);
    assert.is(res.code, 1);
    assert.is(res.summary.ok, false);
    const replay = res.problems.filter((p) => p.check === 'replay');
    assert.is(replay.length, 1, JSON.stringify(res.problems));
    assert.ok(replay[0]!.message.includes(path), replay[0]!.message);
    assert.not.ok(
      res.problems.some((p) => p.check === 'record'),
      'the record itself is well formed',
    );
    // structural checks alone do not see it
    assert.is((await sase(repo, 'fsck', ['--no-replay'])).code, 0);
  },
);

t('a commit that adds a file no operation explains is a replay problem', async () => {
  const { repo, ids } = await smallState();
  const id = ids[2]!;
  // a note whose commit also slips a new, well-formed bead in
  const extra = 'ts-zzsneak1';
  const record = JSON.parse(blobAt(repo, beadPathOf(id)));
  const sneak = { ...record, id: extra, title: 'sneaked in', notes: '' };
  writeStateCommit(repo, { [beadPathOf(extra)]: canonical(sneak) }, opMessage(`note ${id}`, noteOp(id, 'x')));
  const res = await fsck(repo);
  assert.is(res.code, 1);
  const replay = res.problems.find((p) => p.check === 'replay');
  assert.ok(replay, JSON.stringify(res.problems));
  assert.ok(replay!.message.includes(beadPathOf(extra)), replay!.message);
});

t('a corrupt record (not JSON) is a record problem naming the path, and readers fail cleanly', async () => {
  const { repo, ids } = await smallState();
  const id = ids[2]!;
  const path = beadPathOf(id);
  writeStateCommit(repo, { [path]: '{"kind": "bead", "id": \n' }, opMessage(`note ${id}`, noteOp(id, 'x')));
  const res = await fsck(repo);
  assert.is(res.code, 1);
  const record = res.problems.filter((p) => p.check === 'record');
  assert.is(record.length, 1, JSON.stringify(res.problems));
  assert.is(record[0]!.path, path);
  assert.ok(record[0]!.message.includes(path), record[0]!.message);
  // a command that reads the bead says the state is corrupt, it does not crash
  const show = await sase(repo, 'bead-show', [id]);
  assert.is(show.code, 128, show.stderr);
  assert.match(show.stderr, /^fatal: /);
  assert.ok(show.stderr.includes(path), show.stderr);
  assert.not.match(show.stderr, /BUG:|\n\s+at /);
  // and a write on it changes nothing
  const before = stateTip(repo);
  const close = await sase(repo, 'bead-close', [id]);
  assert.is(close.code, 128, close.stderr);
  assert.is(stateTip(repo), before);
});

t('a record that is JSON but not a bead is a record problem', async () => {
  const { repo, ids } = await smallState();
  const id = ids[1]!;
  const path = beadPathOf(id);
  const record = JSON.parse(blobAt(repo, path));
  writeStateCommit(
    repo,
    { [path]: canonical({ ...record, status: 'exploded' }) },
    opMessage(`note ${id}`, noteOp(id, 'x')),
  );
  const res = await fsck(repo);
  assert.is(res.code, 1);
  const problem = res.problems.find((p) => p.check === 'record');
  assert.ok(problem, JSON.stringify(res.problems));
  assert.is(problem!.path, path);
  assert.match(problem!.message, /status/);
});

t('a dependency on a missing id is a reference problem', async () => {
  const { repo, ids } = await smallState();
  const id = ids[1]!;
  const path = beadPathOf(id);
  const record = JSON.parse(blobAt(repo, path));
  record.dependencies.push({
    depends_on_id: 'ts-missing1',
    created_at: '2025-06-01T00:00:00Z',
    created_by: 'author@example.com',
  });
  writeStateCommit(
    repo,
    { [path]: canonical(record) },
    opMessage(`dep add ${id} -> ts-missing1`, {
      op: 'bead.dep-add',
      id,
      blocker: 'ts-missing1',
      at: '2025-06-01T00:00:00Z',
      actor: 'author@example.com',
    }),
  );
  const res = await fsck(repo);
  assert.is(res.code, 1);
  const ref = res.problems.filter((p) => p.check === 'reference');
  assert.is(ref.length, 1, JSON.stringify(res.problems));
  assert.is(ref[0]!.id, id);
  assert.ok(ref[0]!.message.includes('ts-missing1'), ref[0]!.message);
  // replaying the dep-add fails (its blocker never existed): a log problem for that commit
  const log = res.problems.find((p) => p.check === 'log');
  assert.ok(log, JSON.stringify(res.problems));
  assert.is(log!.commit, stateTip(repo));
});

t('a commit without an operation, and an unknown operation, are log problems', async () => {
  const { repo, ids } = await smallState();
  const path = beadPathOf(ids[0]!);
  const same = blobAt(repo, path);
  writeStateCommit(repo, { [path]: same }, 'sase: nothing to see\n\nno trailer here\n');
  const first = stateTip(repo);
  writeStateCommit(repo, { [path]: same }, opMessage('frobnicate', { op: 'bead.frobnicate', ids: [ids[0]] }));
  const res = await fsck(repo);
  assert.is(res.code, 1);
  const log = res.problems.filter((p) => p.check === 'log');
  assert.is(log.length, 2, JSON.stringify(res.problems));
  assert.is(log[0]!.commit, first);
  assert.match(log[1]!.message, /bead\.frobnicate/);
  assert.is(res.summary.operations, commitCount(repo) - 2);
});

t('after undoing a bad write through the reflog, fsck passes again', async () => {
  const { repo, ids } = await smallState();
  const good = stateTip(repo)!;
  const path = beadPathOf(ids[0]!);
  writeStateCommit(repo, { [path]: 'garbage\n' }, opMessage('note', noteOp(ids[0]!, 'x')));
  assert.is((await fsck(repo)).code, 1);
  assert.is(repo.git('rev-parse', `${STATE}@{1}`).trim(), good);
  repo.git('update-ref', STATE, `${STATE}@{1}`);
  await assertFsckOk(repo);
});

t.run();
