// sase sync against a real bare remote in a temp folder, with clones of it:
// adoption, fast-forward, push, replay of diverged operations (fields of one
// bead, the same field, claims, ids minted twice, records merged three-way),
// notes merged, and the refusals (no remote, another root, a bad remote state).
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newRun, runPath, serializeRun } from '../../src/core/agents/run.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { cloneRepo, gitdir, scratchDir, type TestRepo } from '../helpers/gitdir.ts';
import { remoteTip, remoteWithState, syncedClone } from '../helpers/remote.ts';
import { ok, okBin, sase } from '../helpers/run.ts';
import {
  assertFsckOk,
  beadPathOf,
  beadRecord,
  blob,
  canonical,
  commitStateTree,
  opMessage,
  STATE,
  stateTip,
  stateTree,
  treeWith,
  writeStateCommit,
} from '../helpers/state.ts';

const t = suite('sync');

const beadIds = async (repo: TestRepo) => (await ok(repo, 'bead-list')).map((b) => b.id as string).sort();
const show = async (repo: TestRepo, id: string) => (await ok(repo, 'bead-show', [id]))[0]!;

t('a new clone adopts the remote state; then each side fast-forwards and pushes', async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  const [x] = await ok(a, 'bead-create', ['--title', 'x']);
  const first = await ok(a, 'sync');
  assert.is(first[0]!.action, 'pushed');
  assert.is(remoteTip(remote), stateTip(a));

  const b = cloneRepo(remote.dir);
  const adopted = await ok(b, 'sync');
  assert.equal([adopted[0]!.action, adopted[0]!.fetched > 0], ['adopted', true]);
  assert.equal(await beadIds(b), [x!.id]);
  // b works, pushes; a fast-forwards
  await ok(b, 'bead-update', [x!.id as string, '--priority', '0']);
  assert.is((await ok(b, 'sync'))[0]!.action, 'pushed');
  const ff = await ok(a, 'sync');
  assert.equal([ff[0]!.action, ff[0]!.fetched], ['fast-forward', 1]);
  assert.is((await show(a, x!.id as string)).priority, 0);
  assert.is((await ok(a, 'sync'))[0]!.action, 'none');
  await assertFsckOk(a);
  await assertFsckOk(b);
});

t('diverged clones: both edits of different fields land, in both, and the logs keep every operation', async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  const [x] = await ok(a, 'bead-create', ['--title', 'x']);
  await ok(a, 'sync');
  const b = await syncedClone(remote);
  const id = x!.id as string;
  await ok(a, 'bead-update', [id, '--title', 'from a']);
  await ok(a, 'bead-create', ['--title', 'only in a']);
  await ok(b, 'bead-update', [id, '--priority', '4']);
  await ok(b, 'bead-note', [id, 'a note from b']);
  await ok(a, 'sync');
  const r = await ok(b, 'sync');
  assert.equal([r[0]!.action, r[0]!.fetched, r[0]!.replayed, r[0]!.pushed], ['replayed', 2, 2, true]);
  assert.equal(r[0]!.overwritten, []);
  await ok(a, 'sync');
  assert.is(stateTip(a), stateTip(b));
  const seen = await show(a, id);
  assert.equal([seen.title, seen.priority], ['from a', 4]);
  assert.match(JSON.stringify(seen), /a note from b/);
  assert.is((await beadIds(a)).length, 2);
  // every operation of both sides is in the log
  const log = (await ok(a, 'log')).map((e) => e.op);
  assert.is(log.filter((o) => o === 'bead.update').length, 2);
  await assertFsckOk(a);
  await assertFsckOk(b);
});

t('the same field set on both sides: ours (replayed last) wins, and what it overwrote is said', async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  const [x] = await ok(a, 'bead-create', ['--title', 'x']);
  await ok(a, 'sync');
  const b = await syncedClone(remote);
  const id = x!.id as string;
  await ok(a, 'bead-update', [id, '--priority', '0']);
  await ok(b, 'bead-update', [id, '--priority', '4']);
  await ok(a, 'sync');
  const r = await sase(b, 'sync');
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.records[0]!.overwritten.map((o: { path: string; field: string; theirs: string }) => [o.path, o.field, o.theirs]),
    [[id, 'priority', '0']],
  );
  assert.match(r.stderr, new RegExp(`warning: '${id}' priority: ours replaced the other side's 0`));
  assert.is((await show(b, id)).priority, 4);
  await ok(a, 'sync');
  assert.is((await show(a, id)).priority, 4);
  const notes = await ok(a, 'notify-list', ['--kind', 'sync.overwritten']);
  assert.equal(
    notes.map((n) => [n.title, n.about[0]]),
    [[`sync with 'origin': ${id} priority overwritten`, { kind: 'bead', id }]],
  );
  await assertFsckOk(a);
});

t('a claim the other side made first: ours is left out, said, and the sync exits 3', async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  const [x] = await ok(a, 'bead-create', ['--title', 'x']);
  const [y] = await ok(a, 'bead-create', ['--title', 'y']);
  await ok(a, 'sync');
  const b = await syncedClone(remote);
  const id = x!.id as string;
  await ok(a, 'bead-claim', [id, '--as', 'alice']);
  await ok(b, 'bead-claim', [id, '--as', 'bob']);
  await ok(b, 'bead-update', [y!.id as string, '--priority', '0']);
  await ok(a, 'sync');
  const r = await sase(b, 'sync');
  assert.is(r.code, 3, r.stderr);
  assert.equal(
    r.records[0]!.left_out.map((l: { op: string }) => l.op),
    ['bead.claim'],
  );
  assert.match(r.stderr, /warning: left out 'claim /);
  // the rest of ours went through, and alice keeps the bead
  assert.equal([r.records[0]!.replayed, r.records[0]!.pushed], [1, true]);
  assert.is((await show(b, id)).assignee, 'alice');
  assert.is((await show(b, y!.id as string)).priority, 0);
  await ok(a, 'sync');
  assert.is(stateTip(a), stateTip(b));
  await assertFsckOk(b);
  // said where every clone sees it
  const notes = await ok(a, 'notify-list', ['--kind', 'sync.left_out']);
  assert.is(notes.length, 1);
  assert.match(notes[0]!.title, /^left out on sync with 'origin': claim /);
});

t(
  'an id minted on both sides: ours gets a fresh one, our later operations follow it, and the mapping is said',
  async () => {
    const { remote, a } = await remoteWithState(initedRepo);
    const b = await syncedClone(remote);
    const [x] = await ok(a, 'bead-create', ['--title', 'from a']);
    const id = x!.id as string;
    // b mints the same id (as bead create would have, had its random bytes been a's)
    const record = JSON.parse(a.git('cat-file', '-p', `${STATE}:${beadPathOf(id)}`));
    const mine = { ...record, title: 'from b' };
    writeStateCommit(
      b,
      { [beadPathOf(id)]: canonical(mine) },
      opMessage(`create ${id}`, { op: 'bead.create', bead: mine }),
    );
    await ok(b, 'bead-update', [id, '--priority', '0']);
    await ok(a, 'sync');
    const r = await sase(b, 'sync');
    assert.is(r.code, 0, r.stderr);
    const renamed = r.records[0]!.renamed as Array<{ from: string; to: string }>;
    assert.is(renamed.length, 1);
    assert.is(renamed[0]!.from, id);
    assert.match(r.stderr, new RegExp(`warning: '${id}' was minted on both sides: ours is now '${renamed[0]!.to}'`));
    const theirs = await show(b, id);
    const ours = await show(b, renamed[0]!.to);
    assert.equal([theirs.title, theirs.priority], ['from a', x!.priority]);
    assert.equal([ours.title, ours.priority], ['from b', 0]);
    await ok(a, 'sync');
    assert.is(stateTip(a), stateTip(b));
    await assertFsckOk(a);
  },
);

t('bead claim --remote: a claim counts once it is on the remote; the later claimer is told who holds it', async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  const [x] = await ok(a, 'bead-create', ['--title', 'x']);
  await ok(a, 'sync');
  const b = await syncedClone(remote);
  const id = x!.id as string;
  const won = await ok(a, 'bead-claim', [id, '--as', 'alice', '--remote']);
  assert.is(won[0]!.assignee, 'alice');
  assert.is(remoteTip(remote), stateTip(a));
  const lost = await sase(b, 'bead-claim', [id, '--as', 'bob', '--remote']);
  assert.is(lost.code, 3);
  assert.is(lost.stdout, '');
  assert.match(lost.stderr, new RegExp(`remote 'origin' had it claimed first: '${id}' \\(held by 'alice'\\)`));
  assert.is((await show(b, id)).assignee, 'alice');
  // [sync] claims = "remote" does the same without --remote
  const [w] = await ok(a, 'bead-create', ['--title', 'w']);
  await ok(a, 'sync');
  await ok(b, 'sync');
  await ok(a, 'bead-claim', [w!.id as string, '--as', 'alice', '--remote']);
  b.write('.sase/config.toml', '[sync]\nclaims = "remote"\n');
  const configured = await sase(b, 'bead-claim', [w!.id as string, '--as', 'bob']);
  assert.is(configured.code, 3, configured.stderr);
  assert.match(configured.stderr, /had it claimed first: .*held by 'alice'/);
  b.write('.sase/config.toml', '');
  // the remote gone: the claim is taken back
  const [y] = await ok(b, 'bead-create', ['--title', 'y']);
  b.git('remote', 'set-url', 'origin', join(scratchDir(), 'gone'));
  const offline = await sase(b, 'bead-claim', [y!.id as string, '--as', 'bob', '--remote']);
  assert.is(offline.code, 128);
  assert.match(offline.stderr, /^fatal: cannot reach remote 'origin'/);
  assert.equal([(await show(b, y!.id as string)).status, (await show(b, y!.id as string)).assignee], ['open', null]);
  await assertFsckOk(b);
});

t(
  '[sync] auto = true: a command that wrote syncs after itself; a sync that fails is a warning, the write stands',
  async () => {
    const { remote, a } = await remoteWithState(initedRepo);
    a.write('.sase/config.toml', '[beads]\nprefix = "ts"\n[sync]\nauto = true\n');
    const [x] = await ok(a, 'bead-create', ['--title', 'x']);
    assert.is(remoteTip(remote), stateTip(a));
    // a read writes nothing, and syncs nothing
    a.git('remote', 'set-url', 'origin', join(scratchDir(), 'gone'));
    assert.is((await sase(a, 'bead-show', [x!.id as string])).stderr, '');
    const r = await sase(a, 'bead-update', [x!.id as string, '--priority', '0']);
    assert.is(r.code, 0);
    assert.match(r.stderr, /^warning: \[sync\] auto: cannot reach remote 'origin': .*; the write stands here\n$/);
    assert.is((await show(a, x!.id as string)).priority, 0);
    // without the setting, nothing is synced
    a.git('remote', 'set-url', 'origin', remote.dir);
    a.write('.sase/config.toml', '[beads]\nprefix = "ts"\n');
    const before = remoteTip(remote);
    await ok(a, 'bead-update', [x!.id as string, '--priority', '1']);
    assert.is(remoteTip(remote), before);
  },
);

t("a run record is its machine's: our change to a run on another host is left out, that host's stands", async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  const run = newRun({
    id: 'r-0wn3d000',
    provider: 'fixture',
    created_at: '2026-01-01T00:00:00Z',
    status: 'running',
    host: 'elsewhere',
  });
  const write = (repo: TestRepo, r: typeof run, summary: string) =>
    writeStateCommit(
      repo,
      { [runPath(r.id)]: serializeRun(r) },
      opMessage(summary, {
        op: 'agent.wait',
        paths: [runPath(r.id)],
        at: '2026-01-01T00:00:00Z',
        actor: 'x@example.com',
      }),
    );
  write(a, run, 'agent start r-0wn3d000');
  await ok(a, 'sync');
  const b = await syncedClone(remote);
  // the machine that runs it moves it on; another clone edits it too
  write(a, { ...run, status: 'done', ended_at: '2026-01-01T01:00:00Z' }, 'agent end r-0wn3d000');
  write(b, { ...run, wait_reason: 'edited elsewhere' }, 'agent wait r-0wn3d000');
  await ok(a, 'sync');
  const r = await sase(b, 'sync');
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /run 'r-0wn3d000' runs on 'elsewhere': only that machine updates it/);
  assert.is((await ok(b, 'agent-show', ['r-0wn3d000']))[0]!.status, 'done');
});

t(
  'left out, said, exit 3: an update of a bead the other side removed; a dependency that would now close a cycle',
  async () => {
    const { remote, a } = await remoteWithState(initedRepo);
    const [x] = await ok(a, 'bead-create', ['--title', 'x']);
    const [y] = await ok(a, 'bead-create', ['--title', 'y']);
    const [z] = await ok(a, 'bead-create', ['--title', 'z']);
    await ok(a, 'sync');
    const b = await syncedClone(remote);
    const [xid, yid, zid] = [x!.id as string, y!.id as string, z!.id as string];
    await ok(a, 'bead-rm', [zid]);
    await ok(a, 'bead-dep-add', [xid, yid]);
    await ok(b, 'bead-update', [zid, '--priority', '0']);
    await ok(b, 'bead-dep-add', [yid, xid]);
    await ok(b, 'bead-update', [xid, '--title', 'kept']);
    await ok(a, 'sync');
    const r = await sase(b, 'sync');
    assert.is(r.code, 3, r.stderr);
    assert.equal(
      r.records[0]!.left_out.map((l: { op: string }) => l.op),
      ['bead.update', 'bead.dep-add'],
    );
    assert.match(r.stderr, new RegExp(`left out 'update ${zid}'.*no bead`));
    assert.match(r.stderr, /left out 'dep add .*would make a cycle/, r.stderr);
    assert.is((await show(b, xid)).title, 'kept');
    await ok(a, 'sync');
    assert.is(stateTip(a), stateTip(b));
    assert.is((await ok(a, 'notify-list', ['--kind', 'sync.left_out'])).length, 2);
    await assertFsckOk(a);
  },
);

t(
  'a plan edited on both sides: apart, the edits merge; overlapping, ours stands, theirs stays in its history, and is said',
  async () => {
    const { remote, a } = await remoteWithState(initedRepo);
    const text = (one: string, two: string) =>
      `---\ntier: tale\ntitle: Shared\ngoal: both edit it\nsize: small\n---\n${one}\n\nMiddle.\n\n${two}\n`;
    a.write('shared.md', text('First.', 'Last.'));
    await ok(a, 'sdd-put', ['shared.md']);
    await ok(a, 'sync');
    const b = await syncedClone(remote);
    a.write('shared.md', text('First, from a.', 'Last.'));
    await ok(a, 'sdd-put', ['shared.md']);
    b.write('shared.md', text('First.', 'Last, from b.'));
    await ok(b, 'sdd-put', ['shared.md']);
    await ok(a, 'sync');
    const merged = await ok(b, 'sync');
    assert.equal(merged[0]!.overwritten, []);
    const body = b.git('cat-file', '-p', `${STATE}:sdd/tales/shared.md`);
    assert.match(body, /First, from a\./);
    assert.match(body, /Last, from b\./);
    await ok(a, 'sync');
    // the same line on both sides
    a.write('shared.md', text('First, again from a.', 'Last, from b.'));
    await ok(a, 'sdd-put', ['shared.md']);
    b.write('shared.md', text('First, again from b.', 'Last, from b.'));
    await ok(b, 'sdd-put', ['shared.md']);
    await ok(a, 'sync');
    const r = await sase(b, 'sync');
    assert.is(r.code, 0, r.stderr);
    assert.equal(
      r.records[0]!.overwritten.map((o: { path: string }) => o.path),
      ['sdd/tales/shared.md'],
    );
    assert.match(b.git('cat-file', '-p', `${STATE}:sdd/tales/shared.md`), /First, again from b\./);
    const history = await ok(b, 'sdd-history', ['shared']);
    assert.ok(history.length >= 4, JSON.stringify(history));
    const versions = history.map((h) => b.git('cat-file', '-p', h.blob as string));
    assert.ok(versions.some((v) => v.includes('First, again from a.')));
    assert.ok(versions.some((v) => v.includes('First, again from b.')));
    await assertFsckOk(b);
  },
);

t('a change record edited on both sides merges three-way; an overlapping edit keeps ours and says so', async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  await ok(a, 'cs-new', ['feat', '--description', 'A feature']);
  await ok(a, 'sync');
  const b = await syncedClone(remote);
  await ok(a, 'cs-set', ['feat', '--cl', 'https://review.example.com/1']);
  await ok(b, 'cs-set', ['feat', '--status', 'Ready']);
  await ok(a, 'sync');
  const r = await ok(b, 'sync');
  assert.equal(r[0]!.overwritten, []);
  const cs = (await ok(b, 'cs-show', ['feat']))[0]!;
  assert.equal([cs.cl, cs.status], ['https://review.example.com/1', 'Ready']);
  await assertFsckOk(b);
  // the same field on both sides: ours, said
  await ok(a, 'sync');
  await ok(a, 'cs-set', ['feat', '--description', 'from a']);
  await ok(b, 'cs-set', ['feat', '--description', 'from b']);
  await ok(a, 'sync');
  const r2 = await sase(b, 'sync');
  assert.is(r2.code, 0, r2.stderr);
  assert.equal(
    r2.records[0]!.overwritten.map((o: { path: string; field: string }) => [o.path, o.field]),
    [['changes/feat.cs', 'description']],
  );
  assert.is((await ok(b, 'cs-show', ['feat']))[0]!.description, 'from b');
  await ok(a, 'sync');
  assert.is(stateTip(a), stateTip(b));
  await assertFsckOk(a);
});

t('notes merge as cat_sort_uniq: every line of both sides', async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  const b = await syncedClone(remote);
  const head = a.git('rev-parse', 'main').trim();
  assert.is(b.git('rev-parse', 'main').trim(), head);
  a.git('notes', '--ref=sase', 'add', '-m', '{"v":1,"agent":"r-aaaaaaaa"}', head);
  b.git('notes', '--ref=sase', 'add', '-m', '{"v":1,"agent":"r-bbbbbbbb"}', head);
  await ok(a, 'sync');
  const r = await ok(b, 'sync');
  assert.is(r[0]!.notes, 'merged');
  await ok(a, 'sync');
  for (const repo of [a, b])
    assert.is(
      repo.git('notes', '--ref=sase', 'show', head),
      '{"v":1,"agent":"r-aaaaaaaa"}\n{"v":1,"agent":"r-bbbbbbbb"}\n',
    );
});

t(
  'refused, nothing changed: an unreachable remote, another root, a remote state that is not what it says',
  async () => {
    const { remote, a } = await remoteWithState(initedRepo);
    const before = stateTip(a);
    const gone = await sase(a, 'sync', [join(scratchDir(), 'nowhere')]);
    assert.is(gone.code, 128);
    assert.match(gone.stderr, /^fatal: cannot reach remote '.*nowhere': /);
    assert.is(stateTip(a), before);

    // another clone that ran sase init on its own
    const other = await initedRepo('other');
    other.git('remote', 'add', 'origin', remote.dir);
    const unrelated = await sase(other, 'sync');
    assert.is(unrelated.code, 128);
    assert.match(unrelated.stderr, /^fatal: the state on remote 'origin' has another root than ours/);

    // a remote state with a record under another bead's name
    const [x] = await ok(a, 'bead-create', ['--title', 'x']);
    await ok(a, 'sync');
    const bad = await syncedClone(remote);
    const rec = blob(bad, canonical(beadRecord({ id: 'ts-zz999999' })));
    commitStateTree(
      bad,
      treeWith(bad, stateTree(bad), beadPathOf(x!.id as string), { mode: '100644', type: 'blob', oid: rec }),
    );
    bad.git('push', '-q', 'origin', `${STATE}:${STATE}`);
    const mine = stateTip(a);
    const refused = await sase(a, 'sync');
    assert.is(refused.code, 128);
    assert.match(
      refused.stderr,
      /^fatal: the state on remote 'origin' is refused: .*holds the record of 'ts-zz999999'/,
    );
    assert.is(stateTip(a), mine);
  },
);

t('--status counts operations ahead and behind; --dry-run and --no-push change nothing there', async () => {
  const { remote, a } = await remoteWithState(initedRepo);
  const b = await syncedClone(remote);
  await ok(a, 'bead-create', ['--title', 'x']);
  await ok(a, 'sync');
  await ok(b, 'bead-create', ['--title', 'y']);
  await ok(b, 'bead-create', ['--title', 'z']);
  const stale = (await ok(b, 'sync', ['--status']))[0]!;
  assert.equal([stale.ahead, stale.behind, stale.fetched], [2, 0, false]);
  const fresh = (await ok(b, 'sync', ['--status', '--fetch']))[0]!;
  assert.equal([fresh.ahead, fresh.behind, fresh.related], [2, 1, true]);
  const tip = stateTip(b);
  const dry = (await ok(b, 'sync', ['--dry-run']))[0]!;
  assert.equal([dry.action, dry.replayed, dry.dry_run], ['replayed', 2, true]);
  assert.is(stateTip(b), tip);
  const theirs = remoteTip(remote);
  const noPush = (await ok(b, 'sync', ['--no-push']))[0]!;
  assert.equal([noPush.action, noPush.pushed], ['replayed', false]);
  assert.is(remoteTip(remote), theirs);
  assert.is((await beadIds(b)).length, 3);
  const after = (await ok(b, 'sync', ['--status']))[0]!;
  assert.equal([after.ahead, after.behind], [2, 0]);
  assert.ok(after.last_sync);
});

t('through the real executable: a remote with no sase data gets ours', async () => {
  const remote = gitdir({ bare: true });
  const a = await initedRepo();
  a.git('remote', 'add', 'origin', remote.dir);
  await ok(a, 'bead-create', ['--title', 'x']);
  const out = okBin(a, 'sync');
  assert.equal([out[0]!.action, out[0]!.pushed], ['pushed', true]);
  assert.is(remoteTip(remote), stateTip(a));
});

t('usage errors', async () => {
  const a = await initedRepo();
  assert.is((await sase(a, 'sync', ['--fetch'])).code, 129);
  const none = await sase(a, 'sync');
  assert.is(none.code, 128);
  assert.match(none.stderr, /^fatal: no remote to sync with/);
});

t.run();
