import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { BIN, fails, ok, sase } from '../helpers/run.ts';
import { commitCount, stateTip } from '../helpers/state.ts';

const t = suite('bead-close');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';

const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const close = (args: string[], input?: string) => ok(repo, 'bead-close', args, { env: { SASE_NOW: T1 }, input });

t('closes a bead with its reason and resolution, in one commit', async () => {
  const a = await create('--title', 'ship it');
  const before = commitCount(repo);
  const [r, ...rest] = await close([a.short_id, '--reason', 'shipped in #42']);
  assert.is(rest.length, 0);
  assert.equal(r, {
    ...a,
    status: 'closed',
    closed_at: T1,
    close_reason: 'shipped in #42',
    resolution: 'done',
    updated_at: T1,
  });
  assert.is(commitCount(repo), before + 1);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: close ${a.id}`);
  const b = await create('--title', 'drop it');
  const [c] = await close([b.id, '--resolution', 'canceled']);
  assert.equal([c!.status, c!.close_reason, c!.resolution], ['closed', null, 'canceled']);
  assert.equal(
    (await ok(repo, 'bead-list', ['--status', 'closed', '--format', 'json'])).map((x) => x.id).sort(),
    [a.id, b.id].sort(),
  );
});

t('closing an already closed bead is a no-op: exit 0, the bead printed unchanged, no new commit', async () => {
  const a = await create('--title', 'twice');
  const [first] = await close([a.id, '--reason', 'first']);
  const tip = stateTip(repo);
  const r = await sase(repo, 'bead-close', [a.id, '--reason', 'second'], { env: { SASE_NOW: '2026-03-03T00:00:00Z' } });
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.equal(r.records, [first]);
  assert.is(stateTip(repo), tip);
});

t('a closed blocker unblocks the beads that depend on it', async () => {
  const blocker = await create('--title', 'blocker');
  const waiter = await create('--title', 'waiter', '--deps', blocker.id);
  assert.is((await ok(repo, 'bead-show', [waiter.id]))[0]!.blocked, true);
  await close([blocker.id]);
  assert.is((await ok(repo, 'bead-show', [waiter.id]))[0]!.blocked, false);
  assert.ok((await ok(repo, 'bead-ready', ['--format', 'json'])).some((x) => x.id === waiter.id));
});

t('exit 1: an epic with open phases is refused, naming them; --force --reason closes them too', async () => {
  const epic = await create('--title', 'Epic', '--tier', 'epic');
  const p1 = await create('--title', 'One', '--type', 'phase', '--parent', epic.id);
  const p2 = await create('--title', 'Two', '--type', 'phase', '--parent', epic.id);
  const p3 = await create('--title', 'Three', '--type', 'phase', '--parent', epic.id);
  await close([p3.id]);
  const tip = stateTip(repo);
  const r = await sase(repo, 'bead-close', [epic.short_id]);
  fails(r, 1, `error: bead '${epic.id}' has open children: ${p1.id}, ${p2.id}`);
  assert.is(r.stderr.split('\n')[1], 'hint: close them first, or use --force --reason R to close them too');
  fails(await sase(repo, 'bead-close', [epic.id, '--force']), 129, 'error: --force needs a --reason');
  assert.is(stateTip(repo), tip);
  const out = await close([epic.id, '--force', '--reason', 'dropped', '--resolution', 'superseded']);
  assert.equal(out.map((x) => x.id).sort(), [epic.id, p1.id, p2.id].sort());
  for (const x of out)
    assert.equal([x.status, x.close_reason, x.resolution, x.closed_at], ['closed', 'dropped', 'superseded', T1]);
  assert.is(commitCount(repo), Number(repo.git('rev-list', '--count', tip!).trim()) + 1);
  // the phase closed before keeps its own close
  assert.equal((await ok(repo, 'bead-show', [p3.id]))[0]!.close_reason, null);
  // children named with their parent need no force
  const e2 = await create('--title', 'Epic 2', '--tier', 'epic');
  const q1 = await create('--title', 'Q', '--type', 'phase', '--parent', e2.id);
  assert.equal(
    (await close([e2.id, q1.id])).map((x) => x.status),
    ['closed', 'closed'],
  );
});

t('ids from --stdin, a lone -, and a real pipeline from bead list', async () => {
  const a = await create('--title', 'a', '--label', 'batch');
  const b = await create('--title', 'b', '--label', 'batch');
  const c = await create('--title', 'c');
  assert.equal(
    (await close(['--stdin', '--reason', 's'], `${a.id}\n`)).map((x) => x.id),
    [a.id],
  );
  assert.equal(
    (await close(['-'], `{"id":"${c.id}"}\n`)).map((x) => x.id),
    [c.id],
  );
  await ok(repo, 'bead-reopen', [a.id]);
  const before = commitCount(repo);
  const out = execFileSync('sh', ['-c', 'sase-bead-list --label batch | sase-bead-close --reason batch'], {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}`, SASE_NOW: T1 },
    encoding: 'utf8',
  });
  const recs = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(
    recs.map((x) => [x.id, x.status, x.close_reason]).sort(),
    [
      [a.id, 'closed', 'batch'],
      [b.id, 'closed', 'batch'],
    ].sort(),
  );
  assert.is(commitCount(repo), before + 1);
});

t('--format id and --format text', async () => {
  const a = await create('--title', 'fmt');
  const r = await sase(repo, 'bead-close', [a.id, '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${a.id}\n`);
  const b = await create('--title', 'fmt text');
  const text = await sase(repo, 'bead-close', [b.id, '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  // one readable line, not a one-row table with headers
  assert.is(text.stdout, `closed ${b.short_id}: fmt text\n`);
  // closing it again changes nothing, and says so
  const again = await sase(repo, 'bead-close', [b.id, '--format', 'text']);
  assert.is(again.stdout, `unchanged ${b.short_id}: fmt text\n`);
});

t('exit 4: no bead matches an id; nothing is closed', async () => {
  const a = await create('--title', 'stays open');
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-close', [a.id, 'ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  assert.is(stateTip(repo), tip);
  assert.is((await ok(repo, 'bead-show', [a.id]))[0]!.status, 'open');
});

t('exit 129: bad values and no ids', async () => {
  const a = await create('--title', 'x');
  fails(
    await sase(repo, 'bead-close', [a.id, '--resolution', 'wontfix']),
    129,
    "error: option '--resolution': 'wontfix' is not one of done, canceled, superseded",
  );
  fails(
    await sase(repo, 'bead-close', [a.id, '--reason', 'a\u0007b']),
    129,
    'error: reason must not contain control characters',
  );
  const tip = repo.git('rev-parse', 'refs/sase/state');
  // an empty pipe used to close nothing and succeed: no ids is a usage error
  fails(await sase(repo, 'bead-close', []), 129, 'error: no bead ids given (as arguments or on stdin)');
  fails(
    await sase(repo, 'bead-close', ['--stdin'], { input: '\n\n' }),
    129,
    'error: no bead ids given (as arguments or on stdin)',
  );
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip);
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-close', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-bead-close [--reason <text>] [--resolution <r>] [--force] [--stdin] [--format <format>] [--json] [<id>...]\n',
    ),
    r.stdout,
  );
});

t.run();
