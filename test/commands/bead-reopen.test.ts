import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { commitCount, stateTip } from '../helpers/state.ts';

const t = suite('bead-reopen');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const T2 = '2026-01-03T00:00:00Z';
const ME = 'author@example.com';

const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const close = (...args: string[]) => ok(repo, 'bead-close', args, { env: { SASE_NOW: T1 } });
const reopen = (args: string[], input?: string) => ok(repo, 'bead-reopen', args, { env: { SASE_NOW: T2 }, input });

t('reopens: status open, assignee cleared, the close moved into close_history', async () => {
  const a = await create('--title', 'again', '--assignee', 'w1');
  await close(a.id, '--reason', 'thought so', '--resolution', 'canceled');
  const before = commitCount(repo);
  // through the real executable
  const [r, ...rest] = okBin(repo, 'bead-reopen', [a.short_id], { env: { SASE_NOW: T2 } });
  assert.is(rest.length, 0);
  assert.equal(r, {
    ...a,
    status: 'open',
    assignee: null,
    closed_at: null,
    close_reason: null,
    resolution: null,
    updated_at: T2,
    close_history: [
      { closed_at: T1, close_reason: 'thought so', resolution: 'canceled', reopened_at: T2, reopened_by: ME },
    ],
  });
  assert.is(commitCount(repo), before + 1);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: reopen ${a.id}`);
  // a second close and reopen appends
  await ok(repo, 'bead-close', [a.id, '--reason', 'really'], { env: { SASE_NOW: '2026-01-04T00:00:00Z' } });
  const [again] = await ok(repo, 'bead-reopen', [a.id], { env: { SASE_NOW: '2026-01-05T00:00:00Z' } });
  assert.equal(
    again!.close_history.map((h: any) => [h.closed_at, h.close_reason, h.resolution, h.reopened_at]),
    [
      [T1, 'thought so', 'canceled', T2],
      ['2026-01-04T00:00:00Z', 'really', 'done', '2026-01-05T00:00:00Z'],
    ],
  );
});

t('a phase of a closed epic reopens only together with it; ids from --stdin or a pipe', async () => {
  const epic = await create('--title', 'Epic', '--tier', 'epic');
  const p1 = await create('--title', 'One', '--type', 'phase', '--parent', epic.id);
  await close(epic.id, '--force', '--reason', 'paused');
  const tip = stateTip(repo);
  const r = await sase(repo, 'bead-reopen', [p1.id]);
  fails(r, 1, `error: parent '${epic.id}' of '${p1.id}' is closed`);
  assert.is(r.stderr.split('\n')[1], `hint: reopen it too: sase bead reopen ${epic.id} ${p1.id}`);
  assert.is(stateTip(repo), tip);
  const both = await reopen(['--stdin'], `${p1.id}\n${epic.short_id}\n`);
  assert.equal(
    both.map((x) => [x.id, x.status]),
    [
      [p1.id, 'open'],
      [epic.id, 'open'],
    ],
  );
  await close(epic.id, '--force', '--reason', 'again');
  const piped = await reopen(
    [],
    (await ok(repo, 'bead-list', ['--status', 'closed', '--parent', epic.id]))
      .concat(await ok(repo, 'bead-show', [epic.id]))
      .map((x) => JSON.stringify(x))
      .join('\n'),
  );
  assert.equal(piped.map((x) => x.id).sort(), [epic.id, p1.id].sort());
});

t('--format id and --format text', async () => {
  const a = await create('--title', 'fmt');
  await close(a.id);
  const r = await sase(repo, 'bead-reopen', [a.id, '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${a.id}\n`);
  await close(a.id);
  const text = await sase(repo, 'bead-reopen', [a.id, '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.is(text.stdout, `reopened ${a.short_id}: fmt\n`);
});

t('exit 1: a bead that is not closed is refused; nothing changes', async () => {
  const a = await create('--title', 'open one');
  const b = await create('--title', 'closed one');
  await close(b.id);
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-reopen', [b.id, a.id]), 1, `error: bead '${a.id}' is not closed (it is open)`);
  await ok(repo, 'bead-claim', [a.id, '--as', 'w']);
  const tip2 = stateTip(repo);
  fails(await sase(repo, 'bead-reopen', [a.id]), 1, `error: bead '${a.id}' is not closed (it is claimed)`);
  assert.is(stateTip(repo), tip2);
  assert.not.equal(tip, tip2);
  assert.is((await ok(repo, 'bead-show', [b.id]))[0]!.status, 'closed');
});

t('exit 4: no bead matches an id', async () => {
  fails(await sase(repo, 'bead-reopen', ['ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  fails(await sase(repo, 'bead-reopen', ['--frob']), 129, "error: unknown option '--frob'");
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-reopen', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith('usage: sase-bead-reopen [--stdin] [--format <format>] [--json] [<id>...]\n'),
    r.stdout,
  );
});

t.run();
