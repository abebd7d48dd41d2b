import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { assertFsckOk, commitCount, stateTip } from '../helpers/state.ts';

const t = suite('bead-dep-add');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const ME = 'author@example.com';

const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const add = (...args: string[]) => ok(repo, 'bead-dep-add', args, { env: { SASE_NOW: T1 } });
const A = await create('--title', 'A');
const B = await create('--title', 'B');
const C = await create('--title', 'C');

t('records that <id> waits for <blocker>, in one commit; short ids work', async () => {
  const before = commitCount(repo);
  // through the real executable
  const [r, ...rest] = okBin(repo, 'bead-dep-add', [A.short_id, B.id.slice(3, 9)], { env: { SASE_NOW: T1 } });
  assert.is(rest.length, 0);
  assert.equal(r, {
    ...A,
    dependencies: [{ depends_on_id: B.id, created_at: T1, created_by: ME }],
    updated_at: T1,
    blocked: true,
  });
  assert.is(commitCount(repo), before + 1);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: dep add ${A.id} -> ${B.id}`);
  const [shown] = await ok(repo, 'bead-show', [A.id]);
  assert.is(shown!.blocked, true);
  assert.equal(shown!.open_blockers, [B.id]);
  assert.equal((await ok(repo, 'bead-ready')).map((x) => x.id).includes(A.id), false);
});

t('adding an edge that exists changes nothing: exit 0, no new commit', async () => {
  const tip = stateTip(repo);
  const r = await sase(repo, 'bead-dep-add', [A.id, B.id], { env: { SASE_NOW: '2026-05-05T00:00:00Z' } });
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.equal(
    r.records.map((x) => [x.id, x.dependencies.length, x.updated_at]),
    [[A.id, 1, T1]],
  );
  assert.is(stateTip(repo), tip);
});

t('an external reference is a blocker too: it blocks until marked satisfied', async () => {
  const ext = 'external:gastown:gt-5kjn';
  const [r] = await add(C.id, ext);
  assert.equal(r!.dependencies, [{ depends_on_id: ext, created_at: T1, created_by: ME }]);
  assert.is(r!.blocked, true);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: dep add ${C.id} -> ${ext}`);
  assert.not.ok((await ok(repo, 'bead-ready')).some((x) => x.id === C.id));
  const [s] = await ok(repo, 'bead-dep-satisfy', [C.id, ext]);
  assert.is(s!.blocked, false);
  await ok(repo, 'bead-dep-rm', [C.id, ext]);
  await assertFsckOk(repo); // the log replays: its operations name an external reference
  fails(
    await sase(repo, 'bead-dep-add', [C.id, 'external:no project']),
    129,
    "error: 'external:no project' is not a bead id",
  );
});

t('exit 1: a dependency that would close a loop is refused, naming the loop', async () => {
  await add(B.id, C.id); // A -> B -> C
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'bead-dep-add', [C.id, A.id]),
    1,
    `error: adding '${C.id}' -> '${A.id}' would make a cycle: ${C.id} -> ${A.id} -> ${B.id} -> ${C.id}`,
  );
  fails(
    await sase(repo, 'bead-dep-add', [B.short_id, A.short_id]),
    1,
    `error: adding '${B.id}' -> '${A.id}' would make a cycle: ${B.id} -> ${A.id} -> ${B.id}`,
  );
  fails(
    await sase(repo, 'bead-dep-add', [A.id, A.id]),
    1,
    `error: adding '${A.id}' -> '${A.id}' would make a cycle: ${A.id} -> ${A.id}`,
  );
  assert.is(stateTip(repo), tip);
});

t('--format id and --format text', async () => {
  const D = await create('--title', 'D');
  const r = await sase(repo, 'bead-dep-add', [D.id, C.id, '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${D.id}\n`);
  const E = await create('--title', 'E');
  const text = await sase(repo, 'bead-dep-add', [E.id, C.id, '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  // one readable line, saying the bead is blocked now
  assert.is(text.stdout, `updated ${E.short_id}: E (blocked)\n`);
});

t('exit 4: either id does not exist', async () => {
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-dep-add', ['ts-zzzzzzzz', A.id]), 4, "error: no bead 'ts-zzzzzzzz'");
  fails(await sase(repo, 'bead-dep-add', [A.id, 'ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  assert.is(stateTip(repo), tip);
});

t('exit 129: a missing argument', async () => {
  fails(await sase(repo, 'bead-dep-add', [A.id]), 129, 'error: missing <blocker>');
  fails(await sase(repo, 'bead-dep-add', []), 129, 'error: missing <id>');
  fails(await sase(repo, 'bead-dep-add', [A.id, B.id, C.id]), 129, `error: unexpected argument '${C.id}'`);
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-dep-add', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.startsWith('usage: sase-bead-dep-add [--format <format>] [--json] <id> <blocker>\n'), r.stdout);
});

t.run();
