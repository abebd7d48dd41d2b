import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { BIN, fails, ok, sase, saseProcess } from '../helpers/run.ts';
import { commitCount, stateTip } from '../helpers/state.ts';

const t = suite('bead-claim');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const ME = 'author@example.com';

const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const claim = (args: string[], input?: string) => ok(repo, 'bead-claim', args, { env: { SASE_NOW: T1 }, input });

function sh(script: string): string {
  return execFileSync('sh', ['-c', script], {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}`, SASE_NOW: T1 },
    encoding: 'utf8',
  });
}

t('claims open beads: status claimed, assignee set, one commit', async () => {
  const a = await create('--title', 'a');
  const b = await create('--title', 'b');
  const before = commitCount(repo);
  const out = await claim([a.short_id, b.id, '--as', 'worker-1']);
  assert.equal(out, [
    { ...a, status: 'claimed', assignee: 'worker-1', updated_at: T1 },
    { ...b, status: 'claimed', assignee: 'worker-1', updated_at: T1 },
  ]);
  assert.is(commitCount(repo), before + 1);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: claim ${a.id} ${b.id}`);
  // without --as, the git author claims
  const c = await create('--title', 'c');
  assert.is((await claim([c.id]))[0]!.assignee, ME);
  assert.not.ok((await ok(repo, 'bead-ready')).some((x) => [a.id, b.id, c.id].includes(x.id)));
});

t('exit 3: a bead that is not open is a conflict naming its holder, and nothing is claimed', async () => {
  const held = await create('--title', 'held');
  const free = await create('--title', 'free');
  const done = await create('--title', 'done');
  await claim([held.id, '--as', 'w1']);
  await ok(repo, 'bead-close', [done.id]);
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'bead-claim', [free.id, held.id, '--as', 'w2']),
    3,
    `error: bead '${held.id}' is not open (it is claimed by 'w1')`,
  );
  fails(
    await sase(repo, 'bead-claim', [done.id, '--as', 'w2']),
    3,
    `error: bead '${done.id}' is not open (it is closed)`,
  );
  await ok(repo, 'bead-update', [held.id, '--status', 'in_progress']);
  const tip2 = stateTip(repo);
  fails(
    await sase(repo, 'bead-claim', [held.id, '--as', 'w2']),
    3,
    `error: bead '${held.id}' is not open (it is in_progress by 'w1')`,
  );
  assert.is(stateTip(repo), tip2);
  assert.is(commitCount(repo), Number(repo.git('rev-list', '--count', tip!).trim()) + 1);
  const [f] = await ok(repo, 'bead-show', [free.id]);
  assert.equal([f!.status, f!.assignee], ['open', null]);
});

t('racing claimants: exactly one wins, the others exit 3 having changed nothing', async () => {
  const r2 = await initedRepo();
  const [x] = await ok(r2, 'bead-create', ['--title', 'contested']);
  const results = await Promise.all([1, 2, 3, 4].map((n) => saseProcess(r2, 'bead-claim', [x!.id, '--as', `w${n}`])));
  const winners = results.filter((r) => r.code === 0);
  assert.is(winners.length, 1, results.map((r) => `${r.code} ${r.stderr}`).join('\n'));
  const winner = winners[0]!.records[0]!.assignee;
  for (const r of results.filter((r) => r.code !== 0)) {
    assert.is(r.code, 3);
    assert.is(r.stderr.split('\n')[0], `error: bead '${x!.id}' is not open (it is claimed by '${winner}')`);
  }
  assert.is((await ok(r2, 'bead-show', [x!.id]))[0]!.assignee, winner);
  assert.is(Number(r2.git('rev-list', '--count', 'refs/sase/state').trim()), 3); // init, create, one claim
});

t('sase-bead-ready | sase-bead-claim --as w claims every ready bead', async () => {
  const r3 = await initedRepo();
  const mk = async (...args: string[]) => (await ok(r3, 'bead-create', args))[0]!;
  const blocker = await mk('--title', 'blocker');
  await mk('--title', 'blocked', '--deps', blocker.id);
  const other = await mk('--title', 'other');
  const ready = (await ok(r3, 'bead-ready')).map((x) => x.id);
  assert.equal(ready.sort(), [blocker.id, other.id].sort());
  const out = execFileSync('sh', ['-c', 'sase-bead-ready | sase-bead-claim --as w'], {
    cwd: r3.dir,
    env: { ...r3.env, PATH: `${BIN}:${r3.env.PATH}` },
    encoding: 'utf8',
  });
  const recs = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(recs.map((x) => x.id).sort(), ready.sort());
  assert.ok(recs.every((x) => x.status === 'claimed' && x.assignee === 'w'));
  assert.equal(await ok(r3, 'bead-ready'), []);
  assert.equal((await ok(r3, 'bead-list', ['--assignee', 'w'])).map((x) => x.id).sort(), ready.sort());
});

t('ids from --stdin, a lone -, piped ids and records; --limit 1 takes the most urgent', async () => {
  const a = await create('--title', 'a');
  const b = await create('--title', 'b');
  const c = await create('--title', 'c');
  assert.equal(
    (await claim(['--stdin', '--as', 's'], `${a.short_id}\n`)).map((x) => x.id),
    [a.id],
  );
  assert.equal(
    (await claim(['-', '--as', 's'], `${JSON.stringify({ id: b.id })}\n`)).map((x) => x.id),
    [b.id],
  );
  assert.equal(
    (await claim(['--as', 's'], `${c.id}\n`)).map((x) => x.id),
    [c.id],
  );
  const top = await create('--title', 'top', '--priority', '0');
  const out = sh('sase-bead-ready --limit 1 | sase-bead-claim --as urgent --format id');
  assert.is(out, `${top.id}\n`);
});

t('--format id and --format text', async () => {
  const a = await create('--title', 'fmt');
  const r = await sase(repo, 'bead-claim', [a.id, '--as', 'w', '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${a.id}\n`);
  const b = await create('--title', 'fmt text');
  const text = await sase(repo, 'bead-claim', [b.id, '--as', 'w9', '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  // one readable line, not a one-row table with headers
  assert.is(text.stdout, `claimed ${b.short_id}: fmt text\n`);
});

t('exit 3: a bead whose blockers are open is refused, naming them; --force claims it anyway', async () => {
  const first = await create('--title', 'first');
  const second = await create('--title', 'second');
  const after = await create('--title', 'after');
  await ok(repo, 'bead-dep-add', [after.id, first.id]);
  await ok(repo, 'bead-dep-add', [after.id, second.id]);
  const tip = stateTip(repo);
  // it used to be claimed, blockers open
  fails(
    await sase(repo, 'bead-claim', [after.id, '--as', 'w1']),
    3,
    `error: bead '${after.id}' is blocked by '${first.id}', '${second.id}'`,
  );
  assert.is(stateTip(repo), tip, 'nothing claimed');
  await ok(repo, 'bead-close', [first.id]);
  fails(await sase(repo, 'bead-claim', [after.id]), 3, `error: bead '${after.id}' is blocked by '${second.id}'`);
  const [forced] = await claim([after.id, '--as', 'w1', '--force']);
  assert.is(forced!.status, 'claimed');
  assert.is(forced!.assignee, 'w1');
});

t('claiming again as the holder is a no-op: exit 0, no commit; as another it is a conflict', async () => {
  const a = await create('--title', 'mine');
  await claim([a.id, '--as', 'w1']);
  const tip = stateTip(repo);
  const r = await sase(repo, 'bead-claim', [a.id, '--as', 'w1'], { env: { SASE_NOW: T1 } });
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.records.map((b) => [b.id, b.status, b.assignee]),
    [[a.id, 'claimed', 'w1']],
  );
  assert.is(stateTip(repo), tip, 'nothing committed');
  // held and new together: only the new one is claimed
  const b = await create('--title', 'new');
  assert.equal(
    (await claim([a.id, b.id, '--as', 'w1'])).map((x) => x.id),
    [b.id],
  );
  await ok(repo, 'bead-update', [a.id, '--status', 'in_progress']);
  assert.is((await sase(repo, 'bead-claim', [a.id, '--as', 'w1'])).code, 0, 'in progress by the holder');
  fails(
    await sase(repo, 'bead-claim', [a.id, '--as', 'w2']),
    3,
    `error: bead '${a.id}' is not open (it is in_progress by 'w1')`,
  );
});

t('exit 4: no bead matches an id; nothing is claimed', async () => {
  const a = await create('--title', 'left');
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-claim', [a.id, 'ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  assert.is(stateTip(repo), tip);
});

t('exit 129: a bad --as, and no ids', async () => {
  const a = await create('--title', 'x');
  fails(await sase(repo, 'bead-claim', [a.id, '--as', ' ']), 129, 'error: --as must not be empty');
  fails(
    await sase(repo, 'bead-claim', [a.id, '--as', 'a\nb']),
    129,
    'error: --as must be one line without control characters',
  );
  const tip = repo.git('rev-parse', 'refs/sase/state');
  // ready | claim with nothing ready used to succeed silently: no ids is a usage error
  fails(
    await sase(repo, 'bead-claim', ['--as', 'w'], { input: '' }),
    129,
    'error: no bead ids given (as arguments or on stdin)',
  );
  fails(
    await sase(repo, 'bead-claim', ['--as', 'w'], { input: '\n  \n' }),
    129,
    'error: no bead ids given (as arguments or on stdin)',
  );
  assert.is(repo.git('rev-parse', 'refs/sase/state'), tip);
  fails(
    await sase(repo, 'bead-claim', ['--stdin'], { input: 'two words\n' }),
    128,
    'fatal: stdin:1: not an id or a JSON object',
  );
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-claim', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-bead-claim [--as <name>] [--force] [--remote] [--stdin] [--format <format>] [--json] [<id>...]\n',
    ),
    r.stdout,
  );
});

t.run();
