import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { BIN, fails, ok, sase } from '../helpers/run.ts';
import { commitCount, stateTip } from '../helpers/state.ts';

const t = suite('bead-release');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const T2 = '2026-01-03T00:00:00Z';

const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const claimed = async (as: string, title = 'x') => {
  const b = await create('--title', title);
  return (await ok(repo, 'bead-claim', [b.id, '--as', as], { env: { SASE_NOW: T1 } }))[0]!;
};
const release = (args: string[], input?: string) => ok(repo, 'bead-release', args, { env: { SASE_NOW: T2 }, input });

t('the holder releases: back to open, no assignee, one commit', async () => {
  const a = await claimed('w1', 'a');
  const before = commitCount(repo);
  const [r, ...rest] = await release([a.short_id, '--as', 'w1']);
  assert.is(rest.length, 0);
  assert.equal(r, { ...a, status: 'open', assignee: null, updated_at: T2 });
  assert.is(commitCount(repo), before + 1);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: release ${a.id}`);
  assert.ok((await ok(repo, 'bead-ready')).some((x) => x.id === a.id));
  // in progress work goes back too
  const b = await claimed('w1', 'b');
  await ok(repo, 'bead-update', [b.id, '--status', 'in_progress']);
  assert.equal(
    (await release([b.id, '--as', 'w1'])).map((x) => [x.status, x.assignee]),
    [['open', null]],
  );
  // without --as, the git author is the one releasing
  const c = await create('--title', 'c');
  await ok(repo, 'bead-claim', [c.id]);
  assert.equal(
    (await release([c.id])).map((x) => x.status),
    ['open'],
  );
});

t('exit 1: only the holder releases unless --force', async () => {
  const a = await claimed('w1');
  const tip = stateTip(repo);
  const r = await sase(repo, 'bead-release', [a.id, '--as', 'w2']);
  fails(r, 1, `error: bead '${a.id}' is held by 'w1', not 'w2'`);
  assert.is(r.stderr.split('\n')[1], 'hint: use --force to release it anyway');
  fails(await sase(repo, 'bead-release', [a.id]), 1, `error: bead '${a.id}' is held by 'w1', not 'author@example.com'`);
  assert.is(stateTip(repo), tip);
  assert.equal(
    (await release([a.id, '--as', 'w2', '--force'])).map((x) => [x.status, x.assignee]),
    [['open', null]],
  );
});

t('exit 1: a bead that is not claimed is refused; all or nothing', async () => {
  const open = await create('--title', 'open');
  const mine = await claimed('w1');
  const done = await create('--title', 'done');
  await ok(repo, 'bead-close', [done.id]);
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'bead-release', [mine.id, open.id, '--as', 'w1']),
    1,
    `error: bead '${open.id}' is not claimed (it is open)`,
  );
  fails(
    await sase(repo, 'bead-release', [done.id, '--force']),
    1,
    `error: bead '${done.id}' is not claimed (it is closed)`,
  );
  assert.is(stateTip(repo), tip);
  assert.is((await ok(repo, 'bead-show', [mine.id]))[0]!.status, 'claimed');
});

t('ids from --stdin and a pipeline: release everything a dead worker held', async () => {
  const a = await claimed('dead');
  const b = await claimed('dead');
  const keep = await claimed('alive');
  assert.equal(
    (await release(['--stdin', '--as', 'dead'], `${a.id}\n`)).map((x) => x.id),
    [a.id],
  );
  await ok(repo, 'bead-claim', [a.id, '--as', 'dead']);
  const out = execFileSync('sh', ['-c', 'sase-bead-list --assignee dead | sase-bead-release --force --format id'], {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}` },
    encoding: 'utf8',
  });
  assert.equal(out.trim().split('\n').sort(), [a.id, b.id].sort());
  assert.equal(await ok(repo, 'bead-list', ['--assignee', 'dead']), []);
  assert.is((await ok(repo, 'bead-show', [keep.id]))[0]!.assignee, 'alive');
});

t('--format id and --format text', async () => {
  const a = await claimed('w');
  const r = await sase(repo, 'bead-release', [a.id, '--as', 'w', '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${a.id}\n`);
  const b = await claimed('w', 'fmt text');
  const text = await sase(repo, 'bead-release', [b.id, '--as', 'w', '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.is(text.stdout, `released ${b.short_id}: fmt text\n`);
});

t('exit 4: no bead matches an id', async () => {
  const a = await claimed('w');
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-release', [a.id, 'ts-zzzzzzzz', '--as', 'w']), 4, "error: no bead 'ts-zzzzzzzz'");
  assert.is(stateTip(repo), tip);
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-release', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-bead-release [--as <name>] [--force] [--stdin] [--format <format>] [--json] [<id>...]\n',
    ),
    r.stdout,
  );
});

t.run();
